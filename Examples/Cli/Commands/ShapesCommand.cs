using System.CommandLine;
using Functional.Cli.Options;

namespace Functional.Cli.Commands;

/// <summary>
/// <c>shapes conv|pool|transposed</c>: output shape, parameter count and the formula with numbers for one
/// sliding-window layer, from shapes alone. 1-, 2- or 3-d follows from the rank of <c>--input</c>.
/// </summary>
internal static class ShapesCommand
{
    public static Command Create() => new("shapes", "Output shape, parameters and formulas of one conv, pooling or transposed-conv layer.")
    {
        Conv(),
        Pool(),
        Transposed(),
    };

    private static Command Conv()
    {
        var o = new WindowOptions(filters: true, padding: "An int, one per dim like 1,2, or same, valid or full.");
        var groups = Groups();
        var noBias = NoBias();
        var command = o.Command("conv", "A convolution (cross-correlation, as PyTorch's Conv1d/2d/3d).");
        command.Add(groups);
        command.Add(noBias);
        command.SetAction(r => CliErrors.Guard(r, output =>
        {
            var (input, spatial) = o.Input(r);
            var kernel = o.Kernel(r, spatial);
            ShapesReport.Conv(output, input, o.Filters(r), kernel, o.Stride(r, spatial, kernel), o.Dilation(r, spatial),
                o.Padding(r), r.GetValue(groups), !r.GetValue(noBias));
            return 0;
        }));
        return command;
    }

    private static Command Pool()
    {
        var o = new WindowOptions(filters: false, padding: "An int or one per dim like 1,2 (at most half the kernel).", strideDefaultsToKernel: true);
        var ceil = new Option<bool>("--ceil") { Description = "Ceil mode: keep a last partial window if it starts inside the input or left padding." };
        var command = o.Command("pool", "A max or average pooling (as PyTorch's MaxPool/AvgPool); channels pass through.");
        command.Add(ceil);
        command.SetAction(r => CliErrors.Guard(r, output =>
        {
            var (input, spatial) = o.Input(r);
            var kernel = o.Kernel(r, spatial);
            ShapesReport.Pool(output, input, kernel, o.Stride(r, spatial, kernel), o.Dilation(r, spatial),
                o.ExplicitPadding(r, spatial, "pool"), r.GetValue(ceil));
            return 0;
        }));
        return command;
    }

    private static Command Transposed()
    {
        var o = new WindowOptions(filters: true, padding: "An int or one per dim like 1,2: cropped from both sides of the output.");
        var outputPadding = new Option<string>("--output-padding")
        {
            Description = "Extra size on the far side, below max(stride, dilation). An int for every spatial dim, or one per dim like 1,2.",
            DefaultValueFactory = _ => "0",
        };
        var groups = Groups();
        var noBias = NoBias();
        var command = o.Command("transposed", "A transposed convolution (as PyTorch's ConvTranspose1d/2d/3d).");
        command.Add(outputPadding);
        command.Add(groups);
        command.Add(noBias);
        command.SetAction(r => CliErrors.Guard(r, output =>
        {
            var (input, spatial) = o.Input(r);
            var kernel = o.Kernel(r, spatial);
            var extra = WindowOptions.PerDimValues("--output-padding", r.GetValue(outputPadding)!, spatial);
            ShapesReport.Transposed(output, input, o.Filters(r), kernel, o.Stride(r, spatial, kernel), o.Dilation(r, spatial),
                o.ExplicitPadding(r, spatial, "transposed"), extra, r.GetValue(groups), !r.GetValue(noBias));
            return 0;
        }));
        return command;
    }

    private static Option<int> Groups() =>
        new Option<int>("--groups") { Description = "Channel groups; input and output channels must both be divisible by it.", DefaultValueFactory = _ => 1 }.Invariant();

    private static Option<bool> NoBias() => new("--no-bias") { Description = "Leave the bias out of the parameter count." };
}
