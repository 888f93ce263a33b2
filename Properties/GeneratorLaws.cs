using FsCheck;
using FsCheck.Fluent;
using Functional.Backends;
using Functional.Properties.Support;
using Xunit;
using Xunit.Abstractions;

namespace Functional.Properties;

/// <summary>
/// The generators deliver what the laws rely on: only cases the library accepts, and the hard corners (stride,
/// dilation and groups above 1) in a good share of them. The shares are printed with the test's output.
/// </summary>
public class GeneratorLaws(ITestOutputHelper output)
{
    private const string Law = "Generators";
    private const int Samples = 2000;

    private static T[] Draw<T>(Gen<T> gen, ulong salt) => gen.Sample(Samples, new Rnd(SuiteSeedAttribute.Seed ^ salt, 1), 10);

    [Fact]
    [Trait("Law", Law)]
    public void Conv_cases_are_accepted_by_the_library_and_cover_stride_dilation_and_groups_above_1()
    {
        var cases = Draw(ConvGen.Any, 1);
        foreach (var c in cases) Assert.Equal(c.ExpectedOutput, c.Spec.Plan(c.InputShape).OutputShape);
        var shares = new (string Name, double Share)[]
        {
            ("stride > 1", Share(cases, c => c.Stride.Any(s => s > 1))),
            ("dilation > 1", Share(cases, c => c.Dilation.Any(d => d > 1))),
            ("groups > 1", Share(cases, c => c.Groups > 1)),
            ("all three > 1", Share(cases, c => c.Stride.Any(s => s > 1) && c.Dilation.Any(d => d > 1) && c.Groups > 1)),
            ("rank 1", Share(cases, c => c.Rank == 1)), ("rank 2", Share(cases, c => c.Rank == 2)), ("rank 3", Share(cases, c => c.Rank == 3)),
            ("padding same", Share(cases, c => c.Padding.Kind == PaddingKind.Same)),
            ("padding full", Share(cases, c => c.Padding.Kind == PaddingKind.Full)),
            ("padding mode not zeros", Share(cases, c => c.Mode != PaddingMode.Zeros)),
        };
        foreach (var (name, share) in shares) output.WriteLine($"conv cases with {name}: {share:P0}");
        Assert.All(shares.Take(3), s => Assert.True(s.Share >= 0.25, $"{s.Name} in only {s.Share:P0} of conv cases"));
    }

    [Fact]
    [Trait("Law", Law)]
    public void Pool_and_transposed_cases_are_accepted_by_the_library_and_cover_stride_above_1()
    {
        var pools = Draw(PoolGen.Of(PoolKind.Max), 2);
        foreach (var c in pools) Assert.Equal(c.ExpectedOutput, c.Spec.OutputShape(c.InputShape, "MaxPool"));
        var transposed = Draw(TransposedCase.Arb.Generator, 3);
        foreach (var t in transposed) Assert.Equal(t.ExpectedOutput, t.Spec.Plan(t.InputShape).OutputShape);
        var shares = new (string Name, double Share)[]
        {
            ("pool stride > 1", Share(pools, c => c.Stride.Any(s => s > 1))),
            ("pool dilation > 1", Share(pools, c => c.Dilation.Any(d => d > 1))),
            ("transposed stride > 1", Share(transposed, t => t.Conv.Stride.Any(s => s > 1))),
            ("transposed groups > 1", Share(transposed, t => t.Conv.Groups > 1)),
        };
        foreach (var (name, share) in shares) output.WriteLine($"cases with {name}: {share:P0}");
        Assert.All(shares, s => Assert.True(s.Share >= 0.25, $"{s.Name} in only {s.Share:P0} of cases"));
    }

    private static double Share<T>(T[] cases, Func<T, bool> p) => cases.Count(p) / (double)cases.Length;
}
