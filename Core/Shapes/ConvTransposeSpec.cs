using System.Collections.Immutable;
using Functional.Backends;

namespace Functional;

/// <summary>
/// The hyper-parameters of a 1-, 2- or 3-d transposed convolution, with PyTorch's meanings: the output size is
/// o = (i−1)s − 2p + d(k−1) + output_padding + 1, padding is explicit and zero-filled only, and weights are laid out
/// C_in × C_out/groups × kernel. It is the adjoint of the conv whose input is this op's output, which is why
/// <see cref="Plan"/> describes it by that underlying conv's geometry. Immutable: derive variants with <c>with</c>.
/// </summary>
public sealed record ConvTransposeSpec
{
    /// <summary>Creates a spec; value checks happen in <see cref="Plan"/>.</summary>
    /// <param name="rank">Spatial rank: 1, 2 or 3.</param>
    /// <param name="outChannels">Output channels C_out.</param>
    /// <param name="kernel">Kernel extent per spatial dim, or one value for all.</param>
    /// <param name="stride">Upsampling step per dim (default 1).</param>
    /// <param name="padding">Explicit amounts cropped from both sides of the output (default 0); Same and Full are not defined here.</param>
    /// <param name="outputPadding">Extra elements on the far side of each dim, to pick among the sizes a strided conv maps onto the same input (default 0).</param>
    /// <param name="dilation">Spacing between kernel taps per dim (default 1).</param>
    /// <param name="groups">Channel groups.</param>
    /// <param name="bias">Whether a per-output-channel bias is added.</param>
    /// <param name="paddingMode">Must be <see cref="PaddingMode.Zeros"/>, as in PyTorch; accepted so that a wrong mode fails clearly.</param>
    /// <exception cref="ShapeException">A padding mode other than zeros, a padding rule, or per-dim lists of the wrong length.</exception>
    public ConvTransposeSpec(int rank, int outChannels, IReadOnlyList<int> kernel, IReadOnlyList<int>? stride = null, Padding? padding = null,
        IReadOnlyList<int>? outputPadding = null, IReadOnlyList<int>? dilation = null, int groups = 1, bool bias = true,
        PaddingMode paddingMode = PaddingMode.Zeros)
    {
        var op = OpName(rank);
        if (paddingMode != PaddingMode.Zeros)
            throw new ShapeException($"{op}: padding mode {paddingMode.ToString().ToLowerInvariant()} is not supported; a transposed convolution pads with zeros only (as in PyTorch).");
        var p = padding ?? Functional.Padding.None;
        if (p.Kind is PaddingKind.Same or PaddingKind.Full)
            throw new ShapeException($"{op}: padding '{p}' is not defined for a transposed convolution; give explicit amounts (what the forward conv padded).");
        Rank = rank;
        OutChannels = outChannels;
        Kernel = ConvSpec.PerDim(op, "kernel", kernel, rank);
        Stride = ConvSpec.PerDim(op, "stride", stride ?? [1], rank);
        Padding = ConvSpec.PerDim(op, "padding", p.Amounts ?? [0], rank);
        OutputPadding = ConvSpec.PerDim(op, "output padding", outputPadding ?? [0], rank);
        Dilation = ConvSpec.PerDim(op, "dilation", dilation ?? [1], rank);
        Groups = groups;
        Bias = bias;
    }

    /// <summary>Spatial rank (1, 2 or 3).</summary>
    public int Rank { get; init; }
    /// <summary>Output channels C_out.</summary>
    public int OutChannels { get; init; }
    /// <summary>Kernel extents, one per spatial dim.</summary>
    public ImmutableArray<int> Kernel { get; init; }
    /// <summary>Strides, one per spatial dim.</summary>
    public ImmutableArray<int> Stride { get; init; }
    /// <summary>Padding cropped from both sides of each dim.</summary>
    public ImmutableArray<int> Padding { get; init; }
    /// <summary>Extra output elements on the far side of each dim.</summary>
    public ImmutableArray<int> OutputPadding { get; init; }
    /// <summary>Dilations, one per spatial dim.</summary>
    public ImmutableArray<int> Dilation { get; init; }
    /// <summary>Channel groups.</summary>
    public int Groups { get; init; }
    /// <summary>Whether a per-channel bias is added.</summary>
    public bool Bias { get; init; }

