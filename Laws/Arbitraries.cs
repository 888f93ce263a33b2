using FsCheck;
using FsCheck.Fluent;
using Functional.Backends;
using Functional.Laws.Generators;

namespace Functional.Laws;

/// <summary>
/// FsCheck's default Arbitraries for the kit's case types, to register with
/// <c>[Property(Arbitrary = new[] { typeof(Arbitraries) })]</c> (or once per class or assembly with
/// <c>[Properties(…)]</c>): a property then simply takes a <see cref="ConvCase"/>, <see cref="PoolCase"/>,
/// <see cref="TransposedCase"/>, <see cref="NetCase"/> or <see cref="InvalidCase"/> parameter. Every case is
/// valid by the formulas of the design notes (or, for <see cref="InvalidCase"/>, breaks exactly one rule), prints
/// as its shapes and hyper-parameters, and shrinks one hyper-parameter at a time to a case that is still valid.
/// Restricted families (zero padding only, one pooling kind, smooth networks) are on the generators:
/// <see cref="ConvGen"/>, <see cref="PoolGen"/>, <see cref="NetGen"/>.
/// </summary>
public static class Arbitraries
{
    /// <summary>Any valid conv: rank 1–3, every padding kind and mode, stride, dilation, groups, bias.</summary>
    public static Arbitrary<ConvCase> Conv() => ConvGen.Arb(ConvGen.Any);

    /// <summary>Max and average poolings of rank 1–3, in equal shares.</summary>
    public static Arbitrary<PoolCase> Pool() => PoolGen.Arb(Gen.OneOf(PoolGen.Of(PoolKind.Max), PoolGen.Of(PoolKind.Average)));

    /// <summary>Transposed convs with symmetric zero padding and the output padding that restores the conv's input.</summary>
    public static Arbitrary<TransposedCase> Transposed() => TransposedCase.Arb;

    /// <summary>Small 2-d networks with ReLU among the activations (use <see cref="NetGen.Nets"/> with smooth: true for gradient checks).</summary>
    public static Arbitrary<NetCase> Network() => NetGen.Arb(NetGen.Nets(smooth: false));

    /// <summary>Convs, transposed convs and poolings with exactly one rule broken.</summary>
    public static Arbitrary<InvalidCase> Invalid() => Arb.From(InvalidGen.Any);
}
