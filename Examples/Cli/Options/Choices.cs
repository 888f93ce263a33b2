using System.CommandLine;

namespace Functional.Cli.Options;

/// <summary>
/// A string flag that takes one of a few words (<c>--optimizer adam|adamw|sgd</c>). The built-in restriction reports
/// a wrong word over several lines without naming the flag; this one says it in one line: the flag, the word, the
/// choices.
/// </summary>
internal static class Choices
{
    /// <summary>Accepts only <paramref name="values"/> (exact, case-sensitive), and offers them for completion.</summary>
    public static Option<string> OneOf(this Option<string> option, params string[] values)
    {
        option.Validators.Add(r =>
        {
            var value = r.Tokens.Count > 0 ? r.Tokens[^1].Value : null;
            if (value is not null && !values.Contains(value, StringComparer.Ordinal))
                r.AddError($"{option.Name} '{value}': unknown; use {Words(values)}.");
        });
        option.CompletionSources.Add(values);
        return option;
    }

    /// <summary><c>a, b or c</c>.</summary>
    public static string Words(IReadOnlyList<string> values) =>
        values.Count == 1 ? values[0] : $"{string.Join(", ", values.Take(values.Count - 1))} or {values[^1]}";
}
