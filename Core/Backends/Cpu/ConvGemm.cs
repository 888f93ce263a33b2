namespace Functional.Backends.Cpu;

/// <summary>
/// Convolutions of one (image, group) item as GEMMs: forward y = W_g·col, backward-data dcol = W_gᵀ·dy then the
/// im2col adjoint, backward-filter dW_g = Σ dy·colᵀ. A pointwise conv (1×1, stride 1, no padding) needs no column
/// matrix: the input planes already are one.
/// </summary>
internal static unsafe class ConvGemm
{
    // Backward-filter sums over the batch in at most this many fixed chunks of images, each into its own partial.
    private const int FilterChunks = 8;

    /// <summary>y[n, group] = bias + W_g · col(x[n, group]).</summary>
    public static void Forward(WorkerPool pool, in ConvGeometry g, float* x, float* w, float* bias, float* y, int item, bool serial)
    {
        var (n, grp, rows, positions) = Item(g, item);
        var yp = y + (long)(n * g.OutChannels + grp * g.OutPerGroup) * positions;
        for (var co = 0; co < g.OutPerGroup; co++)
            Simd.Fill(yp + (long)co * positions, bias == null ? 0f : bias[grp * g.OutPerGroup + co], positions);
        var xp = x + (long)(n * g.InChannels + grp * g.InPerGroup) * g.Input.Product;
        var a = new Strided(w + (long)grp * g.OutPerGroup * rows, rows, 1);
        var m = g.OutPerGroup;
        WithColumns(g, xp, rows, positions, col =>
            Gemm(pool, serial, a, new Strided(col, positions, 1), yp, positions, m, positions, rows, 1f));
    }

    /// <summary>dx[n, group] = im2colᵀ(W_gᵀ · dy[n, group]).</summary>
    public static void BackwardData(WorkerPool pool, in ConvGeometry g, float* dy, float* w, float* dx, int item, bool serial)
    {
        var (n, grp, rows, positions) = Item(g, item);
        var dyp = dy + (long)(n * g.OutChannels + grp * g.OutPerGroup) * positions;
        var dxp = dx + (long)(n * g.InChannels + grp * g.InPerGroup) * g.Input.Product;
        var a = new Strided(w + (long)grp * g.OutPerGroup * rows, 1, rows);
        var b = new Strided(dyp, positions, 1);
        if (IsPointwise(g))
        {
            Gemm(pool, serial, a, b, dxp, positions, rows, positions, g.OutPerGroup, 0f);
            return;
        }
        var dcol = Scratch.Rent(rows * positions);
        try
        {
            fixed (float* pc = dcol)
            {
                Gemm(pool, serial, a, b, pc, positions, rows, positions, g.OutPerGroup, 0f);
                new Span<float>(dxp, g.InPerGroup * g.Input.Product).Clear();
                Im2Col.Scatter(g, pc, g.InPerGroup, dxp);
            }
        }
        finally { Scratch.Return(dcol); }
    }

    /// <summary>
    /// dW = Σ_n dy[n]·col(x[n])ᵀ. Images are summed in fixed chunks (their number depends on the batch alone),
    /// each chunk into its own partial, and the partials are then added in chunk order.
    /// </summary>
    public static void BackwardFilter(WorkerPool pool, in ConvGeometry g, float* x, float* dy, float* dw)
    {
        var perChunk = (g.Batch + FilterChunks - 1) / FilterChunks;
        var chunks = g.Batch == 0 ? 0 : (g.Batch + perChunk - 1) / perChunk;
        var length = g.WeightLength;
        if (chunks <= 1)
        {
            new Span<float>(dw, length).Clear();
            if (chunks == 1) FilterChunk(pool, g, x, dy, dw, 0, g.Batch, serial: false);
            return;
        }
        var partials = Scratch.Rent(chunks * length);
        try
        {
            fixed (float* pp = partials)
            {
                var (geo, ax, ady, ap) = (g, (nint)x, (nint)dy, (nint)pp);
                pool.For(chunks, c =>
                    FilterChunk(pool, geo, (float*)ax, (float*)ady, (float*)ap + (long)c * length, c * perChunk,
                        Math.Min(perChunk, geo.Batch - c * perChunk), serial: true));
                const int span = 1 << 14;
                var (adw, parts) = ((nint)dw, chunks);
                pool.For((length + span - 1) / span, s =>
                {
                    var start = s * span;
                    var count = Math.Min(span, length - start);
                    var dst = (float*)adw + start;
                    new Span<float>((float*)ap + start, count).CopyTo(new Span<float>(dst, count));
                    for (var c = 1; c < parts; c++) Simd.Add(dst, (float*)ap + (long)c * length + start, count);
                });
            }
        }
        finally { Scratch.Return(partials); }
    }

    /// <summary>dbias[co] = Σ_n Σ_o dy[n, co, o], images in order.</summary>
    public static void BiasGradient(in ConvGeometry g, float* dy, float* dbias, int co)
    {
        var positions = g.Output.Product;
        var total = 0f;
        for (var n = 0; n < g.Batch; n++) total += Simd.Sum(dy + (long)(n * g.OutChannels + co) * positions, positions);
        dbias[co] = total;
    }

    private static void FilterChunk(WorkerPool pool, in ConvGeometry g, float* x, float* dy, float* dw, int first, int count, bool serial)
    {
        var rows = g.InPerGroup * g.Kernel.Product;
        var positions = g.Output.Product;
        for (var n = first; n < first + count; n++)
            for (var grp = 0; grp < g.Groups; grp++)
            {
                var dyp = dy + (long)(n * g.OutChannels + grp * g.OutPerGroup) * positions;
                var xp = x + (long)(n * g.InChannels + grp * g.InPerGroup) * g.Input.Product;
                var c = dw + (long)grp * g.OutPerGroup * rows;
                var (beta, m) = (n == first ? 0f : 1f, g.OutPerGroup);
                WithColumns(g, xp, rows, positions, col =>
                    Gemm(pool, serial, new Strided(dyp, positions, 1), new Strided(col, 1, positions), c, rows,
                        m, rows, positions, beta));
            }
    }

    // Hands body the column matrix of the planes at xp: the planes themselves for a pointwise conv, else pooled scratch.
    private static void WithColumns(in ConvGeometry g, float* xp, int rows, int positions, ColumnsBody body)
    {
        if (IsPointwise(g)) { body(xp); return; }
        var col = Scratch.Rent(rows * positions);
        try
        {
            fixed (float* pc = col)
            {
                Im2Col.Gather(g, xp, g.InPerGroup, pc);
                body(pc);
            }
        }
        finally { Scratch.Return(col); }
    }

    private delegate void ColumnsBody(float* col);

    private static void Gemm(WorkerPool pool, bool serial, Strided a, Strided b, float* c, int ldc, int m, int n, int k, float beta)
    {
        if (serial) GemmDriver.Run(a, b, c, ldc, m, n, k, 1f, beta);
        else ParallelGemm.Run(pool, a, b, c, ldc, m, n, k, 1f, beta);
    }

    /// <summary>1×1 kernel, unit stride, no padding and output extent equal to the input's: im2col is the identity.</summary>
    public static bool IsPointwise(in ConvGeometry g) =>
        g.Kernel.Product == 1 && g.Stride == new Dims3(1, 1, 1) && g.PadBefore == new Dims3(0, 0, 0) && g.Output == g.Input;

    private static (int N, int Group, int Rows, int Positions) Item(in ConvGeometry g, int item) =>
        (item / g.Groups, item % g.Groups, g.InPerGroup * g.Kernel.Product, g.Output.Product);
}
