using Functional.Ops;
using ExecutionContext = Functional.Backends.ExecutionContext;

namespace Functional.Cli.Conformance;

/// <summary>
/// The convolution family in PyTorch's terms: <c>conv1d/2d/3d</c> (x, w, optional b; stride, padding as a list or
/// "same"/"valid"/"full", dilation, groups, padding_mode, bias) and <c>conv_transpose1d/2d/3d</c> (x, w laid out
/// C_in × C_out/groups × k, optional b; stride, padding, output_padding, dilation, groups, bias). Also
/// <c>pad</c> (x; before, after per trailing dim, mode) for explicit padding.
/// </summary>
internal static class ConvCases
{
    public static void Register(Dictionary<string, IConformanceOp> ops)
    {
        for (var rank = 1; rank <= 3; rank++)
        {
            ops[$"conv{rank}d"] = new ConvOp(rank);
            ops[$"conv_transpose{rank}d"] = new ConvTransposeOp(rank);
        }
        ops["pad"] = new PadOp();
    }

    private static Padding ReadPadding(ConformanceCase c) => c.String("padding")?.ToLowerInvariant() switch
    {
        null => Padding.Of(c.Ints("padding", 0)),
        "same" => Padding.Same,
        "valid" => Padding.Valid,
        "full" => Padding.Full,
        var other => throw new ArgumentException($"unknown padding '{other}'"),
    };

    private static Dictionary<string, Tensor> Named(ConvGradients g) => g.Bias is null
        ? new() { ["x"] = g.Input, ["w"] = g.Weight }
        : new() { ["x"] = g.Input, ["w"] = g.Weight, ["b"] = g.Bias };

    private sealed class ConvOp(int rank) : IConformanceOp
    {
        private ConvSpec Spec(ConformanceCase c) => new(rank, c.Input("w").Shape[0], c.Input("w").Shape.Dims[2..],
            c.Ints("stride", 1), ReadPadding(c), c.Ints("dilation", 1), c.Int("groups", 1), c.OptionalInput("b") is not null,
            ConvSpec.ParsePaddingMode(c.String("padding_mode") ?? "zeros", $"Conv{rank}d"));

        public Tensor Forward(ExecutionContext ctx, ConformanceCase c) =>
            Conv.Forward(ctx, Spec(c), c.Input("x"), c.Input("w"), c.OptionalInput("b"));

        public IReadOnlyDictionary<string, Tensor> Backward(ExecutionContext ctx, ConformanceCase c, Tensor gy) =>
            Named(Conv.Backward(ctx, Spec(c), c.Input("x"), c.Input("w"), c.OptionalInput("b"), gy));
    }

    private sealed class ConvTransposeOp(int rank) : IConformanceOp
    {
        private ConvTransposeSpec Spec(ConformanceCase c)
        {
            var w = c.Input("w").Shape;
            var groups = c.Int("groups", 1);
            return new(rank, w[1] * groups, w.Dims[2..], c.Ints("stride", 1), Padding.Of(c.Ints("padding", 0)),
                c.Ints("output_padding", 0), c.Ints("dilation", 1), groups, c.OptionalInput("b") is not null,
                ConvSpec.ParsePaddingMode(c.String("padding_mode") ?? "zeros", $"ConvTranspose{rank}d"));
        }

        public Tensor Forward(ExecutionContext ctx, ConformanceCase c) =>
            ConvTranspose.Forward(ctx, Spec(c), c.Input("x"), c.Input("w"), c.OptionalInput("b"));

        public IReadOnlyDictionary<string, Tensor> Backward(ExecutionContext ctx, ConformanceCase c, Tensor gy) =>
            Named(ConvTranspose.Backward(ctx, Spec(c), c.Input("x"), c.Input("w"), c.OptionalInput("b"), gy));
    }

    private sealed class PadOp : IConformanceOp
    {
        private static PaddingMode Mode(ConformanceCase c) => ConvSpec.ParsePaddingMode(c.String("mode") ?? "zeros", "Pad");

        public Tensor Forward(ExecutionContext ctx, ConformanceCase c) =>
            Pad.Forward(ctx, c.Input("x"), c.Ints("before", 0), c.Ints("after", 0), Mode(c));

        public IReadOnlyDictionary<string, Tensor> Backward(ExecutionContext ctx, ConformanceCase c, Tensor gy) =>
            new Dictionary<string, Tensor> { ["x"] = Pad.Backward(ctx, c.Input("x"), c.Ints("before", 0), c.Ints("after", 0), Mode(c), gy) };
    }
}
