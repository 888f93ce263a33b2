#!/usr/bin/env python3
"""Times Functional's Cpu backend and PyTorch on the same workloads, interleaved in one run, and prints both.

Our side runs in a child process (Benchmarks' `serve` mode) that answers one workload per line with its median
time; PyTorch runs here (the ResNet-18 step's peak memory in a fresh interpreter). Each round times every workload on both sides back to back, and the table reports the
median over rounds, so load from other processes hits both sides alike. The ratio is torch_time / our_time:
above 1 means Functional is faster. The last line is `conv f+b geomean torch/ours: X.XX` (the nine conv shapes).
Inference rows (`--inference` runs only them) time the networks of tools/make_bench_onnx.py in ONNX Runtime, PyTorch
and Functional from one exported file each (made at bench time), and end with `inference geomean ort/ours: X.XX`.
Without PyTorch the script installs python3-torch when it runs as root with apt, and otherwise prints our side only.
It needs nothing else from PyTorch's ecosystem (the ResNet-18 is built here from torch.nn, not torchvision).
The GEMM rows compare against the system BLAS that numpy and torch load (libblas.so.3): the script prints which one
each side uses, and when that is the reference BLAS (plain loops, ~30x slower than a tuned one) it installs
libopenblas0-pthread as root, or else marks those rows not comparable.
"""
import argparse
import math
import os
import re
import shutil
import statistics
import subprocess
import sys
import time

CONV = [  # name, N, C, H, W, C_out, k, stride, pad, groups: the order of Benchmarks/Workloads.cs
    ("lenet-c1 64x1x28x28>6 k5", 64, 1, 28, 28, 6, 5, 1, 0, 1),
    ("lenet-c3 64x6x14x14>16 k5", 64, 6, 14, 14, 16, 5, 1, 0, 1),
    ("stem 128x3x32x32>64 k3", 128, 3, 32, 32, 64, 3, 1, 1, 1),
    ("res 128x64x32x32>64 k3", 128, 64, 32, 32, 64, 3, 1, 1, 1),
    ("res 128x128x16x16>128 k3", 128, 128, 16, 16, 128, 3, 1, 1, 1),
    ("res 128x256x8x8>256 k3", 128, 256, 8, 8, 256, 3, 1, 1, 1),
    ("imagenet 32x3x224x224>64 k7s2", 32, 3, 224, 224, 64, 7, 2, 3, 1),
    ("pointwise 128x64x32x32>128 k1", 128, 64, 32, 32, 128, 1, 1, 0, 1),
    ("depthwise 128x64x32x32 k3 g64", 128, 64, 32, 32, 64, 3, 1, 1, 64),
]
RESNET = "resnet18 128"  # ResNet-18 (CIFAR) train step at batch 128: seconds per step, so few runs
# Activations and softmax forward+backward, a max, all along dim 1: the element-wise kernels (`ew OP DIMS`).
ELEMENTWISE = ["sigmoid 128x64x32x32", "tanh 128x64x32x32", "softmax 128x1000", "logsoftmax 128x1000",
               "softmax 32x64x32x32", "max 128x64x32x32"]
GEMM = [(256, 256, 256), (1024, 1024, 1024), (2048, 2048, 2048), (64, 576, 1024), (64, 576, 131072)]
# The conv-shaped GEMM is CONV[3]'s forward: W (64×576) times its im2col matrix (576×131072). Our conv packs that
# matrix straight from the padded input; the BLAS route has to build it first, so a row times numpy doing both.
CONV_GEMM, CONV_GEMM_OF = (64, 576, 131072), 3


# Inference: network (a file of tools/make_bench_onnx.py), batch. ONNX Runtime and ours run in the serve process.
INFERENCE = [("lenet5", 1), ("lenet5", 64), ("lenet5", 256), ("resnet18-cifar", 1), ("resnet18-cifar", 128), ("mobilenet-v1", 16)]
ONNX_DIR = os.path.join("artifacts", "bench-onnx")

QUICK_RESNET = True  # a quick run with the row measured 2 min 51 s in all (docs/cpu.md)


def parse():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--ours", required=True, help="command that starts Functional.Benchmarks (without 'serve')")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--rounds", type=int, default=3, help="interleaved rounds; the table shows the median")
    p.add_argument("--seconds", type=float, default=0.4, help="time budget per workload per round and side")
    p.add_argument("--only", metavar="PREFIX", help="time only the workloads whose serve line starts with PREFIX (e.g. resnet18)")
    p.add_argument("--quick", action="store_true", help="one round, shorter budget, skip the largest GEMMs")
    p.add_argument("--inference", action="store_true", help="only the inference rows (same as --only infer)")
    return p.parse_args()


