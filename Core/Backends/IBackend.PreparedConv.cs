namespace Functional.Backends;

public partial interface IBackend
{
    /// <summary>
    /// The filter <paramref name="w"/> of convs with geometry <paramref name="g"/> in the form this backend's forward
    /// reads it (on the Cpu backend: packed for its GEMM, or Winograd-transformed), made once for a caller that runs
    /// the same filter many times, as an inference plan does; null when the backend keeps no such form, which is what
    /// this default does. The result belongs to these filter values and to <paramref name="g"/> (any batch size).
    /// </summary>
    PreparedFilter? PrepareConvFilter(in ConvGeometry g, TensorStorage w) => null;

    /// <summary>
    /// <see cref="ConvForward"/>, or <see cref="ConvReLUForward"/> when <paramref name="relu"/>, reading the filter from
    /// <paramref name="prepared"/> (made by <see cref="PrepareConvFilter"/> from <paramref name="w"/>) where it can:
    /// the same bits as without it, minus the work of packing or transforming the filter on every call. With null,
    /// or a form made for another geometry, it runs the plain entry, which is what this default always does.
    /// </summary>
    void ConvForwardPrepared(in ConvGeometry g, TensorStorage x, TensorStorage w, PreparedFilter? prepared, TensorStorage? bias,
        TensorStorage y, bool relu)
    {
        if (relu) ConvReLUForward(g, x, w, bias, y);
        else ConvForward(g, x, w, bias, y);
    }
}

/// <summary>
/// A backend's own form of a conv filter (<see cref="IBackend.PrepareConvFilter"/>): opaque to callers, who keep it
/// beside the filter and hand it back to the backend that made it.
/// </summary>
public abstract class PreparedFilter
{
    /// <summary>For backends' own forms.</summary>
    protected PreparedFilter() { }
}
