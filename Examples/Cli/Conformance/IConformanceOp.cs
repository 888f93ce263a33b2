using ExecutionContext = Functional.Backends.ExecutionContext;

namespace Functional.Cli.Conformance;

/// <summary>
/// Runs one op of a reference case. Each op family implements its ops in its own file and registers them in
/// <see cref="ConformanceOps"/>.
/// </summary>
internal interface IConformanceOp
{
    /// <summary>The forward output for the case's inputs and params.</summary>
    Tensor Forward(ExecutionContext ctx, ConformanceCase c);

    /// <summary>The gradient of each input the case names, for upstream gradient <paramref name="gy"/>.</summary>
    IReadOnlyDictionary<string, Tensor> Backward(ExecutionContext ctx, ConformanceCase c, Tensor gy);
}

/// <summary>Every op the conformance runner knows, by the <c>op</c> name used in case files.</summary>
internal static class ConformanceOps
{
    public static IReadOnlyDictionary<string, IConformanceOp> All { get; } = Build();

    // One line per op family.
    private static Dictionary<string, IConformanceOp> Build()
    {
        var ops = new Dictionary<string, IConformanceOp>(StringComparer.Ordinal);
        ConvCases.Register(ops);
        PoolCases.Register(ops);
        ActivationCases.Register(ops);
        LayerCases.Register(ops);
        LeNetCases.Register(ops);
        FunctionCases.Register(ops);
        return ops;
    }
}