def import_torch():
    try:
        import torch  # noqa: F401
        return torch
    except ImportError:
        pass
    if os.geteuid() == 0 and shutil.which("apt-get"):
        print("installing python3-torch with apt-get (benchmark comparison only)", flush=True)
        subprocess.run(["apt-get", "install", "-y", "-q", "python3-torch"], check=False, stdout=subprocess.DEVNULL)
        try:
            import torch  # noqa: F401
            return torch
        except ImportError:
            pass
    print("PyTorch is not available: printing Functional's times only", flush=True)
    return None


LIBBLAS = "/usr/lib/x86_64-linux-gnu/libblas.so.3"  # Debian's alternative, which numpy and torch both link


def blas_kind(path):
    """What a BLAS library file is, from the folder Debian's alternatives put it in."""
    p = path.lower()
    for key, name in (("openblas", "OpenBLAS"), ("mkl", "MKL"), ("blis", "BLIS"), ("atlas", "ATLAS"), ("flexiblas", "FlexiBLAS")):
        if key in p:
            return name
    return "reference BLAS (netlib, unoptimised)" if re.search(r"/blas/libblas\.so", p) else "unknown BLAS"


def ensure_tuned_blas():
    """Before numpy or torch load: install OpenBLAS when libblas.so.3 is the reference BLAS and we may (root + apt).
    Returns True when the comparison BLAS is a tuned one."""
    target = os.path.realpath(LIBBLAS)
    if not os.path.exists(LIBBLAS) or not blas_kind(target).startswith("reference"):
        return True
    if os.geteuid() == 0 and shutil.which("apt-get"):
        print(f"libblas.so.3 is the reference BLAS ({target}): installing libopenblas0-pthread as the comparison BLAS", flush=True)
        subprocess.run(["apt-get", "install", "-y", "-q", "libopenblas0-pthread"], check=False, stdout=subprocess.DEVNULL)
        return not blas_kind(os.path.realpath(LIBBLAS)).startswith("reference")
    return False


def loaded_blas():
    """The BLAS-like shared libraries mapped into this process (threadpoolctl when present, else /proc/self/maps)."""
    try:
        from threadpoolctl import threadpool_info
        found = [i["filepath"] for i in threadpool_info() if i.get("user_api") == "blas"]
        if found:
            return sorted(set(found))
    except ImportError:
        pass
    try:
        with open("/proc/self/maps") as maps:
            paths = {line.split()[-1] for line in maps if "/" in line}
    except OSError:
        return []
    return sorted(p for p in paths if re.search(r"lib(open)?blas|mkl_rt|libblis|libflexiblas|libatlas", os.path.basename(p)))


def blas_report(torch):
    """One line per side: the BLAS it was built against and the file that is loaded for it."""
    try:
        import numpy as np
    except ImportError:
        np = None
    loaded = loaded_blas()
    where = ", ".join(f"{p} ({blas_kind(p)})" for p in loaded) or "none loaded"
    lines = []
    if torch is not None:
        info = re.search(r"BLAS_INFO=([^,\s]+)", torch.__config__.show())
        lines.append(f"BLAS, torch: built with {info.group(1) if info else 'unknown'}; loaded {where}")
    if np is not None:
        config = getattr(np.__config__, "blas_opt_info", None) or {}
        libs = ",".join(dict.fromkeys(config.get("libraries", []))) or "see numpy.show_config()"
        lines.append(f"BLAS, numpy {np.__version__}: linked against {libs}; loaded {where}")
    comparable = bool(loaded) and not any(blas_kind(p).startswith("reference") for p in loaded)
    return lines, comparable


