namespace Functional.Laws;

/// <summary>
/// A law does not hold on a case; the message says how (which quantity, which element, by how much). Every check of
/// the kit throws it, so it works under any test framework; FsCheck shows it beside the shrunk counterexample.
/// </summary>
public sealed class LawViolation(string message) : Exception(message);
