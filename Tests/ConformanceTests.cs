using Functional.Cli.Commands;
using Functional.Cli.Conformance;
using Xunit;

namespace Functional.Tests;

public class ConformanceTests
{
    internal static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Functional.sln"))) return dir.FullName;
        throw new InvalidOperationException($"No Functional.sln above {AppContext.BaseDirectory}.");
    }

    [Fact]
    public void The_cpu_backend_agrees_with_pytorch_on_every_committed_case()
    {
        var files = Directory.GetFiles(Path.Combine(RepoRoot(), "conformance"), "*.json").Order().ToArray();
        var failures = new StringWriter();
        var report = ConformanceRunner.Run(Backends.ExecutionContext.Cpu(2), files, failures);
        Assert.True(report.Failed == 0, $"{report.Failed} conformance cases failed on the Cpu backend:\n{failures}");
        Assert.True(report.Passed >= 300, $"only {report.Passed} cases ran");
    }

    [Fact]
    public void Every_committed_case_agrees_with_pytorch()
    {
        var files = Directory.GetFiles(Path.Combine(RepoRoot(), "conformance"), "*.json").Order().ToArray();
        var failures = new StringWriter();
        var report = ConformanceRunner.Run(Backends.ExecutionContext.Reference, files, failures);
        Assert.True(report.Failed == 0, $"{report.Failed} conformance cases failed:\n{failures}");
        var convFamily = report.CasesPerOp.Where(kv => kv.Key.StartsWith("conv", StringComparison.Ordinal)).Sum(kv => kv.Value);
        Assert.True(convFamily >= 150, $"only {convFamily} conv-family cases");
        foreach (var op in new[] { "conv1d", "conv2d", "conv3d", "conv_transpose2d" })
            Assert.True(report.CasesPerOp.GetValueOrDefault(op) > 0, $"no {op} cases");
    }

    [Fact]
    public void A_wrong_value_fails_its_case_naming_the_output_and_element()
    {
        var output = RunOn("""{"cases":[{"op":"pad","params":{"before":[1],"after":[0],"mode":"replicate"},"inputs":{"x":{"shape":[1,2],"data":[1,2]}},"y":{"shape":[1,3],"data":[1,1,2.5]},"gy":null,"grads":{}}]}""", out var code);
        Assert.Equal(1, code);
        Assert.Contains("#0 pad: y differs at [0,2]: 2 vs expected 2.5", output);
        Assert.EndsWith("0 passed, 1 failed", output.TrimEnd());
    }

    [Fact]
    public void Gradients_are_checked_when_gy_is_given()
    {
        var output = RunOn("""{"cases":[{"op":"pad","params":{"before":[1],"after":[0],"mode":"replicate"},"inputs":{"x":{"shape":[1,2],"data":[1,2]}},"y":{"shape":[1,3],"data":[1,1,2]},"gy":{"shape":[1,3],"data":[1,1,1]},"grads":{"x":{"shape":[1,2],"data":[2,1]}}},{"op":"pad","params":{"before":[1],"after":[0],"mode":"replicate"},"inputs":{"x":{"shape":[1,2],"data":[1,2]}},"y":{"shape":[1,3],"data":[1,1,2]},"gy":{"shape":[1,3],"data":[1,1,1]},"grads":{"x":{"shape":[1,2],"data":[1,1]}}}]}""", out var code);
        Assert.Equal(1, code);
        Assert.Contains("#1 pad: grad x differs at [0,0]", output);
        Assert.EndsWith("1 passed, 1 failed", output.TrimEnd());
    }

    [Fact]
    public void An_unknown_op_is_a_failed_case_not_a_crash()
    {
        var output = RunOn("""{"cases":[{"op":"conv4d","params":{},"inputs":{},"y":{"shape":[1],"data":[0]},"gy":null}]}""", out var code);
        Assert.Equal(1, code);
        Assert.Contains("unknown op 'conv4d'", output);
        Assert.EndsWith("0 passed, 1 failed", output.TrimEnd());
    }

    [Theory]
    [InlineData("[1,2", "not valid JSON")]
    [InlineData("""{"tests":[]}""", "expected an object {\"cases\": [...]}")]
    [InlineData("""{"cases":[{"op":"pad","inputs":{}}]}""", "case #0 is malformed: it has no 'y'")]
    [InlineData("""{"cases":[{"op":"pad","inputs":{},"y":{"shape":[2],"data":[1]}}]}""", "'y' has shape 2 (2 elements) but 1 data values")]
    public void A_malformed_file_gives_one_error_line_and_exit_code_2(string json, string message)
    {
        var output = RunOn(json, out var code);
        Assert.Equal(2, code);
        Assert.Single(output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(message, output);
    }

    private static string RunOn(string json, out int code)
    {
        var file = Path.Combine(Path.GetTempPath(), $"conformance-{Guid.NewGuid():N}.json");
        File.WriteAllText(file, json);
        try
        {
            var output = new StringWriter();
            code = ConformanceCommand.Run([file], output);
            return output.ToString();
        }
        finally { File.Delete(file); }
    }
}
