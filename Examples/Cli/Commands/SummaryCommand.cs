using System.CommandLine;
using Functional.Dsl.Zoo;

namespace Functional.Cli.Commands;

/// <summary>
/// <c>summary &lt;model&gt; [--input CxHxW]</c>: the torchinfo-style table of a zoo model (paths, output shapes,
/// parameters, mult-adds, receptive fields, totals, warnings), from shapes alone; <c>summary --list</c> names them.
/// </summary>
internal static class SummaryCommand
{
    public static Command Create()
    {
        var model = new Argument<string?>("model")
        {
            Description = $"A zoo model: {string.Join(", ", Catalog.Entries.Select(e => e.Name))}.",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var input = new Option<string?>("--input") { Description = "Per-sample input shape such as 3x32x32 (default: the model's own)." };
        var list = new Option<bool>("--list") { Description = "List the zoo models with their default inputs." };
        var command = new Command("summary", "Layer-by-layer summary of a zoo model: shapes, parameters, mult-adds, receptive fields.")
        {
            model, input, list,
        };
        command.SetAction(r => CliErrors.Guard(r, output =>
        {
            if (r.GetValue(list))
            {
                foreach (var e in Catalog.Entries) output.WriteLine($"{e.Name,-16} {e.Input,-10} {e.Description}");
                return 0;
            }
            var name = r.GetValue(model) ?? throw new UsageException($"name a model: {string.Join(", ", Catalog.Entries.Select(e => e.Name))} (or --list).");
            var entry = Catalog.Get(name);
            var shape = r.GetValue(input) is { } text ? Shape.Parse(text) : entry.Input;
            var summary = entry.Build().Summary(shape).ToString();
            output.WriteLine($"{entry.Name}: {entry.Description}");
            output.WriteLine(summary);
            return 0;
        }));
        return command;
    }
}
