namespace Functional.Tests.Support;

/// <summary>
/// Gradient checks of whole operations in double: f(x) = ⟨op(x), r⟩ for a fixed random r, whose gradient is
/// the op's backward applied to r, compared with central differences of f.
/// </summary>
public static class GradCheck
{
    /// <summary>
    /// Checks the analytic gradient with respect to one input. <paramref name="forward"/> maps the input values
    /// to the output values; <paramref name="analytic"/> is the backward's gradient for that input given r.
    /// </summary>
    public static void Check(string what, double[] x, Func<double[], double[]> forward, Func<double[], double[]> analytic,
        long seed = 7, double rtol = 1e-5, double atol = 1e-7)
    {
        var r = FiniteDifferences.Random(forward(x).Length, seed);
        var numeric = FiniteDifferences.Gradient(v => FiniteDifferences.Dot(forward(v), r), x);
        FiniteDifferences.AssertClose(what, analytic(r), numeric, rtol, atol);
    }

    /// <summary>A double tensor of <paramref name="shape"/> holding <paramref name="values"/>.</summary>
    public static Tensor T(Shape shape, double[] values) => DoubleBackend.Tensor(shape, values);

    /// <summary>The exact values of a double tensor.</summary>
    public static double[] V(Tensor t) => DoubleBackend.Values(t);
}
