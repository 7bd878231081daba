#!/usr/bin/python3
"""Writes the reference runs of `optiviz train` with PyTorch (float64), for every case in
tests/reference/train/cases.txt ("NAME: optiviz train arguments", paths relative to tests/):

  NAME.init   the initial parameters: torch's own default initialisation of the nn.Sequential under
              torch.manual_seed(index of the case), flattened in model.parameters() order, one per line
              (the test passes it as --init, so it also checks optiviz's parameter order)
  NAME.grad   the full-batch loss at those parameters, then its gradient (autograd), one per line
  NAME.csv    step,loss: the mean training loss after t optimizer steps, t = 0..N

Independent of optiviz: the model is torch.nn, the losses torch.nn's, the gradients autograd's, the
optimizers and schedules torch.optim's (the same constructors as make_torch_reference.py). The
mini-batch order is the documented one (core/optimizers/minibatch_sampler.h: std::mt19937_64(seed), a lazy
Fisher-Yates shuffle per epoch), written out again here. Run with Debian's python3-torch:
    /usr/bin/python3 scripts/torch_train_reference.py
"""
import argparse
import math
import pathlib
import shlex
import sys

import torch

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from make_torch_reference import make_optimizer, make_scheduler  # noqa: E402

torch.set_default_dtype(torch.float64)
ROOT = pathlib.Path(__file__).resolve().parent.parent
TESTS = ROOT / "tests"
OUT = TESTS / "reference" / "train"
BOUND = 1e8
MASK = (1 << 64) - 1


class Mt19937_64:
    """std::mt19937_64, whose output sequence the C++ standard fixes."""

    def __init__(self, seed):
        self.mt = [seed & MASK]
        for i in range(1, 312):
            prev = self.mt[-1]
            self.mt.append((6364136223846793005 * (prev ^ (prev >> 62)) + i) & MASK)
        self.index = 312

    def next(self):
        if self.index >= 312:
            for i in range(312):
                x = (self.mt[i] & 0xFFFFFFFF80000000) | (self.mt[(i + 1) % 312] & 0x7FFFFFFF)
                xa = x >> 1
                if x & 1:
                    xa ^= 0xB5026F5AA96619E9
                self.mt[i] = self.mt[(i + 156) % 312] ^ xa
            self.index = 0
        y = self.mt[self.index]
        self.index += 1
        y ^= (y >> 29) & 0x5555555555555555
        y ^= (y << 17) & 0x71D67FFFEDA60000
        y ^= (y << 37) & 0xFFF7EEE000000000
        y ^= y >> 43
        return y & MASK

    def below(self, bound):
        limit = MASK - MASK % bound
        r = self.next()
        while r >= limit:
            r = self.next()
        return r % bound


class Sampler:
    def __init__(self, rows, batch, seed):
        self.rows, self.batch, self.rng = rows, min(batch, rows), Mt19937_64(seed)
        self.order, self.cursor = list(range(rows)), rows

    def next(self):
        if self.cursor >= self.rows:
            self.cursor = 0
        count = min(self.batch, self.rows - self.cursor)
        for i in range(self.cursor, self.cursor + count):
            if i + 1 >= self.rows:
                break
            j = i + self.rng.below(self.rows - i)
            self.order[i], self.order[j] = self.order[j], self.order[i]
        batch = self.order[self.cursor:self.cursor + count]
        self.cursor += count
        return batch


def parser():
    p = argparse.ArgumentParser()
    for name in ["model", "data", "dataset", "target", "features", "loss", "optimizer", "threshold-mode", "etas",
                 "step-sizes", "line-search"]:
        p.add_argument("--" + name)
    for name in ["lr", "momentum", "dampening", "beta1", "beta2", "alpha", "rho", "eps", "weight-decay", "lr-decay",
                 "momentum-decay", "gamma", "eta-min", "clip-norm", "factor", "threshold", "min-lr", "loss-tol",
                 "tolerance-grad", "tolerance-change"]:
        p.add_argument("--" + name, type=float)
    for name in ["bias-correction", "patience", "cooldown", "loss-patience", "history-size", "max-iter", "batch",
                 "seed", "step-size", "t-max", "steps"]:
        p.add_argument("--" + name, type=int)
    for name in ["nesterov", "amsgrad", "centered", "standardize"]:
        p.add_argument("--" + name, action="store_true")
    p.add_argument("--schedule", default="constant")
    return p


