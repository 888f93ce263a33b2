namespace Functional.Backends.Cpu;

/// <summary>
/// Persistent worker threads that run the items of one parallel loop. Items are handed out one at a time, so which
/// thread runs an item varies from run to run; kernels therefore give every item its own fixed slice of the output
/// and a fixed summation order, which makes results bit-identical for any thread count. Workers spin briefly
/// before sleeping: waking a sleeping thread costs tens of microseconds, which dominates small kernels.
/// </summary>
internal sealed class WorkerPool
{
    // About 200 µs: long enough to catch the next step of an inference plan (at 50 µs a sleeping worker woke late in
    // enough calls that LeNet-5 at batch 256 swung 1.2–1.5× from median to p90, against 1.1–1.3× now), short enough
    // not to starve other processes.
    private static readonly long SpinTicks = System.Diagnostics.Stopwatch.Frequency / 5_000;

    private readonly object _dispatch = new();
    private readonly object _sleep = new();
    private volatile Job? _current;
    private int _generation;
    private readonly ManualResetEventSlim _done = new(false, spinCount: 100);

    [ThreadStatic] private static bool t_inside;

    /// <summary>Starts <paramref name="threads"/> − 1 background workers; the calling thread is the last one.</summary>
    public WorkerPool(int threads)
    {
        Threads = threads;
        for (var i = 1; i < threads; i++)
            new Thread(WorkerLoop) { IsBackground = true, Name = $"functional-cpu-{i}" }.Start();
    }

    /// <summary>Threads that run items, the caller included.</summary>
    public int Threads { get; }

    /// <summary>
    /// Runs <paramref name="body"/> for items 0..count−1 and returns when all are done, rethrowing the first
    /// exception. A nested call, or a call while another thread owns the pool, runs inline on its caller.
    /// </summary>
    public void For(int count, Action<int> body)
    {
        if (count <= 0) return;
        if (Threads == 1 || count == 1 || t_inside || !Monitor.TryEnter(_dispatch))
        {
            for (var i = 0; i < count; i++) body(i);
            return;
        }
        try
        {
            var job = new Job(body, count, _done);
            _done.Reset();
            lock (_sleep)
            {
                _current = job;
                _generation++;
                Monitor.PulseAll(_sleep);
            }
            Work(job);
            _done.Wait();
            _current = null;
            if (job.Error is { } e) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(e);
        }
        finally
        {
            Monitor.Exit(_dispatch);
        }
    }

    private void WorkerLoop()
    {
        var seen = 0;
        while (true)
        {
            var until = System.Diagnostics.Stopwatch.GetTimestamp() + SpinTicks;
            while (Volatile.Read(ref _generation) == seen && System.Diagnostics.Stopwatch.GetTimestamp() < until) Thread.SpinWait(10);
            lock (_sleep)
            {
                while (_generation == seen) Monitor.Wait(_sleep);
                seen = _generation;
            }
            if (_current is { } job) Work(job);
        }
    }

    private static void Work(Job job)
    {
        t_inside = true;
        try
        {
            int i;
            while ((i = Interlocked.Increment(ref job.Next) - 1) < job.Count)
            {
                try { job.Body(i); }
                catch (Exception e) { Interlocked.CompareExchange(ref job.Error, e, null); }
                if (Interlocked.Decrement(ref job.Remaining) == 0) job.Done.Set();
            }
        }
        finally
        {
            t_inside = false;
        }
    }

    private sealed class Job(Action<int> body, int count, ManualResetEventSlim done)
    {
        public readonly ManualResetEventSlim Done = done;
        public readonly Action<int> Body = body;
        public readonly int Count = count;
        public int Next;
        public int Remaining = count;
        public Exception? Error;
    }
}
