using Functional.Ops;
using ExecutionContext = Functional.Backends.ExecutionContext;

namespace Functional.Functions;

/// <summary>
/// Reverse mode over the graph a function's result carries: order the differentiable values so that each comes
/// after everything it was computed from, then hand cotangents back from the result to the inputs, summing where a
/// value was used more than once. All bookkeeping lives in this call's locals.
/// </summary>
internal static class Backprop
{
    /// <summary>The cotangent of each of <paramref name="inputs"/> (zeros for one the result does not depend on).</summary>
    public static Tensor[] Run(Var result, Tensor seed, IReadOnlyList<Var> inputs, ExecutionContext context)
    {
        if (seed.Shape != result.Shape)
            throw new ShapeException($"Vjp: the cotangent {seed.Shape} does not match the function's result {result.Shape}.");
        var cotangents = new Dictionary<Var, Tensor>(ReferenceEqualityComparer.Instance);
        if (result.Differentiable) cotangents[result] = seed;
        var order = Order(result);
        for (var i = order.Count - 1; i >= 0; i--)
        {
            var v = order[i];
            if (v.Pullback is null || !cotangents.Remove(v, out var g)) continue;
            var parents = v.Pullback(g);
            for (var p = 0; p < v.Parents.Length; p++)
            {
                var parent = v.Parents[p];
                if (!parent.Differentiable || parents[p] is not { } gp) continue;
                cotangents[parent] = cotangents.TryGetValue(parent, out var sum)
                    ? SeamCalls.Binary(context, Backends.BinaryOp.Add, sum, gp)
                    : gp;
            }
        }
        return inputs.Select(x => cotangents.TryGetValue(x, out var g) ? g : Tensor.Zeros(x.Shape)).ToArray();
    }

    // Depth-first post-order, iteratively, so a long chain of ops cannot overflow the stack.
    private static List<Var> Order(Var result)
    {
        var order = new List<Var>();
        if (!result.Differentiable) return order;
        var seen = new HashSet<Var>(ReferenceEqualityComparer.Instance) { result };
        var stack = new Stack<(Var Node, int Next)>();
        stack.Push((result, 0));
        while (stack.Count > 0)
        {
            var (node, next) = stack.Pop();
            if (next < node.Parents.Length)
            {
                stack.Push((node, next + 1));
                var parent = node.Parents[next];
                if (parent.Differentiable && seen.Add(parent)) stack.Push((parent, 0));
            }
            else order.Add(node);
        }
        return order;
    }

    /// <summary>Σ multiply-adds over the graph behind <paramref name="result"/> (for summaries).</summary>
    public static long MultAdds(Var result) => Order(result).Sum(v => v.MultAdds);
}
