using Functional.Functions;

namespace Functional.Network.Functions;

/// <summary>How <see cref="UpsampleLayer"/> fills new pixels.</summary>
public enum UpsampleMode
{
    /// <summary>Each output copies the input at ⌊i/s⌋.</summary>
    Nearest,
    /// <summary>Linear in each of H and W (N×C×H×W only), PyTorch's <c>bilinear</c>.</summary>
    Bilinear,
}

/// <summary>
/// Upsampling by integer factors per spatial dim (PyTorch's nn.Upsample with an integer <c>scale_factor</c>):
/// nearest for 1-d and 2-d inputs, bilinear for 2-d with <see cref="AlignCorners"/> either way. No parameters.
/// </summary>
public sealed record UpsampleLayer(int[] Scale, UpsampleMode Mode = UpsampleMode.Nearest, bool AlignCorners = false) : FunctionLayer
{
    /// <inheritdoc />
    public override string Description =>
        $"Upsample({string.Join("×", Scale)}, {Mode.ToString().ToLowerInvariant()}{(Mode == UpsampleMode.Bilinear ? AlignCorners ? ", align corners" : "" : "")})";

    /// <inheritdoc />
    protected override Shape Output(Shape input)
    {
        var rank = input.Rank - 2;
        if (rank < 1 || rank > 2 || (Mode == UpsampleMode.Bilinear && rank != 2))
            throw new ShapeException($"input {input} must be N×C×H×W{(Mode == UpsampleMode.Nearest ? " or N×C×L" : "")} for {Mode.ToString().ToLowerInvariant()} upsampling.");
        var f = Scale.Length == 1 ? Enumerable.Repeat(Scale[0], rank).ToArray() : Scale;
        if (f.Length != rank || f.Any(v => v < 1))
            throw new ShapeException($"scale [{string.Join(", ", Scale)}] must give one integer ≥ 1 for all {rank} spatial dims of {input}, or one each.");
        return Shape.Of(input.Dims.Select((n, i) => i < 2 ? n : n * f[i - 2]));
    }

    /// <inheritdoc />
    protected internal override Var Function(Var x, IReadOnlyDictionary<string, Var> parameters) => Mode == UpsampleMode.Nearest
        ? Fn.UpsampleNearest(x, Scale)
        : Fn.UpsampleBilinear(x, AlignCorners, Scale);

    /// <summary>Equal when mode, corners and every scale agree (arrays compare by value).</summary>
    public bool Equals(UpsampleLayer? other) => other is not null && Scale.SequenceEqual(other.Scale) && Mode == other.Mode && AlignCorners == other.AlignCorners;

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Mode, AlignCorners, Scale.Aggregate(17, (h, v) => h * 31 + v));
}

/// <summary>
/// PyTorch's nn.Flatten(start_dim, end_dim) on the batched input: dims <see cref="Start"/> to <see cref="End"/>
/// (negative counts from the end) merge into one; a view, nothing is copied. (1, −1) is the plain Flatten.
/// </summary>
public sealed record FlattenRangeLayer(int Start = 1, int End = -1) : FunctionLayer
{
    /// <inheritdoc />
    public override string Description => $"Flatten({Start}, {End})";

    /// <inheritdoc />
    protected override Shape Output(Shape input)
    {
        int s = Start < 0 ? Start + input.Rank : Start, e = End < 0 ? End + input.Rank : End;
        if (s < 0 || e >= input.Rank || s > e)
            throw new ShapeException($"input {input} of rank {input.Rank}: dims {Start} to {End} are not a range of its dims (start ≤ end, both within −{input.Rank}..{input.Rank - 1}).");
        var merged = 1;
        for (var i = s; i <= e; i++) merged *= input[i];
        return Shape.Of(input.Dims.Take(s).Append(merged).Concat(input.Dims.Skip(e + 1)));
    }

    /// <inheritdoc />
    protected internal override Var Function(Var x, IReadOnlyDictionary<string, Var> parameters) => Fn.Reshape(x, [.. Output(x.Shape).Dims]);
}
