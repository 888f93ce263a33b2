namespace Functional.Network;

/// <summary>
/// Which inputs a model accepts besides batches of the shape it was initialised for: any per-sample shape of the
/// same rank for which every layer's shape rule holds and every parameter and state tensor keeps the shape the
/// model holds. A fully convolutional net (convolutions, pooling, global pooling before any Dense) so runs on
/// 28×28 and 32×32 alike; a Dense after Flatten pins the spatial size, and the message says which tensor does.
/// </summary>
internal static class InputShapes
{
    /// <summary>Throws unless <paramref name="model"/> can run on the batch shape <paramref name="x"/>.</summary>
    /// <exception cref="ShapeException">The rank differs, a layer rejects the shape (the message names the layer), or a
    /// parameter would need another shape than the model holds (the message names the tensor).</exception>
    public static void Check(Model model, Shape x)
    {
        var initial = model.InputShape;
        if (x.Rank == initial.Rank + 1 && x.WithoutBatch() == initial) return;
        var prefix = $"Model: input {x} is not a batch of {initial}";
        if (x.Rank != initial.Rank + 1)
            throw new ShapeException($"{prefix}; the model was initialised for N×{initial} and takes inputs of that rank only.");
        var sample = x.WithoutBatch();
        model.Architecture.OutputShape(sample);
        foreach (var t in model.Architecture.TensorShapes(sample))
        {
            var held = (t.Trainable ? model.Parameters : model.State).Find(t.Path);
            if (held is not null && held.Shape != t.Shape)
                throw new ShapeException($"{prefix}, and it cannot take {sample} instead: '{t.Path}' would need {t.Shape} but the model, initialised for N×{initial}, holds {held.Shape}. " +
                    "Only layers whose tensors do not depend on the input size (convolutions, pooling, global pooling before any Dense) accept other sizes.");
        }
    }
}
