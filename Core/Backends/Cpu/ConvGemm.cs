using System.Runtime.CompilerServices;

namespace Functional.Backends.Cpu;

/// <summary>
/// Convolutions as GEMMs over blocks of images of one channel group: forward y = W_g·col, backward-data
/// dcol = W_gᵀ·dy then the im2col adjoint, backward-filter dW_g = Σ dy·colᵀ. Small images are batched side by side
/// in one column matrix, so each GEMM has about <see cref="TargetColumns"/> columns and packs W once per block rather
/// than once per image. A pointwise conv (1×1, stride 1, no padding) of a lone image needs no column matrix at all.
/// </summary>
internal static unsafe class ConvGemm
{
    // Backward-filter sums over the batch in at most this many fixed chunks of images, each into its own partial.
    private const int FilterChunks = 8;
    // Chunk partials cost chunks × the filter's size. A filter larger than this many floats has enough dW tiles to
    // keep every thread busy, so its whole batch goes through one GEMM sum split over those tiles, with no partials.
    private const long PartialFloats = 1 << 22;
    private const int TargetColumns = 1024;

    /// <summary>Images side by side in one GEMM; a function of the geometry alone, never of the thread count.</summary>
    public static int ImagesPerBlock(in ConvGeometry g) => Math.Clamp(TargetColumns / Math.Max(1, g.Output.Product), 1, Math.Max(1, g.Batch));

    /// <summary>
    /// Images per block of forward and backward-data: as many blocks as <see cref="ImagesPerBlock"/> makes, with the
    /// images spread evenly over them (16 images of 14×14 as 4 × 4, not 5 + 5 + 5 + 1, which left one of two threads
    /// idle for a fifth of MobileNet's 14×14 layers). These passes sum each element over its taps alone, so the block
    /// size never changes a bit; the filter gradient, which sums over the images of a block, keeps its own blocks.
    /// </summary>
    public static int BlockImages(in ConvGeometry g)
    {
        var nb = ImagesPerBlock(g);
        var blocks = (g.Batch + nb - 1) / nb;
        return Math.Max(1, (g.Batch + blocks - 1) / Math.Max(1, blocks));
    }

    /// <summary>Work items of forward and backward-data: (image block, group) pairs.</summary>
    public static int Items(in ConvGeometry g)
    {
        var nb = BlockImages(g);
        return (g.Batch + nb - 1) / nb * g.Groups;
    }

    /// <summary>y[block, group] = bias + W_g · col (then the ReLU when <paramref name="relu"/>), the bias and the ReLU
    /// applied as the GEMM stores its tiles rather than in passes of their own.
    /// <paramref name="prepacked"/>, when not null, holds each group's W_g packed whole (<see cref="PackedA"/>), one after another.</summary>
    public static void Forward(WorkerPool pool, in ConvGeometry g, float* x, float* w, float* bias, float* y, int item, bool serial, bool relu,
        float* prepacked = null)
    {
        var (n0, count, grp, rows, positions) = Item(g, item);
        var packed = prepacked == null ? default : PackedA.Over(prepacked + grp * PackedA.Length(g.OutPerGroup, rows), g.OutPerGroup, rows);
        if (PaddedInput.Applies(g) && !(count == 1 && IsPointwise(g)))
        {
            ConvFused.Forward(pool, g, x, w, bias, y, item, serial, relu, packed);
            return;
        }
        var (m, cols) = (g.OutPerGroup, count * positions);
        var a = new Strided(w + (long)grp * m * rows, rows, 1);
        var start = bias == null ? null : bias + grp * m;
        var e = Epilogue.Start | (relu ? Epilogue.ReLU : Epilogue.None);
        if (count == 1 && IsPointwise(g))
        {
            Gemm(pool, serial, a, new Strided(Input(g, x, n0, grp), positions, 1), Output(g, y, n0, grp), positions, m, positions, rows, start, e, packed);
            return;
        }
        var buffer = Scratch.Rent(rows * cols + (count == 1 ? 0 : m * cols));
        try
        {
            fixed (float* col = buffer)
            {
                for (var i = 0; i < count; i++) Im2Col.Gather(g, Input(g, x, n0 + i, grp), g.InPerGroup, col + i * positions, cols);
                if (count == 1) { Gemm(pool, serial, a, new Strided(col, cols, 1), Output(g, y, n0, grp), positions, m, cols, rows, start, e, packed); return; }
                var yb = col + (long)rows * cols;
                Gemm(pool, serial, a, new Strided(col, cols, 1), yb, cols, m, cols, rows, start, e, packed);
                Rows(g, yb, y, n0, count, grp, m, toBlock: false);
            }
        }
        finally { Scratch.Return(buffer); }
    }

