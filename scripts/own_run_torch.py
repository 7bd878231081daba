#!/usr/bin/python3
"""Writes your own 2-parameter run as a CSV that optiviz draws beside its optimizers.

    /usr/bin/python3 scripts/own_run_torch.py [OUT.csv]    (default: mine.csv)
    optiviz render --trajectory mine.csv --surface rosenbrock --run adam:lr=0.05 --out mine.png

The snippet shown in docs/own-runs.md: Adam (lr 0.05) on Rosenbrock from (-1.5, 2), 2000 steps, one
row per step (the point before each step, then the last point) with columns step,x,y,loss. Any loop
works the same way: write the two parameters (and, if you like, the loss) once per step.
"""
import csv
import sys

import torch

torch.set_default_dtype(torch.float64)

p = torch.nn.Parameter(torch.tensor([-1.5, 2.0]))  # (x, y), optiviz's default start
opt = torch.optim.Adam([p], lr=0.05)

with open(sys.argv[1] if len(sys.argv) > 1 else "mine.csv", "w", newline="") as f:
    out = csv.writer(f)
    out.writerow(["step", "x", "y", "loss"])
    for step in range(2001):
        loss = (1 - p[0]) ** 2 + 100 * (p[1] - p[0] ** 2) ** 2  # Rosenbrock, a = 1, b = 100
        out.writerow([step, repr(p[0].item()), repr(p[1].item()), repr(loss.item())])
        if step == 2000:
            break
        opt.zero_grad()
        loss.backward()
        opt.step()
