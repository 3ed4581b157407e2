"""Reading what a run or a sweep wrote."""

from __future__ import annotations

import json
from pathlib import Path


def read_json(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def scenario_dirs(sweep: Path) -> list[Path]:
    """The scenario directories of a sweep (those holding a scenario.json), outside its report."""
    return sorted(p.parent for p in sweep.rglob("scenario.json") if "report" not in p.parts)
