using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Functional.Backends;
using Functional.Ops;
using Functional.Properties.Support;
using Xunit;

namespace Functional.Properties;

/// <summary>
/// The shape formulas, computed here from the design notes, equal both the shape the library predicts and the
/// shape of the tensor each op actually returns, on generated valid cases of every rank.
/// </summary>
public class OutputShapeLaws
{
    private const string Law = "ShapeFormula";

    // 300 cases per op: one forward pass each.
    [Property(MaxTest = 300)]
    [Trait("Law", Law)]
    public void Conv_output_has_the_formula_shape_for_every_padding_kind_and_mode(ConvCase c)
    {
        var (x, w, b) = Tensors.Of(c);
        Expect.Equal("predicted shape", c.Spec.OutputShape(c.InputShape), c.ExpectedOutput);
        Expect.Equal("actual shape", Conv.Forward(Sample.Float, c.Spec, x, w, b).Shape, c.ExpectedOutput);
    }

    [Property(MaxTest = 300)]
    [Trait("Law", Law)]
    public void Transposed_conv_output_has_its_formula_shape_and_restores_the_conv_input(TransposedCase t)
    {
        var x = Sample.IntTensor(t.InputShape, t.Conv.Seed);
        var w = Sample.IntTensor(t.WeightShape, t.Conv.Seed + 1);
        Expect.Equal("predicted shape", t.Spec.OutputShape(t.InputShape), t.ExpectedOutput);
        Expect.Equal("actual shape", ConvTranspose.Forward(Sample.Float, t.Spec, x, w, t.Conv.Bias ? Sample.IntTensor(Shape.Of(t.Conv.InChannels), 1) : null).Shape,
            t.ExpectedOutput);
        Expect.Equal("restored conv input", t.ExpectedOutput, t.Conv.InputShape);
    }

    // 300 cases of each kind, checked side by side.
    [Property(MaxTest = 300)]
    [Trait("Law", Law)]
    public Property Max_and_average_pool_outputs_have_the_formula_shape_in_floor_and_ceil_mode() =>
        Prop.ForAll(PoolGen.Arb(PoolGen.Of(PoolKind.Max)), c =>
        {
            Expect.Equal("predicted shape", MaxPool.OutputShape(c.InputShape, c.Spec), c.ExpectedOutput);
            Expect.Equal("actual shape", MaxPool.Forward(Sample.Float, Sample.IntTensor(c.InputShape, c.Seed), c.Spec).Output.Shape, c.ExpectedOutput);
        }).And(Prop.ForAll(PoolGen.Arb(PoolGen.Of(PoolKind.Average)), c =>
            Expect.Equal("actual shape", AvgPool.Forward(Sample.Float, Sample.IntTensor(c.InputShape, c.Seed), c.Spec).Shape, c.ExpectedOutput)));
}
