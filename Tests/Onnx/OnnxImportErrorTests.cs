using Functional.Io.Onnx;
using Xunit;
using OnnxIo = Functional.Io.Onnx.Onnx;
using static Functional.Dsl.Layers;

namespace Functional.Tests.Onnx;

/// <summary>Damaged or unsupported files give a typed error that says what is wrong, never an out-of-range read.</summary>
public sealed class OnnxImportErrorTests
{
    private static byte[] Exported() => Sequential(Conv(2, 3), ReLU, Flatten, Dense(3)).Init(Shape.Image(1, 5, 5), 1).ToOnnx();

    [Fact]
    public void Every_truncation_is_a_format_error()
    {
        var bytes = Exported();
        for (var length = 0; length < bytes.Length; length += Math.Max(1, length / 7))
        {
            var e = Assert.Throws<OnnxFormatException>(() => OnnxIo.Import("cut.onnx", bytes[..length]));
            Assert.Contains("cut.onnx", e.Message);
        }
    }

    [Fact]
    public void Corrupt_bytes_never_escape_as_anything_but_a_format_error()
    {
        var bytes = Exported();
        var random = new System.Random(7);
        for (var trial = 0; trial < 300; trial++)
        {
            var copy = (byte[])bytes.Clone();
            for (var k = 0; k < 3; k++) copy[random.Next(copy.Length)] = (byte)random.Next(256);
            try { OnnxIo.Import("corrupt.onnx", copy); }
            catch (OnnxFormatException) { }
        }
    }

    [Fact]
    public void An_unsupported_operator_names_node_op_and_opset_and_lists_the_supported()
    {
        var model = Sequential(Conv(2, 3), ReLU).Init(Shape.Image(1, 5, 5), 1);
        var bytes = Replace(model.ToOnnx(), "Relu", "Selu");
        var e = Assert.Throws<OnnxFormatException>(() => OnnxIo.Import("selu.onnx", bytes));
        Assert.Contains("node '1' (Selu, opset 19)", e.Message);
        Assert.Contains("GlobalAveragePool", e.Message);
    }

    [Fact]
    public void A_missing_initializer_is_named()
    {
        // The conv's weight input renamed: it reads a value that no initializer, node or input defines.
        var bytes = Replace(Exported(), "0.weight", "0.wXight");
        var e = Assert.Throws<OnnxFormatException>(() => OnnxIo.Import("missing.onnx", bytes));
        Assert.Contains("'0.wXight'", e.Message);
    }

    [Fact]
    public void A_cycle_is_an_error()
    {
        // The ReLU reads its own output: renaming its input value to its output closes a loop.
        var model = Sequential(Conv(2, 3), ReLU, Tanh).Init(Shape.Image(1, 5, 5), 1);
        var bytes = Replace(model.ToOnnx(), "\n\u00010\u0012\u00011", "\n\u00012\u0012\u00011");
        var e = Assert.Throws<OnnxFormatException>(() => OnnxIo.Import("cycle.onnx", bytes));
        Assert.Contains("twice", e.Message);
    }

    [Fact]
    public void A_mismatched_initializer_shape_is_an_error()
    {
        // The exported dense weight 3×8 read as 8×3 (dims are packed varints: swap them).
        var model = Sequential(Flatten, Dense(3)).Init(Shape.Image(2, 2, 2), 1);
        var bytes = Replace(model.ToOnnx(), "\n\u0002\u0003\u0008", "\n\u0002\u0008\u0003");
        var e = Assert.Throws<OnnxFormatException>(() => OnnxIo.Import("shape.onnx", bytes));
        Assert.Contains("shape", e.Message);
    }

    private static byte[] Replace(byte[] bytes, string from, string to, bool first = true)
    {
        var (f, t) = (System.Text.Encoding.Latin1.GetBytes(from), System.Text.Encoding.Latin1.GetBytes(to));
        Assert.Equal(f.Length, t.Length);
        var copy = (byte[])bytes.Clone();
        var found = false;
        for (var i = 0; i + f.Length <= copy.Length; i++)
            if (copy.AsSpan(i, f.Length).SequenceEqual(f))
            {
                t.CopyTo(copy, i);
                found = true;
                if (first) break;
            }
        Assert.True(found, $"'{from}' is not in the file");
        return copy;
    }
}
