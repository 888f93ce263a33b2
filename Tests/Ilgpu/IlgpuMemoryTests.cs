using Functional.Backends.Ilgpu;
using Functional.Data;
using Functional.Network;
using Functional.Training;
using Xunit;
using Xunit.Abstractions;
using static Functional.Tests.Ilgpu.IlgpuTestKit;
using ExecutionContext = Functional.Backends.ExecutionContext;

namespace Functional.Tests.Ilgpu;

/// <summary>Device memory is counted, released when tensors become unreachable, flat over training, and bounded.</summary>
public class IlgpuMemoryTests(ITestOutputHelper log)
{
    // Trains for 200 steps at batch 2 and returns the live bytes after each step, read after releasing everything
    // unreachable, and the peak the allocator saw without any such help.
    private List<long> LiveBytesOver200Steps(ExecutionContext context, Func<ExecutionContext, Model> net, Shape sample, out long peak)
    {
        var backend = Backend(context);
        var data = DataLoader.Over(Synthetic(sample, 400, 7), 2).Shuffled(Functional.Random.Key.FromSeed(2));
        var live = new List<long>();
        var model = net(context);
        backend.Memory.ResetPeak();
        var seen = 0L;
        Trainer.Fit(model, Optimizer.Adam(1e-3), data, DataLoader.Over(Synthetic(sample, 2, 8), 2), new FitOptions(Epochs: 1, ClipNorm: 5),
            observer: new StepHook(r =>
            {
                // A full collection costs more than a simulated step: read live bytes after steps 1–5, then every tenth.
                seen = Math.Max(seen, backend.Memory.PeakBytes);
                if (r.Step > 5 && r.Step % 10 != 0) return;
                backend.Memory.Collect();
                live.Add(backend.Memory.LiveBytes);
            }));
        peak = seen;
        log.WriteLine($"live bytes after steps 1, 5, 50, 200: {live[0]:N0}, {live[4]:N0}, {live[9]:N0}, {live[^1]:N0}; peak {peak:N0}");
        return live;
    }

    [Fact]
    public void Live_device_bytes_stay_flat_over_200_training_steps_of_a_batch_norm_classifier()
    {
        var live = LiveBytesOver200Steps(Fresh(), c => FeatureNet(c), Features, out var peak);
        Assert.Equal(5 + 20, live.Count);   // steps 1–5, 10, 20, …, 200
        Assert.All(live.Skip(5), b => Assert.Equal(live[5], b));
        Assert.True(peak < 4 * live[5] + (1 << 20), $"peak {peak:N0} against {live[5]:N0} live");
    }

    [Fact]
    public void Live_device_bytes_stay_flat_over_200_training_steps_of_a_small_conv_net()
    {
        var live = LiveBytesOver200Steps(Fresh(), c => SmallConvNet(c), Shape.Image(1, 8, 8), out var peak);
        Assert.All(live.Skip(5), b => Assert.Equal(live[5], b));
        Assert.True(peak < 4 * live[5] + (1 << 20), $"peak {peak:N0} against {live[5]:N0} live");
    }

    [Fact]
    public void Unreachable_tensors_are_released_and_reachable_ones_kept()
    {
        var context = Fresh();
        var memory = Backend(context).Memory;
        memory.Collect();
        var baseline = memory.LiveBytes;
        var kept = Make(context, 1000);
        MakeAndDrop(context);
        memory.Collect();
        Assert.Equal(baseline + 4000, memory.LiveBytes);
        Assert.Equal(1000, kept.Count);
        GC.KeepAlive(kept);
    }

    private static Tensor Make(ExecutionContext c, int n) => new(Shape.Of(n), c.Backend.Allocate(n));

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static void MakeAndDrop(ExecutionContext c)
    {
        for (var i = 0; i < 50; i++) Make(c, 10_000);
    }

    [Fact]
    public void Running_out_of_device_memory_names_the_request_and_the_live_bytes()
    {
        var context = Fresh(budgetBytes: 1 << 20);
        var held = new List<Tensor>();
        var e = Assert.Throws<DeviceMemoryException>(() =>
        {
            for (var i = 0; i < 100; i++) held.Add(Make(context, 50_000));   // 200,000 bytes each: the sixth does not fit
        });
        Assert.Equal(5, held.Count);
        Assert.Equal(200_000, e.RequestedBytes);
        Assert.Equal(1_000_000, e.LiveBytes);
        Assert.Equal(1 << 20, e.BudgetBytes);
        Assert.Contains("200,000 bytes requested", e.Message);
        Assert.Contains("1,000,000 bytes are live", e.Message);
        // Once the tensors are unreachable their memory can be used again.
        held.Clear();
        Assert.Equal(50_000, Make(context, 50_000).Count);
    }
}
