using ExecutionContext = Functional.Backends.ExecutionContext;

namespace Functional.Functions;

/// <summary>
/// A value inside a differentiable function: an immutable <see cref="Tensor"/> plus, when it depends on an input
/// being differentiated, the operation that made it (its parents and the pullback from its cotangent to theirs).
/// Nothing is recorded anywhere else: the graph is the chain of these immutable values, and <see cref="Vjp"/> walks
/// it back from the result, so there is no global tape and two computations never share state. A plain tensor
/// converts implicitly into a constant.
/// </summary>
public sealed class Var
{
    internal Var(Tensor value, ExecutionContext? context, bool differentiable, Var[] parents, Func<Tensor, Tensor?[]>? pullback, long multAdds)
    {
        Value = value;
        Context = context;
        Differentiable = differentiable;
        Parents = differentiable ? parents : [];
        Pullback = differentiable ? pullback : null;
        MultAdds = multAdds;
    }

    /// <summary>The value.</summary>
    public Tensor Value { get; }

    /// <summary>The value's shape.</summary>
    public Shape Shape => Value.Shape;

    /// <summary>Where the operation that made this value ran; null for a constant made from a bare tensor.</summary>
    internal ExecutionContext? Context { get; }

    /// <summary>Whether the value depends on an input being differentiated (otherwise it is a constant).</summary>
    internal bool Differentiable { get; }

    /// <summary>The operands, when differentiable.</summary>
    internal Var[] Parents { get; }

    /// <summary>From this value's cotangent, each parent's (null for a parent that is not differentiable).</summary>
    internal Func<Tensor, Tensor?[]>? Pullback { get; }

    /// <summary>Multiply-adds of the one operation that made this value (matmul's; 0 for the rest).</summary>
    internal long MultAdds { get; }

    /// <summary>A constant: its gradient is never asked for.</summary>
    public static Var Constant(Tensor value) => new(value, null, false, [], null, 0);

    /// <summary>An input to differentiate with respect to, run on <paramref name="context"/>.</summary>
    internal static Var Input(Tensor value, ExecutionContext? context) => new(value, context, true, [], null, 0);

    /// <summary>A tensor as a constant.</summary>
    public static implicit operator Var(Tensor value) => Constant(value);

    /// <summary>a + b with broadcasting.</summary>
    public static Var operator +(Var a, Var b) => Fn.Add(a, b);
    /// <summary>a − b with broadcasting.</summary>
    public static Var operator -(Var a, Var b) => Fn.Sub(a, b);
    /// <summary>a · b element-wise with broadcasting (not matmul: see <see cref="Fn.Matmul"/>).</summary>
    public static Var operator *(Var a, Var b) => Fn.Mul(a, b);
    /// <summary>a / b with broadcasting.</summary>
    public static Var operator /(Var a, Var b) => Fn.Div(a, b);
    /// <summary>−a.</summary>
    public static Var operator -(Var a) => Fn.Neg(a);
    /// <summary>a + s.</summary>
    public static Var operator +(Var a, float s) => Fn.Add(a, s);
    /// <summary>s + a.</summary>
    public static Var operator +(float s, Var a) => Fn.Add(a, s);
    /// <summary>a − s.</summary>
    public static Var operator -(Var a, float s) => Fn.Add(a, -s);
    /// <summary>s − a.</summary>
    public static Var operator -(float s, Var a) => Fn.Add(Fn.Neg(a), s);
    /// <summary>a · s.</summary>
    public static Var operator *(Var a, float s) => Fn.Mul(a, s);
    /// <summary>s · a.</summary>
    public static Var operator *(float s, Var a) => Fn.Mul(a, s);
    /// <summary>a / s.</summary>
    public static Var operator /(Var a, float s) => Fn.Mul(a, 1f / s);

    /// <summary>"Var 2×3" and, for small values, the numbers.</summary>
    public override string ToString() => $"Var {Value}";
}
