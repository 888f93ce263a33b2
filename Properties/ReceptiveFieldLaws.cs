using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Functional.Ops;
using Functional.Properties.Support;
using Xunit;

namespace Functional.Properties;

/// <summary>
/// The receptive field that <see cref="ReceptiveField"/> computes equals the one measured by backpropagation: send a
/// one-hot upstream gradient from one output pixel back through a chain of convs (all weights 1, so nothing
/// cancels) and average pools, and take the bounding box of the input pixels that receive a nonzero gradient.
/// </summary>
public class ReceptiveFieldLaws
{
    private const string Law = "ReceptiveField";

    /// <summary>One sliding-window layer of a chain: a conv (any stride, dilation, padding) or an average pool.</summary>
    public sealed record Layer(bool Pool, int Kernel, int Stride, int Dilation, int Padding)
    {
        /// <summary>E.g. <c>conv k3 s2 d1 p1</c>.</summary>
        public override string ToString() => $"{(Pool ? "avgpool" : "conv")} k{Kernel} s{Stride} d{Dilation} p{Padding}";
    }

    /// <summary>A chain over a square input of the given rank, with the output pixel to trace.</summary>
    public sealed record Chain(int Rank, Layer[] Layers, int Input, int Pick)
    {
        /// <summary>E.g. <c>2-d on 17: conv k3 s1 d2 p0 → avgpool k2 s2 d1 p1, output pixel 3</c>.</summary>
        public override string ToString() => $"{Rank}-d on {Input}: {string.Join(" → ", Layers.AsEnumerable())}, output pixel {Pick}";
    }

    private static readonly Gen<Layer> Layers =
        from pool in Gen.Frequency((3, Gen.Constant(false)), (1, Gen.Constant(true)))
        from k in Gen.Choose(1, 4)
        from s in Gen.Frequency((2, Gen.Constant(1)), (1, Gen.Constant(2)))
        from d in pool ? Gen.Constant(1) : Gen.Frequency((2, Gen.Constant(1)), (1, Gen.Constant(2)))
        from p in Gen.Choose(0, pool ? k / 2 : 2)
        select new Layer(pool, k, s, d, p);

    private static Gen<Chain> Chains =>
        from rank in Gen.Elements(1, 2)
        from n in Gen.Choose(1, 4)
        from layers in Gen.ArrayOf(Layers, n)
        from pick in Gen.Choose(0, 1000)
        let rf = Field(layers)
        // Room for a few outputs whose whole field lies inside the input, whatever the padding.
        let input = (int)(rf.Size + layers.Sum(l => (long)l.Padding) * rf.Jump + 2 * rf.Jump)
        select new Chain(rank, layers, input, pick);

    // 200 chains: each runs the backward pass of up to four layers on inputs of a few hundred pixels.
    [Property(MaxTest = 200)]
    [Trait("Law", Law)]
    public Property Computed_field_equals_the_bounding_box_of_the_input_gradient_of_one_output_pixel() =>
        Prop.ForAll(Chains.ToArbitrary(), chain =>
        {
            var field = Field(chain.Layers);
            var (dx, o) = Trace(chain, o: null);
            for (var dim = 0; dim < chain.Rank; dim++)
            {
                var (lo, hi) = BoundingBox(dx, chain.Rank, chain.Input, dim);
                Expect.Equal($"field size along dim {dim} ({field})", (long)(hi - lo + 1), field.Size);
                Expect.Equal($"field centre along dim {dim} ({field})", (lo + hi) / 2.0, field.Start + o * field.Jump);
            }
            return true;
        });

    [Property(MaxTest = 200)]
    [Trait("Law", Law)]
    public Property Network_summary_reports_the_same_field_per_dim() =>
        Prop.ForAll(Chains.ToArbitrary(), chain =>
        {
            // The same chain as DSL layers; the last summary row carries the field of the whole network.
            var network = chain.Layers.Select(l => l.Pool
                    ? Dsl.Layers.AvgPool(l.Kernel, l.Stride, l.Padding)
                    : Dsl.Layers.Conv(1, l.Kernel, l.Stride, l.Padding, l.Dilation, bias: false))
                .Aggregate((a, b) => a.Then(b));
            var rows = network.Trace(Shape.Of([1, .. Enumerable.Repeat(chain.Input, chain.Rank)]));
            var field = Field(chain.Layers);
            Expect.Equal("dims with a reported field", rows[^1].Field.Length, chain.Rank);
            foreach (var reported in rows[^1].Field)
                Expect.Equal("summary field", (reported.Size, reported.Jump, reported.Start), (field.Size, field.Jump, field.Start));
            return true;
        });

