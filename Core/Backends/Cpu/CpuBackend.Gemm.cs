namespace Functional.Backends.Cpu;

public sealed partial class CpuBackend
{
    /// <inheritdoc />
    public unsafe void Gemm(in GemmGeometry g, TensorStorage a, TensorStorage b, TensorStorage c)
    {
        float[] av = Host(a), bv = Host(b), cv = Host(c);
        CheckGemm(g, av.Length, bv.Length, cv.Length);
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

    // The kernels index through raw pointers, so every matrix of the batch is bounds-checked here, once.
    private static void CheckGemm(in GemmGeometry g, int aLength, int bLength, int cLength)
    {
        if (g.M < 0 || g.N < 0 || g.K < 0 || g.Batch < 0 || g.StrideA < 0 || g.StrideB < 0 || g.StrideC < 0
            || g.OffsetA < 0 || g.OffsetB < 0 || g.OffsetC < 0)
            throw new ArgumentException($"Cpu Gemm: sizes, strides and offsets must not be negative ({g}).");
        if (g.Batch == 0) return;
        Fits(g, "A", aLength, g.OffsetA, g.StrideA, (long)g.M * g.K);
        Fits(g, "B", bLength, g.OffsetB, g.StrideB, (long)g.K * g.N);
        Fits(g, "C", cLength, g.OffsetC, g.StrideC, (long)g.M * g.N);

        static void Fits(in GemmGeometry g, string name, int length, int offset, int stride, long size)
        {
            var end = offset + (long)(g.Batch - 1) * stride + size;
            if (size > 0 && end > length)
                throw new ArgumentException(
                    $"Cpu Gemm: matrix {name} of the batch ends at element {end}, beyond its buffer of {length} ({g}).");
        }
    }
}
