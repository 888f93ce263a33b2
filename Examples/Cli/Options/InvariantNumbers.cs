using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace Functional.Cli.Options;

/// <summary>
/// Number parsing for every numeric flag: invariant culture, a decimal point, no group separators. The default
/// parser accepts thousands separators, so <c>--lr 0,003</c> would silently mean 3; here it is a one-line error
/// that names the flag. The same text therefore means the same number on every machine.
/// </summary>
internal static class InvariantNumbers
{
    private const NumberStyles IntegerStyle = NumberStyles.AllowLeadingSign;
    private const NumberStyles RealStyle = NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent;

    /// <summary>Makes <paramref name="option"/> parse its value with <see cref="Int"/>.</summary>
    public static Option<int> Invariant(this Option<int> option)
    {
        option.CustomParser = r => Int(r, option.Name) ?? 0;
        return option;
    }

    /// <summary>Makes <paramref name="option"/> parse its value with <see cref="Int"/>.</summary>
    public static Option<int?> Invariant(this Option<int?> option)
    {
        option.CustomParser = r => Int(r, option.Name);
        return option;
    }

    /// <summary>Makes <paramref name="option"/> parse its value with <see cref="Real"/>.</summary>
    public static Option<double?> Invariant(this Option<double?> option)
    {
        option.CustomParser = r => Real(r, option.Name);
        return option;
    }

    /// <summary>The token as an <see cref="int"/> (optional sign, digits only), or null with an error on <paramref name="result"/>.</summary>
    public static int? Int(ArgumentResult result, string flag)
    {
        var text = Token(result);
        if (int.TryParse(text, IntegerStyle, CultureInfo.InvariantCulture, out var value)) return value;
        result.AddError(long.TryParse(text, IntegerStyle, CultureInfo.InvariantCulture, out _) || IsDigits(text)
            ? $"{flag} {text}: out of range; give a whole number from {int.MinValue} to {int.MaxValue}."
            : $"{flag} '{text}': not a whole number; write digits only, without group separators (e.g. 60000).");
        return null;
    }

    /// <summary>The token as a <see cref="double"/> (decimal point, optional exponent), or null with an error on <paramref name="result"/>.</summary>
    public static double? Real(ArgumentResult result, string flag)
    {
        var text = Token(result);
        if (double.TryParse(text, RealStyle, CultureInfo.InvariantCulture, out var value)) return value;
        result.AddError($"{flag} '{text}': not a number; write it with a decimal point and no group separators (e.g. 0.003 or 3e-3).");
        return null;
    }

    private static string Token(ArgumentResult result) => result.Tokens.Count > 0 ? result.Tokens[^1].Value : "";

    private static bool IsDigits(string text) => text.TrimStart('-', '+').Length > 0 && text.TrimStart('-', '+').All(char.IsAsciiDigit);
}
