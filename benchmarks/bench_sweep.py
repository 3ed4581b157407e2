"""Benchmark of sweep throughput: replications per minute with 1 and 2 workers (not a test).

Two ways to use the cores, each measured with 1 and 2 workers on the default scenario:

- launcher: ``xbsim -m`` over S scenarios x R replications with Hydra's joblib launcher (``n_jobs`` = workers),
  one scenario per worker; wall time of the whole command, start-up of Python and of the workers included.
- replications: the R replications of one scenario in one process with ``study.workers`` = workers (joblib
  inside the scenario; worker start-up included).

Writes benchmarks/results/sweep.json and sweep.md (or --out). Usage:

    python benchmarks/bench_sweep.py                          # full benchmark (a few minutes on 2 cores)
    python benchmarks/bench_sweep.py --scenarios 2 --replications 2 --overrides population.n_companies=150 \
        horizon_months=18 workshops.end=18 'b2b.events=[6,12]' --out /tmp/b       # tiny version (tests)
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPLICATIONS_WORKER = r"""
import json, sys, tempfile, time
from pathlib import Path
from omegaconf import OmegaConf
from xbsim.core.config import compose
from xbsim.study.replicate import run_replications
overrides, reps, workers = json.loads(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
cfg = OmegaConf.to_container(compose(overrides), resolve=True)
with tempfile.TemporaryDirectory() as tmp:
    t0 = time.perf_counter()
    recs = run_replications(cfg, range(reps), Path(tmp), workers=workers, files="summary")
    print(json.dumps({"wall_s": time.perf_counter() - t0,
                      "viable": [r["poles"][p]["viable"] for r in recs for p in sorted(r["poles"])]}))
"""


def xbsim_exe() -> str:
    return str(Path(sys.executable).with_name("xbsim"))


def bench_launcher(workers: int, scenarios: int, reps: int, overrides: list[str]) -> dict:
    """Wall time of one ``xbsim -m`` sweep of ``scenarios`` seeds x ``reps`` replications."""
    seeds = ",".join(str(100 + s) for s in range(scenarios))
    with tempfile.TemporaryDirectory() as tmp:
        cmd = [xbsim_exe(), "-m", "hydra/launcher=joblib", f"hydra.launcher.n_jobs={workers}",
               f"hydra.sweep.dir={tmp}/sweep", f"seed={seeds}", f"replications={reps}",
               "study.replication_files=summary", "figures=false", *overrides]
        t0 = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True, text=True, cwd=tmp,
                       env={**os.environ, "HYDRA_FULL_ERROR": "1"})
        wall = time.perf_counter() - t0
    runs = scenarios * reps
    return {"workers": workers, "scenarios": scenarios, "replications": reps, "runs": runs, "wall_s": wall,
            "replications_per_minute": 60 * runs / wall}


def bench_replications(workers: int, reps: int, overrides: list[str]) -> dict:
    """Wall time of one scenario's ``reps`` replications with ``workers`` joblib processes."""
    out = subprocess.run([sys.executable, "-c", REPLICATIONS_WORKER, json.dumps(overrides), str(reps), str(workers)],
                         capture_output=True, text=True, check=True)
    r = json.loads(out.stdout.strip().splitlines()[-1])
    return {"workers": workers, "replications": reps, "wall_s": r["wall_s"],
            "replications_per_minute": 60 * reps / r["wall_s"], "viable": r["viable"]}


def markdown(res: dict) -> str:
    lines = ["# Sweep benchmark", "",
             f"{res['date']}, Python {res['python']}, {res['cpus']} CPUs; scenario overrides: "
             f"`{' '.join(res['overrides']) or '(default scenario)'}`.", "",
             "| mode | workers | runs | wall time (s) | replications per minute | speed-up |",
             "|---|---|---|---|---|---|"]
    for mode in ("launcher", "replications"):
        rows = res[mode]
        if not rows:
            continue
        base = rows[0]["replications_per_minute"]
        for r in rows:
            runs = r.get("runs", r["replications"])
            lines.append(f"| {mode} | {r['workers']} | {runs} | {r['wall_s']:.1f} | {r['replications_per_minute']:.0f} "
                         f"| {r['replications_per_minute'] / base:.2f} |")
    lines += ["", "launcher: `xbsim -m` with the joblib launcher, one scenario per worker, Python and worker start-up "
              "included. replications: one scenario's replications with `study.workers`. Results are identical "
              f"whatever the number of workers: {res['identical_results']}.", ""]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scenarios", type=int, default=4)
    ap.add_argument("--replications", type=int, default=50)
    ap.add_argument("--workers", type=int, nargs="*", default=[1, 2])
    ap.add_argument("--overrides", nargs="*", default=[])
    ap.add_argument("--modes", nargs="*", choices=["launcher", "replications"], default=["launcher", "replications"])
    ap.add_argument("--out", type=Path, default=Path(__file__).parent / "results")
    args = ap.parse_args(argv)

    res: dict = {"python": platform.python_version(), "machine": platform.machine(), "cpus": os.cpu_count(),
                 "date": time.strftime("%Y-%m-%d"), "overrides": args.overrides,
                 "launcher": [bench_launcher(w, args.scenarios, args.replications, args.overrides)
                              for w in args.workers] if "launcher" in args.modes else [],
                 "replications": [bench_replications(w, args.scenarios * args.replications, args.overrides)
                                  for w in args.workers] if "replications" in args.modes else []}
    outcomes = [r.pop("viable") for r in res["replications"]]
    res["identical_results"] = all(o == outcomes[0] for o in outcomes)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "sweep.json").write_text(json.dumps(res, indent=2) + "\n")
    (args.out / "sweep.md").write_text(markdown(res))
    print(markdown(res))
    return 0 if res["identical_results"] else 1


if __name__ == "__main__":
    sys.exit(main())
