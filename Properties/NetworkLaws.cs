using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Functional.Network;
using Functional.Network.Combinators;
using Functional.Properties.Support;
using Functional.Random;
using Xunit;
using static Functional.Dsl.Layers;

namespace Functional.Properties;

/// <summary>
/// The layer-level laws on generated networks: small 2-d chains of convs (any stride, dilation and padding),
/// activations, poolings, batch norm, residual blocks and concatenated branches, ending in a dense head. Each
/// chain is checked with <see cref="LayerLaws"/>, the same kit a user calls for their own layers.
/// </summary>
public class NetworkLaws
{
    // 100 networks: each is initialised and run forward once or twice.
    [Property(MaxTest = 100)]
    [Trait("Law", "ShapeAgreement")]
    public void Every_generated_network_computes_the_shapes_it_declares(NetCase n) => LayerLaws.CheckShapeAgreement(n.Layer, n.Input, seed: n.Seed);

    // 40 networks: central differences cost two forward passes per input and parameter element (a few hundred each).
    [Property(MaxTest = 40)]
    [Trait("Law", "GradientCheck")]
    public Property Pullbacks_of_generated_networks_match_central_differences_in_training_mode() =>
        Prop.ForAll(NetGen.Arb(NetGen.Nets(smooth: true)), n => LayerLaws.CheckGradients(n.Layer, n.Input, seed: n.Seed));

    [Property(MaxTest = 100)]
    [Trait("Law", "Adjoint")]
    public Property Generated_linear_networks_have_the_adjoint_pullback() =>
        Prop.ForAll(NetGen.Arb(NetGen.Linear), n => LayerLaws.CheckAdjoint(n.Layer, n.Input, seed: n.Seed));

    // 100 networks: shapes only.
    [Property(MaxTest = 100)]
    [Trait("Law", "InvalidInput")]
    public Property A_conv_wider_than_its_input_map_fails_naming_its_position_in_the_network() =>
        Prop.ForAll(NetGen.Arb(NetGen.Nets(smooth: false).Where(n => n.Layer.OutputShape(n.Input).Rank == 3), n => n.Layer.OutputShape(n.Input).Rank == 3), n =>
        {
            var map = n.Layer.OutputShape(n.Input);
            var kernel = map[1] + 1 + n.Seed % 3;
            var bad = n.Layer.Then(Conv(1, kernel));
            var index = n.Parts.Length == 0 ? 1 : n.Parts.Length;  // an empty chain is Identity, which Then keeps
            foreach (var (what, attempt) in new (string, Action)[] { ("OutputShape", () => bad.OutputShape(n.Input)), ("Init", () => bad.Init(n.Input, 0)) })
            {
                try { attempt(); }
                catch (ShapeException e)
                {
                    if (!e.Message.Contains($"layer {index}", StringComparison.Ordinal) || !e.Message.Contains("Conv2d", StringComparison.Ordinal) ||
                        !e.Message.Contains(kernel.ToString(), StringComparison.Ordinal))
                        throw new LawViolation($"{what}: the message does not name layer {index}, Conv2d and the kernel {kernel}: {e.Message}");
                    continue;
                }
                throw new LawViolation($"{what} accepted a {kernel}×{kernel} kernel on a {map} map");
            }
        });

    // Layers that keep the shape, to lead a network: a training step skips the parameterless ones entirely, and
    // differentiates a residual whose branches have no parameters only after its sum.
    private static Gen<Layer[]> Prefixes(int channels) => Gen.Elements<Layer[]>([], [ReLU], [Tanh, MaxPool(3, 1, 1)], [AvgPool(3, 1, 1)],
        [Dropout(0.3f), Sigmoid], [Residual(Tanh, after: Conv(channels, 3, padding: Padding.Same))]);

