"""Sweeps through the xbsim command: launchers give identical results, a failed job is recorded while the others
finish, a rerun skips finished jobs, output directories never collide, plain runs keep their one-line errors.
(submitit_local and Ray against the basic launcher, and launchers that cannot start: tests/test_launchers.py.)"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from tests.helpers.cli import CRASH, exe, run
from tests.helpers.outputs import read_json, scenario_dirs
from tests.helpers.scenarios import TINY, VARIED
from xbsim.core.config import ConfigError, compose
from xbsim.study.report import build_report

GRID = ["poles.industry_energy.critical_mass.min_members=8,12", "accompaniment.capacity=5,10"]


def sweep(tmp: Path, name: str, extra: list[str]) -> tuple[subprocess.CompletedProcess, Path]:
    out = tmp / name
    res = run(["-m", f"hydra.sweep.dir={out}", *VARIED, "replications=3", "study.replication_files=summary",
               *GRID, *extra], cwd=tmp)
    return res, out


def report(directory: Path) -> subprocess.CompletedProcess:
    return run([str(directory)], cwd=directory.parent, command="xbsim-report")


@pytest.mark.slow
def test_basic_and_joblib_launchers_give_identical_results(tmp_path: Path) -> None:
    basic, d1 = sweep(tmp_path, "basic", [])
    assert basic.returncode == 0, basic.stderr
    joblib, d2 = sweep(tmp_path, "joblib", ["hydra/launcher=joblib", "hydra.launcher.n_jobs=2"])
    assert joblib.returncode == 0, joblib.stderr
    assert len(scenario_dirs(d1)) == len(scenario_dirs(d2)) == 4
    for d in (d1, d2):
        build_report(d)
    r1, r2 = (d / "report" / "results.csv" for d in (d1, d2))
    assert r1.read_bytes() == r2.read_bytes()
    df = pd.read_csv(r1)
    assert len(df) == 8 and set(df["n"]) == {3}
    assert {"poles.industry_energy.critical_mass.min_members", "accompaniment.capacity", "pole", "n", "viable",
            "p_viable", "ci_low", "ci_high", "ttcm_median", "ttcm_q1", "ttcm_q3"} <= set(df.columns)
    assert set(df["poles.industry_energy.critical_mass.min_members"]) == {8, 12}
    # a job's directory is named after its overrides (the same in both sweeps), not after Hydra's job number
    assert [p.name for p in scenario_dirs(d1)] == [p.name for p in scenario_dirs(d2)]

    # running the sweep again into the same directory, with one more value, skips every finished job and runs
    # only the new scenarios
    stamps = {p: (p / "scenario.json").stat().st_mtime_ns for p in scenario_dirs(d1)}
    wider = run(["-m", f"hydra.sweep.dir={d1}", *VARIED, "replications=3", "study.replication_files=summary",
                 "poles.industry_energy.critical_mass.min_members=8,12", "accompaniment.capacity=5,10,20"],
                cwd=tmp_path)
    assert wider.returncode == 0, wider.stderr
    assert wider.stdout.count("already finished") == 4 and len(scenario_dirs(d1)) == 6
    assert all((p / "scenario.json").stat().st_mtime_ns == t for p, t in stamps.items())


@pytest.mark.slow
def test_failed_job_is_recorded_and_the_others_finish(tmp_path: Path) -> None:
    out = tmp_path / "sw"
    res = run(["-m", f"hydra.sweep.dir={out}", *TINY, "replications=2", "b2b.max_meetings_per_participant=4,12,6"],
              cwd=tmp_path)
    assert res.returncode == 1  # the sweep ends, then reports its failure through the exit status
    assert "Traceback" not in res.stderr
    assert "1 failed" in res.stdout and "b2b.max_meetings_per_participant=12" in res.stderr
    assert len(scenario_dirs(out)) == 2
    failed = list(out.rglob("failed.json"))
    assert len(failed) == 1
    doc = read_json(failed[0])
    assert doc["error_type"] == "ConfigError" and "at most b2b.slots" in doc["error"]
    assert doc["parameters"]["b2b.max_meetings_per_participant"] == 12
    rep = report(out)
    assert rep.returncode == 0 and "1 failed" in rep.stdout
    assert "at most b2b.slots" in (out / "report" / "report.md").read_text()
    assert len(pd.read_csv(out / "report" / "failed.csv")) == 1
    results = pd.read_csv(out / "report" / "results.csv")  # the failed scenario is a row of its own, without results
    assert set(results.loc[results["status"] == "finished", "b2b.max_meetings_per_participant"]) == {4, 6}
    assert set(results.loc[results["status"] == "failed", "b2b.max_meetings_per_participant"]) == {12}


@pytest.mark.slow
def test_crashing_job_keeps_its_traceback(tmp_path: Path) -> None:
    out = tmp_path / "sw"
    res = run(["-m", f"hydra.sweep.dir={out}", *TINY, "replications=2", "accompaniment.capacity=5,7,9"],
              cwd=tmp_path, prefix=[sys.executable, "-c", CRASH])
    assert res.returncode == 1, res.stderr
    assert len(scenario_dirs(out)) == 2
    doc = read_json(next(out.rglob("failed.json")))
    assert doc["error_type"] == "RuntimeError" and "simulated crash" in doc["error"]
    assert "replication 0" in doc["error"] and "Traceback" in doc["traceback"]
    # rerun without the crash: the failed job runs again, the finished ones are skipped
    again = run(["-m", f"hydra.sweep.dir={out}", *TINY, "replications=2", "accompaniment.capacity=5,7,9"],
                cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert again.stdout.count("already finished") == 2
    assert len(scenario_dirs(out)) == 3 and not list(out.rglob("failed.json"))


def test_plain_run_errors_are_one_line(tmp_path: Path) -> None:
    for extra in ([], ["replications=2"]):
        res = run([f"hydra.run.dir={tmp_path / 'run'}", *TINY, "b2b.max_meetings_per_participant=12", *extra],
                  cwd=tmp_path)
        assert res.returncode == 2
        assert res.stderr.strip().splitlines() == [
            "config error: b2b.max_meetings_per_participant=12 is not allowed; allowed: at most b2b.slots (10)"]
    with pytest.raises(ConfigError, match="replications=0"):
        compose([*TINY, "replications=0"])
    with pytest.raises(ConfigError, match="study.workers=0"):
        compose([*TINY, "study.workers=0"])


@pytest.mark.slow
def test_sweep_directories_never_collide(tmp_path: Path) -> None:
    args = [exe("xbsim"), "-m", *TINY, "seed=1,2"]
    procs = [subprocess.Popen(args, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(2)]
    for p in procs:
        p.communicate(timeout=300)
        assert p.returncode == 0
    sweeps = sorted(p.parent for p in tmp_path.glob("multirun/*/*/multirun.yaml"))
    assert len(sweeps) == 2 and sweeps[0] != sweeps[1]
    assert all(len(scenario_dirs(s)) == 2 for s in sweeps)
