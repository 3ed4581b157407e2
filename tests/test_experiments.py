"""The named experiments and launcher configs: every xbsim/configs/experiment/*.yaml composes and validates, names
itself, defines its sweep in the file, is documented in experiments/; the launchers compose; the feasibility
experiment and an experiment sweep run end to end (shrunk) and write their report."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from omegaconf import DictConfig, OmegaConf

from tests.helpers.cli import ROOT, run
from tests.helpers.configs import compose_with_hydra, composed
from tests.helpers.outputs import scenario_dirs
from tests.helpers.scenarios import TINY
from xbsim.core.config import CONFIG_DIR

EXPERIMENTS = sorted(p.stem for p in (CONFIG_DIR / "experiment").glob("*.yaml"))
REQUIRED = {"feasibility", "b2b_intensity", "accompaniment_capacity", "border_friction", "pole_thresholds"}


def test_the_required_experiments_exist() -> None:
    assert set(EXPERIMENTS) >= REQUIRED


@pytest.mark.parametrize("name", EXPERIMENTS)
def test_experiment_composes(name: str, every_config: dict[str, DictConfig | Exception]) -> None:
    full = every_config[f"experiment={name}"]  # composed and validated once per session (conftest.py)
    assert isinstance(full, DictConfig), full
    cfg = full
    assert cfg.study.name == name and cfg.study.question
    text = (CONFIG_DIR / "experiment" / f"{name}.yaml").read_text()
    assert text.startswith("# @package _global_")
    sweep = full.hydra.sweeper.params
    params = OmegaConf.to_container(sweep) if sweep is not None else {}
    if name == "feasibility":
        assert not params and cfg.study.adaptive and cfg.study.report
    elif name == "intervention_search":  # an Optuna search, not a Hydra sweep (docs/costs.md)
        assert not params and cfg.search.enabled and name in str(full.hydra.run.dir)
    else:
        assert params, "an experiment defines its sweep in the file (hydra.sweeper.params)"
        for key, values in params.items():  # each swept value composes and validates
            for v in str(values).split(","):
                composed([f"experiment={name}", f"{key}={v}"])
        assert name in str(full.hydra.sweep.dir)
    notes = ROOT / "experiments" / f"{name}.md"
    assert notes.is_file() and f"experiment={name}" in notes.read_text()
    assert f"{name}" in (ROOT / "experiments" / "README.md").read_text()


def test_pole_thresholds_move_both_poles() -> None:
    cfg = composed(["experiment=pole_thresholds", "study.vars.min_members=25"])
    assert cfg.poles.industry_energy.critical_mass.min_members == 25
    assert cfg.poles.agrifood_health.critical_mass.min_members == 25


@pytest.mark.parametrize(("launcher", "target"), [
    ("slurm", "hydra_plugins.hydra_submitit_launcher.submitit_launcher.SlurmLauncher"),
    ("cores", "hydra_plugins.hydra_joblib_launcher.joblib_launcher.JoblibLauncher"),
    ("ray_cluster", "hydra_plugins.hydra_ray_launcher.ray_launcher.RayLauncher"),
])
def test_launcher_configs_compose(launcher: str, target: str) -> None:
    cfg = compose_with_hydra([f"hydra/launcher={launcher}", "experiment=b2b_intensity"])
    assert cfg.hydra.launcher._target_ == target
    if launcher == "slurm":
        assert cfg.hydra.launcher.cpus_per_task == 2 and cfg.hydra.launcher.timeout_min == 120


def test_feasibility_experiment_runs_and_reports(tmp_path: Path) -> None:
    out = tmp_path / "feas"
    res = run(["experiment=feasibility", f"hydra.run.dir={out}", *TINY, "replications=3", "study.batch=2",
               "study.max_replications=5", "study.workers=2"], cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    assert "5 replications (maximum of 5 replications reached" in res.stdout
    assert "pole industry_energy: P(viable) 0.00 [95% CI 0.00-" in res.stdout
    assert sorted(p.name for p in out.glob("rep-*")) == [f"rep-00{i}" for i in range(5)]
    results = pd.read_csv(out / "report" / "results.csv")
    assert set(results["pole"]) == {"industry_energy", "agrifood_health"} and set(results["n"]) == {5}
    assert "experiment feasibility" in (out / "report" / "report.md").read_text()


def test_experiment_sweep_runs_and_reports(tmp_path: Path) -> None:
    out = tmp_path / "sw"
    res = run(["-m", "experiment=b2b_intensity", "hydra/launcher=basic", f"hydra.sweep.dir={out}", *TINY,
               "replications=2", "study.adaptive=false"], cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    assert len(scenario_dirs(out)) == 5
    results = pd.read_csv(out / "report" / "results.csv")
    assert sorted(set(results["b2b.max_meetings_per_participant"])) == [2, 4, 6, 8, 10]
    md = (out / "report" / "report.md").read_text()
    assert "meetings a company may hold" in md and "xbsim -m experiment=b2b_intensity" in md
    assert "Baseline scenario: B2B meetings per participant (max) = 8" in md  # the default programme's value
