using System.Globalization;
using Functional.Backends.Ilgpu;
using ExecutionContext = Functional.Backends.ExecutionContext;

namespace Functional.GpuCheck;

/// <summary>Writes the report's sections in order; the last line is always the conv geomean line.</summary>
public sealed class Report(TextWriter output, TextWriter progress)
{
    private const string GeomeanLine = "gpu conv f+b geomean torch/ours: ";

    /// <summary>Runs every section and returns the exit status: 0 all agreement checks passed, else 1.</summary>
    public int Run(CheckOptions options, IlgpuKind kind, ExecutionContext device, Profile profile)
    {
        var version = typeof(Report).Assembly.GetName().Version?.ToString(3) ?? "?";
        output.WriteLine($"gpu-check (Functional {version}), {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {profile.Name} profile" +
                         (options.AgreementOnly ? ", agreement only" : ""));
        output.WriteLine("devices");
        foreach (var d in IlgpuDevices.List()) output.WriteLine($"  {d}");
        var cpu = ExecutionContext.Cpu();
        output.WriteLine($"  checking {device.Backend.Name} against {cpu}");
        if (kind == IlgpuKind.Cpu)
            output.WriteLine("  the cpu accelerator is ILGPU's GPU simulator: tiny shapes, and its times say nothing about a GPU");

        var failed = Agreement(device, cpu, profile);
        var last = options.AgreementOnly ? "not measured (--agreement-only)"
            : kind == IlgpuKind.Cpu ? Timings(device, profile, options, peerWanted: false) ?? "not measured (the cpu accelerator is a simulator, not a GPU)"
            : Timings(device, profile, options, peerWanted: true) ?? "not measured (no PyTorch with CUDA ran beside it)";
        output.WriteLine(GeomeanLine + last);
        output.Flush();
        return failed == 0 ? 0 : 1;
    }

    private int Agreement(ExecutionContext device, ExecutionContext cpu, Profile profile)
    {
        output.WriteLine($"agreement (ILGPU against the Cpu backend; error = max|ilgpu - cpu| / max|cpu| per tensor, the largest shown; bound {AgreementResult.Bound:0e+0})");
        var checks = new AgreementChecks(device, cpu, profile).All().ToArray();
        var (passed, failed) = (0, 0);
        for (var i = 0; i < checks.Length; i++)
        {
            var (name, run) = checks[i];
            progress.WriteLine($"[agreement {i + 1}/{checks.Length}] {name}");
            AgreementResult result;
            try
            {
                result = run() with { Name = name };
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // A kernel that cannot run on this device fails its check; the other checks still say what works.
                result = new AgreementResult(name, double.PositiveInfinity, $"{e.GetType().Name}: {e.Message.Split('\n')[0]}");
            }
            var error = double.IsPositiveInfinity(result.Error) ? "non-finite" : result.Error.ToString("0.0e+00", CultureInfo.InvariantCulture);
            var worst = result.Passed ? "" : $"  ({result.Worst})";
            output.WriteLine($"  {name,-62} {error,10}  {(result.Passed ? "PASS" : "FAIL")}{worst}");
            output.Flush();
            if (result.Passed) passed++; else failed++;
        }
        output.WriteLine($"  agreement: {passed} passed, {failed} failed");
        return failed;
    }

    /// <summary>The timings section; returns the geomean figure, or null when there is no peer to divide by.</summary>
    private string? Timings(ExecutionContext device, Profile profile, CheckOptions options, bool peerWanted)
    {
        string absent = "not started on the simulator";
        var script = Path.Combine(AppContext.BaseDirectory, "gpu_check_torch.py");
        using var peer = peerWanted ? TorchPeer.TryStart(script, out absent) : null;
        output.WriteLine("timings (median ms of the runs after a warm-up; ratio = torch / ours, above 1: ours faster)");
        output.WriteLine(peer is null ? $"  peer: none ({absent})" : $"  peer: {peer.Description}, each workload right after ours");
        output.WriteLine($"  {"workload",-62} {"ours ms",10} {"torch ms",10} {"ratio",7}");
        var live = peer;
        var ratios = new List<double>();
        var workloads = TimedWorkloads.All(device, profile, options.Data, progress).ToArray();
        for (var i = 0; i < workloads.Length; i++)
        {
            var w = workloads[i]();
            progress.WriteLine($"[timing {i + 1}/{workloads.Length}] {w.Name}");
            var ours = w.MedianMs();
            double? theirs = null;
            if (live is not null)
            {
                try
                {
                    theirs = live.Time(w.PeerRequest);
                }
                catch (PeerException e)
                {
                    output.WriteLine($"  peer dropped: {e.Message}");
                    live = null;
                }
            }
            var ratio = theirs / ours;
            if (w.IsConv && ratio is { } r) ratios.Add(r);
            var extra = w.Flops is { } f ? $"  GFLOP/s: {f / ours / 1e6:F1} ours" + (theirs is { } t ? $", {f / t / 1e6:F1} torch" : "") : "";
            output.WriteLine($"  {w.Name,-62} {ours,10:F3} {Cell(theirs, "F3"),10} {Cell(ratio, "F2"),7}{extra}");
            if (w.PeakMiB is { } peak) live = PeakMemory(peak(), live);
            output.Flush();
        }
        if (profile.EpochImages == 0) output.WriteLine("  Fashion-MNIST epoch: not run on the simulator (a 28x28 LeNet-5 step takes minutes there)");
        var convs = profile.TimedConvs.Count();
        if (ratios.Count < convs || ratios.Count == 0) return live is null && peer is not null ? "not measured (the peer failed)" : null;
        return Math.Exp(ratios.Average(Math.Log)).ToString("F2", CultureInfo.InvariantCulture);
    }

    /// <summary>The device-memory line after the ResNet-18 step: our allocator's peak against PyTorch's
    /// max_memory_allocated over the same step (ratio ours / torch: the target is at most 1.5).</summary>
    private TorchPeer? PeakMemory(double ours, TorchPeer? peer)
    {
        double? theirs = null;
        try
        {
            theirs = peer?.Time("peak");
        }
        catch (PeerException e)
        {
            output.WriteLine($"  peer dropped: {e.Message}");
            peer = null;
        }
        output.WriteLine($"  {"  device memory of that step, peak MiB (ratio ours / torch)",-62} {ours,10:F1} {Cell(theirs, "F1"),10} {Cell(ours / theirs, "F2"),7}");
        return peer;
    }

    private static string Cell(double? value, string format) => value is { } v ? v.ToString(format, CultureInfo.InvariantCulture) : "-";
}
