using Functional.Backends;
using Functional.Functions;

namespace Functional.Network.Functions;

/// <summary>GELU (exact or tanh form), SiLU, Hardswish or Mish as a layer: shape unchanged, no parameters.</summary>
public sealed record PointActivationLayer(PointOp Op) : FunctionLayer
{
    /// <inheritdoc />
    public override string Description => Op switch
    {
        PointOp.Gelu => "GELU",
        PointOp.GeluTanh => "GELU(tanh)",
        PointOp.SiLU => "SiLU",
        PointOp.Hardswish => "Hardswish",
        PointOp.Mish => "Mish",
        _ => throw new ArgumentException($"{Op} is not an activation layer; use GELU, SiLU, Hardswish or Mish."),
    };

    /// <inheritdoc />
    protected override Shape Output(Shape input) => input;

    /// <inheritdoc />
    protected internal override Var Function(Var x, IReadOnlyDictionary<string, Var> parameters) => Fn.Point(Op, 0f, 0f, x);
}
