using System.Collections.Immutable;
using Functional.Backends;

namespace Functional;

/// <summary>
/// The hyper-parameters of a 1-, 2- or 3-d convolution (cross-correlation), independent of any input: output
/// channels, kernel, stride, padding, dilation, groups, bias and padding mode, with PyTorch's meanings. Per-dim
/// values are listed outermost first (D, H, W); a single value applies to every spatial dim. Immutable: derive
/// variants with <c>with</c>. <see cref="Plan"/> resolves it against an input shape into the exact geometry the
/// backend runs, validating everything and quoting the numbers when something does not fit.
/// </summary>
public sealed record ConvSpec
{
    /// <summary>Creates a spec; value checks (kernel ≥ 1, channels divisible by groups, …) happen in <see cref="Plan"/>.</summary>
    /// <param name="rank">Spatial rank: 1 (N×C×L), 2 (N×C×H×W) or 3 (N×C×D×H×W).</param>
    /// <param name="outChannels">Output channels C_out (the number of filters).</param>
    /// <param name="kernel">Kernel extent per spatial dim, or one value for all.</param>
    /// <param name="stride">Step per dim (default 1).</param>
    /// <param name="padding">Explicit amounts, <see cref="Padding.Same"/>, <see cref="Padding.Valid"/> or <see cref="Padding.Full"/> (default 0).</param>
    /// <param name="dilation">Spacing between kernel taps per dim (default 1: a dense kernel).</param>
    /// <param name="groups">Channel groups; groups = C_in makes a depthwise conv.</param>
    /// <param name="bias">Whether a per-output-channel bias is added.</param>
    /// <param name="paddingMode">How the padded border is filled.</param>
    public ConvSpec(int rank, int outChannels, IReadOnlyList<int> kernel, IReadOnlyList<int>? stride = null, Padding? padding = null,
        IReadOnlyList<int>? dilation = null, int groups = 1, bool bias = true, PaddingMode paddingMode = PaddingMode.Zeros)
    {
        var op = OpName(rank);
        Rank = rank;
        OutChannels = outChannels;
        Kernel = PerDim(op, "kernel", kernel, rank);
        Stride = PerDim(op, "stride", stride ?? [1], rank);
        Dilation = PerDim(op, "dilation", dilation ?? [1], rank);
        Padding = padding ?? Padding.None;
        if (Padding.Amounts is { } amounts && amounts.Count != 1 && amounts.Count != rank)
            throw new ShapeException($"{op}: padding has {amounts.Count} values ({string.Join(", ", amounts)}) but the operation has {rank} spatial dimensions.");
        Groups = groups;
        Bias = bias;
        PaddingMode = Enum.IsDefined(paddingMode)
            ? paddingMode
            : throw new ArgumentOutOfRangeException(nameof(paddingMode), paddingMode, $"{op}: unknown padding mode {(int)paddingMode}; use zeros, reflect, replicate or circular.");
    }

    /// <summary>Spatial rank (1, 2 or 3).</summary>
    public int Rank { get; init; }
    /// <summary>Output channels C_out.</summary>
    public int OutChannels { get; init; }
    /// <summary>Kernel extents, one per spatial dim.</summary>
    public ImmutableArray<int> Kernel { get; init; }
    /// <summary>Strides, one per spatial dim.</summary>
    public ImmutableArray<int> Stride { get; init; }
    /// <summary>How the input is padded before the window slides.</summary>
    public Padding Padding { get; init; }
    /// <summary>Dilations, one per spatial dim.</summary>
    public ImmutableArray<int> Dilation { get; init; }
    /// <summary>Channel groups: each output channel sees C_in/groups input channels.</summary>
    public int Groups { get; init; }
    /// <summary>Whether the conv adds a per-channel bias.</summary>
    public bool Bias { get; init; }
    /// <summary>How the padded border is filled; anything but zeros is an explicit pad step before the conv.</summary>
    public PaddingMode PaddingMode { get; init; }

