#!/usr/bin/env python3
"""Writes the ONNX import fixture: four small PyTorch networks exported by torch.onnx.export (opset 17), each with
an input and PyTorch's output for it, so Functional's importer is checked against the exporter most files come from.
The fourth holds the exporter's patterns that are not one node per layer: unequal pads (ZeroPad2d, F.pad) written as
a folded subgraph, x.reshape(x.shape[0], -1) written as Shape, Gather, Unsqueeze, Concat, x.view(-1, k), and two
bias-free Linear layers whose bias Adds stand apart from their MatMuls in the node list.

Run from the repository root: /usr/bin/python3 tools/make_onnx_fixture.py (Tests/Fixtures/onnx/ is rewritten)."""
import json
import os
import struct

import torch
from torch import nn

OUT = os.path.join("Tests", "Fixtures", "onnx")


def lenet5():
    return nn.Sequential(
        nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
        nn.Linear(400, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10)), (1, 28, 28)


class BasicBlock(nn.Module):
    """A CIFAR ResNet basic block with a strided projection shortcut, then a second one with the identity."""

    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.down = None if stride == 1 and cin == cout else nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        out = torch.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        return torch.relu(out + (x if self.down is None else self.down(x)))


def resnet_block():
    return nn.Sequential(nn.Conv2d(3, 8, 3, padding=1, bias=False), nn.BatchNorm2d(8), nn.ReLU(),
                         BasicBlock(8, 8, 1), BasicBlock(8, 16, 2), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(16, 10)), (3, 16, 16)


def separable():
    return nn.Sequential(nn.Conv2d(3, 3, 3, padding=1, groups=3, bias=False), nn.BatchNorm2d(3), nn.ReLU(),
                         nn.Conv2d(3, 8, 1, bias=False), nn.BatchNorm2d(8), nn.ReLU(),
                         nn.AvgPool2d(2), nn.Flatten(), nn.Linear(8 * 4 * 4, 5), nn.Softmax(dim=1)), (3, 8, 8)


class Patterns(nn.Module):
    def __init__(self):
        super().__init__()
        self.pad = nn.ZeroPad2d((0, 1, 0, 1))
        self.conv = nn.Conv2d(2, 4, 2)
        self.left = nn.Linear(36, 5, bias=False)
        self.right = nn.Linear(36, 3, bias=False)
        self.left_bias = nn.Parameter(torch.rand(5) - 0.5)
        self.right_bias = nn.Parameter(torch.rand(3) - 0.5)

    def forward(self, x):
        x = torch.relu(self.conv(self.pad(x)))                            # 2x5x5 -> 2x6x6 -> 4x5x5
        x = nn.functional.max_pool2d(nn.functional.pad(x, (1, 0, 1, 0)), 2)   # zeros in front: 4x6x6 -> 4x3x3
        x = x.reshape(x.shape[0], -1)
        a, b = self.left(x), self.right(x)
        x = torch.cat([a + self.left_bias, b + self.right_bias], 1)
        return torch.log_softmax(x.view(-1, 8), 1)


def patterns():
    return Patterns(), (2, 5, 5)


def save_safetensors(path, tensors):
    header, blobs, offset = {}, [], 0
    for name, t in tensors.items():
        data = t.detach().contiguous().numpy().astype("<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    text = json.dumps(header).encode()
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + b"".join(blobs))


def main():
    os.makedirs(OUT, exist_ok=True)
    for name, build in [("lenet5", lenet5), ("resnet-block", resnet_block), ("separable", separable), ("patterns", patterns)]:
        torch.manual_seed(0)
        net, shape = build()
        # Trained-looking batch-norm statistics, so the import cannot pass with the defaults 0 and 1.
        for m in net.modules():
            if isinstance(m, nn.BatchNorm2d):
                m.running_mean.uniform_(-0.2, 0.2)
                m.running_var.uniform_(0.5, 1.5)
                m.weight.data.uniform_(0.6, 1.4)
                m.bias.data.uniform_(-0.2, 0.2)
        net.eval()
        x = torch.rand(3, *shape)
        torch.onnx.export(net, x, os.path.join(OUT, f"{name}.onnx"), opset_version=17, input_names=["input"], output_names=["output"],
                          dynamic_axes={"input": {0: "batch"}, "output": {0: "batch"}})
        with torch.no_grad():
            save_safetensors(os.path.join(OUT, f"{name}.io.safetensors"), {"input": x, "output": net(x)})
        print(f"{name}: {sum(p.numel() for p in net.parameters())} parameters")


if __name__ == "__main__":
    main()
