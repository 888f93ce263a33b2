namespace Functional.Backends.Cpu;

/// <summary>
/// Floats that live as long as their owner and start on a cache line: a pinned array (it never moves, so the start
/// is worked out once) with the slack to reach the line. Prepared filters use it, read on every call of a plan.
/// </summary>
internal sealed unsafe class AlignedBuffer
{
    private readonly float[] _array;

    /// <summary>A buffer of <paramref name="length"/> floats, all zero.</summary>
    public AlignedBuffer(int length)
    {
        _array = GC.AllocateArray<float>(length + Scratch.AlignSlack, pinned: true);
        fixed (float* p = _array) Start = Scratch.Align(p);
    }

    /// <summary>The first float, on a cache line.</summary>
    public float* Start { get; }
}