def load_table(a):
    path = ROOT / "assets" / "datasets" / f"{a.dataset}.csv" if a.dataset else TESTS / a.data
    lines = [line.strip() for line in path.read_text().splitlines() if line.strip()]
    header = [h.strip() for h in lines[0].split(",")]
    target = a.target or "target"
    features = a.features.split(",") if a.features else [h for h in header if h != target]
    rows = [[float(v) for v in line.split(",")] for line in lines[1:]]
    x = torch.tensor([[r[header.index(f)] for f in features] for r in rows])
    y = torch.tensor([r[header.index(target)] for r in rows])
    if a.standardize:
        x = (x - x.mean(0)) / x.std(0, unbiased=False)
    return x, y


def build(a, inputs, outputs):
    layers, width = [], inputs
    if a.model.startswith("mlp:"):
        settings = dict(item.split("=") for item in a.model[4:].split(","))
        act = {"tanh": torch.nn.Tanh, "relu": torch.nn.ReLU, "sigmoid": torch.nn.Sigmoid}[settings.get("activation", "tanh")]
        for h in (int(v) for v in settings["hidden"].split("x")):
            layers += [torch.nn.Linear(width, h), act()]
            width = h
    layers.append(torch.nn.Linear(width, outputs))
    return torch.nn.Sequential(*layers)


def loss_fn(kind):
    if kind == "cross_entropy":
        ce = torch.nn.CrossEntropyLoss()
        return lambda out, y: ce(out, y.long())
    if kind == "bce":
        bce = torch.nn.BCEWithLogitsLoss()
        return lambda out, y: bce(out.squeeze(1), y)
    mse = torch.nn.MSELoss()
    return lambda out, y: mse(out.squeeze(1), y)


def run_case(index, name, args):
    a = parser().parse_args(args)
    x, y = load_table(a)
    kind = a.loss or "mse"
    outputs = int(y.max().item()) + 1 if kind == "cross_entropy" else 1
    torch.manual_seed(index)
    model = build(a, x.shape[1], outputs)
    params = list(model.parameters())
    flat = torch.cat([p.detach().reshape(-1) for p in params])
    (OUT / f"{name}.init").write_text("".join(f"{v!r}\n" for v in flat.tolist()))
    f = loss_fn(kind)
    opt = make_optimizer(params, a)
    sched = make_scheduler(opt, a)
    plateau = isinstance(sched, torch.optim.lr_scheduler.ReduceLROnPlateau)
    sampler = Sampler(x.shape[0], a.batch, a.seed or 0) if a.batch else None

    def closure():
        opt.zero_grad()
        loss = f(model(x), y)
        loss.backward()
        return loss

    rows, flat_steps = [], 0
    for k in range(a.steps + 1):
        lv = closure().item()
        grads = torch.cat([p.grad.reshape(-1) for p in params])
        if k == 0:
            (OUT / f"{name}.grad").write_text("".join(f"{v!r}\n" for v in [lv] + grads.tolist()))
        theta = torch.cat([p.detach().reshape(-1) for p in params])
        if not (math.isfinite(lv) and torch.isfinite(grads).all() and theta.abs().max().item() <= BOUND):
            break
        rows.append((k, lv))
        if k == a.steps:
            break
        if a.loss_tol is not None and k > 0:
            flat_steps = flat_steps + 1 if abs(lv - rows[-2][1]) < a.loss_tol else 0
            if flat_steps >= (a.loss_patience or 1):
                break
        if sampler:
            batch = sampler.next()
            opt.zero_grad()
            f(model(x[batch]), y[batch]).backward()
        if a.clip_norm is not None:
            torch.nn.utils.clip_grad_norm_(params, a.clip_norm)
        if a.optimizer == "lbfgs":
            opt.step(closure)
        else:
            opt.step()
        if plateau:
            sched.step(lv)
        elif sched is not None:
            sched.step()
    with open(OUT / f"{name}.csv", "w") as out:
        out.write("step,loss\n")
        for k, lv in rows:
            out.write(f"{k},{lv!r}\n")
    return len(rows)


def main():
    if Mt19937_64(5489).next() != 14514284786278117030:
        raise SystemExit("Mt19937_64 does not reproduce std::mt19937_64")
    lines = (OUT / "cases.txt").read_text().splitlines()
    index = 0
    for line in lines:
        if not line.strip() or line.startswith("#"):
            continue
        name, args = line.split(":", 1)
        index += 1
        print(f"{name.strip()}: {run_case(index, name.strip(), shlex.split(args))} rows")


if __name__ == "__main__":
    main()
