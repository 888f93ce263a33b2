using FsCheck;
using FsCheck.Fluent;
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
    /// <summary>A generated network and the per-sample input it is built for.</summary>
    /// <param name="Parts">The blocks the chain was built from, in order (for the composition laws).</param>
    public sealed record Net(Layer Layer, Shape Input, int Seed, Layer[] Parts)
    {
        /// <summary>E.g. <c>0: Conv(2, 3×3); 1: Tanh; … on 2×6×5, seed 3</c>.</summary>
        public override string ToString() => $"{LayerLaws.Describe(Layer, Input)} on {Input}, seed {Seed}";
    }

    // One block, given the channels it receives; smooth activations only, so central differences see no kink.
    private static Gen<Func<int, Layer>> Blocks(bool smooth) => Gen.OneOf(
        from f in Gen.Choose(1, 3) from k in Gen.Choose(1, 3) from s in Gen.Elements(1, 1, 2) from d in Gen.Elements(1, 1, 2)
        from same in Gen.Elements(true, false)
        select (Func<int, Layer>)(_ => Conv(f, k, s, same && s == 1 ? Padding.Same : 1, d)),
        Gen.Elements<Func<int, Layer>>(_ => Tanh, _ => Sigmoid, _ => smooth ? Tanh : ReLU),
        Gen.Elements<Func<int, Layer>>(_ => AvgPool(2), _ => MaxPool(2, 1), _ => BatchNorm),
        Gen.Constant<Func<int, Layer>>(c => Residual(Conv(c, 3, padding: Padding.Same).Then(Tanh))),
        Gen.Constant<Func<int, Layer>>(_ => Concat(Conv(2, 1), Conv(1, 3, padding: Padding.Same))));

    /// <summary>Chains whose every block fits its input (blocks that would not are left out while building).</summary>
    public static Gen<Net> Nets(bool smooth) =>
        from c in Gen.Choose(1, 3) from h in Gen.Choose(4, 7) from w in Gen.Choose(4, 7)
        from n in Gen.Choose(1, 4)
        from blocks in Gen.ListOf(Blocks(smooth), n)
        from head in Gen.Elements(true, false)
        from seed in Gen.Choose(0, 10_000)
        select Build(Shape.Image(c, h, w), blocks, head, seed);

    private static Net Build(Shape input, IEnumerable<Func<int, Layer>> blocks, bool head, int seed)
    {
        Layer net = Identity;
        var parts = new List<Layer>();
        foreach (var block in blocks)
        {
            var part = block(net.OutputShape(input)[0]);
            var candidate = net.Then(part);
            try { candidate.OutputShape(input); net = candidate; parts.Add(part); }
            catch (ShapeException) { }  // e.g. a pooling on a map already too small: skip the block
        }
        if (head) parts.AddRange([Flatten, Dense(3)]);
        return new Net(parts.Count == 0 ? Identity : parts.Aggregate((a, b) => a.Then(b)), input, seed, [.. parts]);
    }

    // 100 networks: each is initialised and run forward once or twice.
    [Fact]
    [Trait("Law", "ShapeAgreement")]
    public void Every_generated_network_computes_the_shapes_it_declares() =>
        Seeds.Check("ShapeAgreement", 1501, 100, Nets(smooth: false).ToArbitrary(), n => LayerLaws.CheckShapeAgreement(n.Layer, n.Input, seed: n.Seed));

    // 40 networks: central differences cost two forward passes per input and parameter element (a few hundred each).
    [Fact]
    [Trait("Law", "GradientCheck")]
    public void Pullbacks_of_generated_networks_match_central_differences_in_training_mode() =>
        Seeds.Check("GradientCheck", 1502, 40, Nets(smooth: true).ToArbitrary(), n => LayerLaws.CheckGradients(n.Layer, n.Input, seed: n.Seed));

    [Fact]
    [Trait("Law", "Adjoint")]
    public void Generated_linear_networks_have_the_adjoint_pullback() =>
        Seeds.Check("Adjoint", 1503, 100, LinearNets.ToArbitrary(), n => LayerLaws.CheckAdjoint(n.Layer, n.Input, seed: n.Seed));

    private static Gen<Net> LinearNets =>
        from c in Gen.Choose(1, 3) from h in Gen.Choose(4, 7) from w in Gen.Choose(4, 7)
        from f in Gen.Choose(1, 3) from k in Gen.Choose(1, 3) from s in Gen.Elements(1, 2) from d in Gen.Elements(1, 2)
        from pool in Gen.Elements(true, false)
        from seed in Gen.Choose(0, 10_000)
        let conv = Conv(f, k, s, 1, d)
        select Build(Shape.Image(c, h, w), [_ => conv, _ => pool ? AvgPool(2, 1) : Identity], head: true, seed);

    // 100 networks: shapes only.
    [Fact]
    [Trait("Law", "InvalidInput")]
    public void A_conv_wider_than_its_input_map_fails_naming_its_position_in_the_network() =>
        Seeds.Check("InvalidInput", 1506, 100, Nets(smooth: false).Where(n => n.Layer.OutputShape(n.Input).Rank == 3).ToArbitrary(), n =>
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
    [Fact]
    [Trait("Law", "InputGradient")]
    public void Training_steps_skip_the_data_gradient_without_changing_any_parameter_gradient() =>
        Seeds.Check("InputGradient", 1507, 100, (from n in Nets(smooth: false) from p in Prefixes(n.Input[0]) select (n, p)).ToArbitrary(), c =>
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

    [Fact]
    [Trait("Law", "Composition")]
    public void Then_is_associative_in_value_outputs_and_gradients() =>
        Seeds.Check("Composition", 1505, 100, Nets(smooth: true).Where(n => n.Parts.Length >= 3).ToArbitrary(), n =>
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

    [Fact]
    [Trait("Law", "Composition")]
    public void Then_is_associative_and_identity_is_its_unit_in_outputs_and_gradients() =>
        Seeds.Check("Composition", 1504, 100, Nets(smooth: true).ToArbitrary(), n =>
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
