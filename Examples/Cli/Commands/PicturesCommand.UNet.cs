using System.CommandLine;
using System.Globalization;
using Functional.Cli.Options;
using Functional.Cli.Pictures;

namespace Functional.Cli.Commands;

internal static partial class PicturesCommand
{
    // `pictures unet`: the encoder–decoder demonstration (Upsample and Concat skips) on the Fashion-MNIST test images.
    private static Command UNetDemo()
    {
        var data = new Option<string?>("--data") { Description = "Folder with the Fashion-MNIST test files (default: the installed set, else the repository's extract)." };
        var count = new Option<int>("--count") { Description = "Images to train on (default 200).", DefaultValueFactory = _ => 200 }.Invariant();
        var epochs = new Option<int>("--epochs") { Description = "Training epochs (default 5).", DefaultValueFactory = _ => 5 }.Invariant();
        var output = new Option<string>("--out") { Description = "Folder for the PNG file (created if needed).", DefaultValueFactory = _ => "runs/pictures" };
        var command = new Command("unet", "Train a small U-Net to reconstruct its input; draw inputs above reconstructions.") { data, count, epochs, output };
        command.SetAction(r => CliErrors.Guard(r, stdout =>
        {
            var test = LoadTest(r.GetValue(data), r.InvocationConfiguration.Error);
            var result = UNetExample.Run(test, r.GetValue(count), r.GetValue(epochs));
            var path = Path.Combine(r.GetValue(output)!, "unet-reconstructions.png");
            result.Picture.Save(path);
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"reconstruction MSE per epoch: {string.Join(", ", result.Losses.Select(l => l.ToString("F4", CultureInfo.InvariantCulture)))}"));
            stdout.WriteLine(path);
            return 0;
        }));
        return command;
    }
}
