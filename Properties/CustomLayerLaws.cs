using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Functional.Network;
using Xunit;
using static Functional.Dsl.Layers;

namespace Functional.Properties;

/// <summary>
/// How a user checks a layer of their own with <c>[Property]</c> and the Functional.Laws kit, in C#: the twin of
/// the F# example in Examples/FSharpLaws, on the same block. A user's project registers its own case type the same
/// way; here the suite's seed (see <c>SuiteSeedAttribute</c>) applies too.
/// </summary>
public class CustomLayerLaws
{
    /// <summary>A user's block: circular `Same` conv, Tanh, and a residual circular conv; stride 1 throughout.</summary>
    public static Layer SmoothBlock(int filters, int kernel) =>
        Conv(filters, kernel, padding: Padding.Same, paddingMode: PaddingMode.Circular).Then(Tanh)
            .Then(Residual(Conv(filters, kernel, padding: Padding.Same, paddingMode: PaddingMode.Circular)));

    /// <summary>One configuration of the block, an input it fits and a cyclic shift.</summary>
    public sealed record BlockCase(int Channels, int Height, int Width, int Filters, int Kernel, int ShiftH, int ShiftW, int Seed)
    {
        /// <summary>C×H×W.</summary>
        public Shape Input => Shape.Image(Channels, Height, Width);

        /// <summary>E.g. <c>SmoothBlock(2, 3×3) on 1×4×5, shift (1, −2), seed 7</c>.</summary>
        public override string ToString() => $"SmoothBlock({Filters}, {Kernel}×{Kernel}) on {Input}, shift ({ShiftH}, {ShiftW}), seed {Seed}";
    }

    /// <summary>The Arbitrary the property registers: small maps, kernels no wider than the map.</summary>
    public static class BlockCases
    {
        /// <summary>Cases as in the F# example.</summary>
        public static Arbitrary<BlockCase> Case() =>
            (from channels in Gen.Choose(1, 3) from height in Gen.Choose(3, 6) from width in Gen.Choose(3, 6)
             from filters in Gen.Choose(1, 3) from kernel in Gen.Elements(1, 3)
             from shiftH in Gen.Choose(-height, height) from shiftW in Gen.Choose(-width, width) from seed in Gen.Choose(0, 10_000)
             select new BlockCase(channels, height, width, filters, kernel, shiftH, shiftW, seed)).ToArbitrary();
    }

    [Property(Arbitrary = new[] { typeof(BlockCases) }, MaxTest = 40)]
    public void A_users_block_commutes_with_cyclic_shifts_of_its_input(BlockCase c) =>
        LayerLaws.CheckTranslationEquivariance(SmoothBlock(c.Filters, c.Kernel), c.Input, [c.ShiftH, c.ShiftW], seed: c.Seed);
}
