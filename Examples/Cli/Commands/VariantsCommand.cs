using System.CommandLine;
using Functional.Cli.Options;
using Functional.Cli.Research;
using Functional.Dsl.Research;

namespace Functional.Cli.Commands;

/// <summary>
/// <c>variants --study NAME [--epochs N --limit N …]</c>: runs a built-in architecture study, prints the aligned
/// table and writes <c>variants.csv</c> and <c>variants.png</c>; <c>variants --list</c> names the studies.
/// </summary>
internal static class VariantsCommand
{
    public static Command Create()
    {
        var d = VariantsSettings.Default;
        var study = new Option<string?>("--study") { Description = $"The study to run: {string.Join(", ", Studies.All.Select(s => s.Name))}." };
        var list = new Option<bool>("--list") { Description = "List the studies and their variants." };
        var epochs = new Option<int>("--epochs") { Description = "Train every variant this many epochs (0: static figures only).", DefaultValueFactory = _ => d.Epochs }.Invariant();
        var limit = new Option<int?>("--limit") { Description = "Train on the first N training images (default: all 60,000)." }.Invariant();
        var testLimit = new Option<int?>("--test-limit") { Description = "Evaluate on the first N test images (default: all 10,000)." }.Invariant();
        var batch = new Option<int>("--batch-size") { Description = "Training batch size.", DefaultValueFactory = _ => d.BatchSize }.Invariant();
        var data = new Option<string?>("--data") { Description = "Folder holding the four Fashion-MNIST IDX files (default: the Debian package's)." };
        var output = new Option<string>("--out") { Description = "Folder for variants.csv and variants.png (default: runs/variants/<study>).", DefaultValueFactory = _ => d.Out };
        var seed = new Option<int>("--seed") { Description = "Seeds initialisation, shuffling and the probe batch.", DefaultValueFactory = _ => d.Seed }.Invariant();
        var backend = new Option<string>("--backend") { Description = $"Where the arithmetic runs: {string.Join(", ", Training.Backend.Names)}.", DefaultValueFactory = _ => d.Backend };
        backend.OneOf([.. Training.Backend.Names]);
        var command = new Command("variants", "Architecture study: parameters, mult-adds, receptive field, activation memory and, with --epochs, test accuracy per variant.")
        {
            study, list, epochs, limit, testLimit, batch, data, output, seed, backend,
        };
        command.SetAction(r => CliErrors.Guard(r, stdout =>
        {
            if (r.GetValue(list))
            {
                foreach (var s in Studies.All)
                    stdout.WriteLine($"{s.Name,-13} {s.Description}\n{"",-13} {string.Join(", ", s.Variants.Select(v => v.Name))}");
                return 0;
            }
            var name = r.GetValue(study) ?? throw new UsageException($"name a study with --study: {string.Join(", ", Studies.All.Select(s => s.Name))} (or --list).");
            var settings = new VariantsSettings(Studies.Get(name), r.GetValue(epochs), r.GetValue(limit), r.GetValue(testLimit),
                r.GetValue(batch), r.GetValue(data), r.GetValue(output)!, r.GetValue(seed), r.GetValue(backend)!);
            return VariantsRun.Execute(settings, stdout, r.InvocationConfiguration.Error);
        }));
        return command;
    }
}
