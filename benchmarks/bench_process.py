"""Benchmark of the whole ``xbsim`` process, as a user waits for it (not a test).

Measured side by side in one run, each in a fresh process, best of ``--repeats``:
- the default scenario's whole command, with and without figures, and the same command's start-up to its first
  model step (interpreter start, imports, Hydra's composition, validation, the run folder, building the model),
  measured from outside as the whole process of the command stopped at that step;
- N companies x 36 months for N in ``--sizes``, whole process with and without figures;
- the whole-process marginal cost per company-month between the two largest sizes, against Mesa's own
  BoltzmannWealth example's cost per agent-step between the same numbers of agents (36 steps).

Writes benchmarks/results/process.json and process.md (or ``--out``). Usage:

    python benchmarks/bench_process.py                                   # full benchmark (a few minutes)
    python benchmarks/bench_process.py --sizes 200 400 --repeats 1 --out /tmp/b   # tiny version (tests)
"""

from __future__ import annotations

import argparse
import platform
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

STARTUP = r"""
import os, sys
from xbsim.model import XBSimModel
def first_step(self, *args, **kwargs):  # the command stops where the model would take its first step
    os._exit(0)
XBSimModel.run = first_step
from xbsim.cli.main import main
sys.argv = ["xbsim", *sys.argv[1:]]
main()
"""

BOLTZMANN = r"""
import sys, time
from mesa.examples.basic.boltzmann_wealth_model.model import BoltzmannScenario, BoltzmannWealth
n = int(sys.argv[1])
side = max(10, int(n ** 0.5))
t0 = time.perf_counter()
model = BoltzmannWealth(BoltzmannScenario(n=n, width=side, height=side, rng=1))
for _ in range(36):
    model.step()
print(time.perf_counter() - t0)
"""


def xbsim_exe() -> str:
    return str(Path(sys.executable).with_name("xbsim"))


def wall(make_cmd: Callable[[], list[str]], repeats: int, cwd: str) -> float:
    """Best wall-clock time over ``repeats`` fresh processes (``make_cmd`` gives each its own command)."""
    best = float("inf")
    for _ in range(repeats):
        cmd = make_cmd()
        t0 = time.perf_counter()
        subprocess.run(cmd, cwd=cwd, check=True, capture_output=True, text=True)
        best = min(best, time.perf_counter() - t0)
    return best


def printed(cmd: list[str], repeats: int) -> float:
    """Best of the number the command prints (a time measured inside the process)."""
    return min(float(subprocess.run(cmd, check=True, capture_output=True, text=True).stdout.strip().splitlines()[-1])
               for _ in range(repeats))


def run_xbsim(overrides: list[str], figures: bool, repeats: int, tmp: str) -> float:
    """Best whole-process time of ``xbsim OVERRIDES``, each repeat into a new run directory (a finished run
    directory would be skipped, not rerun)."""
    return wall(lambda: [xbsim_exe(), *overrides, f"figures={str(figures).lower()}",
                         f"hydra.run.dir={tempfile.mkdtemp(dir=tmp)}/run"], repeats, tmp)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="*", default=[10000, 20000])
    ap.add_argument("--repeats", type=int, default=2)
    ap.add_argument("--out", type=Path, default=Path(__file__).parent / "results")
    args = ap.parse_args(argv)
    sizes = sorted(args.sizes)
    with tempfile.TemporaryDirectory() as tmp:
        res: dict = {"python": platform.python_version(), "machine": platform.machine(),
                     "date": time.strftime("%Y-%m-%d"), "repeats": args.repeats}
        res["default"] = {"with_figures_s": run_xbsim([], True, args.repeats, tmp),
                          "without_figures_s": run_xbsim([], False, args.repeats, tmp),
                          "startup_to_first_step_s": wall(
                              lambda: [sys.executable, "-c", STARTUP, f"hydra.run.dir={tempfile.mkdtemp(dir=tmp)}/run"],
                              args.repeats, tmp)}
        res["sizes"] = []
        for n in sizes:
            ov = [f"population.n_companies={n}"]
            res["sizes"].append({"n_companies": n, "with_figures_s": run_xbsim(ov, True, args.repeats, tmp),
                                 "without_figures_s": run_xbsim(ov, False, args.repeats, tmp),
                                 "boltzmann_s": printed([sys.executable, "-c", BOLTZMANN, str(n)], args.repeats)})
            print(f"{n:>6} companies: {res['sizes'][-1]}", flush=True)
    if len(sizes) >= 2:
        lo, hi = res["sizes"][-2], res["sizes"][-1]
        units = (hi["n_companies"] - lo["n_companies"]) * 36
        ours = (hi["with_figures_s"] - lo["with_figures_s"]) / units
        mesa = (hi["boltzmann_s"] - lo["boltzmann_s"]) / units
        res["marginal"] = {"xbsim_s_per_company_month": ours, "boltzmann_s_per_agent_step": mesa,
                           "ratio": ours / mesa if mesa > 0 else None}
    d = res["default"]
    lines = ["# Whole-process benchmark", "", f"Python {res['python']} on {res['machine']}, {res['date']}; best of "
             f"{args.repeats} fresh processes per figure, all measured in one run.", "",
             f"Default scenario (the real target population): {d['with_figures_s']:.2f} s with figures, "
             f"{d['without_figures_s']:.2f} s without; start-up to the first model step "
             f"{d['startup_to_first_step_s']:.2f} s.", "",
             "| companies x 36 months | with figures s | without figures s | ratio | Mesa BoltzmannWealth s (same "
             "number of agents, 36 steps) |", "|---|---|---|---|---|"]
    for r in res["sizes"]:
        lines.append(f"| {r['n_companies']} | {r['with_figures_s']:.2f} | {r['without_figures_s']:.2f} | "
                     f"{r['with_figures_s'] / r['without_figures_s']:.2f} | {r['boltzmann_s']:.2f} |")
    if "marginal" in res:
        m = res["marginal"]
        ratio = "n/a" if m["ratio"] is None else f"{m['ratio']:.2f}x"
        lines += ["", f"Marginal cost between the two largest sizes: {1e6 * m['xbsim_s_per_company_month']:.2f} us "
                  f"per company-month (whole process) against {1e6 * m['boltzmann_s_per_agent_step']:.2f} us per "
                  f"agent-step for BoltzmannWealth: {ratio}."]
    args.out.mkdir(parents=True, exist_ok=True)
    from xbsim.io.atomic import write_json, write_text

    write_json(args.out / "process.json", res)
    write_text(args.out / "process.md", "\n".join(lines) + "\n")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
