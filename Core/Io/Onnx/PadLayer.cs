using System.Collections.Immutable;
using Functional.Network;
using Functional.Network.Primitives;

namespace Functional.Io.Onnx;

/// <summary>
/// Explicit padding of the spatial dims, with amounts that may differ before and after (ONNX's <c>Pad</c>):
/// what an imported graph needs where its pads are unequal on the two sides, which no conv or pooling padding rule
/// of the library expresses. <see cref="Before"/> and <see cref="After"/> list the outermost spatial dim first.
/// </summary>
/// <remarks>Zeros, reflect, replicate and circular filling as in <see cref="Ops.Pad"/>; the backward sends each
/// padded element's gradient to the element it copied. Checkpoint descriptions do not cover this layer.</remarks>
public sealed record PadLayer : Primitive
{
    /// <summary>Pads by <paramref name="before"/> and <paramref name="after"/> (same length, 1 to 3 spatial dims).</summary>
    /// <exception cref="ArgumentException">The lists differ in length, are empty or longer than 3, or hold a negative amount.</exception>
    public PadLayer(IEnumerable<int> before, IEnumerable<int> after, PaddingMode mode = PaddingMode.Zeros)
    {
        (Before, After, Mode) = (before.ToImmutableArray(), after.ToImmutableArray(), mode);
        if (Before.Length is < 1 or > 3 || After.Length != Before.Length || Before.Concat(After).Any(p => p < 0))
            throw new ArgumentException($"Pad: amounts ({string.Join(", ", Before)}) before and ({string.Join(", ", After)}) after must be 1 to 3 non-negative values each, one per spatial dim.");
    }

    /// <summary>The amounts before each spatial dim's first element.</summary>
    public ImmutableArray<int> Before { get; }

    /// <summary>The amounts after each spatial dim's last element.</summary>
    public ImmutableArray<int> After { get; }

    /// <summary>How the border is filled.</summary>
    public PaddingMode Mode { get; }

    /// <inheritdoc />
    public override string Description =>
        $"Pad(({string.Join(", ", Before)}) before, ({string.Join(", ", After)}) after{(Mode == PaddingMode.Zeros ? "" : ", " + Mode.ToString().ToLowerInvariant())})";

    /// <inheritdoc />
    protected override Shape Output(Shape input)
    {
        if (input.Rank != Before.Length + 2)
            throw new ShapeException($"pads {Before.Length} spatial dims but input {input} has {input.Rank - 2}.");
        _ = Ops.Pad.Geometry(input, Before, After, Mode);   // reflect and circular extents, and overflow
        var dims = input.Dims.ToArray();
        for (var d = 0; d < Before.Length; d++) dims[2 + d] += Before[d] + After[d];
        return Shape.Of(dims);
    }

    /// <inheritdoc />
    public override IReadOnlyList<Window>? Windows(Shape input) =>
        Before.Select(b => new Window(1, 1, 1, b)).ToArray();

    /// <inheritdoc />
    protected override LayerOutput Apply(Tensor x, TensorTree parameters, TensorTree state, Pass pass) =>
        new(Ops.Pad.Forward(pass.Context, x, Before, After, Mode), state,
            dy => PullbackResult.For(pass, () => Ops.Pad.Backward(pass.Context, x, Before, After, Mode, dy), TensorTree.Empty));

    /// <inheritdoc />
    public bool Equals(PadLayer? other) => other is not null && Mode == other.Mode && Before.SequenceEqual(other.Before) && After.SequenceEqual(other.After);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Mode, Before.Aggregate(17, HashCode.Combine), After.Aggregate(19, HashCode.Combine));
}
