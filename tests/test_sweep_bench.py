"""The sweep benchmark runs (tiny version: one scenario's replications with 1 and 2 workers) and writes its figures;
the launcher mode runs the same xbsim -m sweeps as tests/test_sweep_cli.py."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.helpers.scenarios import TINY


def test_bench_sweep_tiny(tmp_path: Path) -> None:
    root = Path(__file__).resolve().parents[1]
    res = subprocess.run([sys.executable, str(root / "benchmarks" / "bench_sweep.py"), "--scenarios", "2",
                          "--replications", "2", "--modes", "replications", "--overrides", *TINY, "figures=true",
                          "--out", str(tmp_path)],
                         capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stderr
    data = json.loads((tmp_path / "sweep.json").read_text())
    assert data["launcher"] == [] and [r["workers"] for r in data["replications"]] == [1, 2]
    assert all(r["replications_per_minute"] > 0 for r in data["replications"])
    assert data["identical_results"] is True
    assert (tmp_path / "sweep.md").read_text().startswith("# Sweep benchmark")
