using Functional.Network;
using Functional.Random;
using Xunit;

namespace Functional.Tests.Support;

/// <summary>
/// The check that a fusion is invisible to a network: the same training step on two models (one fused, one with the
/// layers kept apart) gives the same output, loss, gradient tree and, when asked, state, bit for bit.
/// </summary>
internal static class SameStep
{
    /// <summary>Asserts that <paramref name="a"/> and <paramref name="b"/> take the same cross-entropy step on x and labels.</summary>
    public static void Assert(Model a, Model b, Tensor x, int[] labels, bool state = false)
    {
        var (sa, sb) = (a.LossAndGradients(Loss.CrossEntropy, x, labels, Key.FromSeed(7)), b.LossAndGradients(Loss.CrossEntropy, x, labels, Key.FromSeed(7)));
        Xunit.Assert.Equal(sb.Output.ToArray(), sa.Output.ToArray());
        Xunit.Assert.Equal(sb.Loss, sa.Loss);
        Xunit.Assert.Equal(sb.Gradients.Select(l => l.Path), sa.Gradients.Select(l => l.Path));
        foreach (var leaf in sb.Gradients) Xunit.Assert.Equal(leaf.Value.ToArray(), sa.Gradients[leaf.Path].ToArray());
        if (state)
            foreach (var leaf in sb.State) Xunit.Assert.Equal(leaf.Value.ToArray(), sa.State[leaf.Path].ToArray());
    }
}
