using FsCheck.Xunit;
using Functional.Properties.Support;
using Xunit;

namespace Functional.Properties;

/// <summary>
/// Every invalid configuration fails before any kernel runs, with a <see cref="ShapeException"/> (never another
/// exception type, never a result) whose message starts with the operation's name and quotes the offending number.
/// </summary>
public class InvalidInputLaws
{
    private const string Law = "InvalidInput";

    // 2,000 cases: planning needs no tensors, and the few forward attempts fail on their shape checks.
    [Property(MaxTest = 2000)]
    [Trait("Law", Law)]
    public void Every_invalid_configuration_throws_a_shape_exception_naming_the_op_and_quoting_the_number(InvalidCase c)
    {
        object result;
        try { result = c.Run(); }
        catch (ShapeException e)
        {
            if (e.GetType() != typeof(ShapeException))
                throw new LawViolation($"threw {e.GetType().Name}, a subtype, instead of ShapeException: {e.Message}");
            if (!e.Message.StartsWith(c.Op, StringComparison.Ordinal))
                throw new LawViolation($"the message does not start with {c.Op}: {e.Message}");
            // Negative numbers appear with a hyphen-minus or, inside formulas, a true minus sign.
            var quoted = c.Offending.ToString();
            if (!e.Message.Contains(quoted, StringComparison.Ordinal) && !e.Message.Contains(quoted.Replace('-', '−'), StringComparison.Ordinal))
                throw new LawViolation($"the message does not quote {quoted}: {e.Message}");
            return;
        }
        catch (Exception e)
        {
            throw new LawViolation($"threw {e.GetType().Name} instead of ShapeException: {e.Message}");
        }
        throw new LawViolation($"returned {result} instead of throwing");
    }
}
