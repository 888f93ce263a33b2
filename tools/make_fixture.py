#!/usr/bin/env python3
"""Cuts the first N train and M test samples of Fashion-MNIST into small gzipped IDX files.

The fixture lets tests and short CI training runs use real images without the full dataset installed.
Usage: tools/make_fixture.py [SOURCE_DIR] [OUT_DIR] [N_TRAIN] [N_TEST]
"""
import gzip, struct, sys, os

src = sys.argv[1] if len(sys.argv) > 1 else "/usr/share/datasets/fashion-mnist"
out = sys.argv[2] if len(sys.argv) > 2 else "Tests/Fixtures/fashion-mnist-small"
n_train = int(sys.argv[3]) if len(sys.argv) > 3 else 500
n_test = int(sys.argv[4]) if len(sys.argv) > 4 else 200

def cut(name, n):
    with gzip.open(os.path.join(src, name), "rb") as f:
        data = f.read()
    magic, count = struct.unpack(">II", data[:8])
    if magic == 2051:
        rows, cols = struct.unpack(">II", data[8:16])
        header = struct.pack(">IIII", magic, n, rows, cols)
        body = data[16:16 + n * rows * cols]
    elif magic == 2049:
        header = struct.pack(">II", magic, n)
        body = data[8:8 + n]
    else:
        raise SystemExit(f"{name}: unexpected magic {magic}")
    assert n <= count
    # mtime=0 keeps the gzip bytes reproducible, so re-running the script changes nothing in git.
    with open(os.path.join(out, name), "wb") as raw:
        with gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=9) as g:
            g.write(header + body)

os.makedirs(out, exist_ok=True)
for name, n in [("train-images-idx3-ubyte.gz", n_train), ("train-labels-idx1-ubyte.gz", n_train),
                ("t10k-images-idx3-ubyte.gz", n_test), ("t10k-labels-idx1-ubyte.gz", n_test)]:
    cut(name, n)
print("wrote", out)