class Ours:
    def __init__(self, command, threads, seconds):
        self.proc = subprocess.Popen(command.split() + ["serve", str(threads), str(seconds)],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        ready = self.proc.stdout.readline().strip()
        if not ready.startswith("ready"):
            sys.exit(f"bench: the benchmark process did not start ({ready!r})")

    def ask(self, line):
        self.proc.stdin.write(line + "\n")
        self.proc.stdin.flush()
        answer = self.proc.stdout.readline().strip()
        if not answer or answer.startswith("error"):
            sys.exit(f"bench: '{line}' failed: {answer}")
        return answer

    def time(self, line):
        return float(self.ask(line))

    def close(self):
        self.proc.stdin.write("quit\n")
        self.proc.stdin.close()
        self.proc.wait()


def median_ms(fn, seconds, min_runs=3, warm_up=True):
    if warm_up:
        fn()
    times, start = [], time.perf_counter()
    while len(times) < min_runs or (time.perf_counter() - start < seconds and len(times) < 200):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def resnet18_cifar(torch, classes=10):
    """ResNet-18 as torchvision builds it (BasicBlocks 2-2-2-2, widths 64-512, 1×1 projection shortcuts), made the
    CIFAR variant of Dsl/Zoo: 3×3 stride-1 stem, no max pool. Built here so the bench needs no torchvision; the
    parameter count pins it to torchvision's resnet18(num_classes=10) with that stem (11,173,962)."""
    import torch.nn as nn

    class Block(nn.Module):
        def __init__(self, cin, cout, stride):
            super().__init__()
            self.conv1, self.bn1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False), nn.BatchNorm2d(cout)
            self.conv2, self.bn2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False), nn.BatchNorm2d(cout)
            self.downsample = (nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))
                               if stride != 1 or cin != cout else nn.Identity())

        def forward(self, x):
            y = torch.relu(self.bn1(self.conv1(x)))
            return torch.relu(self.bn2(self.conv2(y)) + self.downsample(x))

    blocks = [Block(64, 64, 1), Block(64, 64, 1), Block(64, 128, 2), Block(128, 128, 1),
              Block(128, 256, 2), Block(256, 256, 1), Block(256, 512, 2), Block(512, 512, 1)]
    net = nn.Sequential(nn.Conv2d(3, 64, 3, 1, 1, bias=False), nn.BatchNorm2d(64), nn.ReLU(), *blocks,
                        nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(512, classes))
    count = sum(p.numel() for p in net.parameters())
    assert count == 11_173_962, f"ResNet-18 (CIFAR) has {count} parameters, not torchvision's 11,173,962"
    return net


def resnet_step(torch, batch):
    """ResNet-18 (CIFAR): one SGD step (forward in training mode, cross-entropy, backward, update)."""
    import torch.nn.functional as F
    torch.manual_seed(0)
    net = resnet18_cifar(torch)
    net.train()
    opt = torch.optim.SGD(net.parameters(), lr=0.01)
    images, labels = torch.rand(batch, 3, 32, 32), torch.randint(0, 10, (batch,))

    def step():
        opt.zero_grad(set_to_none=True)
        F.cross_entropy(net(images), labels).backward()
        opt.step()
    return step


