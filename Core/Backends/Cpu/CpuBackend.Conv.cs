namespace Functional.Backends.Cpu;

// The convolution family as GEMMs over (image, group) items: W_g[C_out/G × rows] · col[rows × positions].
public sealed partial class CpuBackend
{
    /// <inheritdoc />
    public void ConvForward(in ConvGeometry g, TensorStorage x, TensorStorage w, TensorStorage? bias, TensorStorage y) =>
        ConvForward(g, x, w, bias, y, relu: false);

    /// <inheritdoc />
    public void ConvReLUForward(in ConvGeometry g, TensorStorage x, TensorStorage w, TensorStorage? bias, TensorStorage y) =>
        ConvForward(g, x, w, bias, y, relu: true);

    // The GEMM paths apply the ReLU as they store their tiles, the depthwise kernels on each plane while it is in cache.
    // A prepared filter (an inference plan's) stands in for the filter's per-call packing or transform.
    private unsafe void ConvForward(in ConvGeometry g, TensorStorage x, TensorStorage w, TensorStorage? bias, TensorStorage y, bool relu,
        CpuPreparedFilter? prepared = null)
    {
        float[] xs = Host(x), ws = Host(w), ys = Host(y), bs = bias is null ? [] : Host(bias);
        SeamChecks.Conv(g, xs.Length, ws.Length, bias is null ? null : bs.Length, ys.Length, relu ? "cpu ConvReLUForward" : "cpu ConvForward");
        var geo = g;
        var path = ForwardPath(g);
        float* pu = prepared?.Winograd is { } u ? u.Start : null, pp = prepared?.Packed is { } packed ? packed.Start : null;
        fixed (float* px = xs, pw = ws, py = ys, pb = bs)
        {
            var (ax, aw, ay, ab, ap) = ((nint)px, (nint)pw, (nint)py, bias is null ? 0 : (nint)pb, (nint)pp);
            switch (path)
            {
                case ConvPath.DepthwisePlanes:
                    _pool.For(DepthwisePlanes.Items(g.Batch * g.OutChannels), i =>
                        DepthwisePlanes.Forward(geo, (float*)ax, (float*)aw, (float*)ab, (float*)ay, i, relu));
                    break;
                case ConvPath.DepthwiseStride2:
                    _pool.For(DepthwisePlanes.Items(g.Batch * g.OutChannels), i =>
                        DepthwiseStride2.Forward(geo, (float*)ax, (float*)aw, (float*)ab, (float*)ay, i, relu));
                    break;
                case ConvPath.Depthwise:
                    _pool.For(g.Batch * g.OutChannels, i =>
                    {
                        DepthwiseKernels.ForwardPlane(geo, (float*)ax, (float*)aw, (float*)ab, (float*)ay, i / geo.OutChannels, i % geo.OutChannels);
                        if (relu) ReLUInPlace((float*)ay + (long)i * geo.Output.Product, geo.Output.Product);
                    });
                    break;
                case ConvPath.SmallChannels:
                    SmallConvRows.Forward(_pool, g, px, pw, bias is null ? null : pb, py, relu);
                    break;
                case ConvPath.Winograd when Winograd.Forward(_pool, g, px, pw, g.InChannels * 9, 9, flip: false, bias is null ? null : pb, py, relu, pu):
                    break;
                default:
                    // The GEMM, and any Winograd call that met a non-finite value.
                    ForItems(g, (item, serial) => ConvGemm.Forward(_pool, geo, (float*)ax, (float*)aw, (float*)ab, (float*)ay, item, serial, relu, (float*)ap));
                    break;
            }
        }
        // The prepared buffers are pinned and read through raw pointers: their owner must outlive the kernels.
        GC.KeepAlive(prepared);
    }

    private enum ConvPath { DepthwisePlanes, DepthwiseStride2, Depthwise, SmallChannels, Winograd, Gemm }

    // Which kernels run a forward conv; a non-finite input still falls from Winograd to the GEMM at run time.
    private static ConvPath ForwardPath(in ConvGeometry g) =>
        IsDepthwise(g) && DepthwisePlanes.Applies(g) ? ConvPath.DepthwisePlanes
        : IsDepthwise(g) && DepthwiseStride2.Applies(g) ? ConvPath.DepthwiseStride2
        : IsDepthwise(g) ? ConvPath.Depthwise
        : SmallConvRows.AppliesForward(g) ? ConvPath.SmallChannels
        : Winograd.Applies(g) ? ConvPath.Winograd
        : ConvPath.Gemm;

