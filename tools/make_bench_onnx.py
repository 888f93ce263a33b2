#!/usr/bin/env python3
"""Writes the inference benchmark's networks as ONNX files: LeNet-5 (1x28x28), ResNet-18 for CIFAR (3x32x32) and
MobileNet-v1 (3x224x224), exported by torch.onnx.export (opset 17, dynamic batch) with weights drawn here from a
fixed seed and trained-looking batch-norm statistics (fresh ones are 0 and 1, which would make folding them free).

One file feeds all three sides of `./build.sh bench`: ONNX Runtime and Functional (through Onnx.Import) load it,
and scripts/bench_torch.py builds the same modules with `build(name)` for PyTorch, so every side runs the same weights.

Usage: /usr/bin/python3 tools/make_bench_onnx.py [OUT_DIR]   (default artifacts/bench-onnx)
"""
import os
import sys

import torch
from torch import nn

NETWORKS = {"lenet5": (1, 28, 28), "resnet18-cifar": (3, 32, 32), "mobilenet-v1": (3, 224, 224)}


def lenet5():
    return nn.Sequential(
        nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
        nn.Linear(400, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10))


class BasicBlock(nn.Module):
    """torchvision's BasicBlock: two 3x3 conv + batch norm, a 1x1 projection shortcut where the shape changes."""

    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1, self.bn1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False), nn.BatchNorm2d(cout)
        self.conv2, self.bn2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False), nn.BatchNorm2d(cout)
        self.down = (nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))
                     if stride != 1 or cin != cout else None)

    def forward(self, x):
        out = torch.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        return torch.relu(out + (x if self.down is None else self.down(x)))


def resnet18_cifar():
    """The zoo's ResNet18Cifar: 3x3 stride-1 stem, no max pooling, 11,173,962 parameters."""
    widths = [(64, 64, 1), (64, 64, 1), (64, 128, 2), (128, 128, 1), (128, 256, 2), (256, 256, 1), (256, 512, 2), (512, 512, 1)]
    return nn.Sequential(nn.Conv2d(3, 64, 3, 1, 1, bias=False), nn.BatchNorm2d(64), nn.ReLU(),
                         *[BasicBlock(*w) for w in widths], nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(512, 10))


def mobilenet_v1():
    """The zoo's MobileNetV1: 3x3 stride-2 stem to 32 channels, 13 depthwise-separable blocks, 4,231,976 parameters."""
    blocks = [(64, 1), (128, 2), (128, 1), (256, 2), (256, 1), (512, 2), (512, 1), (512, 1), (512, 1), (512, 1), (512, 1), (1024, 2), (1024, 1)]
    layers, cin = [nn.Conv2d(3, 32, 3, 2, 1, bias=False), nn.BatchNorm2d(32), nn.ReLU()], 32
    for cout, stride in blocks:
        layers += [nn.Conv2d(cin, cin, 3, stride, 1, groups=cin, bias=False), nn.BatchNorm2d(cin), nn.ReLU(),
                   nn.Conv2d(cin, cout, 1, bias=False), nn.BatchNorm2d(cout), nn.ReLU()]
        cin = cout
    return nn.Sequential(*layers, nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(1024, 1000))


def build(name):
    """The network `name` in eval mode, with seeded weights and batch-norm statistics; returns (module, C×H×W)."""
    torch.manual_seed(0)
    net = {"lenet5": lenet5, "resnet18-cifar": resnet18_cifar, "mobilenet-v1": mobilenet_v1}[name]()
    with torch.no_grad():
        for m in net.modules():
            if isinstance(m, nn.BatchNorm2d):
                m.running_mean.uniform_(-0.2, 0.2)
                m.running_var.uniform_(0.5, 1.5)
                m.weight.uniform_(0.6, 1.4)
                m.bias.uniform_(-0.2, 0.2)
    return net.eval(), NETWORKS[name]


def export(out_dir):
    """Writes NAME.onnx for every network into out_dir; returns the paths by name."""
    os.makedirs(out_dir, exist_ok=True)
    paths = {}
    for name in NETWORKS:
        net, shape = build(name)
        path = os.path.join(out_dir, f"{name}.onnx")
        torch.onnx.export(net, torch.rand(2, *shape), path, opset_version=17, input_names=["input"], output_names=["output"],
                          dynamic_axes={"input": {0: "batch"}, "output": {0: "batch"}})
        paths[name] = path
    return paths


if __name__ == "__main__":
    for name, path in export(sys.argv[1] if len(sys.argv) > 1 else os.path.join("artifacts", "bench-onnx")).items():
        print(f"{name}: {path}")