    /// <summary>Resolves the spec against a batched input N×C_in×spatial, validating every rule.</summary>
    /// <param name="layer">The layer's name for messages; null uses the op name alone (e.g. <c>Conv2d</c>).</param>
    /// <exception cref="ShapeException">The input does not fit: wrong rank, channels not divisible by groups, an
    /// input smaller than the dilated kernel, or padding the padding mode cannot fold.</exception>
    public ConvPlan Plan(Shape input, string? layer = null)
    {
        var where = Where(OpName(Rank), layer);
        // A `with` expression skips the constructor: normalise (or reject) its per-dim lists first.
        if (Kernel.Length != Rank || Stride.Length != Rank || Dilation.Length != Rank || !Enum.IsDefined(PaddingMode))
            return new ConvSpec(Rank, OutChannels, Kernel, Stride, Padding, Dilation, Groups, Bias, PaddingMode).Plan(input, layer);
        if (input.Rank != Rank + 2)
            throw new ShapeException($"{where}: input {input} has rank {input.Rank}; a {Rank}-d conv takes N×C×{SpatialNames(Rank)} (rank {Rank + 2}).");
        var (n, cIn) = (input[0], input[1]);
        ShapeRules.CheckChannels(where, cIn, OutChannels, Groups);
        var names = SpatialNames(Rank).Split('×');
        int[] inDims = new int[Rank], before = new int[Rank], after = new int[Rank], outDims = new int[Rank];
        for (var i = 0; i < Rank; i++)
        {
            inDims[i] = input[i + 2];
            (before[i], after[i]) = ShapeRules.Resolve(Padding, i, Rank, inDims[i], Kernel[i], Math.Max(Stride[i], 1), Math.Max(Dilation[i], 1), where);
            ShapeRules.CheckConvDim(where, names[i], inDims[i], Kernel[i], Stride[i], before[i], after[i], Dilation[i]);
            CheckFoldable(where, names[i], inDims[i], before[i], after[i]);
            outDims[i] = ShapeRules.ConvOutputSize(inDims[i], Kernel[i], Stride[i], before[i], after[i], Dilation[i]);
        }

        PadGeometry? pad = null;
        var convInput = Dims3.FromSpatial(inDims);
        var convBefore = Dims3.FromSpatial(before, 0);
        if (PaddingMode != PaddingMode.Zeros && (before.Any(p => p > 0) || after.Any(p => p > 0)))
        {
            // Non-zero modes pad explicitly; the conv then runs unpadded over the larger planes, which must fit.
            var padded = Dims3.FromSpatial(inDims.Select((d, i) => PaddedExtent(where, names[i], d, before[i], after[i])).ToArray());
            pad = new PadGeometry(n * cIn, convInput, convBefore, padded);
            (convInput, convBefore) = (padded, new Dims3(0, 0, 0));
        }
        var geometry = new ConvGeometry(Rank, n, cIn, OutChannels, Groups, convInput, Dims3.FromSpatial(Kernel.AsSpan()),
            Dims3.FromSpatial(Stride.AsSpan()), Dims3.FromSpatial(Dilation.AsSpan()), convBefore, Dims3.FromSpatial(outDims));
        return new ConvPlan(where, geometry, pad, PaddingMode, input, Shape.Of([n, OutChannels, .. outDims]),
            Shape.Of([OutChannels, cIn / Groups, .. Kernel]), Bias ? Shape.Of(OutChannels) : null);
    }

    /// <summary>The output shape for an input with a batch dim (N×C×spatial) or without one (C×spatial).</summary>
    public Shape OutputShape(Shape input, string? layer = null) => input.Rank == Rank + 1
        ? Plan(input.WithBatch(1), layer).OutputShape.WithoutBatch()
        : Plan(input, layer).OutputShape;

    /// <summary>Parses PyTorch's <c>padding_mode</c> strings ("zeros", "reflect", "replicate", "circular").</summary>
    /// <exception cref="ArgumentException">Any other string.</exception>
    public static PaddingMode ParsePaddingMode(string mode, string where = "Conv") => mode.ToLowerInvariant() switch
    {
        "zeros" => PaddingMode.Zeros,
        "reflect" => PaddingMode.Reflect,
        "replicate" => PaddingMode.Replicate,
        "circular" => PaddingMode.Circular,
        _ => throw new ArgumentException($"{where}: unknown padding mode '{mode}'; use zeros, reflect, replicate or circular.", nameof(mode)),
    };

