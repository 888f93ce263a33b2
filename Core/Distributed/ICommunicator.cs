namespace Functional.Distributed;

/// <summary>
/// The collective operations data-parallel training needs, over a fixed group of ranks. Every rank must make the
/// same calls in the same order with buffers of the same length; a call returns once every rank has made it.
/// <see cref="Mpi.MpiWorld"/> implements it over Open MPI.
/// </summary>
public interface ICommunicator
{
    /// <summary>This process's rank, from 0 to <see cref="Size"/> − 1.</summary>
    int Rank { get; }

    /// <summary>The number of ranks in the group.</summary>
    int Size { get; }

    /// <summary>Replaces <paramref name="values"/> on every rank by its element-wise sum over all ranks.</summary>
    void AllreduceSum(Span<float> values);

    /// <summary>Replaces <paramref name="values"/> on every rank by its element-wise sum over all ranks.</summary>
    void AllreduceSum(Span<double> values);

    /// <summary>Replaces <paramref name="values"/> on every rank by rank <paramref name="root"/>'s.</summary>
    void Broadcast(Span<float> values, int root);

    /// <summary>Replaces <paramref name="values"/> on every rank by rank <paramref name="root"/>'s.</summary>
    void Broadcast(Span<byte> values, int root);

    /// <summary>Returns once every rank has called it.</summary>
    void Barrier();
}
