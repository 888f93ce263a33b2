using Functional.Random;

namespace Functional.Network;

/// <summary>
/// A tensor a layer owns, described before it exists: its name within the layer (<c>weight</c>, <c>bias</c>,
/// <c>running_mean</c>), its shape for a given input, and how to initialise it from a key. Summaries count
/// parameters from these specs without allocating anything.
/// </summary>
public sealed record ParameterSpec(string Name, Shape Shape, Func<Shape, Key, Tensor> Initialize)
{
    /// <summary>PyTorch's default for conv and linear weights and biases: U(−1/√fan_in, 1/√fan_in), which is
    /// Kaiming-uniform with a = √5 for the weights.</summary>
    public static ParameterSpec KaimingUniform(string name, Shape shape, long fanIn)
    {
        var bound = fanIn > 0 ? (float)(1.0 / Math.Sqrt(fanIn)) : 0f;
        return new(name, shape, (s, key) => Tensor.Uniform(s, key, -bound, bound));
    }

    /// <summary>
    /// A layer's <c>weight</c> and optional <c>bias</c>, both drawn as PyTorch draws them, with fan_in the weight's
    /// elements per slice of its first dim (C_in/groups·∏k for a conv, in-features for a dense layer).
    /// </summary>
    public static IReadOnlyList<ParameterSpec> WeightAndBias(Shape weight, Shape? bias)
    {
        var fanIn = weight.Count / weight[0];
        var w = KaimingUniform("weight", weight, fanIn);
        return bias is { } b ? [w, KaimingUniform("bias", b, fanIn)] : [w];
    }

    /// <summary>A tensor of one constant (batch norm's γ = 1, β = 0, running variance 1).</summary>
    public static ParameterSpec Constant(string name, Shape shape, float value) =>
        new(name, shape, (s, _) => Tensor.Full(s, value));
}
