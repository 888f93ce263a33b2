#!/usr/bin/python3
"""Builds the committed test fixtures.

  make_fixture.py fashion-mnist [SOURCE_DIR] [OUT_DIR] [N_TRAIN] [N_TEST]
      Cuts the first N train and M test samples of Fashion-MNIST into small gzipped IDX files, so tests and short
      CI training runs use real images without the full dataset installed.
  make_fixture.py interchange [OUT_DIR]
      Writes PyTorch LeNet-5 weights (plain, and with batch norm) as safetensors, plus fixed inputs and PyTorch's
      logits for them, so the library's loader is checked against PyTorch without PyTorch installed.
  make_fixture.py torch-logits CHECKPOINT INPUTS OUT [--bn]
      The reverse direction: loads a checkpoint written by the library into PyTorch LeNet-5 (strict names and
      shapes) and writes PyTorch's logits for INPUTS' "inputs" tensor to OUT.
  make_fixture.py reverse
      torch-logits for the committed fixtures: the library's functional-lenet5.safetensors (and, when present,
      functional-lenet5-bn.safetensors) on the inputs of lenet5-expected.safetensors, into
      functional-lenet5[-bn]-torch-logits.safetensors.

Needs /usr/bin/python3 with torch for the last two; the safetensors package is not needed (json + struct).
"""
import gzip, json, os, struct, sys

FIXTURES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "Fixtures")


def fashion_mnist(src="/usr/share/datasets/fashion-mnist", out=os.path.join(FIXTURES, "fashion-mnist-small"),
                  n_train=500, n_test=200):
    def cut(name, n):
        with gzip.open(os.path.join(src, name), "rb") as f:
            data = f.read()
        magic, count = struct.unpack(">II", data[:8])
        assert n <= count
        if magic == 2051:
            rows, cols = struct.unpack(">II", data[8:16])
            blob = struct.pack(">IIII", magic, n, rows, cols) + data[16:16 + n * rows * cols]
        elif magic == 2049:
            blob = struct.pack(">II", magic, n) + data[8:8 + n]
        else:
            raise SystemExit(f"{name}: unexpected magic {magic}")
        # mtime=0 keeps the gzip bytes reproducible, so re-running the script changes nothing in git.
        with open(os.path.join(out, name), "wb") as raw:
            with gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=9) as g:
                g.write(blob)

    os.makedirs(out, exist_ok=True)
    for name, n in [("train-images-idx3-ubyte.gz", int(n_train)), ("train-labels-idx1-ubyte.gz", int(n_train)),
                    ("t10k-images-idx3-ubyte.gz", int(n_test)), ("t10k-labels-idx1-ubyte.gz", int(n_test))]:
        cut(name, n)
    print("wrote", out)


def save_safetensors(path, tensors, metadata=None):
    """The format in a few lines: 8-byte LE header length, JSON header, raw little-endian data."""
    import torch
    header, blobs, at = {}, [], 0
    if metadata:
        header["__metadata__"] = metadata
    for name, t in tensors.items():
        t = t.detach().contiguous().cpu()
        dtype = {torch.float32: "F32", torch.int64: "I64", torch.float64: "F64"}[t.dtype]
        raw = t.numpy().astype(t.numpy().dtype.newbyteorder("<")).tobytes()
        header[name] = {"dtype": dtype, "shape": list(t.shape), "data_offsets": [at, at + len(raw)]}
        blobs.append(raw)
        at += len(raw)
    js = json.dumps(header, separators=(",", ":")).encode()
    js += b" " * (-len(js) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(js)) + js + b"".join(blobs))


def load_safetensors(path):
    import numpy as np, torch
    with open(path, "rb") as f:
        data = f.read()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + n])
    header.pop("__metadata__", None)
    kinds = {"F32": "<f4", "F64": "<f8", "I64": "<i8"}
    return {name: torch.from_numpy(np.frombuffer(data[8 + n + e["data_offsets"][0]:8 + n + e["data_offsets"][1]],
                                                 dtype=kinds[e["dtype"]]).copy().reshape(e["shape"]))
            for name, e in header.items()}


