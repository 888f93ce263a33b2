using System.CommandLine;
using Functional.Cli.Options;
using System.Globalization;
using Functional.Cli.Checkpoints;
using Functional.Cli.Evaluation;
using Functional.Cli.Training;

namespace Functional.Cli.Commands;

/// <summary><c>evaluate --checkpoint FILE</c>: reloads a run's checkpoint and measures it on the test set again.</summary>
internal static class EvaluateCommand
{
    public static Command Create()
    {
        var checkpoint = new Option<string>("--checkpoint") { Description = "A run's model.safetensors (runs/<timestamp>/model.safetensors).", Required = true };
        var data = new Option<string?>("--data") { Description = "Folder with the Fashion-MNIST test files (default /usr/share/datasets/fashion-mnist)." };
        var batch = new Option<int>("--batch") { Description = "Images per forward pass (the training run's test evaluation uses 500).", DefaultValueFactory = _ => 500 }.Invariant();
        var backend = new Option<string>("--backend")
        {
            Description = $"Where to run: {string.Join(" or ", Backend.Names)}; use the training run's for identical logits.",
            DefaultValueFactory = _ => Backend.DefaultName,
        };
        var command = new Command("evaluate", "Reload a checkpoint and print its test accuracy, as the training run measured it.")
        {
            checkpoint, data, batch, backend,
        };
        command.SetAction(r => CliErrors.Guard(r, output =>
        {
            if (r.GetValue(batch) < 1) throw new UsageException($"--batch {r.GetValue(batch)}: give at least 1.");
            var context = Backend.Create(r.GetValue(backend)!);
            var run = RunCheckpoint.Load(r.GetValue(checkpoint)!);
            var test = PicturesCommand.LoadTest(r.GetValue(data), r.InvocationConfiguration.Error, allowFixture: false);
            if (test.SampleShape != run.Model.InputShape)
                throw new UsageException($"{PicturesCommand.TestImagesPath(r.GetValue(data))}: holds images of {test.SampleShape} but the checkpoint's model takes {run.Model.InputShape}.");
            if (run.TestSamples is { } n && n != test.Count)
                throw new UsageException($"{r.GetValue(checkpoint)}: the run measured {n} test images but {test.Count} were found; point --data at the folder the run used.");
            EvaluationResult result;
            try { result = Evaluator.Run(run.Model.WithContext(context), test, run.Normalization, r.GetValue(batch)); }
            catch (Functional.Ops.NonFiniteLossException overflow)
            {
                // Finite weights can still be large enough to overflow the logits.
                throw new UsageException($"{r.GetValue(checkpoint)}: the model's outputs overflow on the test set: {overflow.Message}");
            }
            var c = CultureInfo.InvariantCulture;
            output.WriteLine(string.Create(c, $"test accuracy: {result.Accuracy:F4}"));
            output.WriteLine(string.Create(c, $"test loss: {result.Loss:F4} ({result.Correct} of {result.Count} correct)"));
            var epoch = run.Epoch is { } e ? $", epoch {e}" : "";
            output.WriteLine(string.Create(c, $"model: {run.Architecture}{epoch}, {run.Model.Parameters.ElementCount:N0} parameters, inputs normalised by {run.Normalization}"));
            if (run.TestAccuracy is not { } reported) return 0;
            // Both sides are correct/count over the same samples, so equal predictions give the same double exactly.
            var same = reported == result.Accuracy;
            output.WriteLine(string.Create(c, $"the run reported {reported:F4}: {(same ? "reproduced" : "DIFFERENT")}"));
            return same ? 0 : 1;
        }));
        return command;
    }
}
