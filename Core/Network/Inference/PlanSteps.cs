using Functional.Backends;
using ExecutionContext = Functional.Backends.ExecutionContext;

namespace Functional.Network.Inference;

/// <summary>
/// One seam call (or a short fused run of them) of an <see cref="InferencePlan"/>. It reads the values numbered
/// <see cref="Inputs"/> and writes the value <see cref="Output"/>; the buffers behind the numbers are chosen by the
/// plan, so a step holds only geometry and (folded) parameters and can run on any number of threads at once.
/// </summary>
internal abstract class PlanStep(int[] inputs, int output)
{
    /// <summary>The values read.</summary>
    public int[] Inputs { get; } = inputs;

    /// <summary>The value written (a fresh one: no step writes a value another step has produced).</summary>
    public int Output { get; } = output;

    /// <summary>Runs the step on the buffers of one call, indexed by value number.</summary>
    public abstract void Run(IBackend backend, TensorStorage[] values);

    // ReLU in place on the step's own output, still in cache for small layers: the same bits as a separate ReLU
    // layer writing a new tensor (max(0, v), NaN kept), since the element-wise kernels read each element once.
    protected static void ReLUInPlace(IBackend backend, TensorStorage y) => backend.Unary(UnaryOp.ReLU, 0f, y, y);
}

/// <summary>y = x ⋆ w + b, with a batch norm that followed it folded into w and b, then the ReLU after it, if any: inside
/// the backend's <see cref="IBackend.ConvReLUForward"/> (inside the conv's kernels on the Cpu backend, the same bits).
/// The filter is prepared once (<see cref="IBackend.PrepareConvFilter"/>) by the backend the plan was built for, so
/// calls do not pack or transform it again.</summary>
internal sealed class ConvStep(int input, int output, ConvGeometry geometry, TensorStorage weight, TensorStorage? bias, bool relu,
    PreparedFilter? prepared) : PlanStep([input], output)
{
    public override void Run(IBackend backend, TensorStorage[] values) =>
        backend.ConvForwardPrepared(geometry, values[Inputs[0]], weight, prepared, bias, values[Output], relu);
}

/// <summary>y = x·Wᵀ (+ b per row) (then ReLU): the unfused dense layer's seam calls, the bias added in place, with Wᵀ
/// stored row-major by the plan (the same sums in the same order as the layer's x·W with B transposed).</summary>
internal sealed class DenseStep(int input, int output, GemmGeometry geometry, TensorStorage weight, TensorStorage? bias, bool relu)
    : PlanStep([input], output)
{
    public override void Run(IBackend backend, TensorStorage[] values)
    {
        var y = values[Output];
        backend.Gemm(geometry, values[Inputs[0]], weight, y);
        if (bias is not null) backend.Binary(BinaryOp.Add, new AxisGeometry(geometry.M, geometry.N, 1), y, bias, true, y);
        if (relu) ReLUInPlace(backend, y);
    }
}

/// <summary>Batch norm with its running statistics (and the ReLU after it) where no conv precedes it to fold into.</summary>
internal sealed class BatchNormStep(int input, int output, AxisGeometry geometry, float eps, TensorStorage mean, TensorStorage variance,
    TensorStorage gamma, TensorStorage beta, bool relu) : PlanStep([input], output)
{
    public override void Run(IBackend backend, TensorStorage[] values)
    {
        if (relu) backend.BatchNormReLUForward(geometry, eps, values[Inputs[0]], mean, variance, gamma, beta, values[Output]);
        else backend.BatchNormForward(geometry, eps, values[Inputs[0]], mean, variance, gamma, beta, values[Output]);
    }
}

/// <summary>An element-wise activation into a new value.</summary>
internal sealed class UnaryStep(int input, int output, UnaryOp op, float alpha) : PlanStep([input], output)
{
    public override void Run(IBackend backend, TensorStorage[] values) => backend.Unary(op, alpha, values[Inputs[0]], values[Output]);
}

/// <summary>Pooling; max pooling without the argmax only a backward would read.</summary>
internal sealed class PoolStep(int input, int output, PoolGeometry geometry) : PlanStep([input], output)
{
    public override void Run(IBackend backend, TensorStorage[] values)
    {
        if (geometry.Kind == PoolKind.Max) backend.MaxPoolInference(geometry, values[Inputs[0]], values[Output]);
        else backend.PoolForward(geometry, values[Inputs[0]], values[Output], null);
    }
}

/// <summary>A residual sum a + b (then the ReLU after it, ResNet's), in one new value.</summary>
internal sealed class AddStep(int a, int b, int output, int length, bool relu) : PlanStep([a, b], output)
{
    public override void Run(IBackend backend, TensorStorage[] values)
    {
        backend.Binary(BinaryOp.Add, new AxisGeometry(1, length, 1), values[Inputs[0]], values[Inputs[1]], false, values[Output]);
        if (relu) ReLUInPlace(backend, values[Output]);
    }
}

/// <summary>
/// Any other layer, run by its own forward in inference mode (its pullback is dropped unused): the plan covers every
/// network, and the layers it has no step for cost what they cost unplanned. Its output is its own new tensor.
/// </summary>
internal sealed class LayerStep(int input, int output, Layer layer, Shape inputShape, TensorTree parameters, TensorTree state,
    ExecutionContext context, Site site) : PlanStep([input], output)
{
    public override void Run(IBackend backend, TensorStorage[] values)
    {
        var pass = new Pass(context, false, Random.Key.FromSeed(0)) { SingleUse = true, InputGradient = false };
        var (x, y) = (values[Inputs[0]], layer.Run(new Tensor(inputShape, values[Inputs[0]]), parameters, state, pass, site).Output.Storage);
        if (ReferenceEquals(x, y))
        {
            // A layer that hands its input back: the plan reuses that buffer once this step is done, so copy it.
            y = backend.AllocateUninitialized(x.Length);
            backend.Unary(UnaryOp.Identity, 0f, x, y);
        }
        values[Output] = y;
    }
}
