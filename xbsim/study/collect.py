"""Read back the scenarios of a run or sweep directory: the finished ones (scenario.json), the failed ones
(failed.json) and the jobs that never finished (a Hydra job directory with neither), plus the sweep's own record
(multirun.yaml); and :func:`load_sweep`, every scenario's per-replication tables as one tidy DataFrame. Nothing
here runs the model."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
from omegaconf import OmegaConf

from xbsim.core.errors import InputError
from xbsim.io.atomic import read_json
from xbsim.study.hydra_support import parameters, scenario_key, sweep_keys
from xbsim.study.records import SCENARIO_COLUMN, pole_rows, record_from_summary, run_rows, with_scenario
from xbsim.study.scenario import FAILED_FILE, SCENARIO_FILE

REPORT_DIR = "report"


@dataclass
class Scenario:
    """A finished scenario: its directory, scenario.json and per-replication pole outcomes."""

    dir: Path
    doc: dict[str, Any]
    replications: pd.DataFrame

    @property
    def key(self) -> str:
        return str(self.doc["scenario"])

    @property
    def parameters(self) -> dict[str, Any]:
        return dict(self.doc.get("parameters", {}))

    def outcomes(self, pole: str) -> pd.Series:
        """Viability of ``pole`` by replication number."""
        rows = self.replications[self.replications["pole"] == pole]
        return rows.set_index("replication")["viable"].astype(bool).sort_index()


@dataclass
class Collection:
    """Everything found under a run or sweep directory."""

    root: Path
    scenarios: list[Scenario] = field(default_factory=list)
    failures: list[dict[str, Any]] = field(default_factory=list)
    unfinished: list[Path] = field(default_factory=list)
    sweep: dict[str, Any] | None = None
    unfinished_jobs: list[dict[str, Any]] = field(default_factory=list)  # scenario, parameters, dir of each

    @property
    def poles(self) -> list[str]:
        names: list[str] = []
        for s in self.scenarios:
            names += [p for p in s.doc["poles"] if p not in names]
        return names


def _read_json(path: Path) -> dict[str, Any] | None:
    try:
        data = read_json(path)
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _replication_rows(directory: Path) -> pd.DataFrame:
    table = directory / "replications_poles.csv"
    if table.is_file():
        return pd.read_csv(table)
    summary = _read_json(directory / "summary.json")  # a single run
    return pole_rows([record_from_summary(summary)]) if summary else pd.DataFrame(
        columns=["replication", "pole", "viable"])


def _job_dirs(root: Path) -> list[Path]:
    """Directories of Hydra jobs (they hold .hydra/) below root, the report folder excluded."""
    return sorted(p.parent for p in root.rglob(".hydra") if p.is_dir() and REPORT_DIR not in p.relative_to(root).parts)


def collect(root: str | Path) -> Collection:
    """Collect the scenarios under ``root`` (a run directory or a sweep directory)."""
    root = Path(root)
    if not root.is_dir():
        raise InputError(f"{root} is not a directory")
    col = Collection(root=root)
    for path in sorted(root.rglob(SCENARIO_FILE)) + sorted(root.rglob(FAILED_FILE)):
        if REPORT_DIR in path.relative_to(root).parts[:1]:
            continue
        doc = _read_json(path)
        if doc is None:
            col.failures.append({"dir": str(path.parent), "scenario": path.parent.name,
                                 "error": f"unreadable {path.name}"})
            continue
        if path.name == FAILED_FILE:
            finished = path.parent / SCENARIO_FILE
            if finished.is_file() and finished.stat().st_mtime > path.stat().st_mtime:
                continue  # an older failure, superseded
            col.failures.append({**doc, "dir": str(path.parent)})
        else:
            failed = path.parent / FAILED_FILE
            if failed.is_file() and failed.stat().st_mtime >= path.stat().st_mtime:
                continue  # the latest attempt failed
            col.scenarios.append(Scenario(path.parent, doc, _replication_rows(path.parent)))
    known = {s.dir for s in col.scenarios} | {Path(f["dir"]) for f in col.failures}
    col.unfinished = [d for d in _job_dirs(root) if d not in known]
    col.unfinished_jobs = [_unfinished_job(d) for d in col.unfinished]
    multirun = root / "multirun.yaml"
    if multirun.is_file():
        col.sweep = OmegaConf.to_container(OmegaConf.load(multirun), resolve=False)  # type: ignore[assignment]
    col.scenarios.sort(key=lambda s: (_sort_key(s.parameters), s.key))
    return col


def _unfinished_job(directory: Path) -> dict[str, Any]:
    """A job that neither finished nor failed: its scenario key and parameters, from Hydra's record of its
    overrides (.hydra/overrides.yaml); the directory's name and no parameters when that record is unreadable."""
    job: dict[str, Any] = {"scenario": directory.name, "parameters": {}, "dir": str(directory)}
    try:
        overrides = [str(o) for o in OmegaConf.load(directory / ".hydra" / "overrides.yaml")]
        exclude: list[str] = []
        if (directory / ".hydra" / "hydra.yaml").is_file():
            found = OmegaConf.select(OmegaConf.load(directory / ".hydra" / "hydra.yaml"),
                                     "hydra.job.config.override_dirname.exclude_keys", default=None)
            exclude = [str(k) for k in found or []]
        job.update(scenario=scenario_key(overrides, exclude), parameters=parameters(overrides))
    except Exception:  # noqa: BLE001 - a job killed while Hydra wrote its record
        pass
    return job


