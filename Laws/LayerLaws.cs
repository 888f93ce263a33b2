using Functional.Network;
using Functional.Random;

namespace Functional.Laws;

/// <summary>
/// Laws any <see cref="Layer"/> must obey, callable from a user's own test project for a layer they wrote:
/// its declared shapes agree with what it computes, its pullback is the gradient (central differences in double),
/// for a linear or affine layer its pullback is the adjoint of its forward, and a stride-1 circular layer commutes
/// with translations. Each check runs the layer through <see cref="Layer.Init"/> and <see cref="Model.Forward"/>
/// only, so it needs no access to the layer's internals, works under any test framework, and throws <see cref="LawViolation"/> with the layer, the input and the first disagreement.
/// </summary>
public static class LayerLaws
{
    /// <summary>
    /// <see cref="Layer.OutputShape"/> equals the shape <see cref="Model.Predict"/> and a training-mode
    /// <see cref="Model.Forward"/> return for a batch of <paramref name="batch"/>; the parameter tree holds exactly the
    /// tensors <see cref="Layer.TensorShapes"/> lists and <see cref="Layer.ParameterCount"/> counts; and the
    /// pullback returns an input gradient of the input's shape and a gradient tree shaped like the parameters.
    /// </summary>
    /// <param name="input">The per-sample input shape (no batch dim), e.g. C×H×W.</param>
    public static void CheckShapeAgreement(Layer layer, Shape input, int batch = 2, int seed = 0)
    {
        var predicted = layer.OutputShape(input);
        var model = layer.Init(input, seed);
        var x = Tensor.Uniform(input.WithBatch(batch), Key.FromSeed(seed + 1), -1f, 1f);
        Same(layer, input, "Predict", model.Predict(x).Shape, predicted.WithBatch(batch));
        var forward = model.Forward(x, Key.FromSeed(seed + 2));
        Same(layer, input, "Forward (training)", forward.Output.Shape, predicted.WithBatch(batch));
        Same(layer, input, "Init's output shape", model.OutputShape, predicted);
        Same(layer, input, "parameter count", model.Parameters.ElementCount, layer.ParameterCount(input));
        var back = forward.Pullback(Tensor.Ones(forward.Output.Shape));
        Same(layer, input, "input gradient", back.Input.Shape, x.Shape);
        if (!back.Gradients.SameStructure(model.Parameters))
            throw Fail(layer, input, $"the gradient tree ({back.Gradients.Count} leaves) is not shaped like the parameter tree ({model.Parameters.Count} leaves)");
    }

    /// <summary>
    /// The pullback equals central differences of f = ⟨layer(x), r⟩ with respect to the input and every parameter,
    /// in double precision (the model is moved to a double backend), for a fixed random r. In training mode the
    /// layer's batch statistics are part of f, as they are part of what it computes; dropout is fixed by the key.
    /// </summary>
    /// <param name="rtol">Relative tolerance. In double with ε = 1e-6, smooth layers are off by about 1e-10 and
    /// the curvature of sigmoid-like functions adds about 1e-12. The backend seam passes scalars (1/m, eps) as
    /// float32, so a double run still carries relative errors near 6e-8 in them: with gradients of order 1–10 that
    /// is about 1e-6 absolute, hence <paramref name="atol"/>. A kink (ReLU at 0, a max tie) within ε of an input
    /// breaks any tolerance: keep inputs away from them.</param>
    public static void CheckGradients(Layer layer, Shape input, int batch = 2, int seed = 0, bool training = true,
        double rtol = 1e-5, double atol = 1e-6)
    {
        var model = ToDouble(layer.Init(input, seed));
        var x = FiniteDifferences.Random(input.WithBatch(batch).Count, seed + 1);
        var key = Key.FromSeed(seed + 2);
        Tensor Run(Model m, double[] xv) => m.Forward(DoubleBackend.Tensor(input.WithBatch(batch), xv), key, training).Output;
        var first = model.Forward(DoubleBackend.Tensor(input.WithBatch(batch), x), key, training);
        var r = FiniteDifferences.Random(first.Output.Count, seed + 3);
        var back = first.Pullback(DoubleBackend.Tensor(first.Output.Shape, r));
        Close(layer, input, "input", DoubleBackend.Values(back.Input),
            FiniteDifferences.Gradient(v => FiniteDifferences.Dot(DoubleBackend.Values(Run(model, v)), r), (double[])x.Clone()), rtol, atol);
        foreach (var leaf in model.Parameters)
        {
            var values = DoubleBackend.Values(leaf.Value);
            var numeric = FiniteDifferences.Gradient(v =>
                FiniteDifferences.Dot(DoubleBackend.Values(Run(model.WithParameters(model.Parameters.With(leaf.Path, DoubleBackend.Tensor(leaf.Value.Shape, v))), x)), r),
                (double[])values.Clone());
            Close(layer, input, $"parameter '{leaf.Path}'", DoubleBackend.Values(back.Gradients[leaf.Path]), numeric, rtol, atol);
        }
    }

