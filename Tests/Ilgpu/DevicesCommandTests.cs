using Functional.Tests.Support;
using Xunit;

namespace Functional.Tests.Ilgpu;

public class DevicesCommandTests
{
    [Fact]
    public void Devices_lists_the_cpu_accelerator_and_names_the_device_ilgpu_picks()
    {
        var (code, output, error) = InProcessCli.Run(["devices"]);
        Assert.True(code == 0, error);
        // The CPU accelerator is listed as the one simulated device the backend and the kernel laws run on.
        var simulated = ILGPU.Runtime.CPU.CPUDevice.GetDevice(Backends.Ilgpu.IlgpuDevices.CpuDeviceKind);
        Assert.Matches($@"(?m)^cpu: .+ \(\d+\.\d GiB, warp {simulated.WarpSize}, {simulated.MaxNumThreadsPerGroup} threads per group\)$", output);
        Assert.Matches(@"(?m)^--backend ilgpu uses: ilgpu:(cuda|opencl|cpu) ", output);
    }

    [Fact]
    public void Asking_for_a_device_ilgpu_does_not_have_is_a_usage_error_listing_what_it_has()
    {
        if (Backends.Ilgpu.IlgpuDevices.List().Any(d => d.Kind == Backends.Ilgpu.IlgpuKind.OpenCL)) return;   // only where none exists
        var (code, _, error) = InProcessCli.Run(["conformance", "--backend", "ilgpu:opencl", "conformance/none.json"]);
        Assert.Equal(2, code);
        Assert.Contains("--backend ilgpu:opencl: ILGPU found no opencl device; it found: cpu:", error);
    }
}
