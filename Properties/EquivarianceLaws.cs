using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Functional.Backends;
using Functional.Ops;
using Functional.Properties.Support;
using Xunit;

namespace Functional.Properties;

/// <summary>
/// Convolution commutes with translation. With circular padding the law is exact and cyclic (for stride s, shifts
/// by multiples of s move the output by shift/s); with zero padding it holds away from the borders; pooling with
/// kernel = stride k commutes with shifts by multiples of k. Pooling is not invariant to other shifts: the last
/// property exhibits a counterexample rather than asserting what is false.
/// </summary>
public class EquivarianceLaws
{
    private const string Law = "Equivariance";

    // Circular `Same` padding; each input extent a multiple of its stride, so the output is exactly i/s per dim.
    private static bool Cyclic(ConvCase c) => c.Mode == PaddingMode.Circular && c.Padding.Kind == PaddingKind.Same &&
        Enumerable.Range(0, c.Rank).All(i => c.Input[i] % c.Stride[i] == 0);

    private static Gen<ConvCase> CyclicCases => ConvGen.Any
        .Select(c => c with
        {
            Mode = PaddingMode.Circular,
            Padding = Padding.Same,
            Input = c.Input.Select((n, i) => (n + c.Stride[i] - 1) / c.Stride[i] * c.Stride[i]).ToArray(),
        })
        .Where(c => c.IsValid);

    // 300 cases: two forward convs each.
    [Property(MaxTest = 300)]
    [Trait("Law", Law)]
    public Property Circular_conv_commutes_with_cyclic_shifts_by_multiples_of_the_stride() =>
        Prop.ForAll(ConvGen.Arb(CyclicCases, Cyclic), c =>
        {
            var (x, w, b) = Tensors.Of(c);
            var steps = Enumerable.Range(0, c.Rank).Select(i => (int)((c.Seed >> (8 * i)) % (c.Input[i] / c.Stride[i]))).ToArray();
            var shift = steps.Select((m, i) => m * c.Stride[i]).ToArray();
            Expect.Close($"conv(roll(x, {string.Join(",", shift)})) vs roll(conv(x), {string.Join(",", steps)})",
                Conv.Forward(Sample.Float, c.Spec, Grid.Roll(x, shift), w, b), Grid.Roll(Conv.Forward(Sample.Float, c.Spec, x, w, b), steps));
        });

    [Property(MaxTest = 300)]
    [Trait("Law", Law)]
    public Property Zero_padded_stride_1_conv_commutes_with_shifts_away_from_the_borders() =>
        Prop.ForAll(ConvGen.Arb(ConvGen.ZeroPadded.Where(c => c.Stride.All(s => s == 1)), c => c.Stride.All(s => s == 1)), c =>
        {
            var (x, w, b) = Tensors.Of(c);
            var shift = Enumerable.Range(0, c.Rank).Select(i => (int)((c.Seed >> (8 * i)) % 5) - 2).ToArray();
            var shifted = Grid.Move(x, x.Shape, idx => Grid.Map(idx, (a, v) => a < 2 ? v : v + shift[a - 2]));
            var y = Conv.Forward(Sample.Float, c.Spec, x, w, b).Span.ToArray();
            var ys = Conv.Forward(Sample.Float, c.Spec, shifted, w, b);
            var flat = 0;
            var values = ys.Span.ToArray();
            foreach (var o in Grid.Indices(ys.Shape))
            {
                var here = flat++;
                // Output o reads padded positions o − p₀ … o − p₀ + d(k−1): compare where they all lie inside the
                // input, so that the shifted input there is the original moved, not zeros that came in.
                var interior = Enumerable.Range(0, c.Rank).All(i => o[2 + i] - c.Pad(i).Before >= 0 &&
                    o[2 + i] - c.Pad(i).Before + c.Dilation[i] * (c.Kernel[i] - 1) < c.Input[i]);
                var source = Grid.Flat(ys.Shape, Grid.Map(o, (a, v) => a < 2 ? v : v - shift[a - 2]));
                if (interior && source >= 0 && values[here] != y[source])
                    throw new LawViolation($"shift {string.Join(",", shift)}: output {string.Join(",", o)} is {values[here]}, but the unshifted output there is {y[source]}.");
            }
        });

    private static Gen<PoolCase> TilingPools(PoolKind kind) => PoolGen.Of(kind).Select(c => c with
    {
        Stride = c.Kernel,
        Padding = c.Kernel.Select(_ => 0).ToArray(),
        Dilation = c.Kernel.Select(_ => 1).ToArray(),
        Ceil = false,
        Input = c.Input.Select((n, i) => (n + c.Kernel[i] - 1) / c.Kernel[i] * c.Kernel[i]).ToArray(),
    });

    // 300 cases of each kind, checked side by side.
    [Property(MaxTest = 300)]
    [Trait("Law", Law)]
    public Property Pooling_with_kernel_equal_to_stride_commutes_with_shifts_by_multiples_of_the_kernel() =>
        Tiling(PoolKind.Max).And(Tiling(PoolKind.Average));

    private static Property Tiling(PoolKind kind) =>
        Prop.ForAll(TilingPools(kind).ToArbitrary(), c =>
        {
            var x = Sample.IntTensor(c.InputShape, c.Seed);
            var steps = Enumerable.Range(0, c.Rank).Select(i => (int)((c.Seed >> (8 * i)) % (c.Input[i] / c.Kernel[i]))).ToArray();
            var shift = steps.Select((m, i) => m * c.Kernel[i]).ToArray();
            Expect.Close($"{kind} pool(roll(x, {string.Join(",", shift)})) vs roll(pool(x), {string.Join(",", steps)})",
                Pool(kind, Grid.Roll(x, shift), c.Spec), Grid.Roll(Pool(kind, x, c.Spec), steps));
        });

    [Fact]
    [Trait("Law", Law)]
    public void Max_pooling_is_neither_invariant_nor_equivariant_to_a_one_pixel_shift()
    {
        // 2×2 max pooling with stride 2 over a 4×4 map holding one bright pixel, shifted one pixel right. A pixel at
        // column 0 stays in its window, so the pooled map is unchanged; a pixel at column 1 crosses into the next
        // window, so the pooled map moves. No single map T satisfies pool(shift(x)) = T(pool(x)) for both inputs:
        // the one-pixel shift is not invariant, and it is not equivariant either. (Shifts by the stride are: see above.)
        var spec = PoolSpec.Square(2, 2);
        float[] Pooled(int column, int shift)
        {
            var x = new float[16];
            x[column] = 9;
            return MaxPool.Forward(Sample.Float, Grid.Roll(Tensor.FromArray(Shape.Images(1, 1, 4, 4), x), [0, shift]), spec).Output.ToArray();
        }
        Assert.Equal(Pooled(column: 0, shift: 0), Pooled(column: 0, shift: 1));
        Assert.Equal(Pooled(column: 0, shift: 0), Pooled(column: 1, shift: 0));
        Assert.Equal([9f, 0f, 0f, 0f], Pooled(column: 1, shift: 0));
        Assert.Equal([0f, 9f, 0f, 0f], Pooled(column: 1, shift: 1));
    }

    private static Tensor Pool(PoolKind kind, Tensor x, PoolSpec spec) =>
        kind == PoolKind.Max ? MaxPool.Forward(Sample.Float, x, spec).Output : AvgPool.Forward(Sample.Float, x, spec);
}