    /// <summary>dx[block, group] = im2colᵀ(W_gᵀ · dy[block, group]).</summary>
    public static void BackwardData(WorkerPool pool, in ConvGeometry g, float* dy, float* w, float* dx, int item, bool serial)
    {
        var (n0, count, grp, rows, positions) = Item(g, item);
        var (m, cols) = (g.OutPerGroup, count * positions);
        var a = new Strided(w + (long)grp * m * rows, 1, rows);
        if (count == 1 && IsPointwise(g))
        {
            Gemm(pool, serial, a, new Strided(Output(g, dy, n0, grp), positions, 1), Input(g, dx, n0, grp), positions, rows, positions, m, 0f);
            return;
        }
        var buffer = Scratch.Rent(rows * cols + (count == 1 ? 0 : m * cols));
        try
        {
            fixed (float* dcol = buffer)
            {
                var b = Output(g, dy, n0, grp);
                if (count > 1)
                {
                    b = dcol + (long)rows * cols;
                    Rows(g, b, dy, n0, count, grp, m, toBlock: true);
                }
                Gemm(pool, serial, a, new Strided(b, cols, 1), dcol, cols, rows, cols, m, 0f);
                for (var i = 0; i < count; i++)
                {
                    var dxp = Input(g, dx, n0 + i, grp);
                    new Span<float>(dxp, g.InPerGroup * g.Input.Product).Clear();
                    Im2Col.Scatter(g, dcol + i * positions, g.InPerGroup, dxp, cols);
                }
            }
        }
        finally { Scratch.Return(buffer); }
    }