    // 100 networks, each run as a training step and as forward + pullback, alternately on the Reference and Cpu backends.
    [Property(MaxTest = 100)]
    [Trait("Law", "InputGradient")]
    public Property Training_steps_skip_the_data_gradient_without_changing_any_parameter_gradient() =>
        Prop.ForAll((from n in NetGen.Nets(smooth: false) from p in Prefixes(n.Input[0]) select (n, p)).ToArbitrary(), c =>
        {
            var (n, prefix) = c;
            var layer = Chain.Of([.. prefix, n.Layer]);
            var context = n.Seed % 2 == 0 ? Backends.ExecutionContext.Reference : Backends.ExecutionContext.Cpu(2);
            LayerLaws.CheckTrainingStepGradients(layer, n.Input, seed: n.Seed, context: context);
            // The same pass without the input gradient, reusable this time: it leaves the input gradient out, and only it.
            var model = layer.Init(n.Input, n.Seed, context);
            var x = Tensor.Uniform(n.Input.WithBatch(2), Key.FromSeed(n.Seed), -1f, 1f);
            LayerOutput Run(bool inputGradient) => layer.Run(x, model.Parameters, model.State,
                new Pass(context, Training: true, Key.FromSeed(1)) { InputGradient = inputGradient }, Site.Root);
            var (without, with) = (Run(false), Run(true));
            var r = Tensor.Uniform(with.Output.Shape, Key.FromSeed(2), -1f, 1f);
            var (a, b) = (without.Pullback(r), with.Pullback(r));
            Expect.Equal("a pullback asked for no input gradient has one", a.HasInput, false);
            Expect.Equal("a pullback asked for the input gradient has one", b.HasInput, true);
            foreach (var leaf in b.Gradients) Expect.Close($"gradient of {leaf.Path}", a.Gradients[leaf.Path], leaf.Value);
        });

    [Property(MaxTest = 100)]
    [Trait("Law", "Composition")]
    public Property Then_is_associative_in_value_outputs_and_gradients() =>
        Prop.ForAll(NetGen.Arb(NetGen.Nets(smooth: true).Where(n => n.Parts.Length >= 3), n => n.Parts.Length >= 3), n =>
        {
            // Split the blocks at two generated points into a, b, c and compare (a·b)·c with a·(b·c).
            var cut1 = 1 + n.Seed % (n.Parts.Length - 2);
            var cut2 = cut1 + 1 + n.Seed / 7 % (n.Parts.Length - cut1 - 1);
            Layer Fold(IEnumerable<Layer> parts) => parts.Aggregate((x, y) => x.Then(y));
            var (a, b, c) = (Fold(n.Parts[..cut1]), Fold(n.Parts[cut1..cut2]), Fold(n.Parts[cut2..]));
            var (left, right) = (a.Then(b).Then(c), a.Then(b.Then(c)));
            Expect.Equal("(a·b)·c and a·(b·c) as values", left, right);
            var (ml, mr) = (left.Init(n.Input, n.Seed), right.Init(n.Input, n.Seed));
            var x = Tensor.Uniform(n.Input.WithBatch(2), Key.FromSeed(n.Seed), -1f, 1f);
            var (fl, fr) = (ml.Forward(x, Key.FromSeed(1)), mr.Forward(x, Key.FromSeed(1)));
            Expect.Close("output", fr.Output, fl.Output);
            var r = Tensor.Uniform(fl.Output.Shape, Key.FromSeed(2), -1f, 1f);
            var (gl, gr) = (fl.Pullback(r), fr.Pullback(r));
            Expect.Close("input gradient", gr.Input, gl.Input);
            foreach (var leaf in gl.Gradients) Expect.Close($"gradient of {leaf.Path}", gr.Gradients[leaf.Path], leaf.Value);
        });

    [Property(MaxTest = 100)]
    [Trait("Law", "Composition")]
    public Property Then_is_associative_and_identity_is_its_unit_in_outputs_and_gradients() =>
        Prop.ForAll(NetGen.Arb(NetGen.Nets(smooth: true)), n =>
        {
            var reference = n.Layer.Init(n.Input, n.Seed);
            var x = Tensor.Uniform(n.Input.WithBatch(2), Key.FromSeed(n.Seed), -1f, 1f);
            foreach (var (name, variant) in new[] { ("Identity.Then(L)", Identity.Then(n.Layer)), ("L.Then(Identity)", n.Layer.Then(Identity)) })
            {
                // The same parameters leaf by leaf (paths may be renumbered), then the same outputs and gradients.
                var model = variant.Init(n.Input, n.Seed);
                model = model.WithParameters(TensorTree.Of(model.Parameters.Select((leaf, i) => leaf with { Value = reference.Parameters[i].Value })));
                var (a, b) = (reference.Forward(x, Key.FromSeed(1)), model.Forward(x, Key.FromSeed(1)));
                Expect.Close($"{name}: output", b.Output, a.Output);
                var r = Tensor.Uniform(a.Output.Shape, Key.FromSeed(2), -1f, 1f);
                Expect.Close($"{name}: input gradient", b.Pullback(r).Input, a.Pullback(r).Input);
            }
        });
}
