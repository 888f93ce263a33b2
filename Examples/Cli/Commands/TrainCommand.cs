using System.CommandLine;
using Functional.Cli.Options;
using Functional.Cli.Training;

namespace Functional.Cli.Commands;

/// <summary>
/// <c>train</c>: the main job. Trains LeNet-5 on Fashion-MNIST, shows progress on stderr, writes
/// <c>runs/&lt;timestamp&gt;/</c> and ends stdout with <c>test accuracy: 0.XXXX</c>.
/// </summary>
internal static class TrainCommand
{
    public static Command Create()
    {
        var epochs = new Option<int>("--epochs") { Description = "Passes over the training set.", DefaultValueFactory = _ => TrainSettings.Default.Epochs }.Invariant();
        var batch = new Option<int>("--batch-size") { Description = "Images per optimizer step.", DefaultValueFactory = _ => TrainSettings.Default.BatchSize }.Invariant();
        var lr = new Option<double?>("--lr") { Description = $"Peak learning rate (default {TrainSettings.DefaultLr("adam")} for adam/adamw, {TrainSettings.DefaultLr("sgd")} for sgd)." }.Invariant();
        var optimizer = new Option<string>("--optimizer") { Description = "adam, adamw or sgd (momentum 0.9, Nesterov).", DefaultValueFactory = _ => TrainSettings.Default.Optimizer };
        optimizer.OneOf("adam", "adamw", "sgd");
        var schedule = new Option<string>("--schedule") { Description = "Learning-rate schedule over the whole run: one-cycle, cosine, step (×0.1 after each third of the run) or constant.", DefaultValueFactory = _ => TrainSettings.Default.Schedule };
        schedule.OneOf("one-cycle", "cosine", "step", "constant");
        var seed = new Option<int>("--seed") { Description = "Seeds initialisation, shuffling and every other random choice.", DefaultValueFactory = _ => TrainSettings.Default.Seed }.Invariant();
        var output = new Option<string>("--out") { Description = "Folder that receives runs/<timestamp>/.", DefaultValueFactory = _ => TrainSettings.Default.Out };
        var limit = new Option<int?>("--limit") { Description = "Train on the first N training images only (quick runs); the test set stays whole." };
        var data = new Option<string?>("--data") { Description = $"Folder with the four Fashion-MNIST .gz files (default {Functional.Data.FashionMnist.DebianDirectory}, installed with apt-get when missing and run as root)." };
        var backend = new Option<string>("--backend") { Description = $"Where the arithmetic runs: {string.Join(" or ", Backend.Names)}.", DefaultValueFactory = _ => Backend.DefaultName };
        backend.OneOf([.. Backend.Names]);
        var clip = new Option<double?>("--clip") { Description = "Clip gradients to this global L2 norm before each step." }.Invariant();
        var patience = new Option<int?>("--patience") { Description = "Stop when the test loss has not improved for this many epochs (keeps the best epoch)." }.Invariant();
        var maxSide = new Option<int>("--max-image-side")
        {
            Description = "Refuse images with a side longer than this before building the network (LeNet's dense layer grows with the image area).",
            DefaultValueFactory = _ => Functional.Data.Idx.DefaultMaxSide,
        }.Invariant();
        var resume = new Option<string?>("--resume")
        {
            Description = "Continue an interrupted run from its runs/<timestamp>/model.safetensors (and the model.training.safetensors beside it), " +
                "with the run's own settings and folder; only --data, --backend and --epochs (the total to train to) may be given with it.",
        };
        var distributed = new Option<bool>("--distributed")
        {
            Description = "Run as one rank of an mpirun job (data-parallel, as PyTorch's DDP): --batch-size is then per rank; only rank 0 writes the run folder. './build.sh train --ranks N' starts N ranks on this machine.",
        };
        var syncBatchNorm = new Option<bool>("--sync-batchnorm") { Description = "With --distributed: batch norm over the global batch instead of each rank's." };
        var command = new Command("train", "Train LeNet-5 on Fashion-MNIST; the last stdout line is the test accuracy.")
        {
            epochs, batch, lr, optimizer, schedule, seed, output, limit, data, backend, clip, patience, maxSide, resume, distributed, syncBatchNorm,
        };
        command.SetAction(r => CliErrors.Guard(r, stdout =>
        {
            if (r.GetValue(resume) is not null)
                foreach (Option fixedByRun in new Option[] { batch, lr, optimizer, schedule, seed, output, limit, clip, patience, maxSide })
                    if (r.GetResult(fixedByRun) is { Implicit: false })
                        throw new UsageException($"{fixedByRun.Name} cannot be combined with --resume: a resumed run keeps the settings it was started with.");
            var settings = new TrainSettings(r.GetValue(epochs), r.GetValue(batch), r.GetValue(lr), r.GetValue(optimizer)!,
                r.GetValue(schedule)!, r.GetValue(seed), r.GetValue(output)!, r.GetValue(limit), r.GetValue(data), r.GetValue(backend)!,
                r.GetValue(clip), r.GetValue(patience), r.GetValue(maxSide)) 
            {
                Resume = r.GetValue(resume), EpochsGiven = r.GetResult(epochs) is { Implicit: false },
                Distributed = r.GetValue(distributed), SyncBatchNorm = r.GetValue(syncBatchNorm),
            };
            return TrainRun.Execute(settings, stdout, r.InvocationConfiguration.Error);
        }));
        return command;
    }
}
