using Functional.Network;
using Functional.Random;
using Functional.Training;
using Xunit;

namespace Functional.Tests.Training;

public class SgdStepTests
{
    [Fact]
    public void Plain_sgd_is_p_minus_lr_times_g_bit_for_bit_in_the_vector_body_and_the_tail()
    {
        // 8·12 + 5 elements: twelve full vectors and a scalar tail.
        var (p, g) = (Tensor.Uniform(Shape.Of(101), Key.FromSeed(3), -2f, 2f), Tensor.Uniform(Shape.Of(101), Key.FromSeed(4), -1f, 1f));
        var parameters = TensorTree.Of(("w", p));
        var sgd = Optimizer.Sgd(0.037);
        var (next, _) = sgd.Step(parameters, TensorTree.Of(("w", g)), sgd.Init(parameters));
        var lr = (float)0.037;
        var expected = p.ToArray().Select((v, i) => v - lr * g.Span[i]).ToArray();
        Assert.Equal(expected.Select(BitConverter.SingleToInt32Bits), next["w"].ToArray().Select(BitConverter.SingleToInt32Bits));
    }
}
