using System.Runtime.CompilerServices;
using ILGPU.Runtime;

namespace Functional.Backends.Ilgpu;

/// <summary>
/// One compiled set of kernels per accelerator, built on first use. Compiling costs far more than a launch and the
/// backend calls each family from any thread, so the set is built exactly once (a racing thread waits on the same
/// lazy value) and lives as long as its accelerator: the weak table keeps no accelerator alive.
/// </summary>
internal sealed class KernelCache<TSet> where TSet : class
{
    private readonly ConditionalWeakTable<Accelerator, Lazy<TSet>> sets = new();
    private readonly Func<Accelerator, TSet> load;

    /// <summary>A cache that builds each accelerator's set with <paramref name="load"/>.</summary>
    public KernelCache(Func<Accelerator, TSet> load) => this.load = load;

    /// <summary>The set for <paramref name="accelerator"/>, compiled on first call.</summary>
    public TSet For(Accelerator accelerator) =>
        sets.GetValue(accelerator, a => new Lazy<TSet>(() => load(a), LazyThreadSafetyMode.ExecutionAndPublication)).Value;
}
