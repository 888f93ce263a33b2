using System.Collections.Immutable;
using Functional.Backends;

namespace Functional.Network.Primitives;

/// <summary>
/// Keeps the listed input channels, in the listed order (N×C×… → N×K×…): a partial connection, such as one
/// column of LeNet-5's C3 table, is a branch that selects its input maps and then convolves. The backward
/// routes each channel's gradient back to where it came from and leaves the unselected channels at zero.
/// </summary>
public sealed record ChannelSelect : Primitive
{
    /// <summary>Selects <paramref name="channels"/> (distinct, each within the input's channels).</summary>
    public ChannelSelect(params IEnumerable<int> channels) => Channels = channels.ToImmutableArray();

    /// <summary>The input channels kept, in output order.</summary>
    public ImmutableArray<int> Channels { get; }

    /// <inheritdoc />
    public override string Description => $"Channels({string.Join(",", Channels)})";

    /// <inheritdoc />
    protected override Shape Output(Shape input)
    {
        if (input.Rank < 2) throw new ShapeException($"input {input} has no channel dim to select from.");
        if (Channels.Length == 0) throw new ShapeException("Channels: select at least one channel.");
        foreach (var c in Channels)
            if (c < 0 || c >= input[1])
                throw new ShapeException($"channel {c} does not exist: input {input} has channels 0 to {input[1] - 1}.");
        if (Channels.Distinct().Count() != Channels.Length)
            throw new ShapeException($"channels {string.Join(",", Channels)} repeat one; each may be selected once.");
        return input.With(1, Channels.Length);
    }

    /// <inheritdoc />
    protected override LayerOutput Apply(Tensor x, TensorTree parameters, TensorTree state, Pass pass)
    {
        var output = Output(x.Shape);
        var backend = pass.Context.Backend;
        var plane = x.Count / (x.Shape[0] * x.Shape[1]);
        var y = new Tensor(output, backend.Allocate(output.Count));
        for (var j = 0; j < Channels.Length; j++)
            backend.Copy(new CopyGeometry(x.Shape[0], plane, Channels[j] * plane, x.Shape[1] * plane, j * plane, Channels.Length * plane), x.Storage, y.Storage);
        return new(y, state, dy => PullbackResult.For(pass, () =>
        {
            var dx = new Tensor(x.Shape, backend.Allocate(x.Count));
            for (var j = 0; j < Channels.Length; j++)
                backend.Copy(new CopyGeometry(x.Shape[0], plane, j * plane, Channels.Length * plane, Channels[j] * plane, x.Shape[1] * plane), dy.Storage, dx.Storage);
            return dx;
        }, TensorTree.Empty));
    }

    /// <inheritdoc />
    public bool Equals(ChannelSelect? other) => other is not null && Channels.SequenceEqual(other.Channels);

    /// <inheritdoc />
    public override int GetHashCode() => Channels.Aggregate(17, HashCode.Combine);
}
