#!/usr/bin/python3
"""Generates conformance/functions.json: reference cases for the tensor functions (add, sub, mul, div with
broadcasting, matmul, sum, mean, exp, log, sqrt, pow, permute) and the modern layers' ops (gelu both forms, silu,
hardswish, mish, layer_norm, group_norm, nearest and bilinear upsampling), computed by PyTorch in float64 from
float32-exact inputs. Each case follows conformance/README.md.

usage: tools/torch_function_cases.py [OUT]   (default: conformance/functions.json)
"""
import json
import sys

import torch
import torch.nn.functional as F

from torch_cases import encode, tensor

GEN = torch.Generator().manual_seed(20261207)


def positive(shape):
    return (tensor(GEN, shape).abs() + 0.1).float().double()


def run(op, params, inputs, f):
    leaves = {k: v.clone().requires_grad_() for k, v in inputs.items()}
    y = f(**leaves)
    gy = tensor(GEN, list(y.shape))
    y.backward(gy)
    return {"op": op, "params": params, "inputs": {k: encode(v) for k, v in leaves.items()}, "y": encode(y),
            "gy": encode(gy), "grads": {k: encode(v.grad) for k, v in leaves.items()}}


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "conformance/functions.json"
    cases = []
    wide = lambda shape: tensor(GEN, shape) * 4  # reaches Hardswish's ±3 corners and GELU's tails
    for approximate in ("none", "tanh"):
        for shape in ([2, 3, 4], [1, 2, 3, 3]):
            cases.append(run("gelu", {"approximate": approximate}, {"x": wide(shape)},
                             lambda x: F.gelu(x, approximate=approximate)))
    for op, f in (("silu", F.silu), ("hardswish", F.hardswish), ("mish", F.mish)):
        for shape in ([2, 3, 4], [1, 2, 3, 3]):
            cases.append(run(op, {}, {"x": wide(shape)}, lambda x, f=f: f(x)))
    for shape in ([2, 3, 4, 4], [3, 5]):
        n = len(shape) - 1
        cases.append(run("layer_norm", {"normalized_shape": shape[1:], "eps": 1e-5},
                         {"x": tensor(GEN, shape), "gamma": tensor(GEN, shape[1:]), "beta": tensor(GEN, shape[1:])},
                         lambda x, gamma, beta: F.layer_norm(x, shape[1:], gamma, beta, 1e-5)))
    cases.append(run("layer_norm", {"normalized_shape": [4], "eps": 1e-5},
                     {"x": tensor(GEN, [2, 3, 4]), "gamma": tensor(GEN, [4]), "beta": tensor(GEN, [4])},
                     lambda x, gamma, beta: F.layer_norm(x, [4], gamma, beta, 1e-5)))
    for groups, shape in ((1, [2, 4, 3, 3]), (2, [2, 4, 3, 3]), (4, [2, 4, 3, 3]), (3, [1, 6, 5])):
        c = shape[1]
        cases.append(run("group_norm", {"groups": groups, "eps": 1e-5},
                         {"x": tensor(GEN, shape), "gamma": tensor(GEN, [c]), "beta": tensor(GEN, [c])},
                         lambda x, gamma, beta: F.group_norm(x, groups, gamma, beta, 1e-5)))
    for scale, shape in (([2, 2], [1, 2, 3, 3]), ([3, 2], [2, 1, 2, 4])):
        cases.append(run("upsample_nearest2d", {"scale": scale}, {"x": tensor(GEN, shape)},
                         lambda x: F.interpolate(x, scale_factor=tuple(scale), mode="nearest")))
        for align in (False, True):
            cases.append(run("upsample_bilinear2d", {"scale": scale, "align_corners": align}, {"x": tensor(GEN, shape)},
                             lambda x: F.interpolate(x, scale_factor=tuple(scale), mode="bilinear", align_corners=align)))
    pairs = (([2, 3, 4], [2, 3, 4]), ([2, 3, 4], [4]), ([2, 1, 4], [3, 1]), ([3, 1], [1, 2, 1, 5]))
    for op, f in (("add", torch.add), ("sub", torch.sub), ("mul", torch.mul), ("div", torch.div)):
        for sa, sb in pairs:
            b = positive(sb) if op == "div" else tensor(GEN, sb)
            cases.append(run(op, {}, {"a": tensor(GEN, sa), "b": b}, lambda a, b, f=f: f(a, b)))
    for sa, sb in (([3, 4], [4, 2]), ([2, 3, 4], [4, 5]), ([2, 1, 3, 4], [3, 4, 2]), ([4], [2, 4, 3]), ([2, 3, 4], [4])):
        cases.append(run("matmul", {}, {"a": tensor(GEN, sa), "b": tensor(GEN, sb)}, lambda a, b: torch.matmul(a, b)))
    for op, f in (("sum", torch.sum), ("mean", torch.mean)):
        for dims, keep in (([1], False), ([0, 2], True), ([-1], False), ([0, 1, 2], False), ([1, 3], True)):
            shape = [2, 3, 4, 2] if 3 in dims else [2, 3, 4]
            cases.append(run(op, {"dims": dims, "keepdim": keep}, {"x": tensor(GEN, shape)},
                             lambda x: f(x, dims, keepdim=keep)))
    cases.append(run("exp", {}, {"x": tensor(GEN, [2, 3, 4])}, lambda x: torch.exp(x)))
    cases.append(run("log", {}, {"x": positive([2, 3, 4])}, lambda x: torch.log(x)))
    cases.append(run("sqrt", {}, {"x": positive([2, 3, 4])}, lambda x: torch.sqrt(x)))
    for exponent in (2.0, 3.0, 0.5, -1.5):
        cases.append(run("pow", {"exponent": exponent}, {"x": positive([2, 5])}, lambda x: torch.pow(x, exponent)))
    for dims, shape in (([1, 0], [3, 4]), ([0, 2, 3, 1], [2, 3, 2, 4]), ([2, 0, 1], [2, 3, 4])):
        cases.append(run("permute", {"dims": dims}, {"x": tensor(GEN, shape)}, lambda x: x.permute(*dims)))
    with open(out, "w") as fh:
        json.dump({"cases": cases}, fh, separators=(",", ":"))
        fh.write("\n")
    print(f"{len(cases)} cases -> {out}")


if __name__ == "__main__":
    main()
