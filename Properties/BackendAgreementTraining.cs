using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Functional.Backends;
using Xunit;
using static Functional.Properties.BackendAgreementIlgpuKit;
using static Functional.Properties.BackendAgreementKit;

namespace Functional.Properties;

/// <summary>
/// The training-step entries (optimizer updates, the norm and non-finite sums, the clipping factor, the correct
/// predictions, importing storage) on the Cpu and ILGPU backends agree with the Reference backend. The updates are element-wise formulas,
/// so they agree bit for bit; the sums are float32-close.
/// </summary>
public class BackendAgreementTraining
{
    private static readonly IBackend[] UnderTest = [Cpu, Ilgpu];

    private static Gen<(int N, long Seed, bool Poison)> Sizes() =>
        from n in Gen.OneOf(Gen.Choose(1, 9), Gen.Choose(10, 300))
        from seed in Gen.Choose(0, 1_000_000)
        from poison in Gen.Elements(false, false, false, true)
        select (n, (long)seed, poison);

    [Property(MaxTest = 120)]
    [Trait("Law", "BackendAgreement")]
    public Property Sgd_updates_agree_with_reference_bit_for_bit() =>
        Prop.ForAll(Sizes().ToArbitrary(), (from momentum in Gen.Elements(0.0, 0.9) from dampening in Gen.Elements(0.0, 0.1)
                from decay in Gen.Elements(0.0, 1e-2) from first in Gen.Elements(false, true) select (momentum, dampening, decay, first)).ToArbitrary(),
            (c, h) =>
            {
                var (momentum, dampening, decay, first) = h;
                var nesterov = momentum > 0 && dampening == 0 && c.Seed % 2 == 0;
                var s = SgdStep.From(0.05, momentum, dampening, decay, nesterov);
                var (p, g, buf) = (Values(c.N, c.Seed), Values(c.N, c.Seed + 1), Values(c.N, c.Seed + 2));
                float[][] Run(IBackend b)
                {
                    var (next, nextBuf) = (b.Allocate(c.N), momentum != 0 ? b.Allocate(c.N) : null);
                    b.SgdUpdate(s, Store(p), Store(g), first ? null : Store(buf), next, nextBuf);
                    return nextBuf is null ? [Read(next)] : [Read(next), Read(nextBuf)];
                }
                var r = Run(Reference);
                return UnderTest.All(b => Run(b) is var o && o.Length == r.Length
                    && o.Select((v, k) => Identical($"sgd {b.Name} {s} first={first} output {k}", r[k], v)).All(ok => ok));
            });

    [Property(MaxTest = 120)]
    [Trait("Law", "BackendAgreement")]
    public Property Adam_and_adamw_updates_agree_with_reference_bit_for_bit() =>
        Prop.ForAll(Sizes().ToArbitrary(), (from t in Gen.Choose(1, 1000) from decay in Gen.Elements(0.0, 1e-2) from decoupled in Gen.Elements(false, true)
                select (t, decay, decoupled)).ToArbitrary(),
            (c, h) =>
            {
                var (t, decay, decoupled) = h;
                var s = AdamStep.At(t, 1e-3, 0.9, 0.999, 1e-8, decay, decoupled);
                var (p, g, m) = (Values(c.N, c.Seed), Values(c.N, c.Seed + 1), Values(c.N, c.Seed + 2));
                var v = Values(c.N, c.Seed + 3).Select(Math.Abs).ToArray();
                float[][] Run(IBackend b)
                {
                    var (next, m2, v2) = (b.Allocate(c.N), b.Allocate(c.N), b.Allocate(c.N));
                    b.AdamUpdate(s, Store(p), Store(g), Store(m), Store(v), next, m2, v2);
                    return [Read(next), Read(m2), Read(v2)];
                }
                var r = Run(Reference);
                return UnderTest.All(b => Run(b).Select((o, k) => Identical($"adam {b.Name} {s} output {k}", r[k], o)).All(ok => ok));
            });

    [Property(MaxTest = 100)]
    [Trait("Law", "BackendAgreement")]
    public Property Squares_flags_and_the_clipping_factor_agree_with_reference() =>
        Prop.ForAll(Gen.ListOf(Sizes()).Select(l => l.Take(5).ToArray()).ToArbitrary(), Gen.Elements(0.01, 1.0, 100.0).ToArbitrary(), (cases, maxNorm) =>
        {
            // Each tensor scaled by up to 10, and now and then poisoned with a NaN or an infinity at a drawn place.
            var tensors = cases.Select(c =>
            {
                var x = Values(c.N, c.Seed).Select(v => v * (1 + c.Seed % 10)).ToArray();
                if (c.Poison) x[(int)(c.Seed % c.N)] = c.Seed % 3 == 0 ? float.NaN : float.NegativeInfinity;
                return x;
            }).ToArray();
            (float[] Stats, float[] Scale) Run(IBackend b)
            {
                var (stats, scale) = (b.Allocate(2 * tensors.Length), b.Allocate(1));
                b.SquaresAndFlags(tensors.Select(Store).ToArray(), stats);
                b.ClipScale(maxNorm, stats, scale);
                return (Read(stats), Read(scale));
            }
            var r = Run(Reference);
            var longest = tensors.Select(t => t.Length).DefaultIfEmpty(1).Max();
            return UnderTest.All(b => Run(b) is var o
                && Close($"squares and flags {b.Name}", r.Stats, o.Stats, longest) && Close($"clip scale {b.Name}", r.Scale, o.Scale, longest));
        });

    [Property(MaxTest = 100)]
    [Trait("Law", "BackendAgreement")]
    public Property Argmax_hits_agree_with_reference_on_ties_and_nans() =>
        Prop.ForAll(Gen.Choose(1, 12).ToArbitrary(), Gen.Choose(1, 12).ToArbitrary(), Gen.Choose(0, 1_000_000).ToArbitrary(), (rows, classes, seed) =>
        {
            // Scores from a few values, so rows tie and hold NaNs; labels drawn over the classes.
            var scores = FewValues(rows * classes, seed);
            var labels = Values(rows, seed + 1).Select(v => (float)Math.Min(classes - 1, (int)((v + 1) / 2 * classes))).ToArray();
            float[] Run(IBackend b)
            {
                var hits = b.Allocate(rows);
                b.ArgMaxHits(rows, classes, Store(scores), Store(labels), hits);
                return Read(hits);
            }
            var r = Run(Reference);
            return UnderTest.All(b => Identical($"argmax hits {b.Name} {rows}×{classes}", r, Run(b)));
        });

    [Property(MaxTest = 100)]
    [Trait("Law", "BackendAgreement")]
    public Property Imported_storage_holds_the_same_values_and_crosses_once() =>
        Prop.ForAll(Sizes().ToArbitrary(), c =>
        {
            var host = Store(Values(c.N, c.Seed));
            var before = Ilgpu.Transfers;
            var device = Ilgpu.Import(host);
            var again = Ilgpu.Import(host);
            var uploads = Ilgpu.Transfers.Uploads - before.Uploads;
            var back = Cpu.Import(device);
            return ReferenceEquals(device, again) && uploads == 1 && Identical("import", Read(host), Read(back))
                && ReferenceEquals(Cpu.Import(host), host) && ReferenceEquals(Ilgpu.Import(device), device);
        });
}
