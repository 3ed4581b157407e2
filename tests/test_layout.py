"""The house as documented: the README's layout table matches the package tree, the architecture note names
every module it maps an ODD submodel to, and the model API the ODD and the notebook rely on exists."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from xbsim.model import XBSimModel
from xbsim.model.agents import Actor
from xbsim.outputs.tables import companies_table, meetings_table

ROOT = Path(__file__).resolve().parents[1]


def _layout_paths() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    table = text.split("## Layout", 1)[1].split("\n## ", 1)[0]
    rows = [row.split("|")[1] for row in table.splitlines() if row.startswith("| `")]
    return [p for row in rows for p in re.findall(r"`([^`]+)`", row)]


def test_the_readme_layout_table_matches_the_tree() -> None:
    listed = _layout_paths()
    folder = ""
    for path in listed:  # short names (`errors.py`) live in the folder of the entry before them
        if "/" in path:
            folder = str(Path(path).parent) if path.endswith(".py") else ""
        target = ROOT / path if "/" in path or not folder else ROOT / folder / path
        assert target.exists(), f"README layout lists {path}, which does not exist"
    packages = {p.parent.relative_to(ROOT).as_posix() for p in (ROOT / "xbsim").glob("*/__init__.py")}
    packages |= {p.parent.relative_to(ROOT).as_posix() for p in (ROOT / "xbsim" / "core").glob("*/__init__.py")}
    named = {p.rstrip("/") for p in listed}
    missing = sorted(p for p in packages if p not in named and p != "xbsim/core")
    assert not missing, f"packages missing from the README layout table: {missing}"


def test_the_architecture_note_names_existing_modules() -> None:
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    modules = set(re.findall(r"`((?:core|programme|model|io|outputs|study|calibration|app|cli)/[\w/*]+\.py)", text))
    assert len(modules) >= 15
    for module in modules:
        assert list((ROOT / "xbsim").glob(module)), f"docs/architecture.md names {module}, which does not exist"


def test_companies_and_event_logs_are_dataframes_of_the_model() -> None:
    m = XBSimModel(rng=3, **{"population.n_companies": 300}).run()
    df = m.companies()
    assert isinstance(df, pd.DataFrame) and len(df) == m.population.n == len(m.agents_by_type[Actor])
    assert df["known"].sum() == m.state.known.sum() and df.equals(companies_table(m))
    meetings = m.events["meetings"].frame()
    assert len(meetings) == len(m.events["meetings"]) > 0
    assert set(meetings["kind"]) <= {"workshop", "introduction", "b2b"}
    assert (meetings_table(m)["kind"].to_numpy() == meetings["kind"].to_numpy()).all()
    assert set(m.events) == {"meetings", "joins", "partnership_events"}
