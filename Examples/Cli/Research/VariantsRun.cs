using System.Diagnostics;
using Functional.Cli.Training;
using Functional.Data;
using Functional.Research;
using Functional.Training;
using Microsoft.Extensions.Logging;
using ExecutionContext = Functional.Backends.ExecutionContext;

namespace Functional.Cli.Research;

/// <summary>
/// One run of a study: read (and fit to the study's input) the data when training or probes need it, run the
/// sweep on the Cpu backend with progress on stderr, write variants.csv and variants.png atomically, and print
/// the table and the two paths on stdout.
/// </summary>
internal static class VariantsRun
{
    /// <summary>Images in the fixed batch the probes run on (the first ones of the training set).</summary>
    public const int ProbeBatchSize = 64;

    /// <returns>0 on success, 1 when the data cannot be read or training failed.</returns>
    public static int Execute(VariantsSettings settings, TextWriter stdout, TextWriter stderr)
    {
        settings.Validate();
        var study = settings.Study;
        SweepReport report;
        var factory = Logging.Create();
        try
        {
            var logger = factory.CreateLogger("variants");
            var clock = Stopwatch.StartNew();
            var context = Training.Backend.Create(settings.Backend);
            Splits? data = null;
            if (settings.NeedsData)
            {
                var dir = DatasetLocator.ForThisMachine(stderr).Locate(settings.Data);
                try { data = Load(dir, settings); }
                catch (Exception e) when (e is InvalidDataException or FileNotFoundException or IOException)
                {
                    stderr.WriteLine($"error: {e.Message}");
                    return 1;
                }
                logger.LogInformation("Loaded {Train} training and {Test} test images of {Shape} from {Directory}",
                    data.Train.Count, data.Test.Count, study.Input, dir);
            }
            var normalization = data is null ? null : Normalization.Of(data.Train);
            var probeBatch = study.NeedsBatch ? DataLoader.Over(data!.Train, ProbeBatchSize).Normalized(normalization!).Epoch(0).First() : null;
            var sweep = probeBatch is null ? study.Sweep() : study.Sweep(probeBatch.Images, probeBatch.Labels);
            var train = settings.Epochs > 0 ? VariantTraining.Create(settings, data!, normalization!, logger, stderr) : null;
            logger.LogInformation("Study {Study}: {Count} variants on {Context}{Training}", study.Name, study.Variants.Count, context,
                train is null ? ", static figures" + (study.NeedsBatch ? " and probes" : "") : $", {settings.Epochs} epoch(s) each");
            try
            {
                report = sweep.Run(settings.Seed, context, train, p =>
                    logger.LogInformation("Variant {Index}/{Count}: {Name} ({Parameters:N0} parameters)", p.Index, p.Count, p.Variant.Name,
                        p.Variant.Layer.ParameterCount(study.Input)));
            }
            catch (NonFiniteTrainingException e)
            {
                logger.LogError("{Message}", e.Message);
                return 1;
            }
            logger.LogInformation("Study {Study} finished in {Seconds:F1} s", study.Name, clock.Elapsed.TotalSeconds);
        }
        finally
        {
            factory.Dispose();   // flushes the console logger, so its lines come before the table
        }

        var dirOut = settings.OutDirectory;
        string csv = Path.Combine(dirOut, "variants.csv"), png = Path.Combine(dirOut, "variants.png");
        report.SaveCsv(csv);
        report.SavePlot(png, report.Trained ? $"{study.Name}: test accuracy vs parameters" : $"{study.Name}: mult-adds vs parameters");
        stderr.Flush();
        stdout.WriteLine($"{study.Name}: {study.Description}");
        stdout.WriteLine(report.Table());
        stdout.WriteLine($"csv: {csv}");
        stdout.WriteLine($"plot: {png}");
        return 0;
    }

    /// <summary>Fashion-MNIST limited as asked and fitted to the study's input shape.</summary>
    private static Splits Load(string directory, VariantsSettings settings)
    {
        var splits = FashionMnist.Load(directory, settings.Limit);
        var test = settings.TestLimit is { } n ? splits.Test.Take(n) : splits.Test;
        return new Splits(DatasetFit.To(splits.Train, settings.Study.Input), DatasetFit.To(test, settings.Study.Input));
    }
}
