using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Functional.Backends;
using Functional.Ops;
using Functional.Properties.Support;
using Xunit;

namespace Functional.Properties;

/// <summary>
/// Average pooling is a depthwise box-filter conv divided by a count: with <c>count_include_pad</c> the count is
/// the whole window k^r (in floor mode every window lies inside the padded input), otherwise the number of input
/// elements the window covers, which is the same box filter applied to an all-ones input.
/// </summary>
public class PoolEquivalenceLaws
{
    private const string Law = "Equivalence";

    // 300 cases: two depthwise convs and one pooling each, in double.
    [Property(MaxTest = 300)]
    [Trait("Law", Law)]
    public Property Average_pool_is_a_box_filter_divided_by_the_window_or_the_covered_count() =>
        Prop.ForAll(PoolGen.Arb(PoolGen.Of(PoolKind.Average).Where(c => !c.Ceil)), c =>
        {
            var x = Sample.RealTensor(c.InputShape, c.Seed);
            var box = new ConvSpec(c.Rank, c.Channels, c.Kernel, c.Stride, Padding.Of(c.Padding), c.Dilation, c.Channels, bias: false);
            var ones = Fill(Shape.Of([c.Channels, 1, .. c.Kernel]), 1.0);
            var sums = Sample.Values(Conv.Forward(Sample.Double, box, x, ones));
            var covered = Sample.Values(Conv.Forward(Sample.Double, box, Fill(c.InputShape, 1.0), ones));
            var window = c.Kernel.Aggregate(1, (a, k) => a * k);
            var expected = sums.Select((s, i) => s / (c.IncludePad ? window : covered[i])).ToArray();
            Expect.Close($"avg pool vs box filter / {(c.IncludePad ? "k^r" : "covered count")}",
                Sample.Values(AvgPool.Forward(Sample.Double, x, c.Spec)), expected, 1e-12, 1e-12);
        });

    private static Tensor Fill(Shape shape, double v) => DoubleBackend.Tensor(shape, Enumerable.Repeat(v, shape.Count).ToArray());
}
