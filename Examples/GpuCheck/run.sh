#!/bin/sh
# Runs the GPU check from this folder, on a machine that needs no .NET: only glibc and, for CUDA, the NVIDIA driver.
# Nothing is downloaded. When python3 imports torch with CUDA, PyTorch is timed beside ours (gpu_check_torch.py).
# Options: gpu-check --help. Exit status: 0 every agreement check passed, 1 one failed, 2 bad usage or no device.
here=$(cd "$(dirname "$0")" && pwd)
exec "$here/gpu-check" "$@"
