"""Read back the scenarios of a run or sweep directory: the finished ones (scenario.json), the failed ones
(failed.json) and the jobs that never finished (a Hydra job directory with neither), plus the sweep's own record
(multirun.yaml). Nothing here runs the model."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
from omegaconf import OmegaConf

from xbsim.errors import InputError
from xbsim.study.records import pole_rows, record_from_summary
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

    @property
    def poles(self) -> list[str]:
        names: list[str] = []
        for s in self.scenarios:
            names += [p for p in s.doc["poles"] if p not in names]
        return names


def _read_json(path: Path) -> dict[str, Any] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
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
    multirun = root / "multirun.yaml"
    if multirun.is_file():
        col.sweep = OmegaConf.to_container(OmegaConf.load(multirun), resolve=False)  # type: ignore[assignment]
    col.scenarios.sort(key=lambda s: (_sort_key(s.parameters), s.key))
    return col


def _sort_key(params: dict[str, Any]) -> tuple:
    """Scenarios in the order of their parameter values (numbers numerically)."""
    out = []
    for k in sorted(params):
        v = params[k]
        num = isinstance(v, int | float) and not isinstance(v, bool) and not math.isnan(float(v))
        out.append((k, 0 if num else 1, float(v) if num else 0.0, str(v)))
    return tuple(out)


def swept_parameters(col: Collection) -> tuple[list[str], dict[str, Any]]:
    """The parameters that vary across the scenarios, and the overrides they all share (with their value)."""
    keys: list[str] = []
    for s in col.scenarios:
        keys += [k for k in s.parameters if k not in keys]
    swept, common = [], {}
    for k in keys:
        values = {repr(s.parameters.get(k, "<default>")) for s in col.scenarios}
        if len(values) > 1:
            swept.append(k)
        else:
            common[k] = col.scenarios[0].parameters.get(k)
    return swept, common


def sweep_command(col: Collection) -> str | None:
    """The sweep's command line as Hydra recorded it (multirun.yaml), when the directory is a sweep."""
    if not col.sweep:
        return None
    ov = col.sweep.get("hydra", {}).get("overrides", {})
    import shlex

    hydra = [o for o in ov.get("hydra", []) if not o.startswith("hydra.mode=")]
    return shlex.join(["xbsim", "-m", *hydra, *ov.get("task", [])])
