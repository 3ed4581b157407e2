"""Shared settings of the study tests (no tests here): a small scenario whose first pole is viable in about
five runs of ten, so that viability varies between replications, and helpers to run the CLI."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

# 300 companies over 24 months with relaxed feasibility and critical-mass criteria: ~0.3 s a run; the first
# pole is viable in 5 of replications 0-9.
VARIED = [
    "population.n_companies=300", "horizon_months=24", "workshops.end=24", "b2b.events=[6,12,18]",
    "feasibility.reassessment_month=20", "feasibility.min_interested=5", "joining.cost=0.9",
    "poles.industry_energy.critical_mass.min_cross_border_partner_share=0.1",
    "poles.industry_energy.critical_mass.min_value_chain_coverage=0.4",
    "poles.industry_energy.critical_mass.min_members=8",
]
# 150 companies over 18 months: no pole is ever viable; the cheapest configuration that runs everything.
TINY = ["population.n_companies=150", "horizon_months=18", "workshops.end=18", "b2b.events=[6,12]",
        "feasibility.reassessment_month=null", "figures=false"]


def read_json(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def scenario_dirs(sweep: Path) -> list[Path]:
    return sorted(p.parent for p in sweep.rglob("scenario.json") if "report" not in p.parts)


def exe(name: str) -> str:
    """A console command of the project, from the running interpreter's environment."""
    import sys

    return str(Path(sys.executable).with_name(name))


def run(args: list[str], cwd: Path, timeout: int = 300,
        prefix: list[str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``xbsim ARGS`` (or ``PREFIX ARGS``) in cwd and capture its output."""
    env = {**os.environ, "HYDRA_FULL_ERROR": "0"}
    cmd = [*(prefix or [exe("xbsim")]), *args]
    return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=timeout, env=env)
