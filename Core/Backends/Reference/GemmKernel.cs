using System.Numerics;

namespace Functional.Backends.Reference;

/// <summary>C = α·op(A)·op(B) + β·C, row-major, as the triple loop of the definition.</summary>
public static class GemmKernel
{
    /// <summary>Runs every matrix of the batch described by <paramref name="g"/>.</summary>
    public static void Run<T>(in GemmGeometry g, ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> c, T alpha, T beta)
        where T : IFloatingPointIeee754<T>
    {
        for (var batch = 0; batch < g.Batch; batch++)
        {
            var aOff = g.OffsetA + batch * g.StrideA;
            var bOff = g.OffsetB + batch * g.StrideB;
            var cOff = g.OffsetC + batch * g.StrideC;
            for (var i = 0; i < g.M; i++)
                for (var j = 0; j < g.N; j++)
                {
                    var sum = T.Zero;
                    for (var k = 0; k < g.K; k++)
                    {
                        // op(A)[i,k]: A is M×K, or K×M when transposed; likewise op(B)[k,j].
                        var av = g.TransA ? a[aOff + k * g.M + i] : a[aOff + i * g.K + k];
                        var bv = g.TransB ? b[bOff + j * g.K + k] : b[bOff + k * g.N + j];
                        sum += av * bv;
                    }
                    ref var cij = ref c[cOff + i * g.N + j];
                    cij = beta == T.Zero ? alpha * sum : alpha * sum + beta * cij;
                }
        }
    }

    /// <summary>Float overload with α and β from the geometry.</summary>
    internal static void Run(in GemmGeometry g, float[] a, float[] b, float[] c, float alpha, float beta) =>
        Run<float>(g, a, b, c, alpha, beta);
}
