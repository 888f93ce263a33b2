using Functional.Backends;
using Functional.Random;

namespace Functional.Benchmarks;

/// <summary>One conv layer of the comparison (N, C_in, H, W → C_out, k, stride, pad, groups), as PyTorch names them.</summary>
public sealed record ConvShape(string Name, int N, int C, int H, int W, int Cout, int K, int Stride, int Pad, int Groups = 1)
{
    /// <summary>The nine conv shapes of the comparison: LeNet-5, CIFAR ResNet blocks, an ImageNet stem, pointwise and depthwise.</summary>
    public static readonly ConvShape[] All =
    [
        new("lenet-c1 64x1x28x28>6 k5", 64, 1, 28, 28, 6, 5, 1, 0),
        new("lenet-c3 64x6x14x14>16 k5", 64, 6, 14, 14, 16, 5, 1, 0),
        new("stem 128x3x32x32>64 k3", 128, 3, 32, 32, 64, 3, 1, 1),
        new("res 128x64x32x32>64 k3", 128, 64, 32, 32, 64, 3, 1, 1),
        new("res 128x128x16x16>128 k3", 128, 128, 16, 16, 128, 3, 1, 1),
        new("res 128x256x8x8>256 k3", 128, 256, 8, 8, 256, 3, 1, 1),
        new("imagenet 32x3x224x224>64 k7s2", 32, 3, 224, 224, 64, 7, 2, 3),
        new("pointwise 128x64x32x32>128 k1", 128, 64, 32, 32, 128, 1, 1, 0),
        new("depthwise 128x64x32x32 k3 g64", 128, 64, 32, 32, 64, 3, 1, 1, 64),
    ];

    /// <summary>
    /// This layer shrunk for agreement checks on slow devices: the batch and channels capped, and below a side of 32
    /// the image scaled by side/32 (at most <paramref name="side"/>, at least the kernel), so the ResNet stages keep
    /// their relative sizes; a depthwise layer stays depthwise. The name gives the dims actually run.
    /// </summary>
    public ConvShape Capped(int batch, int channels, int side)
    {
        int Side(int s) => side >= 32 ? s : Math.Max(K, Math.Min(side, s * side / 32));
        var (n, h, w) = (Math.Min(N, batch), Side(H), Side(W));
        var (c, cout) = (Math.Min(C, channels), Math.Min(Cout, channels));
        var groups = Groups == 1 ? 1 : c;
        if (Groups != 1) cout = c;
        if ((n, c, h, w, cout) == (N, C, H, W, Cout)) return this;
        var kind = Name[..Name.IndexOf(' ')];
        var tail = $"k{K}{(Stride > 1 ? $"s{Stride}" : "")}{(groups > 1 ? $" g{groups}" : "")}";
        var name = groups > 1 ? $"{kind} {n}x{c}x{h}x{w} {tail}" : $"{kind} {n}x{c}x{h}x{w}>{cout} {tail}";
        return new ConvShape(name, n, c, h, w, cout, K, Stride, Pad, groups);
    }

    /// <summary>The seam geometry of this layer.</summary>
    public ConvGeometry Geometry()
    {
        var o = (H + 2 * Pad - K) / Stride + 1;
        var ow = (W + 2 * Pad - K) / Stride + 1;
        return new ConvGeometry(2, N, C, Cout, Groups, new Dims3(1, H, W), new Dims3(1, K, K), new Dims3(1, Stride, Stride),
            new Dims3(1, 1, 1), new Dims3(0, Pad, Pad), new Dims3(1, o, ow));
    }
}

/// <summary>Buffers for one conv layer on one backend, filled once from a seed, and its forward and backward passes.</summary>
public sealed class ConvWorkload
{
    private readonly IBackend _backend;
    private readonly TensorStorage _x, _w, _b, _y, _dy, _dx, _dw, _db;

    /// <summary>Allocates and fills every buffer of <paramref name="geometry"/> on <paramref name="backend"/>.</summary>
    public ConvWorkload(IBackend backend, ConvGeometry geometry)
    {
        (_backend, Geometry) = (backend, geometry);
        _x = Filled(geometry.InputLength, 1); _w = Filled(geometry.WeightLength, 2); _b = Filled(geometry.OutChannels, 3);
        _dy = Filled(geometry.OutputLength, 4);
        _y = backend.Allocate(geometry.OutputLength); _dx = backend.Allocate(geometry.InputLength);
        _dw = backend.Allocate(geometry.WeightLength); _db = backend.Allocate(geometry.OutChannels);
    }

