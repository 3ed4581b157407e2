"""Same configuration and seed give identical files; another seed gives different ones."""

from __future__ import annotations

import hashlib
from pathlib import Path

from tests.helpers.cli import run

FILES = ["summary.json", "timeseries.csv", "companies.csv", "partnerships.csv", "meetings.csv", "joins.csv",
         "config.yaml", "membership.png", "network.png", "funnel.png"]


def _digests(run_dir: Path) -> dict[str, str]:
    return {f: hashlib.sha256((run_dir / f).read_bytes()).hexdigest() for f in FILES}


def _run(tmp: Path, name: str, *args: str) -> Path:
    out = tmp / name
    res = run(["population.n_companies=400", f"hydra.run.dir={out}", *args], cwd=tmp)
    assert res.returncode == 0, res.stderr
    return out


def test_same_seed_identical_files_other_seed_differs(tmp_path: Path) -> None:
    a = _digests(_run(tmp_path, "a", "seed=7"))
    b = _digests(_run(tmp_path, "b", "seed=7"))
    c = _digests(_run(tmp_path, "c", "seed=8"))
    assert a == b
    differing = [f for f in FILES if a[f] != c[f]]
    assert {"companies.csv", "partnerships.csv", "meetings.csv", "timeseries.csv"} <= set(differing)
