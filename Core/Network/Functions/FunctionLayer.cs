using Functional.Functions;
using Functional.Network.Primitives;

namespace Functional.Network.Functions;

/// <summary>
/// A layer whose forward pass is a differentiable tensor function of its input and its parameters (by name):
/// the pullback comes from <see cref="Vjp"/>, so a subclass states only the shape rule, the parameter specs and
/// the function. The modern layers (GELU, norms, upsampling) and <c>Layers.Lambda</c> are built this way, and
/// take part in chains, residuals, summaries, checkpoints and training like any other primitive.
/// </summary>
public abstract record FunctionLayer : Primitive
{
    /// <summary>The forward pass on a batched input, with this layer's parameters by name.</summary>
    protected internal abstract Var Function(Var x, IReadOnlyDictionary<string, Var> parameters);

    /// <inheritdoc />
    protected override LayerOutput Apply(Tensor x, TensorTree parameters, TensorTree state, Pass pass)
    {
        var names = parameters.Select(l => l.Path).ToArray();
        Tensor[] inputs = [x, .. parameters.Select(l => l.Value)];
        var r = Vjp.Of(vs => Function(vs[0], Named(names, vs.Skip(1))), inputs, pass.Context);
        return new(r.Value, state, dy =>
        {
            var g = r.Pullback(dy);
            return PullbackResult.For(pass, () => g[0], TensorTree.Of(names.Select((n, i) => (n, g[i + 1])).ToArray()));
        });
    }

    private static IReadOnlyDictionary<string, Var> Named(string[] names, IEnumerable<Var> values) =>
        names.Zip(values).ToDictionary(p => p.First, p => p.Second);
}
