using Functional.Distributed;

namespace Functional.Tests.Distributed;

/// <summary>
/// N ranks as N threads of this process, for testing collective code without mpirun: each collective copies the
/// ranks' buffers into shared slots, meets at a barrier, and every rank reads the same result in the same order.
/// </summary>
internal sealed class ThreadGroup
{
    private readonly Barrier barrier;
    private readonly object?[] slots;

    private ThreadGroup(int size)
    {
        barrier = new Barrier(size);
        slots = new object?[size];
    }

    /// <summary>Runs <paramref name="body"/> once per rank, each on its own thread, and returns the results by rank.</summary>
    public static T[] Run<T>(int size, Func<ICommunicator, T> body)
    {
        var group = new ThreadGroup(size);
        var results = new T[size];
        var errors = new Exception?[size];
        var threads = Enumerable.Range(0, size).Select(r => new Thread(() =>
        {
            try { results[r] = body(new Member(group, r)); }
            catch (Exception e) { errors[r] = e; group.barrier.RemoveParticipant(); }
        }, 16 << 20)).ToArray();
        foreach (var t in threads) t.Start();
        foreach (var t in threads) t.Join();
        if (errors.FirstOrDefault(e => e is not null) is { } error) throw new AggregateException(error);
        return results;
    }

    private sealed class Member(ThreadGroup group, int rank) : ICommunicator
    {
        public int Rank => rank;
        public int Size => group.slots.Length;

        public void AllreduceSum(Span<float> values) => Reduce(values, (a, b) => a + b);
        public void AllreduceSum(Span<double> values) => Reduce(values, (a, b) => a + b);
        public void Broadcast(Span<float> values, int root) => FromRoot(values, root);
        public void Broadcast(Span<byte> values, int root) => FromRoot(values, root);
        public void Barrier() => group.barrier.SignalAndWait();

        private void Reduce<T>(Span<T> values, Func<T, T, T> add)
        {
            group.slots[rank] = values.ToArray();
            group.barrier.SignalAndWait();
            var sum = (T[])((T[])group.slots[0]!).Clone();
            for (var r = 1; r < Size; r++)
            {
                var other = (T[])group.slots[r]!;
                for (var i = 0; i < sum.Length; i++) sum[i] = add(sum[i], other[i]);
            }
            group.barrier.SignalAndWait();   // nobody overwrites a slot while another rank still reads it
            sum.CopyTo(values);
        }

        private void FromRoot<T>(Span<T> values, int root)
        {
            if (rank == root) group.slots[root] = values.ToArray();
            group.barrier.SignalAndWait();
            ((T[])group.slots[root]!).CopyTo(values);
            group.barrier.SignalAndWait();
        }
    }
}
