using ExecutionContext = Functional.Backends.ExecutionContext;
using BenchmarkDotNet.Attributes;
using Functional.Backends;

namespace Functional.Benchmarks;

/// <summary>The nine comparison conv layers, forward and forward+backward, on the Cpu backend with every core.</summary>
[MemoryDiagnoser]
public class ConvBenchmarks
{
    private ConvWorkload _work = null!;

    /// <summary>Index into <see cref="ConvShape.All"/>.</summary>
    [ParamsSource(nameof(Shapes))]
    public int Shape { get; set; }

    /// <summary>0..8.</summary>
    public static IEnumerable<int> Shapes => Enumerable.Range(0, ConvShape.All.Length);

    /// <summary>Builds the workload outside the measured region.</summary>
    [GlobalSetup]
    public void Setup() => _work = new ConvWorkload(ExecutionContext.Cpu().Backend, ConvShape.All[Shape].Geometry());

    /// <summary>Forward only.</summary>
    [Benchmark]
    public void Forward() => _work.Forward();

    /// <summary>Forward, backward-data and backward-filter.</summary>
    [Benchmark]
    public void ForwardBackward() => _work.ForwardBackward();
}

/// <summary>Square and conv-shaped single-precision GEMMs on the Cpu backend with every core.</summary>
public class GemmBenchmarks
{
    private GemmWorkload _work = null!;

    /// <summary>"M×K×N".</summary>
    [Params("256x256x256", "1024x1024x1024", "2048x2048x2048", "64x576x1024", "64x576x131072")]
    public string Size { get; set; } = "";

    /// <summary>Builds the matrices outside the measured region.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var d = Size.Split('x').Select(int.Parse).ToArray();
        _work = new GemmWorkload(ExecutionContext.Cpu().Backend, d[0], d[1], d[2]);
    }

    /// <summary>C = A·B.</summary>
    [Benchmark]
    public void Gemm() => _work.Run();
}

/// <summary>Activations forward and backward, softmax forward and backward along dim 1, and a max along dim 1, on the Cpu backend with every core.</summary>
public class ElementwiseBenchmarks
{
    private ElementwiseWorkload _work = null!;

    /// <summary>"OP DIMS", as the serve line <c>ew OP DIMS</c>.</summary>
    [Params("sigmoid 128x64x32x32", "tanh 128x64x32x32", "softmax 128x1000", "logsoftmax 128x1000", "softmax 32x64x32x32", "max 128x64x32x32")]
    public string Case { get; set; } = "";

    /// <summary>Builds the buffers outside the measured region.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var p = Case.Split(' ');
        _work = new ElementwiseWorkload(ExecutionContext.Cpu().Backend, p[0], p[1]);
    }

    /// <summary>One pass.</summary>
    [Benchmark]
    public void Run() => _work.Run();
}
