using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Functional.Backends;
using Xunit;
using static Functional.Properties.BackendAgreementKit;

namespace Functional.Properties;

/// <summary>
/// The Cpu backend's unrolled 2×2 stride-2 max pooling against Reference, bit for bit with the argmax: inputs
/// drawn from a few values (ties everywhere, NaNs, infinities), odd sizes whose last row or column no window
/// reads, 3-d inputs pooled only in H and W, and rows of 16–40 columns, where inference (no argmax) takes eight
/// windows per vector.
/// </summary>
public class BackendAgreementMaxPool
{
    private static readonly float[] Palette = [0f, 1f, -1f, 1f, float.NaN, float.NegativeInfinity, float.PositiveInfinity, 0.5f];

    private static Gen<(PoolGeometry G, int[] Picks)> Cases() =>
        from depth in Gen.Elements(1, 1, 2)
        from h in Gen.Choose(2, 13)
        from w in Gen.OneOf(Gen.Choose(2, 13), Gen.Choose(16, 40))
        from planes in Gen.Choose(1, 30)
        let g = new PoolGeometry(depth == 1 ? 2 : 3, PoolKind.Max, planes, new Dims3(depth, h, w), new Dims3(1, 2, 2), new Dims3(1, 2, 2),
            Dims3.All(1), new Dims3(0, 0, 0), new Dims3(depth, h / 2, w / 2), false)
        from picks in Gen.ArrayOf(Gen.Choose(0, Palette.Length - 1), g.InputLength)
        select (g, picks);

    [Property(MaxTest = 200)]
    [Trait("Law", "BackendAgreement")]
    public Property Two_by_two_max_pooling_agrees_with_reference_bit_for_bit_with_ties_and_NaNs() =>
        Prop.ForAll(Cases().ToArbitrary(), c =>
        {
            var g = c.G;
            var x = c.Picks.Select(i => Palette[i]).ToArray();
            var dy = Values(g.OutputLength, g.InputLength);
            var (yr, yc) = (Reference.Allocate(g.OutputLength), Cpu.Allocate(g.OutputLength));
            var (ar, ac) = (Reference.AllocateIndices(g.OutputLength), Cpu.AllocateIndices(g.OutputLength));
            Reference.PoolForward(g, Store(x), yr, ar);
            Cpu.PoolForward(g, Store(x), yc, ac);
            var (dr, dc) = (Reference.Allocate(g.InputLength), Cpu.AllocateUninitialized(g.InputLength));
            Reference.PoolBackward(g, Store(dy), ar, dr);
            Cpu.PoolBackward(g, Store(dy), ac, dc);
            return (Identical($"max pool {g}", Read(yr), Read(yc)) && Identical($"max pool backward {g}", Read(dr), Read(dc))
                && ((HostIndexStorage)ar).Data.SequenceEqual(((HostIndexStorage)ac).Data)).Label($"{g}");
        });

    [Property(MaxTest = 200)]
    [Trait("Law", "BackendAgreement")]
    public Property Max_pooling_for_inference_agrees_with_reference_bit_for_bit_with_ties_and_NaNs() =>
        Prop.ForAll(Cases().ToArbitrary(), c =>
        {
            var g = c.G;
            var x = c.Picks.Select(i => Palette[i]).ToArray();
            var (yr, yc) = (Reference.Allocate(g.OutputLength), Cpu.AllocateUninitialized(g.OutputLength));
            Reference.PoolForward(g, Store(x), yr, Reference.AllocateIndices(g.OutputLength));
            Cpu.MaxPoolInference(g, Store(x), yc);
            return Identical($"max pool inference {g}", Read(yr), Read(yc)).Label($"{g}");
        });
}
