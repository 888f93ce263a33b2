namespace Functional.Backends;

/// <summary>
/// Element-wise functions of the tensor-function op set and the modern activations, each with its derivative
/// taken from x. Two float parameters a and b parameterise the family (Pow's exponent, Clamp's bounds).
/// </summary>
public enum PointOp
{
    /// <summary>|x|; derivative sign(x), 0 at 0 (PyTorch's sgn).</summary>
    Abs,
    /// <summary>x^a; derivative a·x^(a−1), and 0 when a = 0 (PyTorch's pow backward).</summary>
    Pow,
    /// <summary>min(max(x, a), b); NaN passes; the gradient flows where a ≤ x ≤ b (PyTorch's clamp backward).</summary>
    Clamp,
    /// <summary>GELU, exact: x·Φ(x) = x/2·(1 + erf(x/√2)); derivative Φ(x) + x·φ(x).</summary>
    Gelu,
    /// <summary>GELU, tanh form: x/2·(1 + tanh(√(2/π)·(x + 0.044715x³))), PyTorch's <c>approximate="tanh"</c>.</summary>
    GeluTanh,
    /// <summary>SiLU (Swish): x·σ(x); derivative σ(x)·(1 + x·(1 − σ(x))).</summary>
    SiLU,
    /// <summary>Hardswish: x·min(max(x + 3, 0), 6)/6; derivative 0 below −3, (2x + 3)/6 up to 3, 1 above (PyTorch's).</summary>
    Hardswish,
    /// <summary>Mish: x·tanh(softplus(x)), softplus linear above 20 as PyTorch's.</summary>
    Mish,
}

/// <summary>Element-wise comparisons; the result is 1 where the relation holds and 0 elsewhere (NaN compares false).</summary>
public enum CompareOp
{
    /// <summary>a = b.</summary>
    Equal,
    /// <summary>a &gt; b.</summary>
    Greater,
}
