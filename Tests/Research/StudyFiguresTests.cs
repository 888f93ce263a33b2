using Functional.Dsl.Research;
using Functional.Random;
using Functional.Research;
using Xunit;
using Xunit.Abstractions;

namespace Functional.Tests.Research;

/// <summary>The studies' figures against hand computation.</summary>
public sealed class StudyFiguresTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(8)]
    [InlineData(32)]
    public void One_5x5_costs_25C2_plus_C_and_two_3x3_cost_18C2_plus_2C_with_the_same_field_5(int c)
    {
        var input = Shape.Image(c, 12, 12);
        var one = new Sweep(input, [new("1x5x5", Studies.Stack(1, 5, c)), new("2x3x3", Studies.Stack(2, 3, c)), new("3x3x3", Studies.Stack(3, 3, c))]).Run();
        Assert.Equal(25L * c * c + c, one["1x5x5"].Parameters);
        Assert.Equal(18L * c * c + 2 * c, one["2x3x3"].Parameters);
        Assert.Equal(27L * c * c + 3 * c, one["3x3x3"].Parameters);
        Assert.Equal([5L, 5L], one["1x5x5"].ReceptiveField);
        Assert.Equal([5L, 5L], one["2x3x3"].ReceptiveField);
        Assert.Equal([7L, 7L], one["3x3x3"].ReceptiveField);
        // Padding keeps 12×12, so the mult-adds are the weights (without bias) times the 144 positions.
        Assert.Equal(25L * c * c * 144, one["1x5x5"].MultAdds);
        Assert.Equal(18L * c * c * 144, one["2x3x3"].MultAdds);
    }

    [Fact]
    public void The_vgg_stacking_study_differs_only_in_its_two_stages()
    {
        const int c = 32;
        var report = Studies.VggStacking(c).Sweep().Run();
        output.WriteLine(report.Table());
        // The stem (9C + C), the classifier (7·7·C·10 + 10) are shared; each of the two stages differs.
        long shared = 9 * c + c + 7 * 7 * c * 10 + 10;
        Assert.Equal(shared + 2 * (25L * c * c + c), report["1x5x5"].Parameters);
        Assert.Equal(shared + 2 * (18L * c * c + 2 * c), report["2x3x3"].Parameters);
        Assert.Equal(shared + 2 * (27L * c * c + 3 * c), report["3x3x3"].Parameters);
        // stem 3; stage 1 +4 → 7, pool → 8 (jump 2); stage 2 +4·2 → 16, pool → 18.
        Assert.Equal([18L, 18L], report["1x5x5"].ReceptiveField);
        Assert.Equal([18L, 18L], report["2x3x3"].ReceptiveField);
        Assert.Equal([24L, 24L], report["3x3x3"].ReceptiveField);
        Assert.True(report["1x5x5"].GlobalField);
    }

    [Fact]
    public void The_mlp_vs_cnn_study_is_the_notes_pair()
    {
        var report = Studies.MlpVsCnn().Sweep().Run();
        Assert.Equal(199_082, report["mlp"].Parameters);
        Assert.Equal(14_938, report["cnn"].Parameters);
        Assert.Equal(Shape.Image(3, 32, 32), report.Input);
    }

    [Fact]
    public void Separable_blocks_cost_9C_plus_C2_plus_C_instead_of_9C2_plus_C()
    {
        const int c = 32;
        var report = Studies.Separable(c).Sweep().Run();
        // Four blocks differ; stem (9C + C) and classifier (10C + 10) are shared.
        long shared = 10 * c + 10 * c + 10;
        Assert.Equal(shared + 4 * (9L * c * c + c), report[$"standard-{c}"].Parameters);
        Assert.Equal(shared + 4 * (9L * c + c * c + c), report[$"separable-{c}"].Parameters);
    }

    [Theory]
    [InlineData(8, 3)]
    [InlineData(14, 6)]
    [InlineData(20, 9)]
    public void Deep_nets_have_depth_weight_layers_and_equal_parameters_with_or_without_skips(int depth, int blocks)
    {
        const int c = 16;
        long expected = 9 * c + c + blocks * 2 * (9L * c * c + c) + 10 * c + 10;
        Assert.Equal(expected, Studies.DeepNet(depth, residual: false).ParameterCount(Shape.Image(1, 28, 28)));
        Assert.Equal(expected, Studies.DeepNet(depth, residual: true).ParameterCount(Shape.Image(1, 28, 28)));
        Assert.Throws<ArgumentOutOfRangeException>(() => Studies.DeepNet(depth + 1, residual: true));
    }

    [Fact]
    public void At_initialisation_the_plain_depth_20_net_passes_less_gradient_to_its_first_layer_than_the_residual_one()
    {
        var key = Key.FromSeed(7);
        var images = Tensor.Uniform(Shape.Images(16, 1, 28, 28), key);
        var labels = Enumerable.Range(0, 16).Select(i => i % 10).ToArray();
        var report = Studies.Skip().Sweep(images, labels).Run(seed: 1, context: Backends.ExecutionContext.Cpu());
        output.WriteLine(report.Table());
        double Norm(string name) => report[name].ProbeValues[0];
        Assert.True(Norm("plain-20") < Norm("residual-20"), $"plain-20 {Norm("plain-20"):G4} vs residual-20 {Norm("residual-20"):G4}");
        Assert.True(Norm("plain-20") < Norm("plain-8"), $"plain-20 {Norm("plain-20"):G4} vs plain-8 {Norm("plain-8"):G4}");
        Assert.All(report.Rows, r => Assert.True(double.IsFinite(r.ProbeValues[0]) && r.ProbeValues[0] > 0, $"{r.Name}: {r.ProbeValues[0]}"));
    }

    [Fact]
    public void A_study_with_probes_asks_for_a_matching_batch()
    {
        var skip = Studies.Skip();
        Assert.Contains("batch", Assert.Throws<ArgumentException>(() => skip.Sweep()).Message);
        var wrong = Tensor.Zeros(Shape.Images(2, 3, 28, 28));
        Assert.Contains("N×1×28×28", Assert.Throws<ArgumentException>(() => skip.Sweep(wrong, [0, 1])).Message);
        Assert.Contains("vgg-stacking", Assert.Throws<ArgumentException>(() => Studies.Get("vgg")).Message);
    }
}