    /// <summary>Resolves the spec against a batched input N×C_in×spatial, validating every rule.</summary>
    /// <param name="layer">The layer's name for messages; null uses the op name alone (e.g. <c>ConvTranspose2d</c>).</param>
    /// <exception cref="ShapeException">Wrong input rank, channels not divisible by groups, output padding ≥ max(stride, dilation), or an empty output.</exception>
    public ConvTransposePlan Plan(Shape input, string? layer = null)
    {
        var where = ConvSpec.Where(OpName(Rank), layer);
        // A `with` expression skips the constructor: normalise (or reject) its per-dim lists first.
        if (new[] { Kernel, Stride, Padding, OutputPadding, Dilation }.Any(list => list.Length != Rank))
            return new ConvTransposeSpec(Rank, OutChannels, Kernel, Stride, Functional.Padding.Of([.. Padding]), OutputPadding, Dilation, Groups, Bias).Plan(input, layer);
        if (input.Rank != Rank + 2)
            throw new ShapeException($"{where}: input {input} has rank {input.Rank}; a {Rank}-d transposed conv takes N×C×{ConvSpec.SpatialNames(Rank)} (rank {Rank + 2}).");
        var (n, cIn) = (input[0], input[1]);
        ShapeRules.CheckChannels(where, cIn, OutChannels, Groups);
        var names = ConvSpec.SpatialNames(Rank).Split('×');
        int[] inDims = new int[Rank], outDims = new int[Rank];
        for (var i = 0; i < Rank; i++)
        {
            inDims[i] = input[i + 2];
            ShapeRules.CheckTransposedDim(where, names[i], inDims[i], Kernel[i], Stride[i], Padding[i], Dilation[i], OutputPadding[i]);
            outDims[i] = ShapeRules.TransposedOutputSize(inDims[i], Kernel[i], Stride[i], Padding[i], Dilation[i], OutputPadding[i]);
        }
        // The conv that maps our output back to our input: its channels are ours swapped, and its explicit output
        // extent (our input) absorbs the output padding as extra padding after.
        var underlying = new ConvGeometry(Rank, n, OutChannels, cIn, Groups, Dims3.FromSpatial(outDims), Dims3.FromSpatial(Kernel.AsSpan()),
            Dims3.FromSpatial(Stride.AsSpan()), Dims3.FromSpatial(Dilation.AsSpan()), Dims3.FromSpatial(Padding.AsSpan(), 0), Dims3.FromSpatial(inDims));
        return new ConvTransposePlan(where, underlying, input, Shape.Of([n, OutChannels, .. outDims]),
            Shape.Of([cIn, OutChannels / Groups, .. Kernel]), Bias ? Shape.Of(OutChannels) : null);
    }

    /// <summary>The output shape for an input with a batch dim (N×C×spatial) or without one (C×spatial).</summary>
    public Shape OutputShape(Shape input, string? layer = null) => input.Rank == Rank + 1
        ? Plan(input.WithBatch(1), layer).OutputShape.WithoutBatch()
        : Plan(input, layer).OutputShape;

    /// <inheritdoc />
    public bool Equals(ConvTransposeSpec? other) => other is not null && Rank == other.Rank && OutChannels == other.OutChannels &&
        Kernel.SequenceEqual(other.Kernel) && Stride.SequenceEqual(other.Stride) && Padding.SequenceEqual(other.Padding) &&
        OutputPadding.SequenceEqual(other.OutputPadding) && Dilation.SequenceEqual(other.Dilation) && Groups == other.Groups && Bias == other.Bias;

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Rank, OutChannels, string.Join(",", Kernel), string.Join(",", Stride),
        string.Join(",", Padding), string.Join(",", OutputPadding), string.Join(",", Dilation), (Groups, Bias));

    /// <summary>E.g. <c>ConvTranspose2d(8, kernel 3×3, stride 2×2, padding 1×1, output padding 1×1, dilation 1×1, groups 1, bias)</c>.</summary>
    public override string ToString() =>
        $"{OpName(Rank)}({OutChannels}, kernel {string.Join("×", Kernel)}, stride {string.Join("×", Stride)}, padding {string.Join("×", Padding)}, " +
        $"output padding {string.Join("×", OutputPadding)}, dilation {string.Join("×", Dilation)}, groups {Groups}, {(Bias ? "bias" : "no bias")})";

    private static string OpName(int rank) => rank is >= 1 and <= 3
        ? $"ConvTranspose{rank}d"
        : throw new ShapeException($"ConvTranspose: spatial rank {rank} is not supported; transposed convolutions are 1-, 2- or 3-d.");
}

/// <summary>
/// A <see cref="ConvTransposeSpec"/> resolved against one input shape.
/// </summary>
/// <param name="Where">The op and layer name that starts error messages.</param>
/// <param name="Underlying">The conv whose backward-data is this op's forward: its input is our output, its output our input.</param>
/// <param name="InputShape">N×C_in×spatial.</param>
/// <param name="OutputShape">N×C_out×spatial output.</param>
/// <param name="WeightShape">C_in × C_out/groups × kernel (PyTorch's layout).</param>
/// <param name="BiasShape">C_out, or null without a bias.</param>
public sealed record ConvTransposePlan(string Where, ConvGeometry Underlying, Shape InputShape, Shape OutputShape, Shape WeightShape, Shape? BiasShape);
