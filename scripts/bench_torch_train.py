#!/usr/bin/python3
"""Training steps per second of PyTorch on the digits MLP, set up like bench/bench_models.cpp:
nn.Sequential(Linear(64, 32), ReLU, Linear(32, 10)) in float64, CrossEntropyLoss (mean) on all 1797
rows of assets/datasets/digits.csv, full batch, torch.optim.Adam (lr 0.01); one step is zero_grad,
forward, backward, optimizer.step(), as `optiviz train` does per row. Prints one line per thread
count: "torch threads=T hidden=H steps_per_second=S (wall) C (process CPU)". Run with Debian's python3-torch:
    /usr/bin/python3 scripts/bench_torch_train.py [--steps N] [--hidden 32]
"""
import argparse
import pathlib
import time

import torch

torch.set_default_dtype(torch.float64)
ROOT = pathlib.Path(__file__).resolve().parent.parent


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--steps", type=int, default=300)
    p.add_argument("--hidden", type=int, default=32)
    p.add_argument("--threads", default="1,2")
    a = p.parse_args()
    lines = (ROOT / "assets" / "datasets" / "digits.csv").read_text().split()
    rows = [[float(v) for v in line.split(",")] for line in lines[1:]]
    x = torch.tensor([r[:-1] for r in rows])
    y = torch.tensor([int(r[-1]) for r in rows])
    for threads in (int(t) for t in a.threads.split(",")):
        torch.set_num_threads(threads)
        torch.manual_seed(0)
        model = torch.nn.Sequential(torch.nn.Linear(64, a.hidden), torch.nn.ReLU(), torch.nn.Linear(a.hidden, 10))
        opt = torch.optim.Adam(model.parameters(), lr=0.01)
        loss_fn = torch.nn.CrossEntropyLoss()
        for _ in range(10):  # warm-up
            opt.zero_grad()
            loss_fn(model(x), y).backward()
            opt.step()
        start, cpu_start = time.perf_counter(), time.process_time()
        for _ in range(a.steps):
            opt.zero_grad()
            loss = loss_fn(model(x), y)
            loss.backward()
            opt.step()
        elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu_start
        print(f"torch threads={threads} hidden={a.hidden} steps_per_second={a.steps / elapsed:.1f} (wall) "
              f"{a.steps / cpu:.1f} (process CPU)")


if __name__ == "__main__":
    main()
