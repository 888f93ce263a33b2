namespace Functional.Distributed;

/// <summary>
/// The ranks of a data-parallel run hold different models, which synchronous data parallelism rules out: a rank
/// ran other code, other data, or a backend that is not deterministic. The message gives each digest.
/// </summary>
public sealed class DivergedRanksException(string message) : Exception(message);