    /// <summary>
    /// dW = Σ_n dy[n]·col(x[n])ᵀ. Images are summed in fixed chunks (their number depends on the batch alone),
    /// each chunk into its own partial, and the partials are then added in chunk order.
    /// </summary>
    public static void BackwardFilter(WorkerPool pool, in ConvGeometry g, float* x, float* dy, float* dw)
    {
        var perChunk = (g.Batch + FilterChunks - 1) / FilterChunks;
        var length = g.WeightLength;
        var chunks = g.Batch == 0 ? 0 : (g.Batch + perChunk - 1) / perChunk;
        if ((long)chunks * length > PartialFloats) chunks = Math.Min(chunks, 1);
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
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void BiasGradient(in ConvGeometry g, float* dy, float* dbias, int co)
    {
        var positions = g.Output.Product;
        var total = 0f;
        for (var n = 0; n < g.Batch; n++) total += Simd.Sum(dy + (long)(n * g.OutChannels + co) * positions, positions);
        dbias[co] = total;
    }

    // Images first..first+count−1, in blocks of ImagesPerBlock, each block one GEMM with K = images × positions.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void FilterChunk(WorkerPool pool, in ConvGeometry g, float* x, float* dy, float* dw, int first, int count, bool serial)
    {
        // colᵀ packs eight positions per vector only where they are neighbouring floats of the padded copy.
        if (PaddedInput.Applies(g) && PaddedInput.Contiguous(g) && !IsPointwise(g))
        {
            ConvFused.FilterChunk(pool, g, x, dy, dw, first, count, serial);
            return;
        }
        var (rows, positions, m, nb) = (g.InPerGroup * g.Kernel.Product, g.Output.Product, g.OutPerGroup, ImagesPerBlock(g));
        for (var n0 = first; n0 < first + count; n0 += nb)
        {
            var images = Math.Min(nb, first + count - n0);
            var cols = images * positions;
            var direct = images == 1 && IsPointwise(g);
            var buffer = Scratch.Rent((direct ? 0 : rows * cols) + (images == 1 ? 0 : m * cols));
            try
            {
                fixed (float* scratch = buffer)
                    for (var grp = 0; grp < g.Groups; grp++)
                    {
                        var col = direct ? Input(g, x, n0, grp) : scratch;
                        if (!direct)
                            for (var i = 0; i < images; i++) Im2Col.Gather(g, Input(g, x, n0 + i, grp), g.InPerGroup, col + i * positions, cols);
                        var a = Output(g, dy, n0, grp);
                        if (images > 1)
                        {
                            a = scratch + (long)rows * cols;
                            Rows(g, a, dy, n0, images, grp, m, toBlock: true);
                        }
                        Gemm(pool, serial, new Strided(a, cols, 1), new Strided(col, 1, cols), dw + (long)grp * m * rows, rows,
                            m, rows, cols, n0 == first ? 0f : 1f);
                    }
            }
            finally { Scratch.Return(buffer); }
        }
    }

    // Moves the m channel rows of a group between count images of y (N×C_out×positions) and one block matrix
    // whose row co holds every image's positions side by side.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Rows(in ConvGeometry g, float* block, float* y, int n0, int count, int grp, int m, bool toBlock)
    {
        var positions = g.Output.Product;
        var cols = count * positions;
        for (var i = 0; i < count; i++)
            for (var co = 0; co < m; co++)
            {
                var image = new Span<float>(Output(g, y, n0 + i, grp) + (long)co * positions, positions);
                var row = new Span<float>(block + (long)co * cols + i * positions, positions);
                if (toBlock) image.CopyTo(row); else row.CopyTo(image);
            }
    }

    private static void Gemm(WorkerPool pool, bool serial, Strided a, Strided b, float* c, int ldc, int m, int n, int k, float* start, Epilogue e,
        PackedA packed)
    {
        if (serial) GemmDriver.Run(a, new StridedPanel(b), c, ldc, m, n, k, 1f, 1f, start, e, packed);
        else ParallelGemm.Run(pool, a, new StridedPanel(b), c, ldc, m, n, k, 1f, 1f, start, e, packed);
    }

    private static void Gemm(WorkerPool pool, bool serial, Strided a, Strided b, float* c, int ldc, int m, int n, int k, float beta)
    {
        if (serial) GemmDriver.Run(a, b, c, ldc, m, n, k, 1f, beta);
        else ParallelGemm.Run(pool, a, b, c, ldc, m, n, k, 1f, beta);
    }

    /// <summary>1×1 kernel, unit stride, no padding and output extent equal to the input's: im2col is the identity.</summary>
    public static bool IsPointwise(in ConvGeometry g) =>
        g.Kernel.Product == 1 && g.Stride == new Dims3(1, 1, 1) && g.PadBefore == new Dims3(0, 0, 0) && g.Output == g.Input;

    internal static float* Input(in ConvGeometry g, float* x, int n, int grp) => x + (long)(n * g.InChannels + grp * g.InPerGroup) * g.Input.Product;

    internal static float* Output(in ConvGeometry g, float* y, int n, int grp) => y + (long)(n * g.OutChannels + grp * g.OutPerGroup) * g.Output.Product;

    internal static (int N0, int Count, int Group, int Rows, int Positions) Item(in ConvGeometry g, int item)
    {
        var nb = BlockImages(g);
        var n0 = item / g.Groups * nb;
        return (n0, Math.Min(nb, g.Batch - n0), item % g.Groups, g.InPerGroup * g.Kernel.Product, g.Output.Product);
    }
}