    /// <summary>
    /// For a linear or affine layer L (conv, pooling by averaging, dense, reshapes, and chains of them):
    /// ⟨J·v, w⟩ = ⟨v, Jᵀ·w⟩, where J·v = L(v) − L(0) removes any bias and Jᵀ·w is the pullback's input gradient.
    /// Fails for a layer that is not affine, which is what it is for.
    /// </summary>
    public static void CheckAdjoint(Layer layer, Shape input, int batch = 2, int seed = 0, double rtol = 1e-10)
    {
        var model = ToDouble(layer.Init(input, seed));
        var shape = input.WithBatch(batch);
        var key = Key.FromSeed(seed + 2);
        var v = FiniteDifferences.Random(shape.Count, seed + 1);
        var atV = model.Forward(DoubleBackend.Tensor(shape, v), key, training: false);
        var at0 = model.Forward(DoubleBackend.Tensor(shape, new double[shape.Count]), key, training: false);
        var w = FiniteDifferences.Random(atV.Output.Count, seed + 3);
        var jv = DoubleBackend.Values(atV.Output).Zip(DoubleBackend.Values(at0.Output), (a, b) => a - b).ToArray();
        var jtw = DoubleBackend.Values(atV.Pullback(DoubleBackend.Tensor(atV.Output.Shape, w)).Input);
        double lhs = FiniteDifferences.Dot(jv, w), rhs = FiniteDifferences.Dot(v, jtw);
        if (!(Math.Abs(lhs - rhs) <= rtol * (Math.Abs(lhs) + Math.Abs(rhs) + 1)))
            throw Fail(layer, input, $"⟨Jv, w⟩ = {lhs:R} but ⟨v, Jᵀw⟩ = {rhs:R}");
    }

    /// <summary>
    /// Translation equivariance: the layer commutes with a cyclic shift of its input along the spatial dims,
    /// layer(roll(x, shift)) = roll(layer(x), shift). It holds for stride-1 layers whose padding wraps around
    /// (circular padding) or that have none across the shifted dims, followed by element-wise maps; a layer that
    /// mixes positions unevenly (zero padding at the borders, strides, flatten and dense) breaks it, which is what the
    /// check is for. Runs in evaluation mode, so batch statistics do not enter; compares in float within
    /// <paramref name="atol"/>, since a shift reorders nothing inside a window but may reorder a reduction.
    /// </summary>
    /// <param name="shift">One cyclic shift per spatial dim of <paramref name="input"/> (negative shifts go back).</param>
    public static void CheckTranslationEquivariance(Layer layer, Shape input, int[] shift, int batch = 2, int seed = 0, double atol = 1e-5)
    {
        if (shift.Length != input.Rank - 1)
            throw new ArgumentException($"{shift.Length} shifts for the {input.Rank - 1} spatial dims of {input}.", nameof(shift));
        var model = layer.Init(input, seed);
        var x = Tensor.Uniform(input.WithBatch(batch), Key.FromSeed(seed + 1), -1f, 1f);
        var key = Key.FromSeed(seed + 2);
        Tensor Run(Tensor t) => model.Forward(t, key, training: false).Output;
        var (shiftedFirst, shiftedAfter) = (Run(Grid.Roll(x, shift)), Grid.Roll(Run(x), shift));
        Same(layer, input, "the output shape of the shifted input", shiftedFirst.Shape, shiftedAfter.Shape);
        var (a, b) = (shiftedFirst.ToArray(), shiftedAfter.ToArray());
        for (var i = 0; i < a.Length; i++)
            if (!(Math.Abs(a[i] - b[i]) <= atol))
                throw Fail(layer, input, $"shifting the input by ({string.Join(", ", shift)}) gives {a[i]:R} at output entry {i}, " +
                    $"but shifting the output gives {b[i]:R}");
    }

