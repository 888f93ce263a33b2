using System.Diagnostics;
using System.Globalization;
using Functional.Distributed;
using Functional.Distributed.Mpi;
using Functional.Dsl.Zoo;
using Functional.Network;
using Functional.Random;
using Functional.Training;
using ExecutionContext = Functional.Backends.ExecutionContext;

namespace Functional.Benchmarks;

/// <summary>
/// Data-parallel training steps and the allreduce alone, timed under mpirun (docs/distributed.md).
/// <c>distributed lenet|resnet18 LOCAL_BATCH STEPS</c>: each rank trains on its own fixed random batch (forward,
/// backward, bucketed gradient average, SGD step) with <see cref="MpiLaunch.ThreadsPerRank"/> threads; a barrier
/// before each average separates the allreduce from waiting for the slower rank. Rank 0 prints the medians.
/// <c>allreduce MEGABYTES REPEATS</c>: a float allreduce of that size, after a barrier each time.
/// </summary>
public static class DistributedStep
{
    /// <summary>Runs one of the two modes; <paramref name="args"/> follow the mode name.</summary>
    public static int Run(string mode, string[] args)
    {
        using var world = MpiWorld.Initialize();
        return mode == "allreduce" ? Allreduce(world, double.Parse(args[0], CultureInfo.InvariantCulture), int.Parse(args[1], CultureInfo.InvariantCulture))
            : Train(world, args[0], int.Parse(args[1], CultureInfo.InvariantCulture), int.Parse(args[2], CultureInfo.InvariantCulture));
    }

    private static int Train(MpiWorld world, string network, int batch, int steps)
    {
        var context = ExecutionContext.Cpu(MpiLaunch.ThreadsPerRank);
        var (layer, image) = network == "resnet18" ? (ResNet.ResNet18Cifar(), Shape.Image(3, 32, 32)) : (LeNet.Modern(), Shape.Image(1, 28, 28));
        var parallel = new DataParallel(world);
        var model = parallel.Prepare(layer.Init(image, 1, context));
        var sgd = Optimizer.Sgd(0.01);
        var state = sgd.Init(model);
        var key = Key.FromSeed(100 + world.Rank);   // each rank its own data
        var images = Tensor.Uniform(Shape.Images(batch, image[0], image[1], image[2]), key.Split(0));
        var labels = Enumerable.Range(0, batch).Select(i => key.Below(i, 10)).ToArray();
        var (compute, wait, reduce, total) = (new List<double>(), new List<double>(), new List<double>(), new List<double>());
        for (var s = 0; s <= steps; s++)   // step 0 warms up and is not counted
        {
            var clock = Stopwatch.StartNew();
            var step = model.LossAndGradients(Loss.CrossEntropy, images, labels, key.Split(s + 1));
            var computed = clock.Elapsed.TotalMilliseconds;
            world.Barrier();
            var waited = clock.Elapsed.TotalMilliseconds;
            var before = parallel.AllreduceTime;
            var gradients = parallel.AverageGradients(step.Gradients, model.Context);
            var reduced = (parallel.AllreduceTime - before).TotalMilliseconds;
            (var parameters, state) = sgd.Step(model.Parameters, gradients, state);
            model = model.WithParameters(parameters).WithState(parallel.FromRoot(step.State, model.Context));
            if (s == 0) continue;
            compute.Add(computed);
            wait.Add(waited - computed);
            reduce.Add(reduced);
            total.Add(clock.Elapsed.TotalMilliseconds);
        }
        parallel.VerifyIdentical(model);
        if (world.Rank == 0)
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{network} ranks {world.Size} threads {context.Threads} local batch {batch} global {batch * world.Size}: {batch * world.Size / (Median(total) / 1000):F1} images/s; " +
                $"step {Median(total):F1} ms = compute {Median(compute):F1} + wait {Median(wait):F1} + allreduce {Median(reduce):F2} ms ({parallel.BucketCount} buckets, {model.Parameters.ElementCount * 4 / 1e6:F2} MB) + update; medians of {steps}; " +
                $"fastest step {total.Min():F1} ms ({batch * world.Size / (total.Min() / 1000):F1} images/s), fastest allreduce {(reduce.Count > 0 ? reduce.Min() : 0):F2} ms"));
        return 0;
    }

    private static int Allreduce(MpiWorld world, double megabytes, int repeats)
    {
        var values = new float[(int)(megabytes * 1e6 / sizeof(float))];
        var times = new List<double>();
        for (var r = 0; r <= repeats; r++)
        {
            world.Barrier();
            var clock = Stopwatch.StartNew();
            world.AllreduceSum(values);
            if (r > 0) times.Add(clock.Elapsed.TotalMilliseconds);
        }
        var ms = Median(times);
        // Bus bandwidth as nccl-tests define it: each rank sends and receives 2(n − 1)/n of the buffer in a ring allreduce.
        var bus = 2.0 * (world.Size - 1) / world.Size * values.Length * sizeof(float) / (ms / 1000) / 1e9;
        if (world.Rank == 0)
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"allreduce {megabytes} MB over {world.Size} ranks: {ms:F3} ms (median of {repeats}; fastest {times.Min():F3} ms), bus bandwidth {bus:F2} GB/s at the median, {bus * ms / times.Min():F2} at the fastest"));
        return 0;
    }

    private static double Median(List<double> xs) => xs.Order().ElementAt(xs.Count / 2);
}
