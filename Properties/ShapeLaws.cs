using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Functional.Properties.Support;
using Xunit;

namespace Functional.Properties;

public class ShapeLaws
{

    [Property(MaxTest = 500)]
    [Trait("Law", "ShapeFormula")]
    public Property Valid_padding_gives_i_minus_k_plus_one() =>
        Prop.ForAll(Gen.Choose(1, 64).ToArbitrary(), Gen.Choose(1, 64).ToArbitrary(), (i, k) =>
                k > i || ShapeRules.ConvOutputSize(i, k) == i - k + 1);

    [Property(MaxTest = 2000)]
    [Trait("Law", "ShapeFormula")]
    public Property Same_padding_gives_ceil_i_over_s_for_every_kernel_stride_and_dilation()
    {
        var configs = from i in Gen.Choose(1, 300)
                      from k in Gen.Choose(1, 11)
                      from s in Gen.Choose(1, 6)
                      from d in Gen.Choose(1, 4)
                      select (i, k, s, d);
        return Prop.ForAll(configs.ToArbitrary(), c =>
            {
                var (before, after) = ShapeRules.SamePadding(c.i, c.k, c.s, c.d);
                return ShapeRules.ConvOutputSize(c.i, c.k, c.s, before, after, c.d) == ShapeRules.CeilDiv(c.i, c.s)
                       && after - before is 0 or 1;
            });
    }

    [Property(MaxTest = 2000)]
    [Trait("Law", "ShapeFormula")]
    public Property Ceil_mode_adds_at_most_one_window_and_it_starts_inside_input_or_left_padding()
    {
        var configs = from k in Gen.Choose(1, 8)
                      from p in Gen.Choose(0, k / 2)
                      from s in Gen.Choose(1, 5)
                      from d in Gen.Choose(1, 3)
                      from i in Gen.Choose(1, 100)
                      where ShapeRules.PoolOutputSize(i, k, s, p, d, ceilMode: false) >= 1
                      select (i, k, s, p, d);
        return Prop.ForAll(configs.ToArbitrary(), c =>
            {
                var floor = ShapeRules.PoolOutputSize(c.i, c.k, c.s, c.p, c.d, ceilMode: false);
                var ceil = ShapeRules.PoolOutputSize(c.i, c.k, c.s, c.p, c.d, ceilMode: true);
                return ceil >= floor && ceil <= floor + 1 && (ceil - 1) * c.s < c.i + c.p;
            });
    }

    [Property(MaxTest = 2000)]
    [Trait("Law", "ShapeFormula")]
    public Property Transposed_conv_with_the_remainder_as_output_padding_restores_the_conv_input()
    {
        var configs = from k in Gen.Choose(1, 7)
                      from s in Gen.Choose(1, 4)
                      from d in Gen.Choose(1, 3)
                      from p in Gen.Choose(0, 3)
                      from i in Gen.Choose(1, 80)
                      where ShapeRules.ConvOutputSize(i, k, s, p, d) >= 1
                      select (i, k, s, p, d);
        return Prop.ForAll(configs.ToArbitrary(), c =>
            {
                var o = ShapeRules.ConvOutputSize(c.i, c.k, c.s, c.p, c.d);
                var outputPadding = (c.i + 2 * c.p - c.d * (c.k - 1) - 1) % c.s;
                ShapeRules.CheckTransposedDim("ConvTranspose1d", "L", o, c.k, c.s, c.p, c.d, outputPadding);
                return ShapeRules.TransposedOutputSize(o, c.k, c.s, c.p, c.d, outputPadding) == c.i;
            });
    }

    [Property(MaxTest = 3000)]
    [Trait("Law", "ShapeFormula")]
    public Property CheckConvDim_accepts_exactly_the_settings_whose_formula_gives_a_positive_size()
    {
        // Mostly invalid: zero/negative kernels, strides, dilations, paddings and kernels wider than the input.
        var configs = from i in Gen.Choose(0, 12)
                      from k in Gen.Choose(-1, 8)
                      from s in Gen.Choose(-1, 3)
                      from p in Gen.Choose(-2, 3)
                      from d in Gen.Choose(-1, 3)
                      select (i, k, s, p, d);
        return Prop.ForAll(configs.ToArbitrary(), c =>
            {
                var valid = c.k >= 1 && c.s >= 1 && c.d >= 1 && c.p >= 0 && ShapeRules.ConvOutputSize(c.i, c.k, c.s, c.p, c.d) >= 1;
                try
                {
                    ShapeRules.CheckConvDim("Conv1d 'x'", "L", c.i, c.k, c.s, c.p, c.p, c.d);
                    return valid;
                }
                catch (ShapeException e)
                {
                    return !valid && e.Message.StartsWith("Conv1d 'x': ", StringComparison.Ordinal) && e.Message.Contains("along L");
                }
            });
    }

    [Property(MaxTest = 1000)]
    [Trait("Law", "ReceptiveField")]
    public Property Receptive_field_recurrence_matches_the_input_interval_traced_back_from_outputs_0_and_1()
    {
        var layer = from k in Gen.Choose(1, 7)
                    from s in Gen.Choose(1, 3)
                    from d in Gen.Choose(1, 3)
                    from p in Gen.Choose(0, 3)
                    select (k, s, d, p);
        var stacks = from n in Gen.Choose(1, 6) from layers in Gen.ArrayOf(layer, n) select layers;
        return Prop.ForAll(stacks.ToArbitrary(), layers =>
            {
                var f = ReceptiveField.Through(layers);
                var (lo0, hi0) = TraceBack(layers, 0);
                var (lo1, _) = TraceBack(layers, 1);
                return f.Size == hi0 - lo0 + 1 && f.Jump == lo1 - lo0 && f.Start == (lo0 + hi0) / 2.0;
            });
    }

    // The span of input coordinates that output position `o` of the last layer depends on.
    private static (long Lo, long Hi) TraceBack((int k, int s, int d, int p)[] layers, long o)
    {
        long lo = o, hi = o;
        for (var l = layers.Length - 1; l >= 0; l--)
        {
            var (k, s, d, p) = layers[l];
            (lo, hi) = (lo * s - p, hi * s - p + (long)(k - 1) * d);
        }
        return (lo, hi);
    }
}
