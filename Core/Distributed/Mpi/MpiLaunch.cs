namespace Functional.Distributed.Mpi;

/// <summary>
/// What Open MPI's launcher tells a process through its environment, readable before MPI is initialised: whether
/// <c>mpirun</c> started it, and its place among the ranks on its own machine (which picks its threads or GPU).
/// </summary>
public static class MpiLaunch
{
    /// <summary>Whether this process was started by <c>mpirun</c> (Open MPI sets <c>OMPI_COMM_WORLD_SIZE</c>).</summary>
    public static bool IsUnderMpirun => Environment.GetEnvironmentVariable("OMPI_COMM_WORLD_SIZE") is not null;

    /// <summary>This rank's index among the ranks on its machine (0 outside mpirun).</summary>
    public static int LocalRank => Read("OMPI_COMM_WORLD_LOCAL_RANK", 0);

    /// <summary>The number of ranks on this machine (1 outside mpirun).</summary>
    public static int LocalSize => Math.Max(1, Read("OMPI_COMM_WORLD_LOCAL_SIZE", 1));

    /// <summary>
    /// The CPU threads each rank should use so that the ranks on one machine share its cores without
    /// oversubscribing them: the cores this process may run on, divided by the local ranks, at least one.
    /// </summary>
    public static int ThreadsPerRank => Math.Max(1, Environment.ProcessorCount / LocalSize);

    private static int Read(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), out var v) ? v : fallback;
}
