using Functional.Training;
using Xunit;

namespace Functional.Tests.Training;

public class ScheduleTests
{
    [Fact]
    public void Step_decay_multiplies_by_gamma_every_period()
    {
        var s = Schedule.StepDecay(0.1, every: 3, gamma: 0.5);
        Assert.Equal([0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.025], Enumerable.Range(0, 7).Select(i => s.At(i)), Tolerance);
    }

    [Fact]
    public void Cosine_halves_at_the_middle_and_rests_at_the_minimum()
    {
        var s = Schedule.Cosine(0.1, totalSteps: 10, minLr: 0.001);
        Assert.Equal(0.1, s.At(0), 12);
        Assert.Equal((0.1 + 0.001) / 2, s.At(5), 12);
        Assert.Equal(0.001 + 0.099 * (1 + Math.Cos(Math.PI * 0.2)) / 2, s.At(2), 12);
        Assert.Equal(0.001, s.At(10), 12);
        Assert.Equal(0.001, s.At(1000), 12);
    }

    [Fact]
    public void One_cycle_rises_to_the_peak_then_falls_to_the_floor()
    {
        // PyTorch OneCycleLR(max_lr=0.01, total_steps=100): initial 0.01/25, peak at step 0.3·100−1 = 29,
        // final 0.0004/1e4 at step 99; halfway through the decay (step 64) it is the mean of peak and floor.
        var s = (OneCycleSchedule)Schedule.OneCycle(0.01, 100);
        Assert.Equal(0.0004, s.At(0), 12);
        Assert.Equal(0.01, s.At(29), 12);
        Assert.Equal((0.01 + 4e-8) / 2, s.At(64), 12);
        Assert.Equal(4e-8, s.At(99), 15);
        Assert.Equal(4e-8, s.At(500), 15);
        for (var i = 1; i <= 29; i++) Assert.True(s.At(i) > s.At(i - 1), $"not rising at step {i}");
        for (var i = 30; i <= 99; i++) Assert.True(s.At(i) < s.At(i - 1), $"not falling at step {i}");
    }

    [Fact]
    public void One_cycle_matches_torch_OneCycleLR_step_by_step()
    {
        // tools/torch_optim_cases.py: OneCycleLR(max_lr=0.01, total_steps=10), the lr before each of the 10 steps.
        double[] torch = [0.0004, 0.0052, 0.01, 0.00950484632013, 0.0081174565395, 0.00611262021936, 0.00388741978064,
            0.0018825834605, 0.000495193679865, 4e-08];
        var s = Schedule.OneCycle(0.01, 10);
        for (var i = 0; i < torch.Length; i++) Assert.True(Math.Abs(s.At(i) - torch[i]) < 1e-13, $"step {i}: {s.At(i)} vs torch {torch[i]}");
    }

    [Fact]
    public void Constant_is_constant() => Assert.Equal(0.003, Schedule.Constant(0.003).At(123_456));

    [Fact]
    public void Bad_settings_and_negative_steps_are_rejected_with_the_rule()
    {
        Assert.Contains("positive", Assert.Throws<ArgumentOutOfRangeException>(() => Schedule.Constant(0)).Message);
        Assert.Contains("positive", Assert.Throws<ArgumentOutOfRangeException>(() => Schedule.Cosine(double.NaN, 10)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => Schedule.StepDecay(0.1, every: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Schedule.OneCycle(0.1, 100, warmupFraction: 1));
        Assert.Contains("≥ 0", Assert.Throws<ArgumentOutOfRangeException>(() => Schedule.Constant(0.1).At(-1)).Message);
    }

    private static readonly IEqualityComparer<double> Tolerance =
        EqualityComparer<double>.Create((a, b) => Math.Abs(a - b) < 1e-12, x => 0);
}
