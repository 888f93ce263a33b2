using System.Runtime.InteropServices;
using Functional.Distributed;
using Functional.Distributed.Mpi;
using ExecutionContext = Functional.Backends.ExecutionContext;

namespace Functional.Cli.Training;

/// <summary>
/// <c>train --distributed</c>: this process as one rank of an mpirun job. It joins MPI_COMM_WORLD, picks its share
/// of the machine (CPU threads, or the GPU of its local rank), and says which rank it is on every log line.
/// </summary>
internal sealed class DistributedRun : IDisposable
{
    private readonly PosixSignalRegistration terminated;

    private DistributedRun(MpiWorld world)
    {
        World = world;
        // mpirun ends the surviving ranks with SIGTERM when one fails; say so on this rank's own line before the
        // runtime's default handling ends the process (exit 143).
        terminated = PosixSignalRegistration.Create(PosixSignal.SIGTERM, _ =>
            Console.Error.WriteLine($"{Label}: stopped by SIGTERM: mpirun ends the job when a rank fails or is interrupted; the run folder keeps the last completed epoch."));
    }

    /// <summary>The ranks of the job.</summary>
    public MpiWorld World { get; }

    /// <summary>This process's rank; only rank 0 writes the run folder, shows progress and prints results.</summary>
    public int Rank => World.Rank;

    /// <summary>Whether this rank writes the run folder and prints the results.</summary>
    public bool IsRoot => World.Rank == 0;

    /// <summary>"rank 1/2", at the start of each log line.</summary>
    public string Label => $"rank {World.Rank}/{World.Size}";

    /// <summary>Joins the mpirun job this process belongs to.</summary>
    /// <exception cref="UsageException">The process was not started by mpirun.</exception>
    /// <exception cref="MpiException">MPI could not be initialised.</exception>
    public static DistributedRun Join()
    {
        if (!MpiLaunch.IsUnderMpirun)
            throw new UsageException("--distributed: this process was not started by mpirun; run './build.sh train --ranks N …' or 'mpirun -np N dotnet functional.dll train --distributed …'.");
        return new DistributedRun(MpiWorld.Initialize());
    }

    /// <summary>
    /// The backend for <paramref name="name"/> on this rank: <c>cpu</c> gets the machine's cores divided by the ranks
    /// on it; a CUDA backend sees only the GPU of its local rank (CUDA_VISIBLE_DEVICES, unless already set), so that
    /// ranks on one machine never share a device.
    /// </summary>
    public static ExecutionContext Context(string name)
    {
        if (name == "cpu") return ExecutionContext.Cpu(MpiLaunch.ThreadsPerRank);
        if (name.StartsWith("ilgpu", StringComparison.Ordinal) && Environment.GetEnvironmentVariable("CUDA_VISIBLE_DEVICES") is null)
            Environment.SetEnvironmentVariable("CUDA_VISIBLE_DEVICES", MpiLaunch.LocalRank.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return Backend.Create(name);
    }

    /// <summary>The data-parallel strategy over the job's ranks.</summary>
    public DataParallel Parallel(bool syncBatchNorm) => new(World, syncBatchNorm);

    /// <summary>Finalises MPI; every rank calls it once its run has finished.</summary>
    public void Dispose()
    {
        terminated.Dispose();
        World.Dispose();
    }
}