    /// <inheritdoc />
    public bool Equals(ConvSpec? other) => other is not null && Rank == other.Rank && OutChannels == other.OutChannels &&
        Kernel.SequenceEqual(other.Kernel) && Stride.SequenceEqual(other.Stride) && Padding.Equals(other.Padding) &&
        Dilation.SequenceEqual(other.Dilation) && Groups == other.Groups && Bias == other.Bias && PaddingMode == other.PaddingMode;

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Rank, OutChannels, string.Join(",", Kernel), string.Join(",", Stride), Padding, string.Join(",", Dilation), Groups, (Bias, PaddingMode));

    /// <summary>E.g. <c>Conv2d(16, kernel 5×5, stride 1×1, padding same, dilation 1×1, groups 1, bias, zeros)</c>.</summary>
    public override string ToString() =>
        $"{OpName(Rank)}({OutChannels}, kernel {string.Join("×", Kernel)}, stride {string.Join("×", Stride)}, padding {Padding}, " +
        $"dilation {string.Join("×", Dilation)}, groups {Groups}, {(Bias ? "bias" : "no bias")}, {PaddingMode.ToString().ToLowerInvariant()})";

    // Replicate padding has no bound of its own, and a huge stride keeps the output small however large it is.
    private static int PaddedExtent(string where, string dim, int input, int before, int after)
    {
        var padded = (long)input + before + after;
        return padded <= int.MaxValue
            ? (int)padded
            : throw new ShapeException($"{where}: the padded input along {dim} would be {input}+{before}+{after} = {padded}, " +
                $"more than the {int.MaxValue:N0} elements a dimension can hold.");
    }

    // PyTorch's limits: reflect mirrors within the input (p < n); circular wraps at most once (p ≤ n).
    private void CheckFoldable(string where, string dim, int input, int before, int after)
    {
        var p = Math.Max(before, after);
        if (PaddingMode == PaddingMode.Reflect && p >= input)
            throw new ShapeException($"{where}: reflect padding {p} along {dim} must be smaller than the input {input} (it mirrors inside the input, without repeating the edge).");
        if (PaddingMode == PaddingMode.Circular && p > input)
            throw new ShapeException($"{where}: circular padding {p} along {dim} must be at most the input {input} (it wraps around once).");
    }

    internal static string OpName(int rank) => rank is >= 1 and <= 3
        ? $"Conv{rank}d"
        : throw new ShapeException($"Conv: spatial rank {rank} is not supported; convolutions are 1-, 2- or 3-d.");

    internal static string Where(string op, string? layer) => layer is null ? op : $"{op} '{layer}'";

    internal static string SpatialNames(int rank) => rank switch { 1 => "L", 2 => "H×W", _ => "D×H×W" };

    internal static ImmutableArray<int> PerDim(string where, string name, IReadOnlyList<int> values, int rank)
    {
        if (values.Count == 1) return Enumerable.Repeat(values[0], rank).ToImmutableArray();
        if (values.Count == rank) return values.ToImmutableArray();
        throw new ShapeException($"{where}: {name} has {values.Count} values ({string.Join(", ", values)}) but the operation has {rank} spatial dimensions.");
    }
}

/// <summary>
/// A <see cref="ConvSpec"/> resolved against one input shape: the backend geometry, the optional explicit pad
/// step (non-zero padding modes) and the shapes of every tensor involved.
/// </summary>
/// <param name="Where">The op and layer name that starts error messages, e.g. <c>Conv2d 'conv1'</c>.</param>
/// <param name="Geometry">The zero-padded conv the backend runs (over the explicitly padded input when <paramref name="Pad"/> is set).</param>
/// <param name="Pad">The explicit padding applied first, or null when the conv pads with zeros itself.</param>
/// <param name="PaddingMode">The mode <paramref name="Pad"/> fills its border with.</param>
/// <param name="InputShape">N×C_in×spatial.</param>
/// <param name="OutputShape">N×C_out×spatial output.</param>
/// <param name="WeightShape">C_out × C_in/groups × kernel.</param>
/// <param name="BiasShape">C_out, or null without a bias.</param>
public sealed record ConvPlan(string Where, ConvGeometry Geometry, PadGeometry? Pad, PaddingMode PaddingMode,
    Shape InputShape, Shape OutputShape, Shape WeightShape, Shape? BiasShape);
