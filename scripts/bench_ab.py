#!/usr/bin/python3
"""A/B of one benchmark between two builds: the median, over adjacent pairs of runs in alternating
order, of B's particle-steps per second over A's (above 1: B is faster), with quartiles.

    /usr/bin/python3 scripts/bench_ab.py BENCHMARK A/optiviz_bench B/optiviz_bench [--pairs 15]

BENCHMARK is a Google Benchmark name or filter, for example ensemble/sgd/100000/process_time. Each run
is its own process (--benchmark_min_time=0.4); this VM's speed drifts between runs, which a pair run
back to back shares.
"""
import argparse
import json
import subprocess


def rate(binary, name):
    out = subprocess.run([binary, f"--benchmark_filter={name}", "--benchmark_min_time=0.4", "--benchmark_format=json"],
                         check=True, capture_output=True, text=True).stdout
    benchmark = json.loads(out)["benchmarks"][0]
    return benchmark.get("items_per_second") or 1.0 / benchmark["cpu_time"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("benchmark")
    parser.add_argument("a")
    parser.add_argument("b")
    parser.add_argument("--pairs", type=int, default=15)
    options = parser.parse_args()
    ratios = []
    for k in range(options.pairs):
        if k % 2:
            a = rate(options.a, options.benchmark)
            b = rate(options.b, options.benchmark)
        else:
            b = rate(options.b, options.benchmark)
            a = rate(options.a, options.benchmark)
        ratios.append(b / a)
    ratios.sort()
    n = len(ratios)
    print(f"{options.benchmark}: B/A {ratios[n // 2]:.3f} (quartiles {ratios[n // 4]:.3f}–{ratios[(3 * n) // 4]:.3f}, "
          f"{n} pairs)")


if __name__ == "__main__":
    main()
