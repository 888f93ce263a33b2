#!/usr/bin/python3
"""Generates conformance/conv.json: reference cases for the convolution family, computed by PyTorch.

Run with /usr/bin/python3 (torch 1.13 + numpy). Inputs are seeded uniform values in [-1, 1), rounded to
float32; PyTorch then computes outputs and gradients in float64, which are written with 7 significant digits
(well inside the 1e-4 tolerance), so the file is the answer to its float32 inputs. Each case follows conformance/README.md.

usage: tools/torch_cases.py [OUT]   (default: conformance/conv.json)
"""
import itertools
import json
import random
import sys

import torch
import torch.nn.functional as F

MODES = ["zeros", "reflect", "replicate", "circular"]
CONV = {1: F.conv1d, 2: F.conv2d, 3: F.conv3d}
CONV_T = {1: F.conv_transpose1d, 2: F.conv_transpose2d, 3: F.conv_transpose3d}
MODULE = {1: torch.nn.Conv1d, 2: torch.nn.Conv2d, 3: torch.nn.Conv3d}


def tensor(gen, shape):
    t = torch.rand(shape, generator=gen, dtype=torch.float64) * 2 - 1
    return t.float().double()  # exactly representable in float32


def encode(t):
    return {"shape": list(t.shape), "data": [float("%.7g" % v) for v in t.detach().float().flatten().tolist()]}


