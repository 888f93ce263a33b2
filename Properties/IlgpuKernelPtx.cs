using Functional.Backends.Ilgpu;
using ILGPU.Backends.EntryPoints;
using ILGPU.Backends.PTX;
using ILGPU.Runtime;
using ILGPU.Runtime.Cuda;
using System.Reflection;
using System.Text.RegularExpressions;
using Xunit;

namespace Functional.Properties;

/// <summary>
/// Every ILGPU kernel of the conv, pad, pool and GEMM families compiles to PTX for the H100's sm_90. This machine has
/// no GPU, so the CPU accelerator checks what the kernels compute and this checks that the CUDA backend accepts
/// how they are written (generic operand structs, static shared memory, barriers, NaN tests), with no device.
/// </summary>
[Collection(IlgpuCollection.Name)]
public class IlgpuKernelPtx(IlgpuCpuAccelerator device)
{
    private const BindingFlags Static = BindingFlags.NonPublic | BindingFlags.Static;

    // The kernels are private to their families; renaming one makes GetMethod return null and this law fail.
    private static IEnumerable<(string Name, MethodInfo Kernel, bool Tiled)> Kernels()
    {
        var tiled = typeof(TiledProduct).GetMethod("Kernel", Static)!;
        foreach (var operands in new[] { typeof(GemmKernels.Operands), typeof(ConvForwardOperands), typeof(ConvBackwardDataOperands), typeof(ConvBackwardFilterOperands) })
            yield return (operands.Name, tiled.MakeGenericMethod(operands), true);
        foreach (var family in new[] { typeof(PadKernels), typeof(PoolKernels) })
            foreach (var name in new[] { "ForwardKernel", "BackwardKernel" })
                yield return ($"{family.Name}.{name}", family.GetMethod(name, Static)!, false);
    }

    [Fact]
    [Trait("Law", "IlgpuKernel")]
    public void Every_kernel_compiles_to_PTX_for_sm_90()
    {
        using var backend = new PTXBackend(device.Accelerator.Context, CudaArchitecture.SM_90, CudaInstructionSet.ISA_80, null!);
        var kernels = Kernels().ToList();
        Assert.Equal(8, kernels.Count);
        foreach (var (name, kernel, tiled) in kernels)
        {
            Assert.True(kernel is not null, $"kernel {name} not found");
            var ptx = ((PTXCompiledKernel)backend.Compile(EntryPointDescription.FromExplicitlyGroupedKernel(kernel), KernelSpecialization.Empty)).PTXAssembly;
            // ILGPU writes the PTX ISA's own base target (sm_80 for ISA 8.0), which sm_90 runs.
            Assert.True(Regex.IsMatch(ptx, @"\.target\s+sm_\d+") && ptx.Contains(".entry"), $"{name}: no kernel entry in {ptx[..Math.Min(400, ptx.Length)]}");
            // FUNCTIONAL_PTX_DIR keeps the PTX, to read what a GPU will run.
            if (Environment.GetEnvironmentVariable("FUNCTIONAL_PTX_DIR") is { Length: > 0 } dir) File.WriteAllText(Path.Combine(dir, $"{name}.ptx"), ptx);
            // The tiled products stage their panels in shared memory and meet at barriers; the grid-stride ones need neither.
            Assert.Equal(tiled, ptx.Contains(".shared") && ptx.Contains("bar.sync"));
        }
    }
}
