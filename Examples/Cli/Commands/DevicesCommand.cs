using System.CommandLine;
using Functional.Backends.Ilgpu;

namespace Functional.Cli.Commands;

/// <summary><c>devices</c>: what ILGPU sees on this machine, and which device <c>--backend ilgpu</c> would use.</summary>
internal static class DevicesCommand
{
    public static Command Create()
    {
        var command = new Command("devices", "List the accelerators ILGPU finds (name, memory, warp size, compute capability) and the one --backend ilgpu picks.");
        command.SetAction(r => CliErrors.Guard(r, stdout =>
        {
            var devices = IlgpuDevices.List();
            foreach (var d in devices) stdout.WriteLine(d);
            var best = IlgpuDevices.Best();
            var chosen = devices.First(d => d.Kind == best);
            stdout.WriteLine($"--backend ilgpu uses: ilgpu:{IlgpuDevices.Name(best)} ({chosen.Name})" +
                (best == IlgpuKind.Cpu ? "; this is ILGPU's GPU simulator, for tests: on this machine --backend cpu is the fast one." : ""));
            return 0;
        }));
        return command;
    }
}
