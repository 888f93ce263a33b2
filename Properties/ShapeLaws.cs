using FsCheck;
using FsCheck.Fluent;
using Xunit;

namespace Functional.Properties;

public class ShapeLaws
{
    [Fact]
    [Trait("Law", "ShapeFormula")]
    public void Valid_padding_gives_i_minus_k_plus_one() =>
        Prop.ForAll(Gen.Choose(1, 64).ToArbitrary(), Gen.Choose(1, 64).ToArbitrary(), (i, k) =>
                k > i || ShapeRules.ConvOutputSize(i, k) == i - k + 1)
            .Check(Config.QuickThrowOnFailure.WithMaxTest(500).WithReplay(1, 1));
}
