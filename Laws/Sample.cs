using Functional.Backends;
using Functional.Random;
using ExecutionContext = Functional.Backends.ExecutionContext;

namespace Functional.Laws;

/// <summary>
/// Test tensors drawn from a seed. Small integers make every sum of products exact in float32 (far below 2²⁴),
/// so linear laws (duality, adjointness, linearity, equivalences) are checked for exact equality: a mutant cannot
/// hide inside a tolerance. Reals in double serve the finite-difference checks.
/// </summary>
public static class Sample
{
    /// <summary>The float oracle context.</summary>
    public static ExecutionContext Float => ExecutionContext.Reference;

    /// <summary>The double-precision context running the same Reference kernels.</summary>
    public static ExecutionContext Double => DoubleBackend.Context;

    /// <summary>Integers in [−range, range], as floats.</summary>
    public static float[] Ints(int n, long seed, int range = 3)
    {
        var key = Key.FromSeed(seed);
        return Enumerable.Range(0, n).Select(i => (float)(key.Below(i, 2 * range + 1) - range)).ToArray();
    }

    /// <summary>A float tensor of integers in [−range, range].</summary>
    public static Tensor IntTensor(Shape shape, long seed, int range = 3) => Tensor.FromArray(shape, Ints(shape.Count, seed, range));

    /// <summary>Reals in [−1, 1).</summary>
    public static double[] Reals(int n, long seed) => FiniteDifferences.Random(n, seed);

    /// <summary>A double tensor (on <see cref="Double"/>) of reals in [−1, 1).</summary>
    public static Tensor RealTensor(Shape shape, long seed) => DoubleBackend.Tensor(shape, Reals(shape.Count, seed));

    /// <summary>The values of any tensor in double (exact for tensors made on <see cref="Double"/>).</summary>
    public static double[] Values(Tensor t) => DoubleBackend.Values(t);

    /// <summary>⟨a, b⟩ in double.</summary>
    public static double Dot(Tensor a, Tensor b) => FiniteDifferences.Dot(Values(a), Values(b));
}
