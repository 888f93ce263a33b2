using ExecutionContext = Functional.Backends.ExecutionContext;

namespace Functional.Functions;

/// <summary>
/// A function's value together with its pullback, as JAX's <c>vjp</c>: the pullback maps a cotangent of the
/// result (same shape) to one cotangent per input (same shapes as the inputs). Calling it twice gives the same
/// tensors; it captures only the immutable graph the result carries.
/// </summary>
public sealed record VjpResult(Tensor Value, Func<Tensor, IReadOnlyList<Tensor>> Pullback);

/// <summary>
/// Reverse-mode differentiation of functions built from <see cref="Fn"/>: <c>Vjp.Of(f, x…)</c> returns f(x…) and
/// its pullback. Inputs run on the context passed to <c>Of</c> when given (else where their data lives, see
/// <see cref="Fn"/>); nothing global is read or written.
/// </summary>
public static class Vjp
{
    /// <summary>f(x) and the pullback from a cotangent of f(x) to one of x.</summary>
    public static (Tensor Value, Func<Tensor, Tensor> Pullback) Of(Func<Var, Var> f, Tensor x, ExecutionContext? context = null)
    {
        var r = Of(xs => f(xs[0]), [x], context);
        return (r.Value, g => r.Pullback(g)[0]);
    }

    /// <summary>f(x, y) and the pullback from a cotangent of f(x, y) to those of x and y.</summary>
    public static (Tensor Value, Func<Tensor, (Tensor X, Tensor Y)> Pullback) Of(Func<Var, Var, Var> f, Tensor x, Tensor y, ExecutionContext? context = null)
    {
        var r = Of(xs => f(xs[0], xs[1]), [x, y], context);
        return (r.Value, g => { var d = r.Pullback(g); return (d[0], d[1]); });
    }

    /// <summary>f(inputs) and the pullback to every input.</summary>
    public static VjpResult Of(Func<IReadOnlyList<Var>, Var> f, IReadOnlyList<Tensor> inputs, ExecutionContext? context = null)
    {
        var vars = inputs.Select(t => Var.Input(t, context)).ToArray();
        var result = f(vars);
        var ctx = context ?? Fn.ContextOf([result, .. vars]);
        return new VjpResult(result.Value, g => Backprop.Run(result, g, vars, ctx));
    }
}

/// <summary>Gradients of scalar functions (a result of one element), as JAX's <c>grad</c> and <c>value_and_grad</c>.</summary>
public static class Grad
{
    /// <summary>x ↦ ∇f(x).</summary>
    /// <exception cref="ShapeException">f's result holds more than one element.</exception>
    public static Func<Tensor, Tensor> Of(Func<Var, Var> f, ExecutionContext? context = null) => x => ValueAndGrad(f, x, context).Gradient;

    /// <summary>f(x) and ∇f(x) in one pass.</summary>
    /// <exception cref="ShapeException">f's result holds more than one element.</exception>
    public static (Tensor Value, Tensor Gradient) ValueAndGrad(Func<Var, Var> f, Tensor x, ExecutionContext? context = null)
    {
        var (value, pullback) = Vjp.Of(f, x, context);
        if (value.Count != 1)
            throw new ShapeException($"Grad: the function returns {value.Shape}; a gradient needs a single value (use Vjp for other results).");
        return (value, pullback(Tensor.Full(value.Shape, 1f)));
    }

    /// <summary>The gradients of a scalar function of several inputs, one per input.</summary>
    /// <exception cref="ShapeException">f's result holds more than one element.</exception>
    public static (Tensor Value, IReadOnlyList<Tensor> Gradients) ValueAndGrad(Func<IReadOnlyList<Var>, Var> f, IReadOnlyList<Tensor> inputs, ExecutionContext? context = null)
    {
        var r = Vjp.Of(f, inputs, context);
        if (r.Value.Count != 1)
            throw new ShapeException($"Grad: the function returns {r.Value.Shape}; a gradient needs a single value (use Vjp for other results).");
        return (r.Value, r.Pullback(Tensor.Full(r.Value.Shape, 1f)));
    }
}
