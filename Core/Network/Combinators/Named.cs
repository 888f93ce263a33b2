using Functional.Random;

namespace Functional.Network.Combinators;

/// <summary>
/// A layer with a name: inside a chain its parameters live under the name instead of its position
/// (<c>features.0.weight</c>, <c>fc1.weight</c>), and errors quote it (<c>layer 7 'fc1' (Dense(120))</c>).
/// Otherwise it is the wrapped layer.
/// </summary>
public sealed record Named : Layer
{
    /// <summary>Wraps <paramref name="layer"/> under <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">The name is empty, contains a dot, or is a number (numbers are positions).</exception>
    public Named(string name, Layer layer)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Contains('.') || name.All(char.IsDigit))
            throw new ArgumentException($"'{name}' cannot name a layer: a name is a non-empty path segment without dots that is not a number (numbers are positions).", nameof(name));
        Name = name;
        Layer = layer;
    }

    /// <summary>The path segment.</summary>
    public string Name { get; }

    /// <summary>The wrapped layer.</summary>
    public Layer Layer { get; }

    /// <inheritdoc />
    public override string Description => Layer.Description;

    /// <inheritdoc />
    protected internal override Shape Infer(Shape input, Site site) => Layer.Infer(input, site);

    /// <inheritdoc />
    protected internal override NetworkTrees Create(Shape input, Site site, Key key) => Layer.Create(input, site, key);

    /// <inheritdoc />
    protected internal override LayerOutput Run(Tensor x, TensorTree parameters, TensorTree state, Pass pass, Site site) =>
        Layer.Run(x, parameters, state, pass, site);

    /// <inheritdoc />
    protected internal override Shape Trace(Shape input, Site site, LayerTrace trace) => Layer.Trace(input, site, trace);
}