def lenet5(bn=False):
    """Modern LeNet-5 as nn.Sequential, so parameter names are numbered: 0.weight, 3.weight, 7.weight, …"""
    from torch import nn
    convs = [nn.Conv2d(1, 6, 5, padding=2)] + ([nn.BatchNorm2d(6)] if bn else []) + [nn.ReLU(), nn.MaxPool2d(2),
             nn.Conv2d(6, 16, 5)] + ([nn.BatchNorm2d(16)] if bn else []) + [nn.ReLU(), nn.MaxPool2d(2)]
    return nn.Sequential(*convs, nn.Flatten(), nn.Linear(400, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(),
                         nn.Linear(84, 10))


def interchange(out=os.path.join(FIXTURES, "interchange")):
    import torch
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    torch.manual_seed(0)
    with gzip.open(os.path.join(FIXTURES, "fashion-mnist-small", "train-images-idx3-ubyte.gz")) as f:
        train = torch.frombuffer(bytearray(f.read()[16:]), dtype=torch.uint8).float().div(255).reshape(-1, 1, 28, 28)
    with gzip.open(os.path.join(FIXTURES, "fashion-mnist-small", "train-labels-idx1-ubyte.gz")) as f:
        labels = torch.frombuffer(bytearray(f.read()[8:]), dtype=torch.uint8).long()
    with gzip.open(os.path.join(FIXTURES, "fashion-mnist-small", "t10k-images-idx3-ubyte.gz")) as f:
        inputs = torch.frombuffer(bytearray(f.read()[16:]), dtype=torch.uint8).float().div(255).reshape(-1, 1, 28, 28)[:8]
    os.makedirs(out, exist_ok=True)
    for bn in (False, True):
        net = lenet5(bn)
        # A few Adam steps on the fixture, so the weights (and batch-norm statistics) are not just their initialisation.
        opt = torch.optim.Adam(net.parameters(), lr=1e-3)
        net.train()
        for step in range(30):
            idx = torch.arange(step * 16, step * 16 + 16) % len(train)
            opt.zero_grad()
            torch.nn.functional.cross_entropy(net(train[idx]), labels[idx]).backward()
            opt.step()
        net.eval()
        with torch.no_grad():
            logits = net(inputs)
        name = "lenet5-bn" if bn else "lenet5"
        meta = {"source": "PyTorch " + torch.__version__, "architecture": name, "mode": "eval"}
        save_safetensors(os.path.join(out, name + ".safetensors"), net.state_dict(), meta)
        save_safetensors(os.path.join(out, name + "-expected.safetensors"), {"inputs": inputs, "logits": logits}, meta)
        # The format check in the other direction: what we wrote, PyTorch loads strictly and reproduces.
        again = lenet5(bn)
        again.load_state_dict(load_safetensors(os.path.join(out, name + ".safetensors")), strict=True)
        again.eval()
        assert torch.equal(again(inputs), logits)
    print("wrote", out)


def torch_logits(checkpoint, inputs_path, out, *flags):
    import torch
    net = lenet5("--bn" in flags)
    state = load_safetensors(checkpoint)
    if "num_batches_tracked" in " ".join(state):
        state = {k: (v.long() if k.endswith("num_batches_tracked") else v) for k, v in state.items()}
    net.load_state_dict(state, strict=True)
    net.eval()
    with torch.no_grad():
        logits = net(load_safetensors(inputs_path)["inputs"])
    save_safetensors(out, {"logits": logits}, {"source": "PyTorch " + torch.__version__})
    print("wrote", out)


def reverse(out=os.path.join(FIXTURES, "interchange")):
    for name, flags in (("functional-lenet5", ()), ("functional-lenet5-bn", ("--bn",))):
        checkpoint = os.path.join(out, name + ".safetensors")
        if os.path.exists(checkpoint):
            torch_logits(checkpoint, os.path.join(out, "lenet5-expected.safetensors"),
                         os.path.join(out, name + "-torch-logits.safetensors"), *flags)


if __name__ == "__main__":
    commands = {"fashion-mnist": fashion_mnist, "interchange": interchange, "torch-logits": torch_logits,
                "reverse": reverse}
    if len(sys.argv) < 2 or sys.argv[1] not in commands:
        raise SystemExit(__doc__)
    commands[sys.argv[1]](*sys.argv[2:])
