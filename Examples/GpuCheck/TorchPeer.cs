using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;

namespace Functional.GpuCheck;

/// <summary>The PyTorch side of a workload failed; the report drops the peer's column from there on.</summary>
public sealed class PeerException(string message) : Exception(message);

/// <summary>
/// PyTorch on CUDA as a child process (gpu_check_torch.py, shipped beside the program) that times one workload per
/// request line and answers with its median in milliseconds. Running it as a peer in the same run, workload by
/// workload after ours, means both sides meet the same machine state (clocks, other tenants).
/// </summary>
public sealed class TorchPeer : IDisposable
{
    private readonly Process _process;

    private TorchPeer(Process process, string description) => (_process, Description) = (process, description);

    /// <summary>"PyTorch 2.11.0+cu130 on NVIDIA H100 80GB HBM3 (TF32 off)", as the script reports itself.</summary>
    public string Description { get; }

    /// <summary>
    /// Starts the peer when <c>python3 -c "import torch; assert torch.cuda.is_available()"</c> succeeds; otherwise
    /// returns null and says why in <paramref name="absent"/>.
    /// </summary>
    public static TorchPeer? TryStart(string script, out string absent)
    {
        absent = "";
        try
        {
            using var probe = Process.Start(Info("-c", "import torch; assert torch.cuda.is_available()"))!;
            probe.StandardOutput.ReadToEnd();
            probe.StandardError.ReadToEnd();
            if (!probe.WaitForExit(120_000) || probe.ExitCode != 0)
            {
                absent = "python3 cannot import torch with CUDA here";
                return null;
            }
        }
        catch (Win32Exception)
        {
            absent = "no python3 on the PATH";
            return null;
        }
        if (!File.Exists(script))
        {
            absent = $"the PyTorch script {script} is missing";
            return null;
        }
        var process = Process.Start(Info("-u", script, "serve"))!;
        _ = process.StandardError.ReadToEndAsync();   // drained so a chatty library cannot block the pipe
        var ready = process.StandardOutput.ReadLine() ?? "";
        if (!ready.StartsWith("ready ", StringComparison.Ordinal))
        {
            process.Kill();
            absent = $"the PyTorch script did not start ({(ready.Length == 0 ? "no answer" : ready)})";
            return null;
        }
        return new TorchPeer(process, ready["ready ".Length..]);
    }

    /// <summary>Sends one request (see gpu_check_torch.py) and returns the median milliseconds it answers.</summary>
    /// <exception cref="PeerException">The script answered with an error or stopped.</exception>
    public double Time(string request)
    {
        _process.StandardInput.WriteLine(request);
        _process.StandardInput.Flush();
        var answer = _process.StandardOutput.ReadLine();
        if (answer is null) throw new PeerException($"PyTorch stopped while timing '{request}'.");
        if (!double.TryParse(answer, NumberStyles.Float, CultureInfo.InvariantCulture, out var ms))
            throw new PeerException($"PyTorch could not time '{request}': {answer}");
        return ms;
    }

    /// <summary>Asks the script to quit and waits for it.</summary>
    public void Dispose()
    {
        try
        {
            _process.StandardInput.WriteLine("quit");
            _process.StandardInput.Close();
            if (!_process.WaitForExit(10_000)) _process.Kill();
        }
        catch (IOException)
        {
            // The script has already gone; nothing is left to stop.
        }
        _process.Dispose();
    }

    private static ProcessStartInfo Info(params string[] args)
    {
        var info = new ProcessStartInfo("python3") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) info.ArgumentList.Add(a);
        return info;
    }
}
