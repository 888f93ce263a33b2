#!/usr/bin/python3
"""Generates conformance/ops.json: reference cases for pooling, activations, softmax, losses, linear, batch norm
and a LeNet-5 forward pass, computed by PyTorch.

Run with /usr/bin/python3 (torch 1.13 + numpy). Inputs are seeded float32 values; PyTorch computes in float64.
Each case follows conformance/README.md.

usage: tools/torch_ops_cases.py [OUT]   (default: conformance/ops.json)
"""
import json
import random
import sys

import torch
import torch.nn.functional as F

from torch_cases import encode, tensor


def away_from_zero(t, margin=0.02):
    """Moves values off ReLU's kink, where a float32 rounding could flip the derivative."""
    return f32(torch.where(t.abs() < margin, torch.sign(t + 1e-12) * margin, t))


def f32(t):
    """Rounds to values exactly representable in float32, as the C# side reads them."""
    return t.float().double()


def run(op, params, inputs, f, gy_needed=True):
    """Calls f on the named inputs (all requiring grad), back-propagates a random gy, records everything."""
    leaves = {k: v.clone().requires_grad_() for k, v in inputs.items()}
    y = f(**leaves)
    case = {"op": op, "params": params, "inputs": {k: encode(v) for k, v in leaves.items()}, "y": encode(y)}
    if not gy_needed:
        return {**case, "gy": None, "grads": {}}
    gy = tensor(GEN, list(y.shape))
    y.backward(gy)
    return {**case, "gy": encode(gy), "grads": {k: encode(v.grad) for k, v in leaves.items()}}