    [Property(MaxTest = 100)]
    [Trait("Law", Law)]
    public Property L_stacked_k_wide_convs_see_1_plus_L_times_k_minus_1_pixels() =>
        Prop.ForAll((from l in Gen.Choose(1, 5) from k in Gen.Choose(1, 5) select (l, k)).ToArbitrary(), t =>
        {
            var chain = new Chain(1, Enumerable.Repeat(new Layer(false, t.k, 1, 1, 0), t.l).ToArray(), 1 + t.l * (t.k - 1), 0);
            var (dx, _) = Trace(chain, 0);
            var (lo, hi) = BoundingBox(dx, 1, chain.Input, 0);
            Expect.Equal("measured", hi - lo + 1, 1 + t.l * (t.k - 1));
            return Expect.Equal("computed", Field(chain.Layers).Size, 1 + t.l * (t.k - 1L));
        });

    private static ReceptiveField Field(Layer[] layers) => ReceptiveField.Through(layers.Select(l => (l.Kernel, l.Stride, l.Dilation, l.Padding)));

    // Input coordinate of the first pixel in output o's field.
    private static double Low(ReceptiveField f, int o) => f.Start + o * f.Jump - (f.Size - 1) / 2.0;

    /// <summary>
    /// Runs the chain forward for shapes, then backward from a one-hot gradient at output pixel (o, …, o). With o
    /// null, o is the chain's pick among the outputs whose traced field lies wholly inside the input.
    /// </summary>
    private static (float[] Dx, int Output) Trace(Chain c, int? o)
    {
        var shapes = new List<Shape> { Shape.Of([1, 1, .. Enumerable.Repeat(c.Input, c.Rank)]) };
        foreach (var l in c.Layers) shapes.Add(l.Pool ? AvgPool.OutputShape(shapes[^1], PoolOf(c.Rank, l)) : ConvOf(c.Rank, l).OutputShape(shapes[^1]));
        var outputs = shapes[^1][2];
        var field = Field(c.Layers);
        var inside = Enumerable.Range(0, outputs).Where(p => Low(field, p) >= 0 && Low(field, p) + field.Size <= c.Input).ToArray();
        if (o is null && inside.Length == 0) throw new LawViolation($"no output's field {field} lies inside the input {c.Input}");
        var pick = o ?? inside[c.Pick % inside.Length];
        var oneHot = new float[shapes[^1].Count];
        oneHot[Grid.Flat(shapes[^1], [0, 0, .. Enumerable.Repeat(pick, c.Rank)])] = 1;
        var dy = Tensor.FromArray(shapes[^1], oneHot);
        for (var i = c.Layers.Length - 1; i >= 0; i--)
        {
            var l = c.Layers[i];
            dy = l.Pool
                ? AvgPool.Backward(Sample.Float, shapes[i], PoolOf(c.Rank, l), dy)
                : Conv.Backward(Sample.Float, ConvOf(c.Rank, l), Tensor.Zeros(shapes[i]), Tensor.Ones(Shape.Of([1, 1, .. Enumerable.Repeat(l.Kernel, c.Rank)])), null, dy).Input;
        }
        return (dy.ToArray(), pick);
    }

    private static ConvSpec ConvOf(int rank, Layer l) => new(rank, 1, [l.Kernel], [l.Stride], l.Padding, [l.Dilation], bias: false);

    private static PoolSpec PoolOf(int rank, Layer l) => PoolSpec.Square(rank, l.Kernel, l.Stride, l.Padding);

    // First and last index along `dim` of a nonzero entry in a square (Input^rank) gradient.
    private static (int Lo, int Hi) BoundingBox(float[] dx, int rank, int n, int dim)
    {
        int lo = int.MaxValue, hi = -1;
        for (var flat = 0; flat < dx.Length; flat++)
        {
            if (dx[flat] == 0) continue;
            var coord = rank == 1 || dim == 1 ? flat % n : flat / n;
            (lo, hi) = (Math.Min(lo, coord), Math.Max(hi, coord));
        }
        return hi < 0 ? throw new LawViolation("the one-hot gradient reached no input pixel") : (lo, hi);
    }
}
