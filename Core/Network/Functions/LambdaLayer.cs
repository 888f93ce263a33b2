using Functional.Functions;
using Functional.Random;

namespace Functional.Network.Functions;

/// <summary>
/// A trainable tensor of a custom layer, described by its name, its shape as a function of the per-sample input
/// shape, and its initialiser.
/// </summary>
public sealed record Param(string Name, Func<Shape, Shape> ShapeFor, Func<Shape, Key, Tensor> Initialize)
{
    /// <summary>Drawn as PyTorch draws linear and conv weights: U(±1/√fan_in), fan_in = elements per slice of the first dim.</summary>
    public static Param Uniform(string name, Func<Shape, Shape> shapeFor) =>
        new(name, shapeFor, (s, key) => ParameterSpec.KaimingUniform(name, s, s.Rank == 0 || s[0] == 0 ? 1 : s.Count / s[0]).Initialize(s, key));

    /// <summary>Every element <paramref name="value"/> (a scale of 1, a shift of 0).</summary>
    public static Param Constant(string name, Func<Shape, Shape> shapeFor, float value) =>
        new(name, shapeFor, (s, _) => Tensor.Full(s, value));
}

/// <summary>
/// A custom layer from a differentiable tensor function of the batched input and named parameters (see
/// <see cref="Fn"/>). Its output shape and mult-adds come from running the function once on zeros of the input
/// shape with batch 1 (a summary therefore costs one small forward pass); its pullback comes from <see cref="Vjp"/>.
/// A checkpoint stores its parameters by path; its description cannot hold the function, so load such a
/// checkpoint with <c>ModelCheckpoint.Load(path, architecture)</c>.
/// </summary>
public sealed record LambdaLayer(string Name, Func<Var, IReadOnlyDictionary<string, Var>, Var> Body, IReadOnlyList<Param> Params) : FunctionLayer
{
    /// <inheritdoc />
    public override string Description => Name;

    /// <inheritdoc />
    protected override Shape Output(Shape input) => Probe(input).Result.Shape;

    /// <inheritdoc />
    public override IReadOnlyList<ParameterSpec> Parameters(Shape input) =>
        Params.Select(p => new ParameterSpec(p.Name, p.ShapeFor(input.WithoutBatch()), p.Initialize)).ToArray();

    /// <inheritdoc />
    public override long MultAdds(Shape input, Shape output) => Backprop.MultAdds(Probe(input).Result);

    /// <inheritdoc />
    protected internal override Var Function(Var x, IReadOnlyDictionary<string, Var> parameters) => Body(x, parameters);

    private (Var Result, int Unused) Probe(Shape input)
    {
        var ctx = Backends.ExecutionContext.Cpu(1);
        var x = Var.Input(Tensor.Zeros(input), ctx);
        var ps = Parameters(input).ToDictionary(p => p.Name, p => Var.Input(Tensor.Zeros(p.Shape), ctx));
        return (Body(x, ps), 0);
    }
}