def _sort_key(params: dict[str, Any]) -> tuple:
    """Scenarios in the order of their parameter values (numbers numerically)."""
    out = []
    for k in sorted(params):
        v = params[k]
        num = isinstance(v, int | float) and not isinstance(v, bool) and not math.isnan(float(v))
        out.append((k, 0 if num else 1, float(v) if num else 0.0, str(v)))
    return tuple(out)


def swept_parameters(col: Collection) -> tuple[list[str], dict[str, Any]]:
    """The swept parameters, and the overrides every scenario shares (with their value).

    A parameter is swept when the sweep varies it (multirun.yaml: a sweep override of the command line or a key
    of ``hydra.sweeper.params``) or when its value differs between the scenarios, failed and unfinished ones
    included: so a parameter stays swept when all but one of its values failed."""
    declared = set(sweep_keys((col.sweep or {}).get("hydra")))
    docs = [s.parameters for s in col.scenarios] + [
        dict(f["parameters"]) for f in [*col.failures, *col.unfinished_jobs] if isinstance(f.get("parameters"), dict)]
    keys: list[str] = []
    for p in docs:
        keys += [k for k in p if k not in keys]
    swept, common = [], {}
    for k in keys:
        values = {repr(p.get(k, "<default>")) for p in docs}
        if len(values) > 1 or k in declared:
            swept.append(k)
        else:
            common[k] = docs[0].get(k)
    return swept, common


def swept_values(scenario: Scenario, swept: list[str]) -> dict[str, Any]:
    """The scenario's value of each swept parameter: as its configuration types it (scenario.json's
    ``swept_parameters``), else as its override reads (None: not overridden, the default)."""
    typed = scenario.doc.get("swept_parameters") or {}
    return {k: typed[k] if k in typed else scenario.parameters.get(k) for k in swept}


def _table(directory: Path, stem: str, build: Any) -> pd.DataFrame:
    """A per-replication table of a scenario: its Parquet file, else its CSV, else built from the single run's
    summary.json by ``build`` (records -> DataFrame); empty when there is none."""
    if (directory / f"{stem}.parquet").is_file():
        return pd.read_parquet(directory / f"{stem}.parquet")
    if (directory / f"{stem}.csv").is_file():
        return pd.read_csv(directory / f"{stem}.csv")
    summary = _read_json(directory / "summary.json")
    return build([record_from_summary(summary)]) if summary else pd.DataFrame()


def load_sweep(root: str | Path | Collection) -> pd.DataFrame:
    """Every finished scenario's per-replication tables under ``root`` (a sweep or run directory, or its
    :func:`collect` result) as one tidy DataFrame: one row per scenario x replication x pole.

    Columns: ``scenario`` (the scenario's key, as in scenario.json and results.csv), one column per swept
    parameter named by its config key (e.g. ``b2b.max_meetings_per_participant``, typed as the configuration
    types it), then ``replication``, ``seed``, ``pole`` and the pole's outcome (replications_poles: ``viable``,
    ``constitution_month``, ``members``, ``members_<territory>``, feasibility, markets), then the replication's
    programme counts (replications: ``funnel_*``, ``partnerships_*``, ``b2b_*``), repeated for each pole.
    Scenarios are in parameter order, replications in order; a single run (replications=1) contributes its
    summary.json. Failed and unfinished scenarios have no replications: they are rows of results.csv."""
    col = root if isinstance(root, Collection) else collect(root)
    swept, _ = swept_parameters(col)
    frames = []
    for s in col.scenarios:
        poles = _table(s.dir, "replications_poles", pole_rows)
        runs = _table(s.dir, "replications", run_rows)
        if poles.empty:
            continue
        if not runs.empty:
            runs = runs[["replication", *(c for c in runs.columns if c not in poles.columns)]]
            poles = poles.merge(runs, on="replication", how="left")
        frames.append(with_scenario(poles, s.key, swept_values(s, swept)))
    if not frames:
        return pd.DataFrame(columns=[SCENARIO_COLUMN, *swept, "replication", "seed", "pole"])
    return pd.concat(frames, ignore_index=True)


def sweep_command(col: Collection) -> str | None:
    """The sweep's command line as Hydra recorded it (multirun.yaml), when the directory is a sweep."""
    if not col.sweep:
        return None
    ov = col.sweep.get("hydra", {}).get("overrides", {})
    import shlex

    hydra = [o for o in ov.get("hydra", []) if not o.startswith("hydra.mode=")]
    return shlex.join(["xbsim", "-m", *hydra, *ov.get("task", [])])