    /// <inheritdoc />
    public unsafe void ConvBackwardData(in ConvGeometry g, TensorStorage dy, TensorStorage w, TensorStorage dx)
    {
        float[] dys = Host(dy), ws = Host(w), dxs = Host(dx);
        SeamChecks.Conv(g, dxs.Length, ws.Length, null, dys.Length, "cpu ConvBackwardData");
        var geo = g;
        fixed (float* pdy = dys, pw = ws, pdx = dxs)
        {
            var (ady, aw, adx) = ((nint)pdy, (nint)pw, (nint)pdx);
            if (IsDepthwise(g) && DepthwisePlanes.Applies(g))
            {
                _pool.For(DepthwisePlanes.Items(g.Batch * g.InChannels), i =>
                    DepthwisePlanes.BackwardData(geo, (float*)ady, (float*)aw, (float*)adx, i));
                return;
            }
            if (IsDepthwise(g))
            {
                _pool.For(g.Batch * g.InChannels, i =>
                    DepthwiseKernels.BackwardDataPlane(geo, (float*)ady, (float*)aw, (float*)adx, i / geo.InChannels, i % geo.InChannels));
                return;
            }
            if (SmallConvRows.AppliesBackwardData(g))
            {
                SmallConvRows.BackwardData(_pool, g, pdy, pw, pdx);
                return;
            }
            // dx is the 3×3 conv of dy with the rotated filter (channels swapped), read from w in place.
            var flipped = ConvFused.Flipped(g);
            if (Winograd.Applies(flipped) && Winograd.Forward(_pool, flipped, pdy, pw, 9, g.InChannels * 9, flip: true, null, pdx, relu: false))
                return;
            if (ConvFused.TransposeApplies(g)) BackwardDataFlipped(g, pdy, pw, pdx);
            else ForItems(g, (item, serial) => ConvGemm.BackwardData(_pool, geo, (float*)ady, (float*)aw, (float*)adx, item, serial));
        }
    }

    /// <inheritdoc />
    public unsafe void ConvBackwardFilter(in ConvGeometry g, TensorStorage x, TensorStorage dy, TensorStorage dw, TensorStorage? dbias)
    {
        float[] xs = Host(x), dys = Host(dy), dws = Host(dw), dbs = dbias is null ? [] : Host(dbias);
        SeamChecks.Conv(g, xs.Length, dws.Length, dbias is null ? null : dbs.Length, dys.Length, "cpu ConvBackwardFilter");
        var geo = g;
        fixed (float* px = xs, pdy = dys, pdw = dws, pdb = dbs)
        {
            var (ax, ady, adw, adb) = ((nint)px, (nint)pdy, (nint)pdw, dbias is null ? 0 : (nint)pdb);
            if (IsDepthwise(g) && DepthwisePlanes.Applies(g))
            {
                DepthwiseFilter.BackwardFilter(_pool, g, px, pdy, pdw, dbias is null ? null : pdb);
                return;
            }
            if (dbias is not null)
                _pool.For(g.OutChannels, co => ConvGemm.BiasGradient(geo, (float*)ady, (float*)adb, co));
            if (IsDepthwise(g))
                _pool.For(g.OutChannels, co => DepthwiseKernels.BackwardFilterChannel(geo, (float*)ax, (float*)ady, (float*)adw, co));
            else if (SmallConvRows.AppliesForward(g) && SmallConvFilter.Fits(g))
                SmallConvFilter.BackwardFilter(_pool, g, px, pdy, pdw);
            else if (!(Winograd.Applies(g) && WinogradFilter.Run(_pool, g, px, pdy, pdw)))
                ConvGemm.BackwardFilter(_pool, g, px, pdy, pdw);
        }
    }

    // dx as the forward conv of dy with the flipped filter: the fused GEMM reads dy in place and no column
    // gradient is scattered back.
    private unsafe void BackwardDataFlipped(in ConvGeometry g, float* dy, float* w, float* dx)
    {
        var flipped = Scratch.Rent(g.WeightLength);
        try
        {
            fixed (float* pf = flipped)
            {
                ConvFused.FlipWeights(g, w, pf);
                var (t, ady, af, adx) = (ConvFused.Flipped(g), (nint)dy, (nint)pf, (nint)dx);
                ForItems(t, (item, serial) => ConvFused.Forward(_pool, t, (float*)ady, (float*)af, null, (float*)adx, item, serial, false));
            }
        }
        finally { Scratch.Return(flipped); }
    }

    // The ReLU entry's own kernel, so the same bits as a separate ReLU.
    internal static unsafe void ReLUInPlace(float* y, int n) => VectorKernels.Unary(UnaryOp.ReLU, 0f, y, y, n);

    /// <summary>One input channel per group, more than one group: the direct kernels beat im2col + GEMM.</summary>
    private static bool IsDepthwise(in ConvGeometry g) => g.InPerGroup == 1 && g.Groups > 1;

    // Items are (image, group) pairs. With enough of them each runs a single-threaded GEMM; otherwise the items
    // run in turn and each GEMM is split over the threads. Either way every element is summed the same way.
    private void ForItems(in ConvGeometry g, Action<int, bool> item)
    {
        var items = ConvGemm.Items(g);
        if (items >= Threads && items > 1) _pool.For(items, i => item(i, true));
        else for (var i = 0; i < items; i++) item(i, false);
    }
}
