using ExecutionContext = Functional.Backends.ExecutionContext;
using Functional.Backends;

namespace Functional.Ops;

/// <summary>The gradients of a sum: both operands receive dy unchanged.</summary>
public sealed record AddGradients(Tensor Left, Tensor Right);

/// <summary>Element-wise a + b of equal shapes: the join of a residual connection.</summary>
public static class Add
{
    /// <summary>a + b.</summary>
    /// <exception cref="ShapeException">The shapes differ (a residual branch changed the shape).</exception>
    public static Tensor Forward(ExecutionContext ctx, Tensor a, Tensor b, string? layer = null)
    {
        if (a.Shape != b.Shape)
            throw new ShapeException($"{LayerName.Of("Add", layer)}: operands {a.Shape} and {b.Shape} differ; a sum needs equal shapes (a residual shortcut must match its branch).");
        return SeamCalls.Binary(ctx, BinaryOp.Add, a, b);
    }

    /// <summary>∂(a+b)/∂a = ∂(a+b)/∂b = 1: both gradients are dy (shared, since tensors are immutable).</summary>
    public static AddGradients Backward(ExecutionContext ctx, Tensor dy) => new(dy, dy);
}
