using System.CommandLine;
using System.Reflection;
using System.Runtime.InteropServices;

namespace Functional.Cli.Commands;

/// <summary><c>version</c>: the library version, runtime and SIMD support.</summary>
internal static class VersionCommand
{
    public static Command Create()
    {
        var command = new Command("version", "Print the library version, the .NET runtime and the SIMD width available.");
        command.SetAction(_ =>
        {
            var version = typeof(Tensor).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
            Console.WriteLine($"Functional {version}");
            Console.WriteLine($"runtime: {RuntimeInformation.FrameworkDescription} on {RuntimeInformation.OSDescription} ({RuntimeInformation.ProcessArchitecture})");
            Console.WriteLine($"cores: {Environment.ProcessorCount}; Vector512: {System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated}; Vector256: {System.Runtime.Intrinsics.Vector256.IsHardwareAccelerated}");
            return 0;
        });
        return command;
    }
}
