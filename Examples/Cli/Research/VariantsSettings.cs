using Functional.Dsl.Research;

namespace Functional.Cli.Research;

/// <summary>What <c>variants</c> was asked to do.</summary>
internal sealed record VariantsSettings(Study Study, int Epochs, int? Limit, int? TestLimit, int BatchSize, string? Data, string Out, int Seed, string Backend = "cpu")
{
    /// <summary>Static figures only, batch 64, seed 42, results under <c>runs/variants/&lt;study&gt;</c>.</summary>
    public static VariantsSettings Default { get; } = new(Studies.All[0], 0, null, null, 64, null, DefaultOut, 42);

    /// <summary>The <c>--out</c> default, which means "runs/variants/&lt;study name&gt;".</summary>
    public const string DefaultOut = "runs/variants/<study>";

    /// <summary>The folder the files go to.</summary>
    public string OutDirectory => Out == DefaultOut ? Path.Combine("runs", "variants", Study.Name) : Out;

    /// <summary>Whether a dataset must be read: for training, or for the batch the study's probes run on.</summary>
    public bool NeedsData => Epochs > 0 || Study.NeedsBatch;

    /// <summary>Throws a usage error for a value no run can use.</summary>
    public void Validate()
    {
        if (Epochs < 0) throw new UsageException($"--epochs {Epochs}: give 0 for static figures or a positive number of epochs.");
        if (BatchSize < 1) throw new UsageException($"--batch-size {BatchSize}: a batch holds at least one image.");
        if (Limit is < 1) throw new UsageException($"--limit {Limit}: keep at least one training image.");
        if (TestLimit is < 1) throw new UsageException($"--test-limit {TestLimit}: keep at least one test image.");
    }
}
