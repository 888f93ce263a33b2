using ExecutionContext = Functional.Backends.ExecutionContext;
using Functional.Backends;

namespace Functional.Ops;

/// <summary>Hyper-parameters of a locally connected 2-d layer: those of a conv (zero padding, no groups).</summary>
public sealed record LocallyConnectedSpec(int OutChannels, int KernelH, int KernelW, int StrideH = 1, int StrideW = 1,
    int PadH = 0, int PadW = 0, int DilationH = 1, int DilationW = 1, bool Bias = true)
{
    /// <summary>The same kernel, stride, padding and dilation along H and W.</summary>
    public static LocallyConnectedSpec Square(int outChannels, int kernel, int stride = 1, int padding = 0, int dilation = 1, bool bias = true) =>
        new(outChannels, kernel, kernel, stride, stride, padding, padding, dilation, dilation, bias);
}

/// <summary>Gradients of a locally connected layer with respect to its input, weights and bias.</summary>
public sealed record LocallyConnectedGradients(Tensor Input, Tensor Weight, Tensor? Bias);

/// <summary>The gradients of a locally connected layer's weight and bias, without the input's.</summary>
public sealed record LocallyConnectedParameterGradients(Tensor Weight, Tensor? Bias);

/// <summary>
/// A convolution whose weights are not shared across positions (for centred images such as faces, where each
/// region has its own features): y[n,o,p] = b[o,p] + Σ_{c,a,b} W[p,o,c,a,b]·x[n,c,oh·s−pad+a·d, ow·s−pad+b·d] for
/// each output position p = (oh, ow). W is oH×oW×C_out×C_in×kH×kW, the bias C_out×oH×oW. It runs as an unfold
/// (a one-hot grouped conv that copies each patch into J = C_in·kH·kW channels) followed by one GEMM per position;
/// the backward is the same in reverse, with the unfold's adjoint being that conv's backward-data.
/// </summary>
public static class LocallyConnected2d
{
    /// <summary>N×C_out×oH×oW, with the conv output formula per dim.</summary>
    public static Shape OutputShape(LocallyConnectedSpec spec, Shape input, string? layer = null)
    {
        var g = Unfold(spec, input, layer);
        return Shape.Images(input[0], spec.OutChannels, g.Output.H, g.Output.W);
    }

    /// <summary>The weight shape oH×oW×C_out×C_in×kH×kW for a per-sample input C×H×W or batched N×C×H×W.</summary>
    public static Shape WeightShape(LocallyConnectedSpec spec, Shape input, string? layer = null)
    {
        var o = OutputShape(spec, input.Rank == 3 ? input.WithBatch(1) : input, layer);
        return Shape.Of(o[2], o[3], spec.OutChannels, input[-3], spec.KernelH, spec.KernelW);
    }

    /// <summary>y = the locally connected map of x.</summary>
    /// <exception cref="ShapeException">x, W or b do not fit the spec.</exception>
    public static Tensor Forward(ExecutionContext ctx, LocallyConnectedSpec spec, Tensor x, Tensor w, Tensor? b = null, string? layer = null)
    {
        var (g, n, o, j, p) = Plan(spec, x.Shape, w, b, layer);
        var unfolded = Transpose(ctx, UnfoldPatches(ctx, g, x), n * j, p);                      // P × N × J
        var z = SeamCalls.New(ctx, Shape.Of(p, n, o));
        ctx.Backend.Gemm(new GemmGeometry(n, o, j, TransB: true, Batch: p, StrideA: n * j, StrideB: o * j, StrideC: n * o),
            unfolded.Storage, w.Storage, z.Storage);
        var y = Transpose(ctx, z, p, n * o).Reshape(Shape.Images(n, o, g.Output.H, g.Output.W));
        return b is null ? y : SeamCalls.PerAxis(ctx, BinaryOp.Add, new AxisGeometry(n, o * p, 1), y, b);
    }

    /// <summary>dW_p = dY_pᵀ·U_p and dU_p = dY_p·W_p per position p, dx = the unfold's adjoint of dU, db = Σₙ dy.</summary>
    public static LocallyConnectedGradients Backward(ExecutionContext ctx, LocallyConnectedSpec spec, Tensor x, Tensor w, Tensor dy, string? layer = null)
    {
        var (g, n, o, j, p) = Plan(spec, x.Shape, w, null, layer, forward: false);
        SeamCalls.CheckGradient(LayerName.Of("LocallyConnected2d", layer), dy, Shape.Images(n, o, g.Output.H, g.Output.W));
        var dz = Transpose(ctx, dy, n * o, p);                                                  // P × N × O
        var parameters = WeightAndBias(ctx, spec, g, x, w, dy, dz);
        var du = SeamCalls.New(ctx, Shape.Of(p, n, j));
        ctx.Backend.Gemm(new GemmGeometry(n, j, o, Batch: p, StrideA: n * o, StrideB: o * j, StrideC: n * j),
            dz.Storage, w.Storage, du.Storage);
        var dx = SeamCalls.New(ctx, x.Shape);
        ctx.Backend.ConvBackwardData(g, Transpose(ctx, du, p, n * j).Storage, OneHot(g).Storage, dx.Storage);
        return new LocallyConnectedGradients(dx, parameters.Weight, parameters.Bias);
    }

    /// <summary>dW and db only, for a layer whose input needs no gradient; the values equal <see cref="Backward"/>'s.</summary>
    public static LocallyConnectedParameterGradients ParameterGradients(ExecutionContext ctx, LocallyConnectedSpec spec, Tensor x, Tensor w, Tensor dy, string? layer = null)
    {
        var (g, n, o, _, p) = Plan(spec, x.Shape, w, null, layer, forward: false);
        SeamCalls.CheckGradient(LayerName.Of("LocallyConnected2d", layer), dy, Shape.Images(n, o, g.Output.H, g.Output.W));
        return WeightAndBias(ctx, spec, g, x, w, dy, Transpose(ctx, dy, n * o, p));
    }

