"""Property: a corrupted survey file either loads to exactly the same companies or is refused with every problem
naming its row and column, never a silent change (issue 10).

Each example writes the same survey (12 companies of the shipped example, three with head counts >= 1,000) in a
random but faithful form (separator, encoding, line endings, quoting, spaces around cells, blank lines, code case,
decimal point or comma, thousands separators) and applies random damage (an unbalanced quote, one row in another
encoding, a lost separator). What the loader accepts must equal the clean file's companies.
"""

from __future__ import annotations

import csv
import io
import itertools
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from tests.helpers.configs import default_domain
from xbsim.core.population.survey import read_survey
from xbsim.core.population.survey_errors import SurveyError
from xbsim.core.population.survey_parse import SurveyRecords

EXAMPLE = Path(__file__).resolve().parents[1] / "xbsim" / "data" / "example_survey.csv"
N_ROWS = 12
SETTINGS = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    derandomize=True,
)
FIELDS = (
    "ids",
    "names",
    "territory",
    "area",
    "segment",
    "size",
    "employees",
    "capability",
    "need",
    "openness",
    "languages",
    "languages_given",
    "interviewed",
    "products",
)


def _grid() -> list[list[str]]:
    with EXAMPLE.open(encoding="utf-8-sig", newline="") as f:
        rows = [list(r) for r in csv.reader(f, delimiter=";")][: N_ROWS + 1]
    e, s = rows[0].index("employees"), rows[0].index("size_class")
    for r, value in ((1, "1500"), (2, "12000"), (3, "2000")):  # head counts that thousands separators can change
        rows[r][e], rows[r][s] = value, ""
    return rows


GRID = _grid()
WIDTH = len(GRID[0])
COL = {name: i for i, name in enumerate(GRID[0])}
SCORES = [i for name, i in COL.items() if name.startswith(("cap_", "need_")) or name == "openness"]
_counter = itertools.count()


def _same(a: SurveyRecords, b: SurveyRecords) -> bool:
    for name in FIELDS:
        x, y = getattr(a, name), getattr(b, name)
        if x.shape != y.shape:
            return False
        if x.dtype.kind == "f" and not np.array_equal(x, y, equal_nan=True):
            return False
        if x.dtype.kind != "f" and not np.array_equal(x, y):
            return False
    return True


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("corruptions")


@pytest.fixture(scope="module")
def clean(folder: Path) -> SurveyRecords:
    path = folder / "clean.csv"
    path.write_text(_text(GRID, ";", "\n", False), encoding="utf-8")
    return read_survey(path, default_domain())


def _thousands(value: str, sep: str) -> str:
    n = int(value)
    return f"{n:,}".replace(",", sep)


def _faithful(rows: list[list[str]], data: st.DataObject) -> list[list[str]]:
    """Rewrite cells without changing what they mean."""
    out = [list(r) for r in rows]
    for r in range(1, len(out)):
        for c in (COL["territory"], COL["area"], COL["segment"]):
            out[r][c] = data.draw(st.sampled_from([str.lower, str.upper, str.title, lambda x: x]))(out[r][c])
        for c in SCORES:
            if data.draw(st.booleans()):
                out[r][c] = out[r][c].replace(",", ".")
        e = COL["employees"]
        if out[r][e] and int(out[r][e]) >= 1000:
            out[r][e] = _thousands(out[r][e], data.draw(st.sampled_from(["", ",", ".", " ", "\u00a0"])))
        if data.draw(st.booleans()):
            c = data.draw(st.integers(0, WIDTH - 1))
            out[r][c] = f"  {out[r][c]} "
    return out


def _text(rows: list[list[str]], sep: str, newline: str, quote_all: bool) -> str:
    buf = io.StringIO()
    csv.writer(
        buf, delimiter=sep, lineterminator=newline, quoting=csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL
    ).writerows(rows)
    return buf.getvalue()


def _damage_line(line: str, sep: str, kind: str, where: float) -> str:
    """An unbalanced quote at the start of a cell, or one separator removed (positions outside quotes)."""
    positions, quoted = [], False
    for i, ch in enumerate(line):
        if ch == '"':
            quoted = not quoted
        elif ch == sep and not quoted:
            positions.append(i)
    if not positions:
        return line
    i = positions[int(where * (len(positions) - 1))]
    return line[: i + 1] + '"' + line[i + 1 :] if kind == "quote" else line[:i] + line[i + 1 :]


@SETTINGS
@given(
    data=st.data(),
    sep=st.sampled_from([";", ",", "\t"]),
    newline=st.sampled_from(["\n", "\r\n"]),
    quote_all=st.booleans(),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252"]),
    blank=st.lists(st.integers(1, N_ROWS), max_size=2),
    damage=st.lists(
        st.tuples(st.sampled_from(["quote", "separator", "encoding"]), st.integers(1, N_ROWS), st.floats(0, 1)),
        max_size=2,
    ),
)
def test_corruptions_load_the_same_companies_or_are_refused_with_row_and_column(
    folder: Path,
    clean: SurveyRecords,
    data: st.DataObject,
    sep: str,
    newline: str,
    quote_all: bool,
    encoding: str,
    blank: list[int],
    damage: list[tuple[str, int, float]],
) -> None:
    rows = _faithful(GRID, data)
    lines = _text(rows, sep, newline, quote_all).split(newline)
    recode: set[int] = set()
    for kind, row, where in damage:
        if kind == "encoding":
            recode.add(row)
        else:
            lines[row] = _damage_line(lines[row], sep, kind, where)
    for row in sorted(blank, reverse=True):
        lines.insert(row, "")
        recode = {r + 1 if r >= row else r for r in recode}
    try:
        if recode and encoding in ("utf-8", "utf-8-sig"):  # rows pasted from a Windows-1252 export
            parts = [line.encode("cp1252" if i in recode else "utf-8") for i, line in enumerate(lines)]
            raw = (b"\xef\xbb\xbf" if encoding == "utf-8-sig" else b"") + newline.encode().join(parts)
        else:
            raw = newline.join(lines).encode(encoding)
    except UnicodeEncodeError:
        event("not encodable")
        return
    path = folder / f"case{next(_counter)}.csv"
    path.write_bytes(raw)
    try:
        got = read_survey(path, default_domain())
    except SurveyError as err:
        event("refused")
        assert all(p.row is not None and p.column is not None for p in err.problems), str(err)
        return
    event("same companies")
    assert _same(got, clean), f"silently changed: {path}"
