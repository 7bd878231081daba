#!/usr/bin/python3
"""Every speed figure of the README's "Speed" section, measured in one run and printed as its
tables: optiviz's batched ensembles beside the hand-fused reference loops and torch.optim on the
same particles, the whole-run batches (sweeps, basin maps, particle clouds), and `optiviz tune` on a
realistic request.

    /usr/bin/python3 scripts/bench_report.py [--build build] [--min-time 0.2] [--repetitions 5] [--pairs 21]
                                             [--pair-min-time 1.0] [--no-torch]

Ensembles and references are timed in process CPU time (all threads), so that their ratios hold on
a machine whose cores other jobs share; torch.optim in wall time (its OpenMP threads spin while they
wait, which CPU time would count), compared with the ensembles' wall time in the same run; `tune` in
wall time (the whole process).
The ratios the issue sets targets for (ensemble / hand-fused reference, β2 × β1 sweep / lr × β1 sweep)
are measured apart as well, from --pairs adjacent runs of the two benchmarks (each pair back to back,
in alternating order): the median of those ratios, which drift between runs cannot bias. Each run of
a pair lasts at least --pair-min-time seconds: an SGD ensemble iteration takes some 30 ms, and runs
of a few iterations let single hiccups of this VM move a pair's ratio by a tenth.
Needs Debian's python3-torch for the torch column (--no-torch leaves it out).
"""
import argparse
import json
import os
import re
import subprocess
import sys
import time

OPTIMIZERS = ["sgd", "adagrad", "rmsprop", "adadelta", "adam", "adamw", "adamax", "nadam", "radam"]
REFERENCES = {"sgd": "fused_sgd_momentum", "rmsprop": "fused_rmsprop", "adam": "fused_adam"}
N = 100000


def run_optiviz_bench(build, min_time, repetitions):
    """Medians over `repetitions` runs of every benchmark, the runs of all benchmarks shuffled
    together (Google Benchmark's random interleaving): on a shared VM the machine's speed drifts
    by tens of percent within a minute, and a ratio of two figures taken minutes apart would
    measure the drift."""
    pattern = "ensemble/|ensemble_generic/|trajectory_10k/|reference/|sweep_|basins_|cloud"
    out = subprocess.run([os.path.join(build, "optiviz_bench"), "--benchmark_filter=" + pattern,
                          "--benchmark_format=json", f"--benchmark_min_time={min_time}",
                          f"--benchmark_repetitions={repetitions}", "--benchmark_enable_random_interleaving=true",
                          "--benchmark_report_aggregates_only=true"],
                         check=True, capture_output=True, text=True).stdout
    rates, times, wall_rates = {}, {}, {}
    for b in json.loads(out)["benchmarks"]:
        if b.get("run_type") == "aggregate" and b.get("aggregate_name") != "median":
            continue
        name = b["name"].replace("_median", "").replace("/process_time", "").replace("/real_time", "")
        rates[name] = b.get("items_per_second", 0.0) / 1e6
        wall_rates[name] = rates[name] * b["cpu_time"] / b["real_time"] if "process_time" in b["name"] else rates[name]
        times[name] = b["cpu_time"] if "process_time" in b["name"] else b["real_time"]
        times[name + ":unit"] = b["time_unit"]
    return rates, times, wall_rates


def cpu_time(build, name, min_time):
    """One benchmark alone, its CPU time per iteration."""
    out = subprocess.run([os.path.join(build, "optiviz_bench"), f"--benchmark_filter=^{name}$",
                          "--benchmark_format=json", f"--benchmark_min_time={min_time}"],
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out)["benchmarks"][0]["cpu_time"]


