using System.Text;

namespace Functional.Distributed.Mpi;

/// <summary>
/// <c>MPI_COMM_WORLD</c> of Open MPI, through a small binding to <c>libmpi</c>: initialisation, rank and size,
/// broadcast, in-place sum allreduce over floats and doubles, barrier and abort. The communicator returns errors
/// instead of aborting (<c>MPI_ERRORS_RETURN</c>), and every failed call throws an <see cref="MpiException"/>
/// naming it. MPI can be initialised once per process: <see cref="Initialize"/> returns the same instance until
/// <see cref="Dispose"/> finalises it. Calls may come from any thread, one at a time (<c>MPI_THREAD_SERIALIZED</c>).
/// </summary>
public sealed unsafe class MpiWorld : ICommunicator, IDisposable
{
    private const int ThreadSerialized = 2;
    // Open MPI takes counts as int; larger buffers go in pieces.
    private const int MaxCount = 1 << 30;
    private static readonly object Gate = new();
    private static MpiWorld? current;
    private readonly OpenMpiLibrary mpi;
    private bool finalized;

    private MpiWorld(OpenMpiLibrary mpi)
    {
        this.mpi = mpi;
        int rank, size;
        Check(mpi.CommRank(mpi.CommWorld, &rank), "MPI_Comm_rank");
        Check(mpi.CommSize(mpi.CommWorld, &size), "MPI_Comm_size");
        Rank = rank;
        Size = size;
    }

    /// <inheritdoc />
    public int Rank { get; }

    /// <inheritdoc />
    public int Size { get; }

    /// <summary>
    /// Initialises MPI (once per process) and returns the world communicator. Outside <c>mpirun</c> Open MPI would
    /// start a one-rank "singleton" world; that is refused, since a process meant to be one of N would then train
    /// alone without anyone noticing.
    /// </summary>
    /// <exception cref="MpiException">Not started by mpirun, libmpi is missing, MPI was finalised already, or
    /// <c>MPI_Init_thread</c> failed.</exception>
    public static MpiWorld Initialize()
    {
        lock (Gate)
        {
            if (current is { finalized: false }) return current;
            if (current is not null)
                throw new MpiException("MPI_Init_thread: MPI was finalised in this process and cannot be initialised again.");
            if (!MpiLaunch.IsUnderMpirun)
                throw new MpiException("MPI: this process was not started by mpirun (OMPI_COMM_WORLD_SIZE is not set); run it as 'mpirun -np N …'.");
            var mpi = OpenMpiLibrary.Load();
            int provided;
            var code = mpi.InitThread(null, 0, ThreadSerialized, &provided);
            if (code != 0) throw new MpiException($"MPI_Init_thread failed (MPI error {code}); Open MPI's own message is above.");
            if (provided < ThreadSerialized)
                throw new MpiException($"MPI_Init_thread: Open MPI provides thread level {provided}, below MPI_THREAD_SERIALIZED ({ThreadSerialized}) which .NET needs, since a call may come from any thread.");
            var world = new MpiWorld(mpi);
            world.Check(mpi.CommSetErrhandler(mpi.CommWorld, mpi.ErrorsReturn), "MPI_Comm_set_errhandler");
            return current = world;
        }
    }

    /// <inheritdoc />
    /// <exception cref="MpiException">MPI_Allreduce failed.</exception>
    public void AllreduceSum(Span<float> values)
    {
        EnsureOpen("MPI_Allreduce");
        for (var start = 0; start < values.Length; start += MaxCount)
        {
            var piece = values.Slice(start, Math.Min(MaxCount, values.Length - start));
            fixed (float* p = piece)
                Check(mpi.Allreduce(InPlace, p, piece.Length, mpi.Float, mpi.Sum, mpi.CommWorld), "MPI_Allreduce");
        }
    }

    /// <inheritdoc />
    /// <exception cref="MpiException">MPI_Allreduce failed.</exception>
    public void AllreduceSum(Span<double> values)
    {
        EnsureOpen("MPI_Allreduce");
        for (var start = 0; start < values.Length; start += MaxCount)
        {
            var piece = values.Slice(start, Math.Min(MaxCount, values.Length - start));
            fixed (double* p = piece)
                Check(mpi.Allreduce(InPlace, p, piece.Length, mpi.Double, mpi.Sum, mpi.CommWorld), "MPI_Allreduce");
        }
    }

    /// <inheritdoc />
    /// <exception cref="MpiException">MPI_Bcast failed (for instance, the root is not a rank).</exception>
    public void Broadcast(Span<float> values, int root)
    {
        EnsureOpen("MPI_Bcast");
        for (var start = 0; start < values.Length; start += MaxCount)
        {
            var piece = values.Slice(start, Math.Min(MaxCount, values.Length - start));
            fixed (float* p = piece)
                Check(mpi.Bcast(p, piece.Length, mpi.Float, root, mpi.CommWorld), "MPI_Bcast");
        }
    }

    /// <inheritdoc />
    /// <exception cref="MpiException">MPI_Bcast failed (for instance, the root is not a rank).</exception>
    public void Broadcast(Span<byte> values, int root)
    {
        EnsureOpen("MPI_Bcast");
        for (var start = 0; start < values.Length; start += MaxCount)
        {
            var piece = values.Slice(start, Math.Min(MaxCount, values.Length - start));
            fixed (byte* p = piece)
                Check(mpi.Bcast(p, piece.Length, mpi.Byte, root, mpi.CommWorld), "MPI_Bcast");
        }
    }

    /// <inheritdoc />
    /// <exception cref="MpiException">MPI_Barrier failed.</exception>
    public void Barrier()
    {
        EnsureOpen("MPI_Barrier");
        Check(mpi.Barrier(mpi.CommWorld), "MPI_Barrier");
    }

    /// <summary>Ends every rank of the job with <paramref name="exitCode"/> (MPI_Abort): for a failure on one rank
    /// that the others cannot learn of, since they would otherwise wait in their next collective forever.</summary>
    public void Abort(int exitCode)
    {
        if (!finalized) mpi.Abort(mpi.CommWorld, exitCode);
    }

    /// <summary>Finalises MPI (MPI_Finalize); every rank must call it. Further calls throw.</summary>
    /// <exception cref="MpiException">MPI_Finalize failed.</exception>
    public void Dispose()
    {
        lock (Gate)
        {
            if (finalized) return;
            finalized = true;
            Check(mpi.Finalize(), "MPI_Finalize");
        }
    }

    /// <summary>"rank 1 of 2".</summary>
    public override string ToString() => $"rank {Rank} of {Size}";

    // MPI_IN_PLACE is ((void*)1) in Open MPI's mpi.h.
    private static void* InPlace => (void*)1;

    private void EnsureOpen(string call)
    {
        if (finalized) throw new MpiException($"{call}: MPI has been finalised in this process.");
    }

    private void Check(int code, string call)
    {
        if (code == 0) return;
        var text = new byte[256];   // MPI_MAX_ERROR_STRING
        int length;
        fixed (byte* p = text)
            if (mpi.ErrorString(code, p, &length) != 0) length = 0;
        throw new MpiException(call, code, length > 0 ? Encoding.ASCII.GetString(text, 0, length) : "unknown error");
    }
}
