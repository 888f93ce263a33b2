using ExecutionContext = Functional.Backends.ExecutionContext;

namespace Functional.Cli.Training;

/// <summary>The backends <c>--backend</c> can name.</summary>
internal static class Backend
{
    /// <summary>The accepted names.</summary>
    public static IReadOnlyList<string> Names { get; } = ["cpu", "reference"];

    /// <summary>The fast CPU backend, on every core.</summary>
    public const string DefaultName = "cpu";

    /// <summary>The execution context for a name from <see cref="Names"/>: <c>cpu</c> uses one thread per core,
    /// <c>reference</c> is the single-threaded oracle (slow; for checking).</summary>
    public static ExecutionContext Create(string name) => name switch
    {
        "cpu" => ExecutionContext.Cpu(),
        "reference" => ExecutionContext.Reference,
        _ => throw new UsageException($"--backend {name}: unknown; use {string.Join(" or ", Names)}."),
    };
}
