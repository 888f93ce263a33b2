namespace Functional.Backends;

/// <summary>Element-wise functions named on the seam, so kernels can vectorise them and devices compile them.</summary>
public enum UnaryOp
{
    /// <summary>y = x.</summary>
    Identity,
    /// <summary>
    /// y = 0 where x &lt; 0, else x (PyTorch's relu: NaN propagates, −0 stays −0); dx = 0 where x ≤ 0, else dy
    /// (PyTorch's threshold_backward, a selection: a NaN x passes its gradient).
    /// </summary>
    ReLU,
    /// <summary>y = x if x &gt; 0 else α·x; dy/dx = 1 or α (NaN in gives NaN out).</summary>
    LeakyReLU,
    /// <summary>y = 1/(1+e^−x); dy/dx = y(1−y).</summary>
    Sigmoid,
    /// <summary>y = tanh x; dy/dx = 1 − y².</summary>
    Tanh,
    /// <summary>y = α·x.</summary>
    Scale,
    /// <summary>y = x + α.</summary>
    AddScalar,
    /// <summary>y = x².</summary>
    Square,
    /// <summary>y = √x.</summary>
    Sqrt,
    /// <summary>y = eˣ.</summary>
    Exp,
    /// <summary>y = ln x.</summary>
    Log,
    /// <summary>y = −x.</summary>
    Negate,
}

/// <summary>Binary element-wise functions. When the second operand is per-axis it is broadcast along Outer and Inner.</summary>
public enum BinaryOp
{
    /// <summary>a + b.</summary>
    Add,
    /// <summary>a − b.</summary>
    Subtract,
    /// <summary>a · b.</summary>
    Multiply,
    /// <summary>a / b.</summary>
    Divide,
}

/// <summary>Reductions along the Axis of an <see cref="AxisGeometry"/>.</summary>
public enum ReduceOp
{
    /// <summary>Σ x.</summary>
    Sum,
    /// <summary>Σ x / n.</summary>
    Mean,
    /// <summary>max x.</summary>
    Max,
    /// <summary>Σ x².</summary>
    SumOfSquares,
}
