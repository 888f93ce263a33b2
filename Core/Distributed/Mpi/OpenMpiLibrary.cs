using System.Runtime.InteropServices;

namespace Functional.Distributed.Mpi;

/// <summary>
/// The entry points and predefined handles of Open MPI's <c>libmpi</c>, resolved at run time. Open MPI's handles
/// (<c>MPI_COMM_WORLD</c>, <c>MPI_FLOAT</c>, <c>MPI_SUM</c>, …) are not integers as in MPICH but the addresses of
/// exported globals (<c>ompi_mpi_comm_world</c>, …), so each handle here is the address of its symbol.
/// </summary>
internal sealed unsafe class OpenMpiLibrary
{
    /// <summary>The sonames tried in order: Debian's <c>libopenmpi3</c> ships the first; the second is the -dev link.</summary>
    private static readonly string[] Names = ["libmpi.so.40", "libmpi.so"];

    private const int RtldNow = 0x002, RtldGlobal = 0x100;

    // Open MPI opens its components (transports, collectives) with dlopen, and they look up libmpi's symbols in the
    // global namespace; NativeLibrary.Load opens with RTLD_LOCAL, after which MPI_Init fails to load them.
    [DllImport("libc", EntryPoint = "dlopen")]
    private static extern nint DlOpen(string file, int mode);

    private readonly nint handle;

    private OpenMpiLibrary(nint handle, string name)
    {
        this.handle = handle;
        Name = name;
        InitThread = (delegate* unmanaged<int*, nint, int, int*, int>)Export("MPI_Init_thread");
        Initialized = (delegate* unmanaged<int*, int>)Export("MPI_Initialized");
        Finalized = (delegate* unmanaged<int*, int>)Export("MPI_Finalized");
        Finalize = (delegate* unmanaged<int>)Export("MPI_Finalize");
        CommRank = (delegate* unmanaged<nint, int*, int>)Export("MPI_Comm_rank");
        CommSize = (delegate* unmanaged<nint, int*, int>)Export("MPI_Comm_size");
        CommSetErrhandler = (delegate* unmanaged<nint, nint, int>)Export("MPI_Comm_set_errhandler");
        Bcast = (delegate* unmanaged<void*, int, nint, int, nint, int>)Export("MPI_Bcast");
        Allreduce = (delegate* unmanaged<void*, void*, int, nint, nint, nint, int>)Export("MPI_Allreduce");
        Barrier = (delegate* unmanaged<nint, int>)Export("MPI_Barrier");
        Abort = (delegate* unmanaged<nint, int, int>)Export("MPI_Abort");
        ErrorString = (delegate* unmanaged<int, byte*, int*, int>)Export("MPI_Error_string");
        CommWorld = Export("ompi_mpi_comm_world");
        Float = Export("ompi_mpi_float");
        Double = Export("ompi_mpi_double");
        Byte = Export("ompi_mpi_byte");
        Sum = Export("ompi_mpi_op_sum");
        ErrorsReturn = Export("ompi_mpi_errors_return");
    }

    /// <summary>The file that was loaded.</summary>
    public string Name { get; }

    public readonly delegate* unmanaged<int*, nint, int, int*, int> InitThread;
    public readonly delegate* unmanaged<int*, int> Initialized;
    public readonly delegate* unmanaged<int*, int> Finalized;
    public readonly delegate* unmanaged<int> Finalize;
    public readonly delegate* unmanaged<nint, int*, int> CommRank;
    public readonly delegate* unmanaged<nint, int*, int> CommSize;
    public readonly delegate* unmanaged<nint, nint, int> CommSetErrhandler;
    public readonly delegate* unmanaged<void*, int, nint, int, nint, int> Bcast;
    public readonly delegate* unmanaged<void*, void*, int, nint, nint, nint, int> Allreduce;
    public readonly delegate* unmanaged<nint, int> Barrier;
    public readonly delegate* unmanaged<nint, int, int> Abort;
    public readonly delegate* unmanaged<int, byte*, int*, int> ErrorString;

    /// <summary>MPI_COMM_WORLD.</summary>
    public nint CommWorld { get; }
    /// <summary>MPI_FLOAT.</summary>
    public nint Float { get; }
    /// <summary>MPI_DOUBLE.</summary>
    public nint Double { get; }
    /// <summary>MPI_BYTE.</summary>
    public nint Byte { get; }
    /// <summary>MPI_SUM.</summary>
    public nint Sum { get; }
    /// <summary>MPI_ERRORS_RETURN: errors come back as codes (turned into exceptions) instead of aborting the job.</summary>
    public nint ErrorsReturn { get; }

    /// <summary>Loads Open MPI's library, or explains why it cannot.</summary>
    /// <exception cref="MpiException">No libmpi could be loaded, or it lacks an Open MPI symbol (another MPI).</exception>
    public static OpenMpiLibrary Load()
    {
        if (!OperatingSystem.IsLinux())
            throw new MpiException("MPI: distributed training is supported on Linux with Open MPI only.");
        foreach (var name in Names)
        {
            var h = DlOpen(name, RtldNow | RtldGlobal);
            if (h != 0) return new OpenMpiLibrary(h, name);
        }
        throw new MpiException("MPI: Open MPI's libmpi.so.40 was not found; install it with 'apt-get install openmpi-bin'.");
    }

    private nint Export(string symbol) => NativeLibrary.TryGetExport(handle, symbol, out var address) ? address
        : throw new MpiException($"MPI: {Name} has no symbol {symbol}; Functional's binding needs Open MPI 4 or later, not another MPI implementation.");
}
