using Functional.Io;
using Functional.Tests.Support;
using Xunit;

namespace Functional.Tests.Onnx;

/// <summary><c>onnx check MODEL --input IN --expect OUT</c>: the verdict is the last line and the exit code.</summary>
public sealed class OnnxCheckCommandTests : IDisposable
{
    private static readonly string Fixtures = Path.Combine(AppContext.BaseDirectory, "Fixtures", "onnx");
    private readonly string dir = Directory.CreateTempSubdirectory("onnx-check").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    [Fact]
    public void A_matching_output_passes_and_reports_its_error_last()
    {
        var io = Path.Combine(Fixtures, "lenet5.io.safetensors");
        var (code, output, error) = InProcessCli.Run("onnx", "check", Path.Combine(Fixtures, "lenet5.onnx"), "--input", io, "--expect", io);
        Assert.True(code == 0, error);
        var last = output.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1].Trim();
        Assert.StartsWith("max relative error: ", last);
        Assert.InRange(double.Parse(last["max relative error: ".Length..], System.Globalization.CultureInfo.InvariantCulture), 0, 1e-4);
    }

    [Fact]
    public void An_output_off_by_more_than_the_tolerance_fails_with_exit_code_1()
    {
        var tensors = SafeTensors.Load(Path.Combine(Fixtures, "lenet5.io.safetensors")).Tensors;
        var output = tensors["output"].ToArray();
        output[3] += 1e-2f * output.Max(Math.Abs);
        var expect = Path.Combine(dir, "expect.safetensors");
        SafeTensors.Save(expect, new Dictionary<string, Tensor> { ["output"] = Tensor.FromArray(tensors["output"].Shape, output) });
        var (code, text, _) = InProcessCli.Run("onnx", "check", Path.Combine(Fixtures, "lenet5.onnx"),
            "--input", Path.Combine(Fixtures, "lenet5.io.safetensors"), "--expect", expect);
        Assert.Equal(1, code);
        Assert.StartsWith("max relative error: 1.0", text.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1].Trim());
    }

    [Fact]
    public void A_corrupt_model_is_one_line_and_exit_code_2()
    {
        var model = Path.Combine(dir, "bad.onnx");
        File.WriteAllBytes(model, [0x0a, 0xff, 0x01]);
        var io = Path.Combine(Fixtures, "lenet5.io.safetensors");
        var (code, output, error) = InProcessCli.Run("onnx", "check", model, "--input", io, "--expect", io);
        Assert.Equal(2, code);
        Assert.Empty(output);
        Assert.StartsWith("error: ", error);
        Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void An_unsupported_operator_is_one_line_naming_the_node_and_exit_code_2()
    {
        var model = Path.Combine(dir, "selu.onnx");
        var onnx = File.ReadAllBytes(Path.Combine(Fixtures, "lenet5.onnx"));
        // PyTorch names the first ReLU's node /1/Relu: as Selu it is outside the supported set.
        var text = System.Text.Encoding.Latin1.GetString(onnx);
        var at = text.IndexOf("\"\u0004Relu", StringComparison.Ordinal);
        Assert.True(at > 0, "the fixture has a Relu node");
        onnx[at + 2] = (byte)'S';
        File.WriteAllBytes(model, onnx);
        var io = Path.Combine(Fixtures, "lenet5.io.safetensors");
        var (code, output, error) = InProcessCli.Run("onnx", "check", model, "--input", io, "--expect", io);
        Assert.Equal(2, code);
        Assert.Empty(output);
        Assert.Matches(@"^error: .*node '[^']+' \(Selu, opset 17\)", error);
        Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }
}
