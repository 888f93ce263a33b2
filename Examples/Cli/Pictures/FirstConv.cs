using Functional.Network;
using Functional.Network.Combinators;
using Functional.Network.Primitives;

namespace Functional.Cli.Pictures;

/// <summary>
/// The first convolution of a model ("conv1"), found in its architecture: its weight tensor, and its activation
/// maps computed by running the model's own leading layers (the conv and whatever follows it up to and including
/// the first activation, e.g. batch norm and ReLU) with the model's parameters and state.
/// </summary>
internal sealed class FirstConv
{
    private readonly Model model;
    private readonly Model prefix;

    private FirstConv(Model model, Model prefix, string weightPath, string title)
    {
        this.model = model;
        this.prefix = prefix;
        Weight = model.Parameters[weightPath];
        Title = title;
    }

    /// <summary>C_out × C_in × k × k (for a 2-d conv).</summary>
    public Tensor Weight { get; }

    /// <summary>What the maps are, e.g. <c>Conv(6, 5, padding 2) → ReLU</c>.</summary>
    public string Title { get; }

    /// <summary>Finds conv1 in <paramref name="model"/>.</summary>
    /// <exception cref="ArgumentException">The model has no 2-d convolution among its top-level layers.</exception>
    public static FirstConv Of(Model model)
    {
        var layers = model.Architecture is Chain chain ? chain.Layers : [model.Architecture];
        var conv = Array.FindIndex(layers.ToArray(), l => l is ConvLayer);
        if (conv < 0 || model.InputShape.Rank != 3)
            throw new ArgumentException($"The model ({model}) has no top-level 2-d convolution to draw.");
        var end = conv;
        for (var i = conv + 1; i < Math.Min(layers.Length, conv + 3); i++)
            if (layers[i] is ActivationLayer) { end = i; break; }
        var head = Chain.Of(layers.Take(end + 1));
        var sub = head.Init(model.InputShape, seed: 0, model.Context);
        // A one-layer head is the layer itself, whose paths lack the chain's "0." in front.
        var inChain = model.Architecture is Chain && end == 0 ? "0." : "";
        var parameters = TensorTree.Of(sub.Parameters.Select(l => new TensorLeaf(l.Path, model.Parameters[inChain + l.Path])));
        var state = TensorTree.Of(sub.State.Select(l => new TensorLeaf(l.Path, model.State[inChain + l.Path])));
        var weightPath = model.Architecture is Chain ? $"{conv}.weight" : "weight";
        var title = string.Join(" → ", layers.Take(end + 1).Skip(conv).Select(l => l.Description));
        return new(model, sub.WithParameters(parameters).WithState(state), weightPath, title);
    }

    /// <summary>The maps for a batch of (normalised) inputs, N × C_out × H' × W', in inference mode.</summary>
    public Tensor Activations(Tensor inputs) => prefix.Predict(inputs);

    /// <summary>The model this conv belongs to.</summary>
    public override string ToString() => $"conv1 of {model}: {Title}";
}
