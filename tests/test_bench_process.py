"""The whole-process benchmark runs (a tiny version, so that it cannot rot)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_bench_process_tiny(tmp_path: Path) -> None:
    res = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "bench_process.py"), "--sizes", "150", "300",
                          "--repeats", "1", "--out", str(tmp_path)], capture_output=True, text=True, timeout=600)
    assert res.returncode == 0, res.stderr[-2000:]
    data = json.loads((tmp_path / "process.json").read_text())
    d = data["default"]
    assert d["with_figures_s"] > 0 and d["without_figures_s"] > 0 and d["startup_to_first_step_s"] > 0
    assert [r["n_companies"] for r in data["sizes"]] == [150, 300] and data["marginal"]["ratio"] is not None
    assert (tmp_path / "process.md").read_text().startswith("# Whole-process benchmark")
