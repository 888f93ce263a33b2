using Functional.Backends;

namespace Functional;

/// <summary>
/// The hyper-parameters of a max or average pooling over 1, 2 or 3 spatial dims, with PyTorch's meanings:
/// kernel, stride (default = kernel), zero padding, dilation, ceil mode and <c>count_include_pad</c>. Each
/// per-dim list holds one value for every dim or one value per dim, outermost first.
/// </summary>
public sealed class PoolSpec
{
    private readonly int[] kernel, stride, padding, dilation;

    /// <summary>A pooling over <paramref name="rank"/> spatial dims.</summary>
    /// <exception cref="ShapeException">A list has neither 1 nor <paramref name="rank"/> values.</exception>
    public PoolSpec(int rank, int[] kernel, int[]? stride = null, int[]? padding = null, int[]? dilation = null,
        bool ceilMode = false, bool countIncludePad = true)
    {
        if (rank is < 1 or > 3) throw new ShapeException($"Pooling: spatial rank must be 1, 2 or 3, not {rank}.");
        Rank = rank;
        this.kernel = PerDim("kernel", kernel, rank);
        this.stride = stride is null ? this.kernel : PerDim("stride", stride, rank);
        this.padding = PerDim("padding", padding ?? [0], rank);
        this.dilation = PerDim("dilation", dilation ?? [1], rank);
        CeilMode = ceilMode;
        CountIncludePad = countIncludePad;
    }

    /// <summary>A square (cubic) pooling: the same kernel, stride, padding and dilation along every dim.</summary>
    public static PoolSpec Square(int rank, int kernel, int? stride = null, int padding = 0, int dilation = 1,
        bool ceilMode = false, bool countIncludePad = true) =>
        new(rank, [kernel], [stride ?? kernel], [padding], [dilation], ceilMode, countIncludePad);

    /// <summary>Number of spatial dims (1, 2 or 3).</summary>
    public int Rank { get; }

    /// <summary>Kernel extent per spatial dim.</summary>
    public IReadOnlyList<int> Kernel => kernel;

    /// <summary>Stride per spatial dim (the kernel unless given).</summary>
    public IReadOnlyList<int> Stride => stride;

    /// <summary>Zero padding on both sides, per spatial dim.</summary>
    public IReadOnlyList<int> Padding => padding;

    /// <summary>Dilation per spatial dim.</summary>
    public IReadOnlyList<int> Dilation => dilation;

    /// <summary>Ceil instead of floor in the output size, keeping only windows that start inside the input or left padding.</summary>
    public bool CeilMode { get; }

    /// <summary>Average pooling only: divide by the window clipped to the padded input (true) or by the input elements it covers.</summary>
    public bool CountIncludePad { get; }

    /// <summary>The output shape N×C×o… for an N×C×i… input, checking every hyper-parameter.</summary>
    /// <param name="where">Starts every error message, e.g. <c>MaxPool2d 'pool1'</c>.</param>
    public Shape OutputShape(Shape input, string where) => OutputShapeOf(input, Geometry(input, PoolKind.Max, where));

    /// <summary>The seam geometry for an N×C×i… input, checking every hyper-parameter per dim.</summary>
    /// <exception cref="ShapeException">The input rank does not fit, or a dim breaks a pooling rule.</exception>
    public PoolGeometry Geometry(Shape input, PoolKind kind, string where)
    {
        CheckInputRank(input, Rank, where);
        var names = DimNames(Rank);
        var output = new int[Rank];
        for (var d = 0; d < Rank; d++)
        {
            var i = input[2 + d];
            ShapeRules.CheckPoolDim(where, names[d], i, kernel[d], stride[d], padding[d], dilation[d], CeilMode);
            output[d] = ShapeRules.PoolOutputSize(i, kernel[d], stride[d], padding[d], dilation[d], CeilMode);
            CheckEveryWindowReadsInput(where, names[d], i, d, output[d]);
        }
        return new PoolGeometry(Rank, kind, input[0] * input[1], Dims3.FromSpatial(Spatial(input)), Dims3.FromSpatial(kernel),
            Dims3.FromSpatial(stride), Dims3.FromSpatial(dilation), Dims3.FromSpatial(padding, 0), Dims3.FromSpatial(output),
            CountIncludePad);
    }