    /// <summary>The layer's geometry.</summary>
    public ConvGeometry Geometry { get; }

    /// <summary>y, dx, dw and db after <see cref="ForwardBackward"/>: what an agreement check compares across backends.</summary>
    public IReadOnlyList<(string Name, TensorStorage Value)> Results => [("y", _y), ("dx", _dx), ("dw", _dw), ("db", _db)];

    /// <summary>y = x ⋆ w + b.</summary>
    public void Forward() => _backend.ConvForward(Geometry, _x, _w, _b, _y);

    /// <summary>dx from dy: the input gradient alone.</summary>
    public void BackwardData() => _backend.ConvBackwardData(Geometry, _dy, _w, _dx);

    /// <summary>dw and db from x and dy: the parameter gradients alone.</summary>
    public void BackwardFilter() => _backend.ConvBackwardFilter(Geometry, _x, _dy, _dw, _db);

    /// <summary>Forward, then the input, weight and bias gradients: what one training step asks of a conv layer.</summary>
    public void ForwardBackward()
    {
        Forward();
        BackwardData();
        BackwardFilter();
    }

    private static TensorStorage Filled(int n, long seed) => Tensor.Uniform(Shape.Of(n), Key.FromSeed(seed), -1f, 1f).Storage;
}

/// <summary>C = A·B for M×K times K×N on one backend.</summary>
public sealed class GemmWorkload(IBackend backend, int m, int k, int n)
{
    private readonly TensorStorage _a = Tensor.Uniform(Shape.Of(m * k), Key.FromSeed(5), -1f, 1f).Storage;
    private readonly TensorStorage _b = Tensor.Uniform(Shape.Of(k * n), Key.FromSeed(6), -1f, 1f).Storage;
    private readonly TensorStorage _c = backend.Allocate(m * n);

    /// <summary>2·M·N·K.</summary>
    public double Flops => 2.0 * m * n * k;

    /// <summary>One multiplication.</summary>
    public void Run() => backend.Gemm(new GemmGeometry(m, n, k), _a, _b, _c);
}

/// <summary>
/// An activation, softmax or maximum over an N×C(×H×W) tensor on one backend, named like the serve line
/// <c>ew OP DIMS</c> (OP: sigmoid, tanh, softmax, logsoftmax, max; DIMS like 128x64x32x32). Activations and softmax
/// run forward and backward, as in a training step; softmax and max work along dim 1 (the classes of N×C, the
/// channels of every position of N×C×H×W).
/// </summary>
public sealed class ElementwiseWorkload
{
    private readonly IBackend _backend;
    private readonly string _op;
    private readonly AxisGeometry _g;
    private readonly TensorStorage _x, _dy, _y, _dx, _max;

    /// <summary>Allocates and fills the buffers of <paramref name="op"/> over <paramref name="dims"/>.</summary>
    public ElementwiseWorkload(IBackend backend, string op, string dims)
    {
        var d = dims.Split('x').Select(int.Parse).ToArray();
        if (d.Length < 2 || op is not ("sigmoid" or "tanh" or "softmax" or "logsoftmax" or "max"))
            throw new ArgumentException($"ew: unknown operation '{op}' or dims '{dims}' (need N×C at least)");
        (_backend, _op) = (backend, op);
        _g = new AxisGeometry(d[0], d[1], d.Skip(2).Aggregate(1, (a, b) => a * b));
        _x = Tensor.Uniform(Shape.Of(_g.Length), Key.FromSeed(7), -4f, 4f).Storage;
        _dy = Tensor.Uniform(Shape.Of(_g.Length), Key.FromSeed(8), -1f, 1f).Storage;
        (_y, _dx, _max) = (backend.Allocate(_g.Length), backend.Allocate(_g.Length), backend.Allocate(_g.Outer * _g.Inner));
    }

    /// <summary>One forward (and backward) pass.</summary>
    public void Run()
    {
        switch (_op)
        {
            case "sigmoid" or "tanh":
                var op = _op == "sigmoid" ? UnaryOp.Sigmoid : UnaryOp.Tanh;
                _backend.Unary(op, 0f, _x, _y);
                _backend.UnaryBackward(op, 0f, _x, _y, _dy, _dx);
                break;
            case "max":
                _backend.Reduce(ReduceOp.Max, _g, _x, false, _max);
                break;
            default:
                _backend.Softmax(_g, _op == "logsoftmax", _x, _y);
                _backend.SoftmaxBackward(_g, _op == "logsoftmax", _y, _dy, _dx);
                break;
        }
    }
}
