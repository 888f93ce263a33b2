namespace Functional.Distributed.Mpi;

/// <summary>
/// An MPI call failed, or MPI could not be reached at all. The message names the call (<c>MPI_Allreduce</c>, …),
/// Open MPI's own text for the error code, and the code itself.
/// </summary>
public sealed class MpiException : Exception
{
    /// <summary>An error with a message of its own (no MPI error code: the library is missing, or not initialised).</summary>
    public MpiException(string message) : base(message) { }

    /// <summary>The failure of <paramref name="call"/> with MPI error <paramref name="code"/>, described by <paramref name="text"/>.</summary>
    public MpiException(string call, int code, string text) : base($"{call} failed: {text} (MPI error {code})")
    {
        Call = call;
        Code = code;
    }

    /// <summary>The MPI function that failed, or null when no call did.</summary>
    public string? Call { get; }

    /// <summary>The error code it returned (0 when no call did).</summary>
    public int Code { get; }
}