    /// <summary>N×C followed by the geometry's output extents.</summary>
    public static Shape OutputShapeOf(Shape input, in PoolGeometry g) =>
        Shape.Of([input[0], input[1], .. g.Output.Spatial(g.Rank)]);

    /// <summary>Throws unless <paramref name="input"/> is N×C followed by <paramref name="rank"/> spatial dims.</summary>
    public static void CheckInputRank(Shape input, int rank, string where)
    {
        if (input.Rank != rank + 2)
            throw new ShapeException(
                $"{where}: input {input} has rank {input.Rank}, but a {rank}-d pooling takes N×C×{string.Join("×", DimNames(rank))} (rank {rank + 2}).");
    }

    /// <summary>The spatial extents of an N×C×… shape.</summary>
    public static int[] Spatial(Shape input) => input.Dims.Skip(2).ToArray();

    /// <summary>Dim names for messages: L; H, W; D, H, W.</summary>
    public static string[] DimNames(int rank) => rank switch { 1 => ["L"], 2 => ["H", "W"], _ => ["D", "H", "W"] };

    /// <summary>"kernel 3×3, stride 2×2, padding 1×1, dilation 1×1, ceil mode".</summary>
    public override string ToString() =>
        $"kernel {string.Join("×", kernel)}, stride {string.Join("×", stride)}, padding {string.Join("×", padding)}, " +
        $"dilation {string.Join("×", dilation)}{(CeilMode ? ", ceil mode" : "")}{(CountIncludePad ? "" : ", padding not counted")}";

    // p ≤ ⌊k/2⌋ keeps every window on the input only without dilation: a dilated window can straddle the input
    // and land its taps in the padding on both sides. Its max would be −∞ (PyTorch's backward then writes out of
    // bounds), so such settings are rejected here. Without dilation, p ≤ ⌊k/2⌋ and the ceil-mode correction already
    // guarantee it. A window whose first tap lies in the input reads it, so only the windows starting in the padding
    // (windows [0, left) and [right, o)) are checked, each in closed form and in 64 bits: a huge kernel or input
    // costs nothing.
    private void CheckEveryWindowReadsInput(string where, string dim, int input, int d, int output)
    {
        if (dilation[d] == 1) return;
        var left = Math.Min(output, ShapeRules.CeilDiv((long)padding[d], stride[d]));
        var right = Math.Max(left, Math.Min(output, ShapeRules.CeilDiv((long)input + padding[d], stride[d])));
        for (var o = left > 0 ? 0L : right; o < output; o = o + 1 == left ? right : o + 1)
        {
            var first = o * stride[d] - padding[d];
            var j0 = first >= 0 ? 0 : ShapeRules.CeilDiv(-first, dilation[d]);
            if (j0 < kernel[d] && first + j0 * dilation[d] < input) continue;
            var taps = string.Join(", ", Enumerable.Range(0, Math.Min(kernel[d], 16)).Select(j => ShapeRules.Signed(first + (long)j * dilation[d])))
                + (kernel[d] > 16 ? ", …" : "");
            throw new ShapeException(
                $"{where}: window {o} along {dim} reads only padding (positions {taps} of an input of {input}, with dilation {dilation[d]}); " +
                "every pooling window must cover at least one input element.");
        }
    }

    private static int[] PerDim(string what, int[] values, int rank)
    {
        if (values.Length == 1) return Enumerable.Repeat(values[0], rank).ToArray();
        if (values.Length == rank) return (int[])values.Clone();
        throw new ShapeException($"Pooling: {what} has {values.Length} values ({string.Join(", ", values)}) but the pooling has {rank} spatial dims.");
    }
}
