namespace Functional.Backends.Ilgpu;

/// <summary>
/// A <see cref="PoolGeometry"/> as a kernel parameter: kernel parameters must be blittable, and its bool is not.
/// Padding after the input, which the average's divisor clips to, equals the padding before (as in PyTorch).
/// </summary>
internal readonly struct PoolShape(PoolGeometry g)
{
    public readonly int Kind = (int)g.Kind, IncludePad = g.CountIncludePad ? 1 : 0, Planes = g.Planes;
    public readonly Dims3 Input = g.Input, Kernel = g.Kernel, Stride = g.Stride, Dilation = g.Dilation, PadBefore = g.PadBefore, Output = g.Output;

    /// <summary>Max pooling.</summary>
    public bool Max => Kind == (int)PoolKind.Max;

    /// <summary>Adaptive average pooling.</summary>
    public bool Adaptive => Kind == (int)PoolKind.AdaptiveAverage;

    /// <summary>Average pooling whose divisor counts padding.</summary>
    public bool IncludesPad => Kind == (int)PoolKind.Average && IncludePad != 0;
}

/// <summary>
/// One dim of a pooling window, as in the Reference kernels: taps First + j·Step for j in [0, Count), of which
/// [Lo, Hi) fall inside the input; Inside and WithPad count the taps for the average's two divisors.
/// </summary>
internal readonly struct PoolAxis
{
    public readonly int First, Step, Lo, Hi, Inside, WithPad;

    private PoolAxis(int first, int count, int step, int input, int withPad)
    {
        (First, Step) = (first, step);
        Lo = first >= 0 ? 0 : IntMin(count, (-first + step - 1) / step);
        Hi = first >= input ? 0 : IntMin(count, (input - 1 - first) / step + 1);
        Inside = Hi > Lo ? Hi - Lo : 0;
        WithPad = withPad;
    }

    /// <summary>The window of output <paramref name="o"/> along dim <paramref name="dim"/>.</summary>
    public static PoolAxis Of(in PoolShape g, int dim, int o)
    {
        var input = Pick(g.Input, dim);
        if (g.Adaptive)
        {
            // PyTorch's rule: start = ⌊o·In/Out⌋, end = ⌈(o+1)·In/Out⌉.
            var output = Pick(g.Output, dim);
            var start = o * input / output;
            var end = ((o + 1) * input + output - 1) / output;
            return new PoolAxis(start, end - start, 1, input, end - start);
        }
        int k = Pick(g.Kernel, dim), dil = Pick(g.Dilation, dim), first = o * Pick(g.Stride, dim) - Pick(g.PadBefore, dim);
        // PyTorch clips the counted window to the padded input [−p, i + p); in ceil mode it can run past.
        var withPad = 0;
        for (var j = 0; j < k; j++)
            if (first + j * dil < input + Pick(g.PadBefore, dim)) withPad++;
        return new PoolAxis(first, k, dil, input, withPad);
    }

    /// <summary>Tap <paramref name="j"/>'s input position.</summary>
    public int At(int j) => First + j * Step;

    /// <summary>Extent <paramref name="dim"/> (0 = D, 1 = H, 2 = W), without the Dims3 indexer's exception.</summary>
    public static int Pick(Dims3 v, int dim) => dim == 0 ? v.D : dim == 1 ? v.H : v.W;

    private static int IntMin(int a, int b) => a < b ? a : b;
}

/// <summary>
/// Along one dim, the outputs whose window holds input position i, ascending: for kernel windows the o with
/// o·s = i + p − j·d for some tap j (visited as j runs down, so o runs up); for adaptive windows the run from
/// ⌊i·Out/In⌋ to ⌈(i+1)·Out/In⌉. Candidates are m in [0, Count); <see cref="At"/> gives −1 for one that is no output.
/// </summary>
internal readonly struct PoolReach
{
    private readonly int count, offset, step, stride, output;
    private readonly bool adaptive;

    private PoolReach(int count, int offset, int step, int stride, int output, bool adaptive) =>
        (this.count, this.offset, this.step, this.stride, this.output, this.adaptive) = (count, offset, step, stride, output, adaptive);

    /// <summary>Candidates to visit.</summary>
    public int Count => count;

    /// <summary>The preimage of input position <paramref name="i"/> along dim <paramref name="dim"/>.</summary>
    public static PoolReach Of(in PoolShape g, int dim, int i)
    {
        int input = PoolAxis.Pick(g.Input, dim), output = PoolAxis.Pick(g.Output, dim);
        if (g.Adaptive)
        {
            var lo = i * output / input;
            var hi = ((i + 1) * output + input - 1) / input;
            return new PoolReach((hi < output ? hi : output) - lo, lo, 0, 1, output, true);
        }
        int k = PoolAxis.Pick(g.Kernel, dim), dil = PoolAxis.Pick(g.Dilation, dim);
        return new PoolReach(k, i + PoolAxis.Pick(g.PadBefore, dim) - (k - 1) * dil, dil, PoolAxis.Pick(g.Stride, dim), output, false);
    }

    /// <summary>Candidate <paramref name="m"/>'s output, or −1.</summary>
    public int At(int m) => adaptive ? offset + m : ConvIndex.OutputAt(offset + m * step, stride, output);
}