def same_padding(i, k, s, d):
    """TensorFlow-style SAME for any stride: output ceil(i/s), the extra element on the far side."""
    total = max((-(-i // s) - 1) * s + d * (k - 1) + 1 - i, 0)
    return total // 2, total - total // 2


def conv_case(gen, rank, n, cin, cout, size, k, s, p, d, groups, bias, mode):
    """p: list of ints, or 'same' / 'valid' / 'full'."""
    x = tensor(gen, [n, cin] + size).requires_grad_()
    w = tensor(gen, [cout, cin // groups] + k).requires_grad_()
    b = tensor(gen, [cout]).requires_grad_() if bias else None
    if p == "same":
        pads = [same_padding(size[i], k[i], s[i], d[i]) for i in range(rank)]
    elif p == "valid":
        pads = [(0, 0)] * rank
    elif p == "full":
        pads = [(d[i] * (k[i] - 1),) * 2 for i in range(rank)]
    else:
        pads = [(q, q) for q in p]
    symmetric = all(a == c for a, c in pads)
    if symmetric and (p != "same" or all(v == 1 for v in s)):
        # PyTorch's own module, so padding modes and 'same' are exactly its semantics.
        m = MODULE[rank](cin, cout, k, stride=s, padding="same" if p == "same" else [a for a, _ in pads],
                         dilation=d, groups=groups, bias=bias, padding_mode=mode).double()
        m.weight = torch.nn.Parameter(w.detach().clone())
        if bias:
            m.bias = torch.nn.Parameter(b.detach().clone())
        y = m(x)
        grads_of = {"x": x, "w": m.weight, **({"b": m.bias} if bias else {})}
    else:
        # Asymmetric 'same' (stride > 1, or even kernels): pad explicitly as PyTorch does for non-zero modes.
        flat = [v for a, c in reversed(pads) for v in (a, c)]
        xp = F.pad(x, flat, mode="constant" if mode == "zeros" else mode)
        y = CONV[rank](xp, w, b, stride=s, dilation=d, groups=groups)
        grads_of = {"x": x, "w": w, **({"b": b} if bias else {})}
    gy = tensor(gen, list(y.shape))
    y.backward(gy)
    params = {"stride": s, "padding": p, "dilation": d, "groups": groups, "padding_mode": mode, "bias": bias}
    inputs = {"x": encode(x), "w": encode(grads_of["w"])}
    if bias:
        inputs["b"] = encode(grads_of["b"])
    return {"op": f"conv{rank}d", "params": params, "inputs": inputs, "y": encode(y), "gy": encode(gy),
            "grads": {name: encode(t.grad) for name, t in grads_of.items()}}


def conv_transpose_case(gen, rank, n, cin, cout, size, k, s, p, op, d, groups, bias):
    x = tensor(gen, [n, cin] + size).requires_grad_()
    w = tensor(gen, [cin, cout // groups] + k).requires_grad_()
    b = tensor(gen, [cout]).requires_grad_() if bias else None
    y = CONV_T[rank](x, w, b, stride=s, padding=p, output_padding=op, groups=groups, dilation=d)
    gy = tensor(gen, list(y.shape))
    y.backward(gy)
    params = {"stride": s, "padding": p, "output_padding": op, "dilation": d, "groups": groups, "bias": bias}
    grads = {"x": encode(x.grad), "w": encode(w.grad)}
    inputs = {"x": encode(x), "w": encode(w)}
    if bias:
        grads["b"], inputs["b"] = encode(b.grad), encode(b)
    return {"op": f"conv_transpose{rank}d", "params": params, "inputs": inputs, "y": encode(y), "gy": encode(gy), "grads": grads}


def pad_case(gen, shape, before, after, mode):
    x = tensor(gen, shape).requires_grad_()
    flat = [v for a, c in zip(reversed(before), reversed(after)) for v in (a, c)]
    y = F.pad(x, flat, mode="constant" if mode == "zeros" else mode)
    gy = tensor(gen, list(y.shape))
    y.backward(gy)
    return {"op": "pad", "params": {"before": before, "after": after, "mode": mode}, "inputs": {"x": encode(x)},
            "y": encode(y), "gy": encode(gy), "grads": {"x": encode(x.grad)}}


def per_dim(rng, rank, choices):
    v = rng.choice(choices)
    return [v] * rank if rng.random() < 0.6 else [rng.choice(choices) for _ in range(rank)]


def out_size(i, k, s, pb, pa, d):
    return (i + pb + pa - d * (k - 1) - 1) // s + 1


def random_conv(rng, gen, rank, mode=None, padding=None):
    """A random valid conv; retries until the hyper-parameters fit the input."""
    sizes = {1: (5, 13), 2: (4, 8), 3: (3, 5)}[rank]
    while True:
        groups = rng.choice([1, 1, 2, 3])
        cin = groups * rng.choice([1, 2])
        cout = groups * rng.choice([1, 2])
        size = per_dim(rng, rank, list(range(*sizes)))
        k = per_dim(rng, rank, [1, 2, 3] if rank == 3 else [1, 2, 3, 4, 5])
        s = per_dim(rng, rank, [1, 1, 2, 3])
        d = per_dim(rng, rank, [1, 1, 2])
        m = mode or rng.choice(MODES)
        p = padding or rng.choice(["same", "valid", "full", "explicit", "explicit"])
        if p == "explicit":
            p = per_dim(rng, rank, [0, 1, 2])
        if p == "same":
            pads = [same_padding(size[i], k[i], s[i], d[i]) for i in range(rank)]
        elif p == "valid":
            pads = [(0, 0)] * rank
        elif p == "full":
            pads = [(d[i] * (k[i] - 1),) * 2 for i in range(rank)]
        else:
            pads = [(q, q) for q in p]
        if any(out_size(size[i], k[i], s[i], *pads[i], d[i]) < 1 for i in range(rank)):
            continue
        if m == "reflect" and any(max(pb, pa) >= size[i] for i, (pb, pa) in enumerate(pads)):
            continue
        if m == "circular" and any(max(pb, pa) > size[i] for i, (pb, pa) in enumerate(pads)):
            continue
        n = rng.choice([1, 2])
        return conv_case(gen, rank, n, cin, cout, size, k, s, p, d, groups, rng.random() < 0.7, m)


def random_transpose(rng, gen, rank):
    sizes = {1: (3, 9), 2: (2, 6), 3: (2, 4)}[rank]
    while True:
        groups = rng.choice([1, 1, 2])
        cin, cout = groups * rng.choice([1, 2]), groups * rng.choice([1, 2])
        size = per_dim(rng, rank, list(range(*sizes)))
        k = per_dim(rng, rank, [1, 2, 3] if rank == 3 else [1, 2, 3, 4])
        s = per_dim(rng, rank, [1, 2, 3])
        d = per_dim(rng, rank, [1, 1, 2])
        p = per_dim(rng, rank, [0, 0, 1, 2])
        op = [rng.randrange(max(s[i], d[i])) for i in range(rank)]
        if any((size[i] - 1) * s[i] - 2 * p[i] + d[i] * (k[i] - 1) + op[i] + 1 < 1 for i in range(rank)):
            continue
        return conv_transpose_case(gen, rank, rng.choice([1, 2]), cin, cout, size, k, s, p, op, d, groups, rng.random() < 0.7)


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "conformance/conv.json"
    rng = random.Random(20261122)
    gen = torch.Generator().manual_seed(20261122)
    cases = []
    # Every padding mode with every padding rule, in every rank, then random combinations on top.
    for rank, mode, padding in itertools.product([1, 2, 3], MODES, ["same", "valid", "full", "explicit"]):
        cases.append(random_conv(rng, gen, rank, mode, padding))
    # Named corners: depthwise, pointwise, strided 'same', dilated, asymmetric stride.
    cases.append(conv_case(gen, 2, 2, 4, 4, [6, 6], [3, 3], [1, 1], [1, 1], [1, 1], 4, True, "zeros"))
    cases.append(conv_case(gen, 2, 2, 3, 6, [5, 5], [3, 3], [1, 1], [1, 1], [1, 1], 3, False, "reflect"))
    cases.append(conv_case(gen, 2, 1, 4, 3, [5, 6], [1, 1], [1, 1], [0, 0], [1, 1], 1, True, "zeros"))
    cases.append(conv_case(gen, 2, 1, 2, 3, [7, 8], [3, 3], [2, 2], "same", [1, 1], 1, True, "zeros"))
    cases.append(conv_case(gen, 2, 1, 2, 2, [7, 7], [4, 4], [3, 2], "same", [1, 1], 1, True, "circular"))
    cases.append(conv_case(gen, 2, 1, 2, 2, [9, 9], [3, 3], [1, 1], [2, 2], [2, 2], 1, True, "replicate"))
    cases.append(conv_case(gen, 2, 1, 1, 1, [5, 5], [2, 2], [3, 2], [1, 1], [1, 1], 1, False, "zeros"))
    cases.append(conv_case(gen, 1, 2, 4, 8, [10], [3], [2], "same", [2], 4, True, "reflect"))
    cases.append(conv_case(gen, 3, 1, 2, 2, [4, 4, 4], [2, 2, 2], [1, 1, 1], "same", [1, 1, 1], 2, True, "replicate"))
    for rank, count in [(1, 30), (2, 60), (3, 15)]:
        cases += [random_conv(rng, gen, rank) for _ in range(count)]
    for rank, count in [(1, 10), (2, 30), (3, 8)]:
        cases += [random_transpose(rng, gen, rank) for _ in range(count)]
    cases.append(conv_transpose_case(gen, 2, 2, 4, 6, [3, 3], [3, 3], [2, 2], [1, 1], [1, 1], [1, 1], 2, True))
    cases.append(conv_transpose_case(gen, 2, 1, 2, 2, [3, 4], [3, 2], [3, 2], [1, 0], [2, 1], [2, 3], 1, True))
    for mode in MODES:
        cases.append(pad_case(gen, [2, 2, 5], [2], [3], mode))
        cases.append(pad_case(gen, [1, 2, 4, 5], [1, 3], [3, 0], mode))
        cases.append(pad_case(gen, [1, 1, 3, 3, 4], [1, 2, 0], [2, 0, 3], mode))
    with open(out, "w") as f:
        json.dump({"cases": cases}, f, separators=(",", ":"))
    ops = {}
    for c in cases:
        ops[c["op"]] = ops.get(c["op"], 0) + 1
    print(f"{out}: {len(cases)} cases " + ", ".join(f"{k} {v}" for k, v in sorted(ops.items())))


if __name__ == "__main__":
    main()
