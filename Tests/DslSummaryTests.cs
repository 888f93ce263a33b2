using Xunit;
using static Functional.Dsl.Layers;

namespace Functional.Tests;

public class DslSummaryTests
{
    [Fact]
    public void Lenet5_totals_and_memory_estimates()
    {
        var net = Conv(6, 5, padding: 2).Then(ReLU).Then(MaxPool(2)).Then(Conv(16, 5)).Then(ReLU).Then(MaxPool(2))
            .Then(Flatten).Then(Dense(120)).Then(ReLU).Then(Dense(84)).Then(ReLU).Then(Dense(10));
        var s = net.Summary(Shape.Image(1, 28, 28));
        Assert.Equal(61_706, s.Parameters);
        // Mult-adds: 6·28²·25 + 16·10²·150 + 400·120 + 120·84 + 84·10.
        Assert.Equal(6 * 784 * 25 + 16 * 100 * 150 + 400 * 120 + 120 * 84 + 84 * 10, s.MultAdds);
        Assert.Equal(61_706 * 4, s.ParameterBytes);
        Assert.Equal(4L * (2 * 4704 + 1176 + 2 * 1600 + 400 + 400 + 2 * 120 + 2 * 84 + 10), s.ActivationBytes);
        var text = s.ToString();
        Assert.Contains("Total mult-adds (per sample): 416,520", text);
        Assert.Contains("Params size (MB): 0.25", text);
        Assert.Empty(s.Warnings);
        Assert.Equal(12, s.Rows.Count);
    }

    [Fact]
    public void A_1d_network_has_one_field_column_and_flags_an_unread_tail()
    {
        var net = Conv1d(4, 3, stride: 2).Then(GlobalAvgPool).Then(Flatten).Then(Dense(2));
        var s = net.Summary(Shape.Sequence(1, 10));
        var text = s.ToString();
        Assert.Contains("RF L (size/jump/start)", text);
        Assert.DoesNotContain("RF W", text);
        Assert.Equal(new ReceptiveField(3, 2, 1), s.Rows[0].Field[0]);
        Assert.Contains("whole input", text);
        // o = ⌊(10−3)/2⌋+1 = 4 windows reach index 2·3+2 = 8, so position 9 is never read.
        Assert.Equal(["layer 0 (Conv1d(4, 3, stride 2)): stride leaves the last 1 of 10 along L unread"], s.Warnings);
        Assert.Contains("Warning: layer 0 (Conv1d(4, 3, stride 2))", text);
    }

    [Fact]
    public void Named_layers_and_nesting_show_in_paths_and_indentation()
    {
        var net = Named("features", Conv(4, 3).Then(ReLU)).Then(Residual(Conv(4, 3, padding: 1))).Then(Flatten).Then(Named("fc", Dense(2)));
        var s = net.Summary(Shape.Image(1, 6, 6));
        Assert.Equal(["features.0", "features.1", "1", "2", "fc"], s.Rows.Select(r => r.Path));
        Assert.Equal([0, 0, 1, 0, 0], s.Rows.Select(r => r.Depth));
        Assert.Contains("\n  1 ", s.ToString());
    }
}