    // dz is dy transposed to P × N × O, which the input gradient reads as well.
    private static LocallyConnectedParameterGradients WeightAndBias(ExecutionContext ctx, LocallyConnectedSpec spec, in ConvGeometry g, Tensor x, Tensor w, Tensor dy, Tensor dz)
    {
        int n = g.Batch, o = spec.OutChannels, j = g.OutChannels, p = g.Output.H * g.Output.W;
        var unfolded = Transpose(ctx, UnfoldPatches(ctx, g, x), n * j, p);                      // P × N × J
        var dw = SeamCalls.New(ctx, w.Shape);
        ctx.Backend.Gemm(new GemmGeometry(o, j, n, TransA: true, Batch: p, StrideA: n * o, StrideB: n * j, StrideC: o * j),
            dz.Storage, unfolded.Storage, dw.Storage);
        var db = spec.Bias
            ? SeamCalls.ReducePerAxis(ctx, ReduceOp.Sum, new AxisGeometry(n, o * p, 1), dy).Reshape(Shape.Of(o, g.Output.H, g.Output.W))
            : null;
        return new LocallyConnectedParameterGradients(dw, db);
    }

    private static (ConvGeometry G, int N, int O, int J, int P) Plan(LocallyConnectedSpec spec, Shape x, Tensor w, Tensor? b, string? layer, bool forward = true)
    {
        var where = LayerName.Of("LocallyConnected2d", layer);
        var g = Unfold(spec, x, layer);
        var expected = WeightShape(spec, x, layer);
        if (w.Shape != expected)
            throw new ShapeException($"{where}: weight {w.Shape} does not fit input {x}; expected {expected} (oH×oW×C_out×C_in×kH×kW, one kernel per output position).");
        var biasShape = Shape.Of(spec.OutChannels, g.Output.H, g.Output.W);
        if (b is not null && (!spec.Bias || b.Shape != biasShape))
            throw new ShapeException($"{where}: bias {b.Shape} does not fit; expected {(spec.Bias ? biasShape.ToString() : "none")} (C_out×oH×oW).");
        if (forward && b is null && spec.Bias)
            throw new ShapeException($"{where}: the spec has a bias but none was given; expected {biasShape}.");
        return (g, x[0], spec.OutChannels, g.OutChannels, g.Output.H * g.Output.W);
    }

    // The unfold as a grouped conv: group c maps input channel c to kH·kW channels, each picking one kernel tap.
    private static ConvGeometry Unfold(LocallyConnectedSpec s, Shape x, string? layer)
    {
        var where = LayerName.Of("LocallyConnected2d", layer);
        if (x.Rank != 4) throw new ShapeException($"{where}: input {x} must be N×C×H×W.");
        if (s.OutChannels < 1) throw new ShapeException($"{where}: {s.OutChannels} output channels; it needs at least 1.");
        ShapeRules.CheckConvDim(where, "H", x[2], s.KernelH, s.StrideH, s.PadH, s.PadH, s.DilationH);
        ShapeRules.CheckConvDim(where, "W", x[3], s.KernelW, s.StrideW, s.PadW, s.PadW, s.DilationW);
        // The unfold's channel count C·kH·kW is an int extent: checked, so a huge kernel is a ShapeException.
        int c = x[1], taps = Extents.Product($"{where}: kernel taps kH·kW", s.KernelH, s.KernelW);
        var unfolded = Extents.Product($"{where}: unfolded channels C·kH·kW", c, taps);
        var output = new Dims3(1, ShapeRules.ConvOutputSize(x[2], s.KernelH, s.StrideH, s.PadH, s.DilationH),
            ShapeRules.ConvOutputSize(x[3], s.KernelW, s.StrideW, s.PadW, s.DilationW));
        return new ConvGeometry(2, x[0], c, unfolded, c, new Dims3(1, x[2], x[3]), new Dims3(1, s.KernelH, s.KernelW),
            new Dims3(1, s.StrideH, s.StrideW), new Dims3(1, s.DilationH, s.DilationW), new Dims3(0, s.PadH, s.PadW), output);
    }

    private static Tensor UnfoldPatches(ExecutionContext ctx, in ConvGeometry g, Tensor x)
    {
        var u = SeamCalls.New(ctx, Shape.Of(g.Batch, g.OutChannels, g.Output.H * g.Output.W));    // N × J × P
        ctx.Backend.ConvForward(g, x.Storage, OneHot(g).Storage, null, u.Storage);
        return u;
    }

    private static Tensor OneHot(in ConvGeometry g)
    {
        var taps = g.Kernel.Product;
        var w = new float[g.OutChannels * taps];
        for (var ch = 0; ch < g.OutChannels; ch++) w[ch * taps + ch % taps] = 1f;
        return Tensor.Wrap(Shape.Of(g.OutChannels, 1, g.Kernel.H, g.Kernel.W), w);
    }

    // rows×cols → cols×rows, one strided copy per source row.
    private static Tensor Transpose(ExecutionContext ctx, Tensor src, int rows, int cols)
    {
        var dst = SeamCalls.New(ctx, Shape.Of(cols, rows));
        for (var r = 0; r < rows; r++)
            ctx.Backend.Copy(new CopyGeometry(cols, 1, r * cols, 1, r, rows), src.Storage, dst.Storage);
        return dst;
    }
}
