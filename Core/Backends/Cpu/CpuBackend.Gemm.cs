namespace Functional.Backends.Cpu;

public sealed partial class CpuBackend
{
    /// <inheritdoc />
    public unsafe void Gemm(in GemmGeometry g, TensorStorage a, TensorStorage b, TensorStorage c)
    {
        float[] av = Host(a), bv = Host(b), cv = Host(c);
        SeamChecks.Gemm(g, av.Length, bv.Length, cv.Length, "cpu Gemm");
        var geo = g;
        fixed (float* pa = av, pb = bv, pc = cv)
        {
            var (pA, pB, pC) = ((nint)pa, (nint)pb, (nint)pc);
            if (g.Batch >= Threads && g.Batch > 1)
                _pool.For(g.Batch, i => GemmDriverAt(geo, (float*)pA, (float*)pB, (float*)pC, i, serial: true));
            else
                for (var i = 0; i < g.Batch; i++) GemmDriverAt(geo, pa, pb, pc, i, serial: false);
        }
    }

    private unsafe void GemmDriverAt(in GemmGeometry g, float* a, float* b, float* c, int batch, bool serial)
    {
        // op(A)[i,k] is A[i·K + k], or A[k·M + i] when transposed; op(B)[k,j] is B[k·N + j], or B[j·K + k].
        var av = new Strided(a + g.OffsetA + (long)batch * g.StrideA, g.TransA ? 1 : g.K, g.TransA ? g.M : 1);
        var bv = new Strided(b + g.OffsetB + (long)batch * g.StrideB, g.TransB ? 1 : g.N, g.TransB ? g.K : 1);
        var cp = c + g.OffsetC + (long)batch * g.StrideC;
        if (serial) GemmDriver.Run(av, bv, cp, g.N, g.M, g.N, g.K, g.Alpha, g.Beta);
        else ParallelGemm.Run(_pool, av, bv, cp, g.N, g.M, g.N, g.K, g.Alpha, g.Beta);
    }
}
