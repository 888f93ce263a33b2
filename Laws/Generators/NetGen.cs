using FsCheck;
using FsCheck.Fluent;
using Functional.Network;
using static Functional.Dsl.Layers;

namespace Functional.Laws.Generators;

/// <summary>A generated network and the per-sample input it is built for.</summary>
/// <param name="Parts">The blocks the chain was built from, in order (for the composition laws).</param>
public sealed record NetCase(Layer Layer, Shape Input, int Seed, Layer[] Parts)
{
    /// <summary>E.g. <c>0: Conv(2, 3×3); 1: Tanh; … on 2×6×5, seed 3</c>.</summary>
    public override string ToString() => $"{LayerLaws.Describe(Layer, Input)} on {Input}, seed {Seed}";
}

/// <summary>
/// Small 2-d networks: chains of convs (any stride, dilation and padding), activations, poolings, batch norm,
/// residual blocks and concatenated branches, optionally ending in a flatten and dense head. Blocks that would not
/// fit the map they receive are left out while building, so every generated network is valid.
/// </summary>
public static class NetGen
{
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
    public static Gen<NetCase> Nets(bool smooth) =>
        from c in Gen.Choose(1, 3) from h in Gen.Choose(4, 7) from w in Gen.Choose(4, 7)
        from n in Gen.Choose(1, 4)
        from blocks in Gen.ListOf(Blocks(smooth), n)
        from head in Gen.Elements(true, false)
        from seed in Gen.Choose(0, 10_000)
        select Build(Shape.Image(c, h, w), blocks, head, seed);

    private static NetCase Build(Shape input, IEnumerable<Func<int, Layer>> blocks, bool head, int seed)
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
        return new NetCase(parts.Count == 0 ? Identity : parts.Aggregate((a, b) => a.Then(b)), input, seed, [.. parts]);
    }

    /// <summary>Affine chains: one conv (any stride, dilation), an average pool or none, and a dense head.</summary>
    public static Gen<NetCase> Linear =>
        from c in Gen.Choose(1, 3) from h in Gen.Choose(4, 7) from w in Gen.Choose(4, 7)
        from f in Gen.Choose(1, 3) from k in Gen.Choose(1, 3) from s in Gen.Elements(1, 2) from d in Gen.Elements(1, 2)
        from pool in Gen.Elements(true, false)
        from seed in Gen.Choose(0, 10_000)
        let conv = Conv(f, k, s, 1, d)
        select Build(Shape.Image(c, h, w), [_ => conv, _ => pool ? AvgPool(2, 1) : Identity], head: true, seed);

    /// <summary>
    /// An arbitrary over <paramref name="gen"/> that shrinks a network by leaving out one block at a time (keeping
    /// only chains that still fit their input and satisfy <paramref name="keep"/>), so a failure ends on the
    /// fewest blocks that still break the law.
    /// </summary>
    public static Arbitrary<NetCase> Arb(Gen<NetCase> gen, Func<NetCase, bool>? keep = null) =>
        FsCheck.Fluent.Arb.From(gen, n => Shrinks(n).Where(s => keep?.Invoke(s) ?? true));

    private static IEnumerable<NetCase> Shrinks(NetCase n)
    {
        for (var i = 0; i < n.Parts.Length; i++)
        {
            Layer[] parts = [.. n.Parts[..i], .. n.Parts[(i + 1)..]];
            var layer = parts.Length == 0 ? Identity : parts.Aggregate((a, b) => a.Then(b));
            NetCase? smaller;
            try { layer.OutputShape(n.Input); smaller = n with { Layer = layer, Parts = parts }; }
            catch (ShapeException) { smaller = null; }  // e.g. the dense head without its flatten
            if (smaller is not null) yield return smaller;
        }
    }
}
