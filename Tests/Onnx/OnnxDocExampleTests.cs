using Functional.Io.Onnx;
using Xunit;
using static Functional.Dsl.Layers;
using OnnxIo = Functional.Io.Onnx.Onnx;

namespace Functional.Tests.Onnx;

/// <summary>docs/onnx.md's C# example, line for line (it is also checked to be in the page).</summary>
public sealed class OnnxDocExampleTests
{
    [Fact]
    public void The_docs_example_exports_and_imports_an_equal_network()
    {
        var net = Sequential(Conv(6, 5, padding: 2), ReLU, MaxPool(2), Conv(16, 5), ReLU, MaxPool(2),
                             Flatten, Dense(120), ReLU, Dense(84), ReLU, Dense(10));
        var model = net.Init(Shape.Image(1, 28, 28), seed: 42);
        var path = Path.Combine(Path.GetTempPath(), $"lenet5-{Guid.NewGuid():N}.onnx");
        model.ExportOnnx(path);
        var back = OnnxIo.Import(path);
        File.Delete(path);

        Assert.True(back.Architecture.Equals(model.Architecture));
        Assert.Equal(model.Parameters["3.weight"].ToArray(), back.Parameters["3.weight"].ToArray());
    }

    [Fact]
    public void The_docs_page_holds_that_example()
    {
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "Functional.sln"))) root = Path.GetDirectoryName(root)!;
        var page = File.ReadAllText(Path.Combine(root, "docs", "onnx.md"));
        Assert.Contains("var model = net.Init(Shape.Image(1, 28, 28), seed: 42);", page);
        Assert.Contains("var back = Onnx.Import(path);", page);
    }
}
