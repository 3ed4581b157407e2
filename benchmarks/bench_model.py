"""Benchmark of one simulation: time and peak memory by population size (not a test).

Each measurement runs in a fresh subprocess so that peak resident memory (ru_maxrss) is that run's own.
Reports the default scenario's simulation time (the real target population) and N companies x 36 months for N
in --sizes (plus the configured non-company actors in every run), and writes
benchmarks/results/model.json and model.md (or --out). Usage:

    python benchmarks/bench_model.py                      # full benchmark (about a minute)
    python benchmarks/bench_model.py --sizes 200 --repeats 1 --out /tmp/b   # tiny version (tests)
"""

from __future__ import annotations

import argparse
import json
import platform
import subprocess
import sys
import time
from pathlib import Path

WORKER = r"""
import json, resource, sys, time
from xbsim.core.config import compose
from xbsim.model import XBSimModel
overrides = json.loads(sys.argv[1])
cfg = compose(overrides)
t0 = time.perf_counter()
model = XBSimModel(cfg)
t1 = time.perf_counter()
model.run()
t2 = time.perf_counter()
print(json.dumps({"build_s": t1 - t0, "run_s": t2 - t1, "total_s": t2 - t0,
                  "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "partnerships": len(model.state.partnerships),
                  "companies": int(model.population.is_company.sum()), "actors": model.population.n}))
"""


def measure(overrides: list[str], repeats: int) -> dict:
    """Best-of-``repeats`` timing (min) and the largest peak memory of the repeats."""
    runs = []
    for _ in range(repeats):
        out = subprocess.run([sys.executable, "-c", WORKER, json.dumps(overrides)], capture_output=True,
                             text=True, check=True)
        runs.append(json.loads(out.stdout.strip().splitlines()[-1]))
    best = min(runs, key=lambda r: r["total_s"])
    return {**best, "peak_rss_mb": max(r["peak_rss_mb"] for r in runs), "repeats": repeats}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="*", default=[1000, 4000, 16000, 20000])
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--out", type=Path, default=Path(__file__).parent / "results")
    args = ap.parse_args(argv)

    results = {"python": platform.python_version(), "machine": platform.machine(),
               "date": time.strftime("%Y-%m-%d"), "default": measure([], args.repeats), "sizes": []}
    for n in args.sizes:
        r = measure([f"population.n_companies={n}", "horizon_months=36"], args.repeats)
        results["sizes"].append({"n_companies": n, **r})
        print(f"{n:>6} companies x 36 months: {r['total_s']:.2f} s (build {r['build_s']:.2f} s), "
              f"peak {r['peak_rss_mb']:.0f} MB", flush=True)
    d = results["default"]
    lines = ["# Model benchmark", "", f"Python {results['python']} on {results['machine']}, {results['date']}; "
             f"best of {args.repeats} runs, each in a fresh process.", "",
             f"Default scenario ({d['companies']} companies and {d['actors'] - d['companies']} other actors x 36 "
             f"months): {d['total_s']:.2f} s "
             f"(build {d['build_s']:.2f} s, run {d['run_s']:.2f} s), peak {d['peak_rss_mb']:.0f} MB.", "",
             "| companies | total s | build s | run s | s per 1k companies | peak RSS MB |",
             "|---|---|---|---|---|---|"]
    for r in results["sizes"]:
        lines.append(f"| {r['n_companies']} | {r['total_s']:.2f} | {r['build_s']:.2f} | {r['run_s']:.2f} | "
                     f"{1000 * r['total_s'] / r['n_companies']:.3f} | {r['peak_rss_mb']:.0f} |")
    args.out.mkdir(parents=True, exist_ok=True)
    from xbsim.io.atomic import write_json, write_text

    write_json(args.out / "model.json", results)
    write_text(args.out / "model.md", "\n".join(lines) + "\n")
    print(f"default scenario: {d['total_s']:.2f} s; results in {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
