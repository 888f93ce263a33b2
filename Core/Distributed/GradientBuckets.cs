using System.Diagnostics;
using Functional.Backends;
using ExecutionContext = Functional.Backends.ExecutionContext;
using Functional.Network;

namespace Functional.Distributed;

/// <summary>
/// Averages a gradient tree over the ranks the way PyTorch's DDP does: the leaves are flattened into buckets of
/// about <see cref="BucketFloats"/> floats, in the order the backward produces them (last layer first), and each
/// bucket is summed by one allreduce and scaled by 1/size. Few large messages cost far less latency than one per
/// tensor; buckets keep whole tensors, and a tensor larger than a bucket travels alone. The bucket buffers are
/// made once, for the first tree's structure, and reused every step.
/// </summary>
/// <remarks>DDP overlaps each bucket's allreduce with the rest of the backward. Here the pullback returns the whole
/// gradient tree as one value, so the buckets are reduced after it, one after another.</remarks>
internal sealed class GradientBuckets
{
    private readonly record struct Slot(int Leaf, int Offset, int Length);

    private readonly List<(Slot[] Slots, float[] Buffer)> buckets = [];
    private readonly string[] paths;

    /// <summary>Plans the buckets for trees shaped like <paramref name="template"/>.</summary>
    public GradientBuckets(TensorTree template, int bucketFloats)
    {
        BucketFloats = bucketFloats;
        paths = [.. template.Paths];
        var slots = new List<Slot>();
        var filled = 0;
        for (var leaf = template.Count - 1; leaf >= 0; leaf--)
        {
            var length = template[leaf].Value.Count;
            slots.Add(new Slot(leaf, filled, length));
            filled += length;
            if (filled >= bucketFloats) Close();
        }
        if (slots.Count > 0) Close();

        void Close()
        {
            buckets.Add(([.. slots], new float[filled]));
            slots.Clear();
            filled = 0;
        }
    }

    /// <summary>The bucket size aimed at, in floats.</summary>
    public int BucketFloats { get; }

    /// <summary>How many allreduce calls one average takes.</summary>
    public int BucketCount => buckets.Count;

    /// <summary>Time spent inside allreduce calls, over every average so far.</summary>
    public TimeSpan AllreduceTime { get; private set; }

    /// <summary>The element-wise mean of <paramref name="gradients"/> over the ranks, as new tensors of
    /// <paramref name="context"/>'s backend.</summary>
    /// <exception cref="ArgumentException">The tree is not shaped like the planned one.</exception>
    public TensorTree Average(TensorTree gradients, ICommunicator communicator, ExecutionContext context)
    {
        if (!gradients.Paths.SequenceEqual(paths))
            throw new ArgumentException("GradientBuckets: the gradient tree's paths differ from the model's.", nameof(gradients));
        var results = new Tensor[gradients.Count];
        var scale = 1f / communicator.Size;
        foreach (var (slots, buffer) in buckets)
        {
            foreach (var s in slots)
                gradients[s.Leaf].Value.Span.CopyTo(buffer.AsSpan(s.Offset, s.Length));
            var clock = Stopwatch.StartNew();
            communicator.AllreduceSum(buffer);
            AllreduceTime += clock.Elapsed;
            foreach (var s in slots)
            {
                var mean = new float[s.Length];
                var sum = buffer.AsSpan(s.Offset, s.Length);
                for (var i = 0; i < mean.Length; i++) mean[i] = sum[i] * scale;
                var shape = gradients[s.Leaf].Value.Shape;
                results[s.Leaf] = new Tensor(shape, context.Backend.Import(Tensor.Wrap(shape, mean).Storage));
            }
        }
        return TensorTree.Of(results.Select((t, i) => new TensorLeaf(paths[i], t)));
    }
}
