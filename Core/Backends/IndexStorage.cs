namespace Functional;

/// <summary>Integer buffers owned by a backend (max-pool argmax). Host form below; a device adds its own.</summary>
public abstract class IndexStorage
{
    /// <summary>Number of entries.</summary>
    public abstract int Length { get; }
}

/// <summary>Integer buffer in managed memory.</summary>
public sealed class HostIndexStorage : IndexStorage
{
    internal HostIndexStorage(int[] data) => Data = data;

    /// <summary>The entries. Only the kernel filling a fresh buffer writes them.</summary>
    internal int[] Data { get; }

    /// <inheritdoc />
    public override int Length => Data.Length;
}