def torch_resnet_peak(threads):
    """PyTorch's peak resident set (ru_maxrss) for the ResNet-18 step alone, measured in a fresh interpreter so the
    other workloads' buffers do not count: a warm-up step and three more, like our `memory` line."""
    code = (f"import resource, sys, torch; torch.set_num_threads({threads}); sys.path.insert(0, {os.path.dirname(os.path.abspath(__file__))!r}); "
            "import bench_torch; step = bench_torch.resnet_step(torch, 128)\n"
            "for _ in range(4): step()\n"
            "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    return f"peak resident set {float(out.stdout.strip()):.0f} MiB" if out.returncode == 0 else f"failed: {out.stderr.strip()[-200:]}"


def torch_workloads(torch):
    """Closures keyed like our serve lines."""
    import torch.nn as nn
    import torch.nn.functional as F
    torch.manual_seed(0)
    work = {}
    for i, (_, n, c, h, w, co, k, s, p, g) in enumerate(CONV):
        conv = nn.Conv2d(c, co, k, stride=s, padding=p, groups=g)
        x = torch.randn(n, c, h, w, requires_grad=True)
        dy = torch.randn_like(conv(x))

        def fwd(conv=conv, x=x):
            with torch.no_grad():
                conv(x)

        def fb(conv=conv, x=x, dy=dy):
            torch.autograd.grad(conv(x), [x, conv.weight, conv.bias], dy)
        work[f"conv {i} fwd"], work[f"conv {i} fb"] = fwd, fb
    for m, k, n in GEMM:
        a, b = torch.randn(m, k), torch.randn(k, n)
        work[f"gemm {m} {k} {n}"] = lambda a=a, b=b: torch.mm(a, b)

    class LeNet(nn.Module):
        def __init__(self):
            super().__init__()
            self.c1, self.c3 = nn.Conv2d(1, 6, 5, padding=2), nn.Conv2d(6, 16, 5)
            self.f5, self.f6, self.f7 = nn.Linear(400, 120), nn.Linear(120, 84), nn.Linear(84, 10)

        def forward(self, x):
            x = F.max_pool2d(F.relu(self.c1(x)), 2)
            x = F.max_pool2d(F.relu(self.c3(x)), 2)
            x = F.relu(self.f5(x.flatten(1)))
            return self.f7(F.relu(self.f6(x)))
    net = LeNet()
    opt = torch.optim.SGD(net.parameters(), lr=0.01)
    images, labels = torch.rand(64, 1, 28, 28), torch.randint(0, 10, (64,))

    def lenet_step():
        opt.zero_grad(set_to_none=True)
        F.cross_entropy(net(images), labels).backward()
        opt.step()
    for case in ELEMENTWISE:
        op, dims = case.split()
        x = (torch.rand(*map(int, dims.split("x"))) * 8 - 4).requires_grad_(op != "max")
        f = {"sigmoid": torch.sigmoid, "tanh": torch.tanh, "softmax": lambda t: F.softmax(t, 1),
             "logsoftmax": lambda t: F.log_softmax(t, 1), "max": lambda t: torch.amax(t, 1)}[op]
        if op == "max":
            work["ew " + case] = lambda f=f, x=x: f(x)
        else:
            dy = torch.rand_like(x) * 2 - 1
            work["ew " + case] = lambda f=f, x=x, dy=dy: torch.autograd.grad(f(x), [x], dy)
    work["lenet 64"] = lenet_step
    work["lenet-model 64"] = lenet_step  # our side through Model.LossAndGradients; PyTorch has one way only
    work[RESNET] = resnet_step(torch, 128)
    try:
        import numpy as np
        for m, k, n in GEMM:
            a, b = np.random.rand(m, k).astype(np.float32), np.random.rand(k, n).astype(np.float32)
            work[f"numpy gemm {m} {k} {n}"] = lambda a=a, b=b: a @ b
        work["numpy im2col gemm"] = numpy_im2col_gemm(np, CONV[CONV_GEMM_OF])
    except ImportError:
        pass
    return work


def numpy_im2col_gemm(np, shape):
    """The conv as BLAS runs it: pad, copy the im2col matrix (C·k·k rows, N·H_out·W_out columns), one sgemm. The
    output stays in GEMM order (C_out × N·positions), which spares numpy the copy back to NCHW that our conv does."""
    _, n, c, h, w, co, k, _, p, _ = shape
    x, wt = np.random.rand(n, c, h, w).astype(np.float32), np.random.rand(co, c * k * k).astype(np.float32)
    oh, ow = h + 2 * p - k + 1, w + 2 * p - k + 1

    def run():
        xp = np.pad(x, ((0, 0), (0, 0), (p, p), (p, p)))
        s = xp.strides
        view = np.lib.stride_tricks.as_strided(xp, (c, k, k, n, oh, ow), (s[1], s[2], s[3], s[0], s[2], s[3]))
        return wt @ np.ascontiguousarray(view).reshape(c * k * k, n * oh * ow)
    return run


def inference_models(torch):
    """The inference networks as ONNX files (exported here when missing) and, with PyTorch, as the same modules."""
    if torch is None:
        return None   # the files may still be there from an earlier run: ORT and ours are timed without PyTorch
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tools"))
    import make_bench_onnx
    if not all(os.path.exists(os.path.join(ONNX_DIR, f"{n}.onnx")) for n, _ in INFERENCE):
        print(f"exporting the inference networks to {ONNX_DIR} (tools/make_bench_onnx.py)", file=sys.stderr, flush=True)
        make_bench_onnx.export(ONNX_DIR)
    return make_bench_onnx


def infer_line(side, name, batch):
    return f"infer {side} {os.path.join(ONNX_DIR, name + '.onnx')} {batch}"


def torch_inference(torch, builder, work):
    """PyTorch inference closures keyed like our `infer ours` lines: eval mode, no autograd."""
    for name, batch in INFERENCE:
        net, shape = builder.build(name)
        x = torch.rand(batch, *shape)

        def run(net=net, x=x):
            with torch.inference_mode():
                net(x)
        work[infer_line("ours", name, batch)] = run


def main():
    args = parse()
    if args.inference:
        args.only = "infer"
    if args.quick:
        args.rounds, args.seconds = 1, min(args.seconds, 0.25)
    # Thread pools read these when the libraries load: every side gets the same number of threads.
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[var] = str(args.threads)
    tuned = ensure_tuned_blas()   # before numpy and torch load libblas.so.3
    torch = import_torch()
    if torch is not None:
        torch.set_num_threads(args.threads)
    lines = [f"conv {i} {m}" for i in range(len(CONV)) for m in ("fwd", "fb")]
    lines += [f"gemm {m} {k} {n}" for m, k, n in GEMM if not (args.quick and m * k * n > 1024 ** 3)]
    lines += ["ew " + case for case in ELEMENTWISE]
    lines += ["lenet 64", "lenet-model 64"]
    if QUICK_RESNET or not args.quick:
        lines += [RESNET]
    builder = inference_models(torch)
    if not all(os.path.exists(os.path.join(ONNX_DIR, f"{n}.onnx")) for n, _ in INFERENCE):
        print(f"no ONNX files in {ONNX_DIR} (PyTorch exports them): skipping the inference rows", file=sys.stderr)
    else:
        lines += [infer_line("ours", n, b) for n, b in INFERENCE]
    if args.only:
        lines = [line for line in dict.fromkeys(lines + [RESNET]) if line.startswith(args.only)]
    # Each peak working set is a process's high-water mark, so each step is measured first in a process of its own.
    # Our step is also timed there: the main serve process keeps every other workload's tensors (over a GiB), and a
    # garbage collector told to conserve memory works around them on each of the step's 1.8 GiB of allocations, which
    # no training program carries (4.5 s against 3.0 s a step in one run).
    resnet_memory, alone = {}, None
    if RESNET in lines:
        print("measuring the ResNet-18 step's memory (ours, then PyTorch's in a fresh interpreter)", file=sys.stderr, flush=True)
        alone = Ours(args.ours, args.threads, args.seconds)
        resnet_memory["ours"] = alone.ask("memory " + RESNET)
        if torch is not None:
            resnet_memory["torch"] = torch_resnet_peak(args.threads)
    ours = Ours(args.ours, args.threads, args.seconds)
    memory = ours.ask("memory lenet 64") if "lenet 64" in lines else None
    theirs = torch_workloads(torch) if torch is not None else {}
    if torch is not None:
        torch_inference(torch, builder, theirs)
    times = {line: ([], [], []) for line in lines}
    ort = {line: [] for line in lines if line.startswith("infer ")}   # ONNX Runtime's median, and p90s of both
    spread = {line: ([], []) for line in ort}
    conv_gemm = "gemm {} {} {}".format(*CONV_GEMM)
    fused = ([], []) if conv_gemm in lines and "numpy im2col gemm" in theirs else None
    for r in range(args.rounds):
        for line in lines:
            if line in ort:
                # ONNX Runtime, ours, PyTorch back to back, each answering with its median (and p90: the swing).
                o_med, o_p90 = map(float, ours.ask(line.replace("infer ours", "infer ort", 1)).split())
                ort[line].append(o_med)
                spread[line][1].append(o_p90)
                med, p90 = map(float, ours.ask(line).split())
                times[line][0].append(med)
                spread[line][0].append(p90)
                if line in theirs:
                    times[line][1].append(median_ms(theirs[line], args.seconds))
                continue
            times[line][0].append((alone if line == RESNET else ours).time(line))
            if line in theirs:
                # The ResNet step mirrors our serve mode: two timed steps a round, one warm-up in all.
                slow = line == RESNET
                times[line][1].append(median_ms(theirs[line], args.seconds, 2 if slow else 3, not slow or r == 0))
            if "numpy " + line in theirs:
                times[line][2].append(median_ms(theirs["numpy " + line], args.seconds))
            if line == conv_gemm and fused is not None:
                fused[0].append(ours.time(f"conv {CONV_GEMM_OF} fwd"))
                fused[1].append(median_ms(theirs["numpy im2col gemm"], args.seconds))
        print(f"round {r + 1}/{args.rounds} done", file=sys.stderr, flush=True)
    ours.close()
    if alone is not None:
        alone.close()
    if memory:
        print(f"\nLeNet-5 step, batch 64 (ours): {memory}")
    for side, figure in resnet_memory.items():
        print(f"ResNet-18 (CIFAR) step, batch 128 ({side}): {figure}")
    blas_lines, comparable = blas_report(torch)
    for line in blas_lines:
        print(line)
    report(times, torch, args.threads, fused, comparable and tuned, ort, spread)


def label(line):
    parts = line.split()
    if parts[0] == "conv":
        return f"{CONV[int(parts[1])][0]} {'f+b' if parts[2] == 'fb' else 'fwd'}"
    if parts[0] == "gemm":
        return f"sgemm {parts[1]}x{parts[2]}x{parts[3]}"
    if parts[0] == "ew":
        op, dims = parts[1], parts[2]
        return f"{op} {dims} {'fwd' if op == 'max' else 'f+b'} (dim 1)"
    if parts[0] == "infer":
        return f"{os.path.basename(parts[2]).removesuffix('.onnx')} inference, batch {parts[3]}"
    if parts[0] == "resnet18":
        return f"ResNet-18 (CIFAR) train step, batch {parts[1]}"
    if parts[0] == "lenet-model":
        return f"LeNet-5 train step via the model, batch {parts[1]}"
    return f"LeNet-5 train step, batch {parts[1]}"


def report_inference(times, torch, ort, spread):
    """The inference table: ONNX Runtime, PyTorch and ours (median ms), both ratios, and each side's p90/median."""
    if not ort:
        return
    print(f"\nInference (eval mode), {len(next(iter(ort.values())))} interleaved rounds, median ms; ratios > 1: ours faster; p90/med: how far repeated calls swing")
    print(f"{'network, batch':34} {'ORT ms':>9} {'torch ms':>9} {'ours ms':>9} {'ort/ours':>8} {'torch/ours':>10}"
          f" {'p90/med ORT':>11} {'ours':>6}")
    ratios = []
    for line, o in ort.items():
        ours = statistics.median(times[line][0])
        theirs = statistics.median(times[line][1]) if times[line][1] else float("nan")
        ort_ms = statistics.median(o)
        ratios.append(ort_ms / ours)
        ours_p90 = statistics.median(spread[line][0]) / ours
        ort_p90 = statistics.median(spread[line][1]) / ort_ms
        print(f"{label(line):34} {ort_ms:9.3f} {theirs:9.3f} {ours:9.3f} {ort_ms / ours:8.2f} {theirs / ours:10.2f}"
              f" {ort_p90:11.2f} {ours_p90:6.2f}")
    print(f"inference geomean ort/ours: {math.exp(sum(map(math.log, ratios)) / len(ratios)):.2f}")


def report(times, torch, threads, fused=None, blas_comparable=True, ort=None, spread=None):
    version = torch.__version__ if torch is not None else "absent"
    inference = {line: v for line, v in times.items() if ort and line in ort}
    times = {line: v for line, v in times.items() if line not in inference}
    if times:
        print(f"\nFunctional cpu vs PyTorch {version}, {threads} threads, median ms (ratio = torch / ours, >1: ours faster)")
        print(f"{'workload':46} {'ours ms':>10} {'torch ms':>10} {'ratio':>7}  {'ours GF/s':>9}")
    ratios = []
    for line, (ours, theirs, blas) in times.items():
        o = statistics.median(ours)
        t = statistics.median(theirs) if theirs else None
        gf = ""
        if line.startswith("gemm"):
            m, k, n = map(int, line.split()[1:])
            gf = f"{2 * m * k * n / o / 1e6:9.1f}"
        ratio = t / o if t else None
        if ratio and line.startswith("conv") and line.endswith("fb"):
            ratios.append(ratio)
        print(f"{label(line):46} {o:10.3f} {t if t else float('nan'):10.3f} {ratio if ratio else float('nan'):7.2f}  {gf}")
        if blas:
            b = statistics.median(blas)
            print(f"{'  same sgemm, numpy (system BLAS) in the torch column':46} {o:10.3f} {b:10.3f} {b / o:7.2f}")
        if fused and line == "gemm {} {} {}".format(*CONV_GEMM):
            f, b = statistics.median(fused[0]), statistics.median(fused[1])
            print(f"{'  as a conv: our fused conv fwd vs numpy im2col + sgemm':46} {f:10.3f} {b:10.3f} {b / f:7.2f}")
    if not blas_comparable:
        print("GEMM rows: NOT COMPARABLE: the other side runs the reference BLAS (run as root to install OpenBLAS,"
              " or 'apt-get install libopenblas0-pthread')")
    report_inference(inference, torch, ort or {}, spread or {})
    if ratios:
        print(f"conv f+b geomean torch/ours: {math.exp(sum(map(math.log, ratios)) / len(ratios)):.2f}")


if __name__ == "__main__":
    main()
