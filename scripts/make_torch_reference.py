#!/usr/bin/python3
"""Writes tests/reference/NAME.csv for every case in tests/reference/cases.txt with torch.optim.

Independent of optiviz: surfaces are written out in torch and differentiated by autograd, the
optimizers and schedules are torch's own (float64). Run with Debian's python3-torch:
    /usr/bin/python3 scripts/make_torch_reference.py
Output columns match `optiviz trace`: step,x,y,loss, rows 0..N, stopping at the last finite point
(a point, loss or gradient that is not finite, or |x| or |y| > 1e8, ends the rows).
"""
import argparse
import math
import pathlib
import shlex

import torch

torch.set_default_dtype(torch.float64)
HERE = pathlib.Path(__file__).resolve().parent.parent / "tests"
BOUND = 1e8


def surface_fn(name, params, data):
    p = dict(params)
    if name == "rosenbrock":
        a, b = p.get("a", 1.0), p.get("b", 100.0)
        return lambda x, y: (a - x) ** 2 + b * (y - x ** 2) ** 2
    if name == "quadratic":
        a, b, c = p.get("a", 1.0), p.get("b", 10.0), p.get("c", 0.0)
        return lambda x, y: 0.5 * (a * x ** 2 + b * y ** 2) + c * x * y
    if name == "beale":
        return lambda x, y: (1.5 - x + x * y) ** 2 + (2.25 - x + x * y ** 2) ** 2 + (2.625 - x + x * y ** 3) ** 2
    if name == "himmelblau":
        return lambda x, y: (x ** 2 + y - 11) ** 2 + (x + y ** 2 - 7) ** 2
    if name == "rastrigin":
        A = p.get("A", 10.0)
        return lambda x, y: 2 * A + x ** 2 - A * torch.cos(2 * math.pi * x) + y ** 2 - A * torch.cos(2 * math.pi * y)
    if name == "ackley":
        a, b, c = p.get("a", 20.0), p.get("b", 0.2), p.get("c", 2 * math.pi)
        return lambda x, y: (-a * torch.exp(-b * torch.sqrt(0.5 * (x ** 2 + y ** 2)))
                             - torch.exp(0.5 * (torch.cos(c * x) + torch.cos(c * y))) + a + math.e)
    if name == "saddle":
        return lambda x, y: x ** 2 - y ** 2
    if name == "booth":
        return lambda x, y: (x + 2 * y - 7) ** 2 + (2 * x + y - 5) ** 2
    if name == "six_hump_camel":
        return lambda x, y: (4 - 2.1 * x ** 2 + x ** 4 / 3) * x ** 2 + x * y + (-4 + 4 * y ** 2) * y ** 2
    if name == "goldstein_price":
        return lambda x, y: ((1 + (x + y + 1) ** 2 * (19 - 14 * x + 3 * x ** 2 - 14 * y + 6 * x * y + 3 * y ** 2))
                             * (30 + (2 * x - 3 * y) ** 2 * (18 - 32 * x + 12 * x ** 2 + 48 * y - 36 * x * y + 27 * y ** 2)))
    if name == "styblinski_tang":
        return lambda x, y: 0.5 * (x ** 4 - 16 * x ** 2 + 5 * x + y ** 4 - 16 * y ** 2 + 5 * y)
    if name == "mse":
        xs, ys = data
        return lambda w, b: torch.mean((w * xs + b - ys) ** 2)
    if name == "logistic":
        xs, ys = data
        return lambda w, b: torch.nn.functional.binary_cross_entropy_with_logits(w * xs + b, ys)
    raise SystemExit(f"unknown surface {name}")


def load_data(path):
    lines = (HERE / path).read_text().strip().splitlines()
    assert lines[0].replace(" ", "") == "x,y"
    rows = [tuple(float(v) for v in line.split(",")) for line in lines[1:] if line.strip()]
    return torch.tensor([r[0] for r in rows]), torch.tensor([r[1] for r in rows])


