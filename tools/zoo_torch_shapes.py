#!/usr/bin/python3
"""Writes Tests/Fixtures/zoo-torch.json: for each zoo model that has a PyTorch peer, the state-dict names and
shapes (parameters and running statistics) and the output shape of every leaf module, per sample.

The zoo tests compare the library's paths and traced shapes with these, so that weights move between the two by
name. Run with the system Python that has torch and torchvision: /usr/bin/python3 tools/zoo_torch_shapes.py
"""
import json
import os

import torch
import torch.nn as nn
import torchvision.models as tvm


def lenet5():
    return nn.Sequential(nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(6, 16, 5), nn.ReLU(),
                         nn.MaxPool2d(2), nn.Flatten(), nn.Linear(400, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(),
                         nn.Linear(84, 10))


class AlexNet(nn.Module):
    """The one-tower AlexNet of the 227x227 table (96 first-layer filters), with torchvision's attribute names."""

    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(3, 96, 11, stride=4), nn.ReLU(), nn.MaxPool2d(3, 2),
            nn.Conv2d(96, 256, 5, padding=2), nn.ReLU(), nn.MaxPool2d(3, 2),
            nn.Conv2d(256, 384, 3, padding=1), nn.ReLU(), nn.Conv2d(384, 384, 3, padding=1), nn.ReLU(),
            nn.Conv2d(384, 256, 3, padding=1), nn.ReLU(), nn.MaxPool2d(3, 2))
        self.classifier = nn.Sequential(nn.Dropout(), nn.Linear(9216, 4096), nn.ReLU(), nn.Dropout(),
                                        nn.Linear(4096, 4096), nn.ReLU(), nn.Linear(4096, 1000))

    def forward(self, x):
        return self.classifier(torch.flatten(self.features(x), 1))


def resnet18_cifar():
    m = tvm.resnet18(num_classes=10)
    m.conv1 = nn.Conv2d(3, 64, 3, padding=1, bias=False)
    del m.maxpool
    m.maxpool = nn.Identity()
    return m


def mobilenet_v1():
    layers = [nn.Conv2d(3, 32, 3, stride=2, padding=1, bias=False), nn.BatchNorm2d(32), nn.ReLU()]
    c = 32
    for f, s in [(64, 1), (128, 2), (128, 1), (256, 2), (256, 1), (512, 2)] + [(512, 1)] * 5 + [(1024, 2), (1024, 1)]:
        layers += [nn.Conv2d(c, c, 3, stride=s, padding=1, groups=c, bias=False), nn.BatchNorm2d(c), nn.ReLU(),
                   nn.Conv2d(c, f, 1, bias=False), nn.BatchNorm2d(f), nn.ReLU()]
        c = f
    layers += [nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(1024, 1000)]
    return nn.Sequential(*layers)


def cnn_cifar():
    return nn.Sequential(nn.Conv2d(3, 8, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(8, 16, 3), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Conv2d(16, 32, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(), nn.Linear(32, 10))


def mlp_cifar():
    return nn.Sequential(nn.Flatten(), nn.Linear(3072, 64), nn.ReLU(), nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, 10))


MODELS = {
    "lenet5": (lenet5, (1, 28, 28)),
    "alexnet": (AlexNet, (3, 227, 227)),
    "vgg11": (tvm.vgg11, (3, 224, 224)),
    "vgg16": (tvm.vgg16, (3, 224, 224)),
    "vgg19": (tvm.vgg19, (3, 224, 224)),
    "resnet18": (tvm.resnet18, (3, 224, 224)),
    "resnet34": (tvm.resnet34, (3, 224, 224)),
    "resnet18-cifar": (resnet18_cifar, (3, 32, 32)),
    "mobilenet-v1": (mobilenet_v1, (3, 224, 224)),
    "cnn-cifar": (cnn_cifar, (3, 32, 32)),
    "mlp-cifar": (mlp_cifar, (3, 32, 32)),
}


def describe(build, shape):
    torch.manual_seed(0)
    model = build().eval()
    outputs = {}

    def hook(name):
        def record(_module, _inputs, output):
            outputs.setdefault(name, list(output.shape[1:]))
        return record

    for name, module in model.named_modules():
        if name and not list(module.children()):
            module.register_forward_hook(hook(name))
    with torch.no_grad():
        model(torch.zeros((1,) + shape))
    tensors = [[k, list(v.shape)] for k, v in model.state_dict().items() if not k.endswith("num_batches_tracked")]
    return {"input": list(shape), "tensors": tensors, "outputs": outputs}


def main():
    out = os.path.join(os.path.dirname(__file__), "..", "Tests", "Fixtures", "zoo-torch.json")
    fixture = {name: describe(build, shape) for name, (build, shape) in MODELS.items()}
    tmp = out + ".tmp"
    with open(tmp, "w") as f:
        json.dump(fixture, f, indent=1)
    os.replace(tmp, out)
    print(f"wrote {len(fixture)} models to {out}")


if __name__ == "__main__":
    main()
