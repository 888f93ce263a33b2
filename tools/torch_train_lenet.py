"""The main job's recipe in PyTorch, for comparison: LeNet-5 (ReLU, max pool, conv1 padding 2) on Fashion-MNIST,
normalised by the training set's mean and std, batch 64, Adam with a one-cycle schedule (momentum not cycled,
as in Functional). Run with the Debian python3-torch:
    /usr/bin/python3 tools/torch_train_lenet.py [--epochs 8] [--limit N] [--lr 0.003] [--data DIR]"""
import argparse, gzip, time
import numpy as np
import torch
from torch import nn

p = argparse.ArgumentParser()
p.add_argument("--epochs", type=int, default=8)
p.add_argument("--limit", type=int, default=None)
p.add_argument("--lr", type=float, default=3e-3)
p.add_argument("--batch-size", type=int, default=64)
p.add_argument("--seed", type=int, default=42)
p.add_argument("--data", default="/usr/share/datasets/fashion-mnist")
a = p.parse_args()
torch.manual_seed(a.seed)
torch.set_num_threads(2)

def idx(name, offset):
    with gzip.open(f"{a.data}/{name}", "rb") as f:
        return np.frombuffer(f.read(), np.uint8, offset=offset)

xtr = idx("train-images-idx3-ubyte.gz", 16).reshape(-1, 1, 28, 28)[: a.limit]
ytr = idx("train-labels-idx1-ubyte.gz", 8)[: a.limit]
xte = idx("t10k-images-idx3-ubyte.gz", 16).reshape(-1, 1, 28, 28)
yte = idx("t10k-labels-idx1-ubyte.gz", 8)
mean, std = (xtr / 255.0).mean(), (xtr / 255.0).std()
norm = lambda x: torch.tensor(((x / 255.0 - mean) / std).astype(np.float32))
xtr, xte, ytr, yte = norm(xtr), norm(xte), torch.tensor(ytr.astype(np.int64)), torch.tensor(yte.astype(np.int64))

net = nn.Sequential(nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2),
                    nn.Flatten(), nn.Linear(400, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10))
steps = (len(xtr) + a.batch_size - 1) // a.batch_size
opt = torch.optim.Adam(net.parameters(), lr=a.lr)
sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=a.lr, total_steps=steps * a.epochs, cycle_momentum=False)
loss_fn = nn.CrossEntropyLoss()
start = time.time()
for epoch in range(1, a.epochs + 1):
    net.train()
    order = torch.randperm(len(xtr))
    for b in range(steps):
        i = order[b * a.batch_size:(b + 1) * a.batch_size]
        opt.zero_grad()
        loss_fn(net(xtr[i]), ytr[i]).backward()
        opt.step()
        sched.step()
    net.eval()
    with torch.no_grad():
        acc = (net(xte).argmax(1) == yte).float().mean().item()
    print(f"epoch {epoch}: test accuracy {acc:.4f} ({time.time() - start:.1f} s)", flush=True)