def pool_case(rng, kind):
    while True:
        k = [rng.choice([1, 2, 3, 4]) for _ in range(2)] if rng.random() < 0.5 else [rng.choice([2, 3])] * 2
        s = [rng.choice([1, 2, 3]) for _ in range(2)]
        p = [rng.randint(0, kk // 2) for kk in k]
        d = [rng.choice([1, 1, 2]) for _ in range(2)] if kind == "max" else [1, 1]
        ceil = rng.random() < 0.5
        size = [rng.randint(3, 9), rng.randint(3, 9)]
        shape = [rng.choice([1, 2]), rng.choice([1, 3])] + size
        x = tensor(GEN, shape)
        try:
            if kind == "max":
                params = {"kernel": k, "stride": s, "padding": p, "dilation": d, "ceil_mode": ceil}
                return run("max_pool2d", params, {"x": x},
                           lambda x: F.max_pool2d(x, k, s, p, d, ceil_mode=ceil))
            include = rng.random() < 0.5
            params = {"kernel": k, "stride": s, "padding": p, "ceil_mode": ceil, "count_include_pad": include}
            return run("avg_pool2d", params, {"x": x},
                       lambda x: F.avg_pool2d(x, k, s, p, ceil_mode=ceil, count_include_pad=include))
        except RuntimeError:
            continue  # PyTorch rejects the combination (output < 1): draw again


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "conformance/ops.json"
    rng = random.Random(20261123)
    cases = []
    # Named pooling corners: ceil mode running past the end, with and without counting padding; dilation.
    x = tensor(GEN, [1, 2, 5, 5])
    for include in (True, False):
        params = {"kernel": [3, 3], "stride": [2, 2], "padding": [1, 1], "ceil_mode": True, "count_include_pad": include}
        cases.append(run("avg_pool2d", params, {"x": x},
                         lambda x: F.avg_pool2d(x, 3, 2, 1, ceil_mode=True, count_include_pad=include)))
    cases.append(run("max_pool2d", {"kernel": [3, 3], "stride": [2, 2], "padding": [1, 1], "dilation": [2, 2], "ceil_mode": True},
                     {"x": tensor(GEN, [1, 2, 8, 7])}, lambda x: F.max_pool2d(x, 3, 2, 1, 2, ceil_mode=True)))
    cases += [pool_case(rng, "max") for _ in range(22)]
    cases += [pool_case(rng, "avg") for _ in range(22)]
    for shape in ([2, 3, 5, 4], [1, 4, 1, 1], [2, 2, 7, 7]):
        cases.append(run("global_avg_pool2d", {}, {"x": tensor(GEN, shape)}, lambda x: F.adaptive_avg_pool2d(x, 1)))
    for shape, size in (([1, 2, 7, 5], [3, 2]), ([2, 1, 10, 9], [4, 4]), ([1, 2, 4, 6], [5, 3]), ([1, 1, 8, 8], [2, 2])):
        cases.append(run("adaptive_avg_pool2d", {"output_size": size}, {"x": tensor(GEN, shape)},
                         lambda x: F.adaptive_avg_pool2d(x, size)))
    for op, f in (("relu", lambda x: F.relu(x)), ("sigmoid", lambda x: torch.sigmoid(x)), ("tanh", lambda x: torch.tanh(x))):
        for shape in ([3, 4], [2, 3, 4, 5]):
            cases.append(run(op, {}, {"x": away_from_zero(tensor(GEN, shape) * 3)}, f))
    for slope in (0.01, 0.2):
        cases.append(run("leaky_relu", {"slope": slope}, {"x": away_from_zero(tensor(GEN, [2, 3, 4, 4]) * 3)},
                         lambda x: F.leaky_relu(x, slope)))
    for op, f in (("softmax", F.softmax), ("log_softmax", F.log_softmax)):
        for shape, dim in (([4, 10], 1), ([2, 3, 4], 0), ([2, 3, 4], -1), ([2, 5, 3, 3], 1)):
            cases.append(run(op, {"dim": dim}, {"x": f32(tensor(GEN, shape) * 4)}, lambda x: f(x, dim=dim)))
    for n, k, smoothing in ((4, 10, 0.0), (1, 3, 0.0), (8, 5, 0.0), (3, 7, 0.1)):
        labels = [rng.randrange(k) for _ in range(n)]
        params = {"labels": labels, "reduction": "mean"}
        if smoothing:
            params["label_smoothing"] = smoothing
        cases.append(run("cross_entropy", params, {"x": f32(tensor(GEN, [n, k]) * 3)},
                         lambda x: F.cross_entropy(x, torch.tensor(labels), reduction="mean", label_smoothing=smoothing)))
    for n, i, o in ((2, 5, 3), (4, 16, 10), (1, 1, 1)):
        cases.append(run("linear", {}, {"x": tensor(GEN, [n, i]), "w": tensor(GEN, [o, i]), "b": tensor(GEN, [o])}, lambda x, w, b: F.linear(x, w, b)))
    for shape, eps in (([4, 3, 5, 5], 1e-5), ([2, 2, 3, 4], 1e-3), ([8, 1, 2, 2], 1e-5)):
        c = shape[1]
        cases.append(run("batch_norm2d_train", {"eps": eps},
                         {"x": f32(tensor(GEN, shape) * 2 + 0.5), "gamma": f32(tensor(GEN, [c]) + 1.5), "beta": tensor(GEN, [c])},
                         lambda x, gamma, beta: F.batch_norm(x, torch.zeros(c, dtype=torch.float64), torch.ones(c, dtype=torch.float64),
                                                             gamma, beta, training=True, momentum=0.1, eps=eps)))
    cases.append(lenet_case())
    with open(out, "w") as f:
        json.dump({"cases": cases}, f, separators=(",", ":"))
    ops = {}
    for c in cases:
        ops[c["op"]] = ops.get(c["op"], 0) + 1
    print(f"{out}: {len(cases)} cases " + ", ".join(f"{k} {v}" for k, v in sorted(ops.items())))


def lenet_case():
    """LeNet-5 with PyTorch's default initialisation, parameters rounded to 4 decimals to keep the file small."""
    torch.manual_seed(5)
    net = torch.nn.Sequential(
        torch.nn.Conv2d(1, 6, 5, padding=2), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
        torch.nn.Conv2d(6, 16, 5), torch.nn.ReLU(), torch.nn.MaxPool2d(2), torch.nn.Flatten(),
        torch.nn.Linear(400, 120), torch.nn.ReLU(), torch.nn.Linear(120, 84), torch.nn.ReLU(), torch.nn.Linear(84, 10)).double()
    with torch.no_grad():
        for p in net.parameters():
            p.copy_(torch.round(p * 1e4) / 1e4)
        x = torch.round(torch.rand([2, 1, 28, 28], generator=GEN, dtype=torch.float64) * 1e3) / 1e3
        y = net(x)
    inputs = {"x": encode(x)}
    for name, p in net.named_parameters():
        inputs[name.replace(".", "_")] = encode(p)
    return {"op": "lenet5_forward", "params": {}, "inputs": inputs, "y": encode(y), "gy": None, "grads": {}}


GEN = torch.Generator().manual_seed(20261123)

if __name__ == "__main__":
    main()
