#!/usr/bin/python3
"""torch.optim's particle-steps per second on Rosenbrock, set up like bench/bench_optimizers.cpp:
an (N, 2) float64 tensor of N independent particles, the summed loss differentiated by autograd,
one optimizer.step() per step. Run with Debian's python3-torch:
    /usr/bin/python3 scripts/bench_torch.py
"""
import os
import time

import torch

torch.set_default_dtype(torch.float64)
torch.set_num_threads(os.cpu_count() or 1)  # as many threads as optiviz uses

SETTINGS = {
    "sgd": (torch.optim.SGD, dict(lr=1e-4, momentum=0.9)),
    "adagrad": (torch.optim.Adagrad, dict(lr=1e-3)),
    "rmsprop": (torch.optim.RMSprop, dict(lr=1e-3)),
    "adadelta": (torch.optim.Adadelta, dict(lr=1.0)),
    "adam": (torch.optim.Adam, dict(lr=1e-3)),
    "adamw": (torch.optim.AdamW, dict(lr=1e-3)),
    "adamax": (torch.optim.Adamax, dict(lr=1e-3)),
    "nadam": (torch.optim.NAdam, dict(lr=1e-3)),
    "radam": (torch.optim.RAdam, dict(lr=1e-3)),
}


def steps_for(n):
    return 500 if n >= 100000 else 2000 if n >= 1000 else 10000


def run(name, n, foreach, clock=time.perf_counter):
    cls, kw = SETTINGS[name]
    steps = steps_for(n)
    if n == 1:
        steps = 1000  # Python overhead dominates; fewer steps give the same rate
    p = torch.empty(n, 2)
    p[:, 0] = -1.5
    p[:, 1] = 2.0
    p.requires_grad_(True)
    opt = cls([p], foreach=foreach, **kw)
    start = clock()
    for _ in range(steps):
        opt.zero_grad()
        x, y = p[:, 0], p[:, 1]
        loss = ((1 - x) ** 2 + 100 * (y - x * x) ** 2).sum()
        loss.backward()
        opt.step()
    elapsed = clock() - start
    return n * steps / elapsed


def main():
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads")
    print("optimizer,N,particle_steps_per_second")
    for name in SETTINGS:
        for n in (1, 1000, 100000):
            rate = max(run(name, n, foreach=False), run(name, n, foreach=True))
            print(f"{name},{n},{rate:.4g}", flush=True)


if __name__ == "__main__":
    main()
