using System.Globalization;

namespace Functional;

/// <summary>
/// The receptive field of one output position along one spatial dimension, in input pixels, after a stack of
/// sliding-window layers. <see cref="Size"/> is how many input positions one output sees, <see cref="Jump"/> the
/// distance in the input between neighbouring outputs, and <see cref="Start"/> the input coordinate of the centre
/// of the first output's field (input pixel i has centre i, so a negative start lies in the left padding).
/// </summary>
/// <remarks>
/// Composition follows the standard recurrence for a layer with kernel k, stride s, dilation d and left padding p:
/// r_out = r_in + (k−1)·d·j_in; j_out = j_in·s; start_out = start_in + ((k−1)·d/2 − p)·j_in.
/// Element-wise layers leave the field unchanged; a transposed convolution is not a sliding window over its
/// input and is not described by this recurrence.
/// </remarks>
/// <param name="Size">Input positions seen by one output, r.</param>
/// <param name="Jump">Input distance between neighbouring outputs, j.</param>
/// <param name="Start">Input coordinate of the centre of the first output's field.</param>
public readonly record struct ReceptiveField(long Size, long Jump, double Start)
{
    /// <summary>The field of the raw input: each position sees itself (r = 1, j = 1, start = 0).</summary>
    public static ReceptiveField Input { get; } = new(1, 1, 0.0);

    /// <summary>The field after one more sliding-window layer (conv or pooling) on top of this one.</summary>
    /// <exception cref="ShapeException">Kernel, stride or dilation below 1, or negative padding.</exception>
    public ReceptiveField Then(int kernel, int stride = 1, int dilation = 1, int padBefore = 0)
    {
        if (kernel < 1 || stride < 1 || dilation < 1 || padBefore < 0)
            throw new ShapeException(
                $"ReceptiveField: kernel {kernel}, stride {stride}, dilation {dilation} must be ≥ 1 and padding {padBefore} ≥ 0.");
        var reach = (long)(kernel - 1) * dilation;
        return new ReceptiveField(
            Size + reach * Jump,
            Jump * stride,
            Start + (reach / 2.0 - padBefore) * Jump);
    }

    /// <summary>The field through a stack of layers, each given as (kernel, stride, dilation, left padding).</summary>
    public static ReceptiveField Through(IEnumerable<(int Kernel, int Stride, int Dilation, int PadBefore)> layers) =>
        layers.Aggregate(Input, (field, l) => field.Then(l.Kernel, l.Stride, l.Dilation, l.PadBefore));

    /// <summary>For summaries, e.g. <c>size 11, jump 4, start 5</c>.</summary>
    public override string ToString() =>
        $"size {Size}, jump {Jump}, start {Start.ToString("0.##", CultureInfo.InvariantCulture)}";
}
