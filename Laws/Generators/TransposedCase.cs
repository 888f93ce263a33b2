using FsCheck;
using FsCheck.Fluent;

namespace Functional.Laws.Generators;

/// <summary>
/// A transposed convolution built from a zero-padded conv: the conv maps the transposed op's output back to its
/// input, and the output padding is the remainder that makes the transposed op restore the conv's input size.
/// </summary>
public sealed record TransposedCase(ConvCase Conv)
{
    /// <summary>Explicit (symmetric) padding per dim: what the conv padded before.</summary>
    public int[] Padding => Enumerable.Range(0, Conv.Rank).Select(i => Conv.Pad(i).Before).ToArray();

    /// <summary>output_padding = (i + 2p − d(k−1) − 1) mod s, which restores i.</summary>
    public int[] OutputPadding => Enumerable.Range(0, Conv.Rank)
        .Select(i => (Conv.Input[i] + 2 * Padding[i] - Conv.Dilation[i] * (Conv.Kernel[i] - 1) - 1) % Conv.Stride[i]).ToArray();

    /// <summary>Input channels are the conv's output channels and vice versa.</summary>
    public ConvTransposeSpec Spec => new(Conv.Rank, Conv.InChannels, Conv.Kernel, Conv.Stride, Functional.Padding.Of(Padding),
        OutputPadding, Conv.Dilation, Conv.Groups, Conv.Bias);

    /// <summary>The transposed op's input: the conv's output shape.</summary>
    public Shape InputShape => Conv.ExpectedOutput;

    /// <summary>o = (i−1)s − 2p + d(k−1) + output_padding + 1 per dim, from the formula.</summary>
    public Shape ExpectedOutput => Shape.Of([Conv.Batch, Conv.InChannels, .. Enumerable.Range(0, Conv.Rank).Select(i =>
        (InputShape[2 + i] - 1) * Conv.Stride[i] - 2 * Padding[i] + Conv.Dilation[i] * (Conv.Kernel[i] - 1) + OutputPadding[i] + 1)]);

    /// <summary>The weights of the pair: C_out(conv) × C_in(conv)/groups × kernel serves both, in each op's own reading.</summary>
    public Shape WeightShape => Conv.WeightShape;

    /// <summary>E.g. <c>ConvTranspose2d(…) on 1×4×3×3, seed 9</c>.</summary>
    public override string ToString() => $"{Spec} on {InputShape}, seed {Conv.Seed}";

    /// <summary>Transposed convs with symmetric zero padding (as PyTorch's transposed conv has), shrinking with their conv.</summary>
    public static Arbitrary<TransposedCase> Arb =>
        FsCheck.Fluent.Arb.From(ConvGen.ZeroPadded.Where(Symmetric).Select(c => new TransposedCase(c)),
            t => ConvGen.Shrinks(t.Conv).Where(c => c.IsValid && Symmetric(c)).Select(c => new TransposedCase(c)));

    private static bool Symmetric(ConvCase c) => Enumerable.Range(0, c.Rank).All(i => c.Pad(i).Before == c.Pad(i).After);
}
