using Functional.Cli;
using Xunit;

namespace Functional.Tests;

/// <summary>The <c>shapes</c> command run in-process, with its output and error streams captured.</summary>
public class ShapesCommandTests
{
    private static (int Exit, string Out, string Err) Run(string line)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = Program.Run(line.Split(' ', StringSplitOptions.RemoveEmptyEntries), output, error);
        return (exit, output.ToString(), error.ToString());
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    [Fact]
    public void Quiz_conv_prints_shape_parameters_and_formulas()
    {
        var (exit, output, error) = Run("shapes conv --input 3x32x32 --filters 10 --kernel 5 --padding 2");
        Assert.Equal(0, exit);
        Assert.Equal("", error);
        Assert.Equal(
            [
                "Conv2d: 3×32×32 → 10×32×32",
                "parameters: 760 = 10·(3/1·5·5) + 10 bias",
                "H: o = ⌊(32+2·2−1·(5−1)−1)/1⌋+1 = 32",
                "W: o = ⌊(32+2·2−1·(5−1)−1)/1⌋+1 = 32",
            ],
            Lines(output));
    }

    [Fact]
    public void AlexNet_first_layer_in_one_and_three_dims()
    {
        Assert.Contains("Conv1d: 3×227 → 96×55", Run("shapes conv --input 3x227 --filters 96 --kernel 11 --stride 4").Out);
        var (exit, output, _) = Run("shapes conv --input 3x8x227x227 --filters 96 --kernel 3,11,11 --stride 1,4,4 --no-bias");
        Assert.Equal(0, exit);
        Assert.Contains("Conv3d: 3×8×227×227 → 96×6×55×55", output);
        Assert.Contains("parameters: 104544 = 96·(3/1·3·11·11), no bias", output);
    }

    [Fact]
    public void Same_padding_with_stride_gives_ceil_and_shows_the_uneven_split()
    {
        var output = Run("shapes conv --input 3x7x8 --filters 4 --kernel 4 --stride 2 --padding same").Out;
        Assert.Contains("3×7×8 → 4×4×4", output);
        Assert.Contains("H: o = ⌊(7+1+2−1·(4−1)−1)/2⌋+1 = 4", output);
    }

    [Fact]
    public void Grouped_conv_counts_weights_per_group() =>
        Assert.Contains("parameters: 320 = 32·(32/32·3·3) + 32 bias", Run("shapes conv --input 32x10x10 --filters 32 --kernel 3 --groups 32").Out);

    [Fact]
    public void Stride_that_skips_input_prints_a_warning_naming_the_unread_columns()
    {
        var (exit, output, _) = Run("shapes conv --input 1x7x5 --filters 1 --kernel 3 --stride 1,3");
        Assert.Equal(0, exit);
        var warning = Assert.Single(Lines(output), l => l.StartsWith("warning:"));
        Assert.Contains("W: stride 3 leaves the last 2 input columns (3–4 of 0–4) unread", warning);
    }

    [Fact]
    public void Pool_defaults_stride_to_the_kernel_and_applies_ceil_mode_like_PyTorch()
    {
        Assert.Contains("Pool2d: 96×55×55 → 96×27×27", Run("shapes pool --input 96x55x55 --kernel 3 --stride 2").Out);
        Assert.Contains("Pool2d: 1×28×28 → 1×14×14", Run("shapes pool --input 1x28x28 --kernel 2").Out);
        var output = Run("shapes pool --input 1x5 --kernel 2 --stride 3 --padding 1 --ceil").Out;
        Assert.Contains("Pool1d (ceil mode): 1×5 → 1×2", output);
        Assert.Contains("so o = 2", output);
        Assert.Contains("parameters: 0", output);
    }

    [Fact]
    public void Transposed_conv_prints_the_transposed_formula_and_weight_count()
    {
        var (exit, output, _) = Run("shapes transposed --input 16x8x8 --filters 3 --kernel 3 --stride 2 --padding 1 --output-padding 1");
        Assert.Equal(0, exit);
        Assert.Contains("ConvTranspose2d: 16×8×8 → 3×16×16", output);
        Assert.Contains("parameters: 435 = 16·(3/1·3·3) + 3 bias", output);
        Assert.Contains("H: o = (8−1)·2 − 2·1 + 1·(3−1) + 1 + 1 = 16", output);
    }

