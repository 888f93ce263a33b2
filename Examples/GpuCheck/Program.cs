using Functional.Backends.Ilgpu;
using Functional.Data;
using ExecutionContext = Functional.Backends.ExecutionContext;

namespace Functional.GpuCheck;

/// <summary>
/// <c>gpu-check</c>: the report a GPU machine without .NET runs from the bundle (<c>./build.sh gpu-bundle</c>):
/// devices, agreement of the ILGPU backend with the Cpu backend, timings, and PyTorch's times for the same work.
/// The report goes to standard output; progress and errors to standard error.
/// </summary>
public static class Program
{
    /// <summary>0 when every agreement check passed, 1 when one failed, 2 for bad usage or a missing device or data.</summary>
    public static int Main(string[] args)
    {
        CheckOptions options;
        try
        {
            var parsed = CheckOptions.Parse(args);
            if (parsed is null)
            {
                Console.Out.Write(CheckOptions.Usage);
                return 0;
            }
            options = parsed;
            if (options.Data is { } dir)
            {
                foreach (var file in new[] { FashionMnist.TrainImages, FashionMnist.TrainLabels })
                    if (!File.Exists(Path.Combine(dir, file)))
                        throw new UsageException($"--data {dir}: {file} is not there (Fashion-MNIST's training IDX files are needed).");
                // Read once now, so a corrupt file stops the run before its long sections rather than at the end.
                Idx.ReadDataset(Path.Combine(dir, FashionMnist.TrainImages), Path.Combine(dir, FashionMnist.TrainLabels), 10);
            }
        }
        catch (Exception e) when (e is UsageException or InvalidDataException or IOException)
        {
            Console.Error.WriteLine($"gpu-check: {e.Message}");
            return 2;
        }

        var kind = options.Accelerator ?? IlgpuDevices.Best();
        ExecutionContext device;
        try
        {
            device = ExecutionContext.Ilgpu(kind);
        }
        catch (InvalidOperationException e)
        {
            Console.Error.WriteLine($"gpu-check: {e.Message}");
            return 2;
        }
        var profile = kind == IlgpuKind.Cpu ? Profile.Simulator : options.Quick ? Profile.Quick : Profile.Full;
        return new Report(Console.Out, Console.Error).Run(options, kind, device, profile);
    }
}