def paired_ratio(build, numerator, denominator, pairs, min_time="0.4"):
    """Median and quartiles of time(numerator) / time(denominator) over `pairs` adjacent runs."""
    ratios = []
    for k in range(pairs):
        order = (numerator, denominator) if k % 2 else (denominator, numerator)
        t = {name: cpu_time(build, name, min_time) for name in order}
        ratios.append(t[numerator] / t[denominator])
    ratios.sort()
    return ratios[len(ratios) // 2], ratios[len(ratios) // 4], ratios[(3 * len(ratios)) // 4]


def run_torch():
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import bench_torch  # noqa: E402 (needs python3-torch)
    # Wall time: torch's OpenMP threads spin while they wait, which process CPU time would count.
    return {name: max(bench_torch.run(name, N, foreach=f) for f in (False, True)) / 1e6 for name in OPTIMIZERS}


def run_tune(build, args):
    start = time.perf_counter()
    done = subprocess.run([os.path.join(build, "optiviz"), "tune", *args], check=True, capture_output=True, text=True)
    wall = time.perf_counter() - start
    inner = re.search(r"in ([0-9.]+) s", done.stderr)
    best = done.stderr.strip().splitlines()[-1]
    return wall, float(inner.group(1)) if inner else float("nan"), best


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", default="build")
    parser.add_argument("--min-time", default="0.2")
    parser.add_argument("--repetitions", type=int, default=5)
    parser.add_argument("--pairs", type=int, default=21)
    parser.add_argument("--pair-min-time", default="1.0")
    parser.add_argument("--no-torch", action="store_true")
    options = parser.parse_args()

    load = os.getloadavg()[0]
    rates, times, wall_rates = run_optiviz_bench(options.build, options.min_time, options.repetitions)
    torch_rates = {} if options.no_torch else run_torch()
    # Ensemble / reference in particle-steps per second = reference time / ensemble time.
    paired = {name: paired_ratio(options.build, f"reference/{ref}/{N}/process_time", f"ensemble/{name}/{N}/process_time",
                                 options.pairs, options.pair_min_time) for name, ref in REFERENCES.items()}
    sweeps = paired_ratio(options.build, "sweep_256x256x500/adam_beta2_beta1/process_time",
                          "sweep_256x256x500/adam_lr_beta1/process_time", options.pairs, options.pair_min_time)
    print(f"One run, {os.cpu_count()} cores, load average {load:.1f} at the start; medians of {options.repetitions} "
          f"interleaved repetitions (ensemble / reference: the median over {options.pairs} adjacent pairs). "
          f"Rosenbrock, N = {N:,} particles × 500 steps; M particle-steps per CPU-second.\n")
    print("| optimizer | ensemble | generic path | hand-fused reference | ensemble / reference | torch.optim (wall) "
          "| ensemble / torch (wall) | N = 1 000 | N = 1 | one 10 000-step trajectory |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name in OPTIMIZERS + ["rprop", "lbfgs"]:
        ours = rates.get(f"ensemble/{name}/{N}")
        if ours is None:
            continue
        generic = rates.get(f"ensemble_generic/{name}/{N}")
        ref = REFERENCES.get(name)
        ref_rate = rates.get(f"reference/{ref}/{N}") if ref else None
        theirs = torch_rates.get(name)
        trajectory = times.get(f"trajectory_10k/{name}")
        cells = [name, f"{ours:.1f}", f"{generic:.1f}" if generic else "",
                 f"{ref_rate:.1f} ({ref})" if ref_rate else "",
                 f"**{paired[name][0]:.2f}** ({paired[name][1]:.2f}–{paired[name][2]:.2f})" if ref_rate else "",
                 f"{theirs:.1f}" if theirs else "",
                 f"{wall_rates[f'ensemble/{name}/{N}'] / theirs:.1f}×" if theirs else "",
                 f"{rates.get(f'ensemble/{name}/1000', 0):.1f}", f"{rates.get(f'ensemble/{name}/1', 0):.1f}",
                 f"{trajectory:.0f} {times[f'trajectory_10k/{name}:unit']}" if trajectory else ""]
        print("| " + " | ".join(cells) + " |")
    print("\n| whole-run batch (Adam, 500 steps per run) | CPU time | M particle-steps per CPU-s |")
    print("|---|---:|---:|")
    for name in sorted(k for k in rates if k.startswith(("sweep_", "basins_", "cloud"))):
        print(f"| {name} | {times[name]:.0f} {times[name + ':unit']} | {rates[name]:.1f} |")
    lr_beta1 = times.get("sweep_256x256x500/adam_lr_beta1")
    beta2_beta1 = times.get("sweep_256x256x500/adam_beta2_beta1")
    if lr_beta1 and beta2_beta1:
        print(f"\nThe β2 × β1 sweep took **{sweeps[0]:.2f}×** the lr × β1 sweep's time (median over {options.pairs} "
              f"adjacent pairs, quartiles {sweeps[1]:.2f}–{sweeps[2]:.2f}; {beta2_beta1 / lr_beta1:.2f}× from the "
              f"medians above).")

    print("\n| `optiviz tune` request (Rosenbrock, start -1.5,2) | whole process | search | best |")
    print("|---|---:|---:|---|")
    requests = [
        ["--surface", "rosenbrock", "--optimizer", "sgd", "--momentum", "0.9", "--start", "-1.5,2", "--budget", "500",
         "--starts", "16"],
        ["--surface", "rosenbrock", "--optimizer", "adam", "--start", "-1.5,2", "--budget", "500", "--starts", "16"],
        ["--surface", "rosenbrock", "--optimizer", "adam", "--start", "-1.5,2", "--budget", "2000", "--starts", "64",
         "--also", "beta1", "--objective", "worst-loss"],
    ]
    for args in requests:
        wall, inner, best = run_tune(options.build, args)
        label = " ".join(a for a in args if a not in ("--surface", "rosenbrock", "--start", "-1.5,2"))
        print(f"| {label} | {wall:.3f} s | {inner:.3f} s | {best} |")


if __name__ == "__main__":
    main()
