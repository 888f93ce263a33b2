
namespace Functional.Properties.Support;

/// <summary>The integer-valued tensors of a generated case, each from its own offset of the case's seed.</summary>
public static class Tensors
{
    /// <summary>x, w and (when the case has one) b of a conv case.</summary>
    public static (Tensor X, Tensor W, Tensor? B) Of(ConvCase c) =>
        (Sample.IntTensor(c.InputShape, c.Seed), Sample.IntTensor(c.WeightShape, c.Seed + 1),
            c.Bias ? Sample.IntTensor(Shape.Of(c.OutChannels), c.Seed + 2) : null);
}
