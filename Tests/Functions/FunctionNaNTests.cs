using Functional.Functions;
using Xunit;
using ExecutionContext = Functional.Backends.ExecutionContext;

namespace Functional.Tests.Functions;

/// <summary>Where PyTorch propagates NaN, the tensor functions do too: a NaN in gives NaN out, never a silent number.</summary>
public class FunctionNaNTests
{
    [Fact]
    public void Activations_clamp_abs_pow_and_norms_propagate_nan_on_every_host_backend()
    {
        var x = Tensor.FromArray(Shape.Of(1, 2, 2), [float.NaN, -4f, 0.5f, 4f]);
        foreach (var ctx in new[] { ExecutionContext.Reference, ExecutionContext.Cpu(2) })
        {
            foreach (var (name, f) in new (string, Func<Var, Var>)[]
            {
                ("gelu", v => Fn.Gelu(v)), ("gelu tanh", v => Fn.Gelu(v, tanh: true)), ("silu", Fn.Silu), ("hardswish", Fn.Hardswish),
                ("mish", Fn.Mish), ("clamp", v => Fn.Clamp(v, -1f, 1f)), ("abs", Fn.Abs), ("pow", v => Fn.Pow(v, 2f)),
            })
            {
                var (y, pullback) = Vjp.Of(f, x, ctx);
                Assert.True(float.IsNaN(y.Span[0]), $"{ctx} {name}(NaN) = {y.Span[0]}");
                Assert.True(y.ToArray().Skip(1).All(float.IsFinite), $"{ctx} {name}: a NaN leaked into other elements");
                // PyTorch's backward at NaN: clamp's mask is false (0); hardswish's branches fall through to passing dy (1).
                var g = pullback(Tensor.Ones(x.Shape)).Span[0];
                Assert.True(name switch { "clamp" => g == 0f, "hardswish" => g == 1f, _ => float.IsNaN(g) },
                    $"{ctx} {name}: the gradient at NaN is {g}");
            }
            // A norm's statistics include the NaN, so its whole group is NaN, as PyTorch's.
            var norm = Vjp.Of(v => Fn.GroupNorm(v, 1, Tensor.Ones(Shape.Of(2)), Tensor.Zeros(Shape.Of(2))), x, ctx).Value;
            Assert.All(norm.ToArray(), v => Assert.True(float.IsNaN(v)));
        }
    }
}
