"""Prints the parameters PyTorch's optimizers and OneCycleLR produce on a fixed three-step problem; the
optimizer tests pin these numbers. Run with the Debian python3-torch: /usr/bin/python3 tools/torch_optim_cases.py"""
import torch

START = [1.0, -2.0, 0.5, 3.0]
GRADS = [[0.1, -0.2, 0.3, -0.4], [-0.5, 0.25, 0.0, 1.0], [0.2, 0.2, -0.1, 0.05]]
CASES = {
    "sgd": lambda p: torch.optim.SGD(p, lr=0.1),
    "sgd_momentum": lambda p: torch.optim.SGD(p, lr=0.1, momentum=0.9, dampening=0.1, weight_decay=0.01),
    "sgd_nesterov": lambda p: torch.optim.SGD(p, lr=0.1, momentum=0.9, nesterov=True, weight_decay=0.01),
    "adam": lambda p: torch.optim.Adam(p, lr=0.01, weight_decay=0.1),
    "adamw": lambda p: torch.optim.AdamW(p, lr=0.01, weight_decay=0.1),
}

for name, make in CASES.items():
    p = torch.tensor(START, dtype=torch.float32, requires_grad=True)
    opt = make([p])
    for g in GRADS:
        p.grad = torch.tensor(g, dtype=torch.float32)
        opt.step()
    print(name, ", ".join(f"{x:.9g}f" for x in p.detach().tolist()))

p = torch.zeros(1, requires_grad=True)
opt = torch.optim.SGD([p], lr=0.1)
sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=0.01, total_steps=10, cycle_momentum=False)
lrs = []
for _ in range(10):
    lrs.append(opt.param_groups[0]["lr"])
    opt.step()
    sched.step()
print("one_cycle", ", ".join(f"{x:.12g}" for x in lrs))
