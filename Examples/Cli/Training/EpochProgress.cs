using System.Diagnostics;
using System.Globalization;
using Functional.Training;
using Spectre.Console;

namespace Functional.Cli.Training;

/// <summary>
/// Shows how the current epoch is going, on stderr. <see cref="For"/> picks a live Spectre.Console bar for a
/// terminal and plain lines otherwise (redirected output, or <c>CI=true</c>), so logs stay readable in files.
/// </summary>
internal abstract class EpochProgress : IDisposable
{
    /// <summary>The live bar when stderr is a terminal and CI is not set, else plain lines on <paramref name="error"/>.</summary>
    public static EpochProgress For(TextWriter error)
    {
        var ci = string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);
        return !ci && !Console.IsErrorRedirected && ReferenceEquals(error, Console.Error)
            ? new LiveEpochProgress()
            : new PlainEpochProgress(error);
    }

    /// <summary>An epoch of <paramref name="steps"/> optimizer steps begins.</summary>
    public abstract void Begin(int epoch, int epochs, int steps);

    /// <summary>A step finished.</summary>
    public abstract void Report(StepReport report);

    /// <summary>The epoch's steps are done (evaluation and artifacts follow); the display closes.</summary>
    public abstract void End();

    /// <summary>Closes a display left open by an exception.</summary>
    public void Dispose() => End();

    /// <summary>The loss, accuracy and speed part of a progress line.</summary>
    protected static string Figures(StepReport r) => string.Create(CultureInfo.InvariantCulture,
        $"loss {r.Loss:F4}  acc {r.Accuracy:F4}  {r.ImagesPerSecond:F0} img/s  lr {r.LearningRate:G3}");
}

/// <summary>A line every tenth of an epoch (and at its end): step, figures and the time left in the epoch.</summary>
internal sealed class PlainEpochProgress(TextWriter output) : EpochProgress
{
    private readonly Stopwatch clock = new();
    private int nextLine;
    private int steps;

    public override void Begin(int epoch, int epochs, int steps)
    {
        this.steps = steps;
        nextLine = 0;
        clock.Restart();
    }

    public override void Report(StepReport r)
    {
        if (r.Step < nextLine && r.Step != r.Steps) return;
        nextLine = r.Step + Math.Max(1, steps / 10);
        var left = TimeSpan.FromSeconds(clock.Elapsed.TotalSeconds / r.Step * (r.Steps - r.Step));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"epoch {r.Epoch}/{r.Epochs}  step {r.Step}/{r.Steps} ({100.0 * r.Step / r.Steps:F0}%)  {Figures(r)}  eta {left:m\\:ss}"));
    }

    public override void End() => clock.Stop();
}

/// <summary>A Spectre.Console bar per epoch with loss, accuracy, speed and ETA, redrawn on stderr.</summary>
internal sealed class LiveEpochProgress : EpochProgress
{
    private readonly IAnsiConsole console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
    private Task? display;
    private TaskCompletionSource? finished;
    private ProgressTask? bar;
    private string title = "";

    public override void Begin(int epoch, int epochs, int steps)
    {
        End();
        title = $"epoch {epoch}/{epochs}";
        var ready = new TaskCompletionSource<ProgressTask>(TaskCreationOptions.RunContinuationsAsynchronously);
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        finished = done;
        // Spectre's Start blocks until its callback returns and redraws from its own thread meanwhile, so the
        // display lives on a worker while the training loop drives the bar from this thread.
        display = Task.Run(() =>
        {
            try
            {
                console.Progress()
                    .AutoClear(false)
                    .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(),
                        new RemainingTimeColumn(), new SpinnerColumn())
                    .Start(ctx =>
                    {
                        ready.SetResult(ctx.AddTask(title, maxValue: steps));
                        done.Task.Wait();
                    });
            }
            catch (Exception e) when (ready.TrySetException(e)) { }   // never leave Begin waiting for a bar
        });
        bar = ready.Task.Result;
    }

    public override void Report(StepReport r)
    {
        if (bar is null) return;
        bar.Value = r.Step;
        bar.Description = Markup.Escape($"{title}  {Figures(r)}");
    }

    public override void End()
    {
        if (finished is null) return;
        finished.TrySetResult();
        display?.Wait();
        finished = null;
        display = null;
        bar = null;
    }
}
