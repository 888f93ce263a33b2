namespace Functional.GpuCheck;

/// <summary>One agreement check's result: the largest relative error over the tensors it compared.</summary>
/// <param name="Name">The workload, e.g. "conv res 16x64x32x32>64 k3 f+b".</param>
/// <param name="Error">max over tensors of max|device − cpu| / max|cpu|; infinite when either side is not finite.</param>
/// <param name="Worst">The tensor that gave <paramref name="Error"/>.</param>
public sealed record AgreementResult(string Name, double Error, string Worst)
{
    /// <summary>The float32 bound of the check.</summary>
    public const double Bound = 1e-3;

    /// <summary>Whether the error is within <see cref="Bound"/>.</summary>
    public bool Passed => Error <= Bound;
}

/// <summary>
/// The error measure of the agreement checks. Each tensor's error is scaled by the largest magnitude of the Cpu
/// backend's tensor rather than element by element: a gradient element that cancels to nearly zero carries the
/// rounding of the large terms that met there, and dividing by it would report noise as disagreement.
/// </summary>
public static class Agreement
{
    /// <summary>max|device − cpu| / max|cpu| (0 when both are all zeros; infinite when either is not finite).</summary>
    /// <exception cref="ArgumentException">The tensors differ in length.</exception>
    public static double RelativeError(ReadOnlySpan<float> device, ReadOnlySpan<float> cpu)
    {
        if (device.Length != cpu.Length)
            throw new ArgumentException($"Agreement: the device tensor has {device.Length} elements, the Cpu one {cpu.Length}.");
        double diff = 0, scale = 0;
        for (var i = 0; i < cpu.Length; i++)
        {
            if (!float.IsFinite(device[i]) || !float.IsFinite(cpu[i])) return double.PositiveInfinity;
            diff = Math.Max(diff, Math.Abs((double)device[i] - cpu[i]));
            scale = Math.Max(scale, Math.Abs((double)cpu[i]));
        }
        return diff == 0 ? 0 : diff / Math.Max(scale, double.Epsilon);
    }

    /// <summary>The largest error over named pairs of tensors, and the name of the tensor that gave it.</summary>
    public static AgreementResult Worst(string name, IEnumerable<(string Name, TensorStorage Device, TensorStorage Cpu)> pairs)
    {
        var (error, worst) = (0.0, "");
        foreach (var (tensor, device, cpu) in pairs)
        {
            var e = RelativeError(device.ToHost().Span, cpu.ToHost().Span);
            if (e > error || worst.Length == 0) (error, worst) = (e, tensor);
        }
        return new AgreementResult(name, error, worst);
    }
}
