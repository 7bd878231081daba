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


def expression_fn(text, params):
    """Your own function, as optiviz's grammar reads it: ^ is power (right-associative, binding
    tighter than unary minus, as Python's **)."""
    names = {"sin": torch.sin, "cos": torch.cos, "tan": torch.tan, "exp": torch.exp, "log": torch.log,
             "sqrt": torch.sqrt, "abs": torch.abs, "tanh": torch.tanh, "pi": math.pi, "e": math.e}
    names.update(dict(params))
    code = compile(text.replace("\u2212", "-").replace("^", "**"), "expr", "eval")
    return lambda x, y: eval(code, {"__builtins__": {}}, dict(names, x=x, y=y))


def load_data(path):
    lines = (HERE / path).read_text().strip().splitlines()
    assert lines[0].replace(" ", "") == "x,y"
    rows = [tuple(float(v) for v in line.split(",")) for line in lines[1:] if line.strip()]
    return torch.tensor([r[0] for r in rows]), torch.tensor([r[1] for r in rows])


class AdamWithoutBiasCorrection(torch.optim.Optimizer):
    """Adam/AdamW as the course writes it, m/(sqrt(v) + eps) with lr unscaled, by hand with tensors
    in torch's order of operations (torch has no switch for it)."""

    def __init__(self, params, lr, betas, eps, weight_decay, amsgrad, decoupled):
        super().__init__(params, dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay))
        self.amsgrad, self.decoupled = amsgrad, decoupled

    @torch.no_grad()
    def step(self):
        for group in self.param_groups:
            lr, (b1, b2), eps, wd = group["lr"], group["betas"], group["eps"], group["weight_decay"]
            for p in group["params"]:
                grad = p.grad
                state = self.state[p]
                if not state:
                    state["m"], state["v"] = torch.zeros_like(p), torch.zeros_like(p)
                    state["vmax"] = torch.zeros_like(p)
                if self.decoupled:
                    p.mul_(1 - lr * wd)
                elif wd != 0:
                    grad = grad.add(p, alpha=wd)
                state["m"].mul_(b1).add_(grad, alpha=1 - b1)
                state["v"].mul_(b2).addcmul_(grad, grad, value=1 - b2)
                v = state["v"]
                if self.amsgrad:
                    torch.maximum(state["vmax"], v, out=state["vmax"])
                    v = state["vmax"]
                denom = v.sqrt().add_(eps)
                p.addcdiv_(state["m"], denom, value=-lr)


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
    if o in ("adam", "adamw") and a.bias_correction == 0:
        return AdamWithoutBiasCorrection(params, lr=kw.get("lr", 1e-3), betas=betas, eps=kw.get("eps", 1e-8),
                                         weight_decay=kw.get("weight_decay", 0.01 if o == "adamw" else 0.0),
                                         amsgrad=a.amsgrad, decoupled=o == "adamw")
    if o == "rprop":
        etas = tuple(float(v) for v in a.etas.split(",")) if a.etas else (0.5, 1.2)
        sizes = tuple(float(v) for v in a.step_sizes.split(",")) if a.step_sizes else (1e-6, 50)
        return torch.optim.Rprop(params, lr=kw.get("lr", 0.01), etas=etas, step_sizes=sizes, foreach=False)
    if o == "lbfgs":
        return torch.optim.LBFGS(params, lr=kw.get("lr", 1), max_iter=a.max_iter or 1,
                                 history_size=a.history_size or 100,
                                 line_search_fn=None if a.line_search in (None, "none") else a.line_search,
                                 tolerance_grad=a.tolerance_grad if a.tolerance_grad is not None else 1e-7,
                                 tolerance_change=a.tolerance_change if a.tolerance_change is not None else 1e-9)
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
    if a.schedule == "plateau":
        return torch.optim.lr_scheduler.ReduceLROnPlateau(
            opt, mode="min", factor=a.factor if a.factor is not None else 0.1,
            patience=a.patience if a.patience is not None else 10,
            threshold=a.threshold if a.threshold is not None else 1e-4,
            threshold_mode=a.threshold_mode or "rel", cooldown=a.cooldown or 0,
            min_lr=a.min_lr if a.min_lr is not None else 0.0)
    raise SystemExit(f"unknown schedule {a.schedule}")


def parser():
    p = argparse.ArgumentParser()
    p.add_argument("--surface")
    p.add_argument("--param", action="append", default=[])
    p.add_argument("--data")
    p.add_argument("--optimizer", required=True)
    for name in ["lr", "momentum", "dampening", "beta1", "beta2", "alpha", "rho", "eps", "weight-decay",
                 "lr-decay", "momentum-decay", "gamma", "eta-min", "clip-norm", "factor", "threshold", "min-lr",
                 "loss-tol", "tolerance-grad", "tolerance-change"]:
        p.add_argument("--" + name, type=float)
    for name in ["bias-correction", "patience", "cooldown", "loss-patience", "history-size", "max-iter"]:
        p.add_argument("--" + name, type=int)
    for name in ["threshold-mode", "etas", "step-sizes", "line-search", "expr"]:
        p.add_argument("--" + name)
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
    if a.expr is not None:
        f = expression_fn(a.expr, params)
    else:
        f = surface_fn(a.surface, params, load_data(a.data) if a.data else None)
    x0, y0 = (float(v) for v in a.start.split(","))
    point = torch.tensor([x0, y0], requires_grad=True)
    opt = make_optimizer([point], a)
    sched = make_scheduler(opt, a)
    plateau = isinstance(sched, torch.optim.lr_scheduler.ReduceLROnPlateau)

    def closure():
        opt.zero_grad()
        loss = f(point[0], point[1])
        loss.backward()
        return loss

    rows = []
    flat = 0
    for k in range(a.steps + 1):
        loss = closure()
        px, py = point.detach().tolist()
        gx, gy = point.grad.tolist()
        lv = loss.item()
        if not all(math.isfinite(v) for v in (px, py, gx, gy, lv)) or abs(px) > BOUND or abs(py) > BOUND:
            break
        rows.append((k, px, py, lv))
        if k == a.steps:
            break
        # The loss-change rule: |f_k − f_{k−1}| < tol for loss_patience consecutive steps ends the rows.
        if a.loss_tol is not None and k > 0:
            flat = flat + 1 if abs(lv - rows[-2][3]) < a.loss_tol else 0
            if flat >= (a.loss_patience or 1):
                break
        if a.clip_norm is not None:
            torch.nn.utils.clip_grad_norm_([point], a.clip_norm)
        if a.optimizer == "lbfgs":
            opt.step(closure)  # re-evaluates at this row's point first, as torch does
        else:
            opt.step()
        if plateau:
            sched.step(lv)  # the loss where this step's gradient was taken
        elif sched is not None:
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