    [Theory]
    [InlineData("shapes conv --input 16x3x3 --filters 4 --kernel 5", "Conv2d: input 3 along H")]
    [InlineData("shapes conv --input 3x32x32 --filters 10 --kernel 5 --stride 0", "stride 0 along H")]
    [InlineData("shapes conv --input 6x10 --filters 4 --kernel 3 --groups 4", "6 mod 4 = 2")]
    [InlineData("shapes conv --input 3x32x32 --filters 10 --kernel 5 --padding -1", "padding -1")]
    [InlineData("shapes conv --input 3x32x32 --filters 10 --kernel x", "--kernel 'x'")]
    [InlineData("shapes conv --input 3x32 --filters 3 --kernel 5,5", "has 2 values but the input has 1 spatial dims")]
    [InlineData("shapes conv --input 32x32 --filters 3 --kernel 3,3,3", "has 3 values")]
    [InlineData("shapes conv --input 3 --filters 3 --kernel 3", "has rank 1")]
    [InlineData("shapes conv --input 3xax3 --filters 3 --kernel 3", "is not a shape")]
    [InlineData("shapes pool --input 1x5x5 --kernel 3 --padding 2", "more than half the kernel")]
    [InlineData("shapes pool --input 1x5x5 --kernel 3 --padding same", "same and full apply to conv")]
    [InlineData("shapes transposed --input 4x5x5 --filters 2 --kernel 3 --stride 2 --output-padding 2", "max(2, 1) = 2")]
    [InlineData("shapes conv --input 3x32x32 --kernel 5", "--filters")]
    [InlineData("shapes conv --input 3x32x32 --filters abc --kernel 5", "abc")]
    [InlineData("shapes conv --bogus", "--bogus")]
    [InlineData("shapes", "command")]
    public void Bad_values_give_one_line_on_stderr_and_exit_code_2(string line, string quoted)
    {
        var (exit, output, error) = Run(line);
        Assert.Equal(2, exit);
        Assert.Equal("", output);
        var message = Assert.Single(Lines(error));
        Assert.StartsWith("error: ", message);
        Assert.Contains(quoted, message);
        Assert.DoesNotContain("   at ", error);
    }

    // Hyper-parameters near int.MaxValue once wrapped in 32-bit arithmetic and printed a plausible shape with
    // exit 0; the true (64-bit) numbers must appear in a one-line error instead.
    [Theory]
    [InlineData("shapes conv --input 1x8x8 --filters 2 --kernel 3 --dilation 2147483647", "dilated kernel 2147483647·(3−1)+1 = 4294967295")]
    [InlineData("shapes conv --input 1x8x8 --filters 2 --kernel 3 --padding 2147483647", "output along H would be 4294967300")]
    [InlineData("shapes pool --input 1x28x28 --kernel 2147483647", "smaller than the dilated kernel 2147483647")]
    [InlineData("shapes transposed --input 1x2000000000x1 --filters 1 --kernel 3 --stride 2000000000", "output along H would be 3999999998000000003")]
    public void Huge_hyper_parameters_give_one_line_with_the_unwrapped_numbers_and_exit_code_2(string line, string quoted)
    {
        var (exit, output, error) = Run(line);
        Assert.Equal(2, exit);
        Assert.Equal("", output);
        var message = Assert.Single(Lines(error));
        Assert.StartsWith("error: ", message);
        Assert.Contains(quoted, message);
    }

    [Theory]
    [InlineData("shapes")]
    [InlineData("shapes conv")]
    [InlineData("shapes pool")]
    [InlineData("shapes transposed")]
    public void Every_subcommand_has_help(string command)
    {
        var (exit, output, _) = Run(command + " --help");
        Assert.Equal(0, exit);
        Assert.Contains("Usage:", output);
        if (command != "shapes") Assert.Contains("--kernel", output);
    }
}