    /// <summary>The model with its parameters and state copied into double tensors, running on the double backend.</summary>
    public static Model ToDouble(Model model)
    {
        static Tensor D(Tensor t) => DoubleBackend.Tensor(t.Shape, DoubleBackend.Values(t));
        return model.WithContext(DoubleBackend.Context).WithParameters(model.Parameters.Map(D)).WithState(model.State.Map(D));
    }

    /// <summary>
    /// A training step (<see cref="Model.LossAndGradients(Loss, Tensor, Tensor, Key)"/>, which asks no layer for the
    /// gradient of the data) gives the same loss and, bit for bit, the same parameter gradients as
    /// <see cref="Model.Forward"/>'s pullback, which computes every gradient; that pullback returns the input gradient.
    /// </summary>
    /// <param name="context">The backend to run on (the Reference backend when not given).</param>
    public static void CheckTrainingStepGradients(Layer layer, Shape input, int batch = 2, int seed = 0, Backends.ExecutionContext? context = null)
    {
        var model = layer.Init(input, seed, context);
        var x = Tensor.Uniform(input.WithBatch(batch), Key.FromSeed(seed + 1), -1f, 1f);
        var target = Tensor.Uniform(layer.OutputShape(input).WithBatch(batch), Key.FromSeed(seed + 2), -1f, 1f);
        var step = model.LossAndGradients(Loss.Mse, x, target, Key.FromSeed(seed + 3));
        var forward = model.Forward(x, Key.FromSeed(seed + 3));
        var loss = Loss.Mse.Compute(model.Context, forward.Output, target);
        var back = forward.Pullback(loss.Gradient);
        Same(layer, input, "the training step's loss", step.Loss, loss.Value);
        Same(layer, input, "the training step's gradient paths", string.Join(",", step.Gradients.Paths), string.Join(",", model.Parameters.Paths));
        foreach (var leaf in step.Gradients)
        {
            var (a, b) = (leaf.Value.ToArray(), back.Gradients[leaf.Path].ToArray());
            for (var i = 0; i < a.Length; i++)
                if (BitConverter.SingleToInt32Bits(a[i]) != BitConverter.SingleToInt32Bits(b[i]))
                    throw Fail(layer, input, $"gradient of {leaf.Path}, entry {i}: training step {a[i]:R}, forward's pullback {b[i]:R}");
        }
        if (!back.HasInput) throw Fail(layer, input, "Model.Forward's pullback did not return the input gradient");
        Same(layer, input, "the input gradient's shape", back.Input.Shape, x.Shape);
    }

    private static void Same<T>(Layer layer, Shape input, string what, T actual, T expected)
    {
        if (!EqualityComparer<T>.Default.Equals(actual, expected))
            throw Fail(layer, input, $"{what} is {actual}, but the layer declares {expected}");
    }

    private static void Close(Layer layer, Shape input, string what, double[] analytic, double[] numeric, double rtol, double atol)
    {
        for (var i = 0; i < analytic.Length; i++)
            if (!(Math.Abs(analytic[i] - numeric[i]) <= atol + rtol * Math.Abs(numeric[i])))
                throw Fail(layer, input, $"gradient of the {what}, entry {i}: pullback {analytic[i]:R}, central differences {numeric[i]:R}");
    }

    /// <summary>The layer as its primitive layers with their paths, e.g. <c>0: Conv(2, 3×3); 1: Tanh</c>.</summary>
    public static string Describe(Layer layer, Shape input)
    {
        try { return string.Join("; ", layer.Trace(input).Select(r => $"{r.Path}: {r.Layer}")); }
        catch (ShapeException) { return layer.Description; }
    }

    private static LawViolation Fail(Layer layer, Shape input, string message) => new($"{Describe(layer, input)} on input {input}: {message}.");
}