def make_optimizer(params, a):
    kw = {}
    if a.lr is not None:
        kw["lr"] = a.lr
    if a.weight_decay is not None:
        kw["weight_decay"] = a.weight_decay
    if a.eps is not None and a.optimizer != "sgd":
        kw["eps"] = a.eps
    betas = (a.beta1 if a.beta1 is not None else 0.9, a.beta2 if a.beta2 is not None else 0.999)
    o = a.optimizer
    if o == "sgd":
        return torch.optim.SGD(params, lr=kw.pop("lr", 0.01), momentum=a.momentum or 0.0,
                               dampening=a.dampening or 0.0, nesterov=a.nesterov, foreach=False, **kw)
    if o == "adagrad":
        return torch.optim.Adagrad(params, lr_decay=a.lr_decay or 0.0, foreach=False, **kw)
    if o == "rmsprop":
        return torch.optim.RMSprop(params, alpha=a.alpha if a.alpha is not None else 0.99,
                                   momentum=a.momentum or 0.0, centered=a.centered, foreach=False, **kw)
    if o == "adadelta":
        return torch.optim.Adadelta(params, rho=a.rho if a.rho is not None else 0.9, foreach=False, **kw)
    if o == "adam":
        return torch.optim.Adam(params, betas=betas, amsgrad=a.amsgrad, foreach=False, **kw)
    if o == "adamw":
        return torch.optim.AdamW(params, betas=betas, amsgrad=a.amsgrad, foreach=False, **kw)
    if o == "adamax":
        return torch.optim.Adamax(params, betas=betas, foreach=False, **kw)
    if o == "nadam":
        # The foreach path implements the documented rule; 1.13's single-tensor CPU path does not.
        return torch.optim.NAdam(params, betas=betas, foreach=True,
                                 momentum_decay=a.momentum_decay if a.momentum_decay is not None else 4e-3, **kw)
    if o == "radam":
        return torch.optim.RAdam(params, betas=betas, foreach=False, **kw)
    raise SystemExit(f"unknown optimizer {o}")


def make_scheduler(opt, a):
    if a.schedule == "constant":
        return None
    if a.schedule == "step":
        return torch.optim.lr_scheduler.StepLR(opt, step_size=a.step_size or 10,
                                               gamma=a.gamma if a.gamma is not None else 0.1)
    if a.schedule == "exp":
        return torch.optim.lr_scheduler.ExponentialLR(opt, gamma=a.gamma if a.gamma is not None else 0.99)
    if a.schedule == "cosine":
        return torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=a.t_max or 100, eta_min=a.eta_min or 0.0)
    raise SystemExit(f"unknown schedule {a.schedule}")


def parser():
    p = argparse.ArgumentParser()
    p.add_argument("--surface", required=True)
    p.add_argument("--param", action="append", default=[])
    p.add_argument("--data")
    p.add_argument("--optimizer", required=True)
    for name in ["lr", "momentum", "dampening", "beta1", "beta2", "alpha", "rho", "eps", "weight-decay",
                 "lr-decay", "momentum-decay", "gamma", "eta-min", "clip-norm"]:
        p.add_argument("--" + name, type=float)
    for name in ["nesterov", "amsgrad", "centered"]:
        p.add_argument("--" + name, action="store_true")
    p.add_argument("--schedule", default="constant")
    p.add_argument("--step-size", type=int)
    p.add_argument("--t-max", type=int)
    p.add_argument("--start", required=True)
    p.add_argument("--steps", type=int, required=True)
    return p


def run_case(args):
    # argparse, like CLI11, would take "-1.5,2" for an option: join values to their options.
    joined = []
    for arg in args:
        if joined and joined[-1] in ("--start",) and arg.startswith("-"):
            joined[-1] += "=" + arg
        else:
            joined.append(arg)
    a = parser().parse_args(joined)
    params = [(kv.split("=")[0], float(kv.split("=")[1])) for kv in a.param]
    f = surface_fn(a.surface, params, load_data(a.data) if a.data else None)
    x0, y0 = (float(v) for v in a.start.split(","))
    point = torch.tensor([x0, y0], requires_grad=True)
    opt = make_optimizer([point], a)
    sched = make_scheduler(opt, a)
    rows = []
    for k in range(a.steps + 1):
        opt.zero_grad()
        loss = f(point[0], point[1])
        loss.backward()
        px, py = point.detach().tolist()
        gx, gy = point.grad.tolist()
        lv = loss.item()
        if not all(math.isfinite(v) for v in (px, py, gx, gy, lv)) or abs(px) > BOUND or abs(py) > BOUND:
            break
        rows.append((k, px, py, lv))
        if k == a.steps:
            break
        if a.clip_norm is not None:
            torch.nn.utils.clip_grad_norm_([point], a.clip_norm)
        opt.step()
        if sched is not None:
            sched.step()
    return rows


def main():
    cases = (HERE / "reference" / "cases.txt").read_text().splitlines()
    for line in cases:
        if not line.strip() or line.startswith("#"):
            continue
        name, args = line.split(":", 1)
        rows = run_case(shlex.split(args))
        with open(HERE / "reference" / f"{name.strip()}.csv", "w") as out:
            out.write("step,x,y,loss\n")
            for k, x, y, loss in rows:
                out.write(f"{k},{x!r},{y!r},{loss!r}\n")
        print(f"{name.strip()}: {len(rows)} rows")


if __name__ == "__main__":
    main()
