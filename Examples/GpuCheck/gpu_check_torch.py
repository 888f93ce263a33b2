#!/usr/bin/env python3
"""The PyTorch side of gpu-check: times one workload per request line on CUDA and answers its median in ms.

Started by gpu-check as `python3 -u gpu_check_torch.py serve` when torch imports with CUDA. The first line it prints
is `ready <description>`; then each request gets one answer line, a number of milliseconds or `error: <why>`:

  conv N C H W C_out K STRIDE PAD GROUPS REPS   conv forward + input, weight and bias gradients
  gemm N REPS                                   N×N by N×N float32 product
  lenet BATCH REPS                              LeNet-5 SGD step (ReLU, max pooling) on a fixed random batch
  resnet BATCH WIDTH SIDE REPS                  ResNet-18 (CIFAR) SGD step; WIDTH 64 and SIDE 32 are torchvision's
  peak                                          MiB of max_memory_allocated since the last resnet request began
  epoch BATCH COUNT DIR|-                       one shuffled LeNet-5 epoch over COUNT Fashion-MNIST images (IDX
                                                files in DIR, or synthetic bytes), host to device per batch
  quit

TF32 is off, so float32 meets float32. Each timing synchronises the device before the clock stops.
"""
import gzip
import os
import statistics
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.backends.cudnn.allow_tf32 = False
torch.backends.cuda.matmul.allow_tf32 = False
DEVICE = torch.device("cuda")
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))


def median_ms(fn, reps):
    fn()  # warm-up: cuDNN picks its algorithms and kernels load on the first call
    torch.cuda.synchronize()
    times = []
    for _ in range(reps):
        start = time.perf_counter()
        fn()
        torch.cuda.synchronize()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def conv(n, c, h, w, co, k, s, p, g, reps):
    layer = nn.Conv2d(c, co, k, stride=s, padding=p, groups=g).to(DEVICE)
    x = torch.randn(n, c, h, w, device=DEVICE, requires_grad=True)
    dy = torch.randn_like(layer(x))
    return median_ms(lambda: torch.autograd.grad(layer(x), [x, layer.weight, layer.bias], dy), reps)


def gemm(n, reps):
    a, b = torch.randn(n, n, device=DEVICE), torch.randn(n, n, device=DEVICE)
    return median_ms(lambda: torch.mm(a, b), reps)


class LeNet(nn.Module):
    """The zoo's LeNet.Modern(): conv 6@5×5 pad 2, ReLU, max pool 2, conv 16@5×5, ReLU, max pool 2, 120, 84, 10."""

    def __init__(self):
        super().__init__()
        self.c1, self.c3 = nn.Conv2d(1, 6, 5, padding=2), nn.Conv2d(6, 16, 5)
        self.f5, self.f6, self.f7 = nn.Linear(400, 120), nn.Linear(120, 84), nn.Linear(84, 10)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.c1(x)), 2)
        x = F.max_pool2d(F.relu(self.c3(x)), 2)
        x = F.relu(self.f5(x.flatten(1)))
        return self.f7(F.relu(self.f6(x)))


def resnet(width, classes=10):
    """The CPU comparison's ResNet-18 (scripts/bench_torch.py, shipped alongside), whose parameter count pins it to
    torchvision's; only its own width is built here."""
    if width != 64:
        raise ValueError(f"ResNet-18 width {width}: only the standard width 64 is timed against PyTorch")
    import bench_torch
    return bench_torch.resnet18_cifar(torch, classes)


def train_step(net, images, labels):
    opt = torch.optim.SGD(net.parameters(), lr=0.01)

    def step():
        opt.zero_grad(set_to_none=True)
        F.cross_entropy(net(images), labels).backward()
        opt.step()
    return step


def lenet(batch, reps):
    torch.manual_seed(0)
    images, labels = torch.rand(batch, 1, 28, 28, device=DEVICE), torch.randint(0, 10, (batch,), device=DEVICE)
    return median_ms(train_step(LeNet().to(DEVICE).train(), images, labels), reps)


def resnet_step(batch, width, side, reps):
    torch.cuda.empty_cache()
    torch.cuda.reset_peak_memory_stats()
    torch.manual_seed(0)
    images, labels = torch.rand(batch, 3, side, side, device=DEVICE), torch.randint(0, 10, (batch,), device=DEVICE)
    return median_ms(train_step(resnet(width).to(DEVICE).train(), images, labels), reps)


def read_idx(path, header):
    with open(path, "rb") as f:
        raw = f.read()
    if raw[:2] == b"\x1f\x8b":
        raw = gzip.decompress(raw)
    return torch.frombuffer(bytearray(raw[header:]), dtype=torch.uint8)


def epoch(batch, count, folder):
    if folder == "-":
        g = torch.Generator().manual_seed(5)
        pixels = torch.randint(0, 256, (count, 1, 28, 28), dtype=torch.uint8, generator=g)
        labels = torch.randint(0, 10, (count,), generator=g)
    else:
        pixels = read_idx(os.path.join(folder, "train-images-idx3-ubyte.gz"), 16).view(-1, 1, 28, 28)[:count]
        labels = read_idx(os.path.join(folder, "train-labels-idx1-ubyte.gz"), 8)[:count].long()
    torch.manual_seed(0)
    net = LeNet().to(DEVICE).train()
    opt = torch.optim.SGD(net.parameters(), lr=0.01)
    order = torch.randperm(len(labels))
    torch.cuda.synchronize()
    start = time.perf_counter()
    for i in range(0, len(order), batch):
        idx = order[i:i + batch]
        x = (pixels[idx].float() / 255).to(DEVICE, non_blocking=True)
        y = labels[idx].to(DEVICE, non_blocking=True)
        opt.zero_grad(set_to_none=True)
        F.cross_entropy(net(x), y).backward()
        opt.step()
    torch.cuda.synchronize()
    return (time.perf_counter() - start) * 1000


def peak():
    return torch.cuda.max_memory_allocated() / 2 ** 20


WORK = {"conv": conv, "gemm": gemm, "lenet": lenet, "resnet": resnet_step, "peak": peak, "epoch": epoch}


def serve():
    print(f"ready PyTorch {torch.__version__} on {torch.cuda.get_device_name(0)} (TF32 off)", flush=True)
    for line in sys.stdin:
        parts = line.split()
        if not parts or parts[0] == "quit":
            break
        try:
            args = [a if a == "-" or not a.lstrip("-").isdigit() else int(a) for a in parts[1:]]
            print(f"{WORK[parts[0]](*args):.4f}", flush=True)
        except Exception as e:  # the answer names the failure; gpu-check drops the peer's column
            print(f"error: {type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}", flush=True)


if __name__ == "__main__":
    if sys.argv[1:] != ["serve"]:
        sys.exit("usage: gpu_check_torch.py serve   (started by gpu-check; see the docstring)")
    if not torch.cuda.is_available():
        print("error: torch has no CUDA here", flush=True)
        sys.exit(1)
    serve()
