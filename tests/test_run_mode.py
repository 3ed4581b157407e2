"""One Hydra composition per run: the command line decides run or sweep, and no shipped config sets hydra.mode."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from xbsim.cli.run_mode import mode_from_command_line
from xbsim.core.config import CONFIG_DIR

COUNT = """
import sys
from hydra._internal.hydra import Hydra
calls = []
original = Hydra.compose_config
def counted(self, *a, **k):
    calls.append(k.get("run_mode"))
    return original(self, *a, **k)
Hydra.compose_config = counted
from xbsim.cli.main import main
sys.argv = ["xbsim", *sys.argv[1:]]
try:
    main()
finally:
    print("COMPOSITIONS", len(calls), file=sys.stderr)
"""


def compositions(args: list[str], cwd: Path) -> tuple[int, subprocess.CompletedProcess]:
    out = subprocess.run([sys.executable, "-c", COUNT, *args], cwd=cwd, capture_output=True, text=True, timeout=300)
    line = [x for x in out.stderr.splitlines() if x.startswith("COMPOSITIONS")]
    assert line, out.stderr[-2000:]
    return int(line[-1].split()[1]), out


def test_a_run_composes_its_config_once(tmp_path: Path) -> None:
    n, out = compositions(["population.n_companies=150", "figures=false",
                           f"hydra.run.dir={tmp_path / 'run'}"], tmp_path)
    assert out.returncode == 0, out.stderr[-2000:]
    assert n == 1
    assert (tmp_path / "run" / "scenario.json").is_file()


def test_a_user_mode_override_keeps_hydras_reading(tmp_path: Path) -> None:
    n, out = compositions(["population.n_companies=150", "figures=false", "hydra.mode=RUN",
                           f"hydra.run.dir={tmp_path / 'run'}"], tmp_path)
    assert out.returncode == 0, out.stderr[-2000:]
    assert n == 2


@pytest.mark.parametrize(("argv", "decided"), [
    (["seed=3"], True), (["-m", "seed=1,2"], True), (["hydra.mode=MULTIRUN"], False), (["+hydra.mode=RUN"], False),
    (["--config-dir", "x"], False), (["-cd", "x"], False), (["--config-name=other"], False), (["-cn", "y"], False),
])
def test_mode_from_command_line(argv: list[str], decided: bool) -> None:
    assert mode_from_command_line(argv) is decided


def test_no_shipped_config_sets_hydra_mode() -> None:
    """What makes skipping Hydra's mode-reading composition exact for xbsim's own configs."""
    files = sorted(Path(CONFIG_DIR).rglob("*.yaml"))
    assert len(files) > 10
    for f in files:
        doc = yaml.safe_load(f.read_text(encoding="utf-8")) or {}
        hydra = doc.get("hydra", {}) if "/hydra/" not in str(f) else doc
        assert "mode" not in (hydra or {}), f


STARTUP = """
import sys
import xbsim.cli.main
from xbsim.core.config import compose
from xbsim.model import XBSimModel
model = XBSimModel(compose(["population.n_companies=150"]))
model.step()
heavy = ["matplotlib", "scipy.stats", "xbsim.study.report", "xbsim.app", "optuna", "solara"]
print(" ".join(m for m in heavy if m in sys.modules))
"""


def test_the_first_model_step_needs_no_figures_statistics_or_app(tmp_path: Path) -> None:
    """Start-up imports only what the model needs: plotting, scipy.stats, the report and the app come later."""
    out = subprocess.run([sys.executable, "-c", STARTUP], cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip() == ""
