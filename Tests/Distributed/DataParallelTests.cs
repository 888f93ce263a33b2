using Functional.Distributed;
using Functional.Network;
using Functional.Random;
using Xunit;
using static Functional.Dsl.Layers;
using ExecutionContext = Functional.Backends.ExecutionContext;

namespace Functional.Tests.Distributed;

/// <summary>
/// The collective parts of data parallelism, on ranks that are threads of this process: starting from rank 0's
/// model, bucketed gradient averaging, synchronised batch norm, and the check that ranks hold the same model.
/// </summary>
public sealed class DataParallelTests
{
    private static readonly Layer Net = Conv(4, 3, padding: 1).Then(BatchNorm).Then(ReLU).Then(MaxPool(2)).Then(Flatten).Then(Dense(10));
    private static readonly Shape Input = Shape.Image(2, 8, 8);

    private static (Tensor Images, int[] Labels) Batch(int n, int seed)
    {
        var key = Key.FromSeed(seed);
        return (Tensor.Normal(Shape.Images(n, 2, 8, 8), key.Split(0)), Enumerable.Range(0, n).Select(i => key.Below(i, 10)).ToArray());
    }

    private static Tensor Rows(Tensor images, int start, int count) =>
        Tensor.FromArray(Shape.Images(count, 2, 8, 8), images.Span.Slice(start * 128, count * 128));

    /// <summary>
    /// The worst, over the tree's tensors, of max |a − b| / (1e-4·max |b| + 1e-6): at most 1 when a agrees with b to
    /// 1e-4 relative. The absolute term is for the conv bias in front of batch norm, whose gradient is zero up to rounding.
    /// </summary>
    private static double Disagreement(TensorTree a, TensorTree b) =>
        b.Select((leaf, i) => a[i].Value.MaxAbsDiff(leaf.Value) / (1e-4 * leaf.Value.Span.ToArray().Max(Math.Abs) + 1e-6)).Max();

    private static TensorTree[] AverageOverTwoRanks(Model model, Tensor images, int[] labels, bool syncBatchNorm, int bucketBytes = 1 << 20) =>
        ThreadGroup.Run(2, comm =>
        {
            var parallel = new DataParallel(comm, syncBatchNorm, bucketBytes);
            var local = parallel.Prepare(model.WithContext(ExecutionContext.Cpu(1)));
            var half = images.Shape[0] / 2;
            var step = local.LossAndGradients(Loss.CrossEntropy, Rows(images, comm.Rank * half, half), labels.AsSpan(comm.Rank * half, half).ToArray(), Key.FromSeed(1));
            return parallel.AverageGradients(step.Gradients, local.Context);
        });

    [Fact]
    public void With_synchronised_batch_norm_two_half_batches_give_the_full_batch_gradient()
    {
        var model = Net.Init(Input, seed: 4);
        var (images, labels) = Batch(16, 7);
        var whole = model.LossAndGradients(Loss.CrossEntropy, images, labels, Key.FromSeed(1)).Gradients;

        var synced = AverageOverTwoRanks(model, images, labels, syncBatchNorm: true);
        Assert.Equal(synced[0].SelectMany(l => l.Value.ToArray()), synced[1].SelectMany(l => l.Value.ToArray()));   // same on both ranks
        Assert.True(Disagreement(synced[0], whole) <= 1, $"synchronised: disagreement {Disagreement(synced[0], whole):G3}");

        // Local statistics (DDP's default) are a different computation: the same check would fail.
        var local = AverageOverTwoRanks(model, images, labels, syncBatchNorm: false);
        Assert.True(Disagreement(local[0], whole) > 100, $"local batch norm: disagreement only {Disagreement(local[0], whole):G3}");
    }

    [Fact]
    public void Small_buckets_average_the_same_as_one_bucket()
    {
        var model = Net.Init(Input, seed: 5);
        var (images, labels) = Batch(8, 3);
        var one = AverageOverTwoRanks(model, images, labels, syncBatchNorm: true);
        var many = AverageOverTwoRanks(model, images, labels, syncBatchNorm: true, bucketBytes: 64);   // one tensor per bucket
        Assert.Equal(one[0].SelectMany(l => l.Value.ToArray()), many[0].SelectMany(l => l.Value.ToArray()));
    }

    [Fact]
    public void Every_rank_starts_from_rank_0s_parameters()
    {
        var models = ThreadGroup.Run(2, comm => new DataParallel(comm).Prepare(Net.Init(Input, seed: 10 + comm.Rank)));
        var rank0 = Net.Init(Input, seed: 10);
        Assert.All(models, m => Assert.Equal(DataParallel.Digest(rank0), DataParallel.Digest(m)));
    }

    [Fact]
    public void Ranks_holding_different_models_are_reported()
    {
        var error = Assert.Throws<AggregateException>(() =>
            ThreadGroup.Run(2, comm => new DataParallel(comm).VerifyIdentical(Net.Init(Input, seed: comm.Rank))));
        Assert.IsType<DivergedRanksException>(error.InnerException);
        Assert.Contains("rank 0", error.InnerException!.Message);

        var digests = ThreadGroup.Run(2, comm => new DataParallel(comm).VerifyIdentical(Net.Init(Input, seed: 2)));
        Assert.Equal(digests[0], digests[1]);
    }
}
