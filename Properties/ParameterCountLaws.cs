using FsCheck.Xunit;
using Functional.Properties.Support;
using Xunit;

namespace Functional.Properties;

/// <summary>
/// A conv holds C_out·(C_in/groups·∏k) weights plus C_out biases: the count rule, the planned weight and bias
/// shapes and the formula agree on generated convs.
/// </summary>
public class ParameterCountLaws
{
    private const string Law = "ParameterCount";

    // 1,000 cases: shapes only.
    [Property(MaxTest = 1000)]
    [Trait("Law", Law)]
    public void Conv_parameter_count_is_C_out_times_C_in_over_groups_times_the_kernel_plus_the_bias(ConvCase c)
    {
        var formula = (long)c.OutChannels * (c.InChannels / c.Groups) * c.Kernel.Aggregate(1L, (a, k) => a * k) + (c.Bias ? c.OutChannels : 0);
        var plan = c.Spec.Plan(c.InputShape);
        Expect.Equal("ShapeRules.ConvParameterCount", ShapeRules.ConvParameterCount(c.OutChannels, c.InChannels, c.Groups, c.Kernel, c.Bias), formula);
        Expect.Equal("planned weight + bias sizes", (long)plan.WeightShape.Count + (plan.BiasShape?.Count ?? 0), formula);
    }

    // 300 cases: each initialises a small conv layer.
    [Property(MaxTest = 300)]
    [Trait("Law", Law)]
    public void Conv_layer_summary_count_equals_the_formula_and_the_parameter_tree(ConvCase c)
    {
        var formula = (long)c.OutChannels * (c.InChannels / c.Groups) * c.Kernel.Aggregate(1L, (a, k) => a * k) + (c.Bias ? c.OutChannels : 0);
        var layer = Dsl.Layers.Conv(c.OutChannels, Network.PerDim.Of(c.Kernel), Network.PerDim.Of(c.Stride), c.Padding,
            Network.PerDim.Of(c.Dilation), c.Groups, c.Bias, c.Mode);
        var input = c.InputShape.WithoutBatch();
        Expect.Equal("summary rows", layer.Trace(input).Sum(r => r.Parameters), formula);
        Expect.Equal("ParameterCount", layer.ParameterCount(input), formula);
        Expect.Equal("parameter tree of Init", layer.Init(input, (int)(c.Seed % 1000)).Parameters.ElementCount, formula);
    }
}
