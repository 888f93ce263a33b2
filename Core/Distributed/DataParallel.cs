using System.Security.Cryptography;
using System.Runtime.InteropServices;
using Functional.Backends;
using ExecutionContext = Functional.Backends.ExecutionContext;
using Functional.Network;

namespace Functional.Distributed;

/// <summary>
/// Synchronous data parallelism with the semantics of PyTorch's <c>DistributedDataParallel</c>, for
/// <c>FitOptions.Parallel</c>: every rank starts from rank 0's parameters and state, trains on its own shard of
/// each epoch (<see cref="ShardedLoader"/>), averages its gradients with the other ranks' in buckets of about
/// <see cref="BucketBytes"/> (<see cref="GradientBuckets"/>) and takes the same optimizer step, so the ranks'
/// models stay bit-identical. Buffers such as batch norm's running statistics are taken from rank 0 after every
/// step, as DDP's <c>broadcast_buffers</c> does. Batch norm normalises with each rank's local batch statistics
/// unless <see cref="SyncBatchNorm"/> is set, in which case the statistics and their gradients are summed over
/// all ranks (<see cref="SyncBatchNormBackend"/>) and the run computes what one process would on the global batch.
/// </summary>
/// <param name="communicator">The ranks, e.g. <see cref="Mpi.MpiWorld.Initialize"/>.</param>
/// <param name="syncBatchNorm">Batch statistics over the global batch instead of each rank's.</param>
/// <param name="bucketBytes">Target size of one gradient allreduce, 1 MiB by default.</param>
public sealed class DataParallel(ICommunicator communicator, bool syncBatchNorm = false, int bucketBytes = 1 << 20)
{
    private GradientBuckets? buckets;

    /// <summary>The ranks taking part.</summary>
    public ICommunicator Communicator { get; } = communicator;

    /// <summary>Whether batch norm uses global batch statistics.</summary>
    public bool SyncBatchNorm { get; } = syncBatchNorm;

    /// <summary>Target size of one gradient bucket in bytes.</summary>
    public int BucketBytes { get; } = bucketBytes >= sizeof(float) ? bucketBytes
        : throw new ArgumentOutOfRangeException(nameof(bucketBytes), bucketBytes, "DataParallel: a bucket holds at least one float.");

    /// <summary>Time spent inside the gradient allreduce calls so far.</summary>
    public TimeSpan AllreduceTime => buckets?.AllreduceTime ?? TimeSpan.Zero;

    /// <summary>Gradient allreduce calls per step (0 before the first step).</summary>
    public int BucketCount => buckets?.BucketCount ?? 0;

    /// <summary>
    /// The model every rank starts from: rank 0's parameters and state, on this rank's backend, wrapped in a
    /// <see cref="SyncBatchNormBackend"/> when <see cref="SyncBatchNorm"/> is set.
    /// </summary>
    public Model Prepare(Model model)
    {
        if (SyncBatchNorm && model.Context.Backend is not SyncBatchNormBackend)
            model = model.WithContext(new ExecutionContext(new SyncBatchNormBackend(model.Context.Backend, Communicator)));
        return model.WithParameters(FromRoot(model.Parameters, model.Context)).WithState(FromRoot(model.State, model.Context));
    }

    /// <summary>The mean of every rank's <paramref name="gradients"/>, on <paramref name="context"/>'s backend.</summary>
    public TensorTree AverageGradients(TensorTree gradients, ExecutionContext context)
    {
        if (Communicator.Size == 1) return gradients;
        buckets ??= new GradientBuckets(gradients, BucketBytes / sizeof(float));
        return buckets.Average(gradients, Communicator, context);
    }

    /// <summary>Rank 0's copy of <paramref name="tree"/> on every rank (for state: DDP's broadcast of buffers).</summary>
    public TensorTree FromRoot(TensorTree tree, ExecutionContext context)
    {
        if (Communicator.Size == 1 || tree.Count == 0) return tree;
        var flat = new float[tree.ElementCount];
        var offset = 0;
        foreach (var leaf in tree)
        {
            leaf.Value.Span.CopyTo(flat.AsSpan(offset));
            offset += leaf.Value.Count;
        }
        Communicator.Broadcast(flat, root: 0);
        offset = 0;
        return tree.Map(t =>
        {
            var data = flat.AsSpan(offset, t.Count).ToArray();
            offset += t.Count;
            return new Tensor(t.Shape, context.Backend.Import(Tensor.Wrap(t.Shape, data).Storage));
        });
    }

    /// <summary>Sums per-rank counters (loss sums, hits, samples) over the ranks, in place.</summary>
    public void Sum(Span<double> counters) { if (Communicator.Size > 1) Communicator.AllreduceSum(counters); }

    /// <summary>
    /// Checks that every rank holds the same model, bit for bit, and returns its SHA-256 (hex) over the parameters
    /// and state in path order.
    /// </summary>
    /// <exception cref="DivergedRanksException">Some rank's digest differs from rank 0's.</exception>
    public string VerifyIdentical(Model model)
    {
        var digest = Digest(model);
        var root = (byte[])digest.Clone();
        Communicator.Broadcast(root, root: 0);
        Span<double> differs = [root.AsSpan().SequenceEqual(digest) ? 0 : 1];
        Communicator.AllreduceSum(differs);
        var hex = Convert.ToHexStringLower(digest);
        if (differs[0] > 0)
            throw new DivergedRanksException($"DataParallel: {differs[0]} of {Communicator.Size} ranks hold a model other than rank 0's (rank {Communicator.Rank}: sha256 {hex}, rank 0: {Convert.ToHexStringLower(root)}).");
        return hex;
    }

    /// <summary>SHA-256 of the model's parameters and state, leaf by leaf in path order.</summary>
    public static byte[] Digest(Model model)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var leaf in model.Parameters.Concat(model.State))
        {
            sha.AppendData(System.Text.Encoding.UTF8.GetBytes(leaf.Path));
            sha.AppendData(MemoryMarshal.AsBytes(leaf.Value.Span));
        }
        return sha.GetHashAndReset();
    }
}
