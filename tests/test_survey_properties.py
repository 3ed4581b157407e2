"""Property-based tests: random corruptions of a valid survey (bytes, cells, separators, encodings, workbook
cell types) never make the loader raise anything but its own SurveyError; what it accepts is a valid
population."""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from tests.helpers.configs import plain
from tests.helpers.survey import EXAMPLE
from xbsim.core.domain import Domain
from xbsim.core.population.survey import build_population, read_survey
from xbsim.core.population.survey_errors import SurveyError

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow],
                    derandomize=True)
N_ROWS = 12

C = plain()
DOMAIN = Domain.from_config(C)
N_OTHER = int(DOMAIN.actor_types.counts.sum())  # research organisations and intermediaries, added to the companies
with EXAMPLE.open(encoding="utf-8-sig", newline="") as _f:
    GRID = list(csv.reader(_f, delimiter=";"))[: N_ROWS + 1]
VALID = EXAMPLE.read_bytes().split(b"\n")
VALID_BYTES = b"\n".join(VALID[: N_ROWS + 1]) + b"\n"
_counter = itertools.count()

# Cell text: codes, numbers in several spellings, separators, quotes, line breaks, accents, odd unicode.
CELL = st.one_of(
    st.sampled_from(["", " ", "FR61", "es22", "País Vasco", "agri_food", "Agri-food", "rnd", "PROCESSING", "micro",
                     "LARGE", "3,5", "3.5", "'4", "1 234", "0", "-1", "6", "1e3", "nan", "inf", "yes", "NON",
                     "bai", "fr|en", "xx", '"', '""', ";", ",", "\t", "\n", "\r\n", "sep=;", "R0001", "r0002"]),
    st.text(max_size=12),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.integers(-10**12, 10**12).map(str),
)


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("corrupt")


def check(path: Path) -> None:
    """The loader's only allowed failure is SurveyError; an accepted file gives a valid population."""
    try:
        rec = read_survey(path, DOMAIN)
    except SurveyError as err:
        assert err.problems and str(err).count("\n") == len(err.problems)
        event("rejected")
        return
    event("accepted")
    cfg = {**C["population"], "source": "survey", "path": str(path), "fill_synthetic": False}
    pop = build_population(DOMAIN, cfg, rec, np.random.default_rng(0))
    company = pop.is_company
    assert company.sum() == rec.n > 0 and pop.n == rec.n + N_OTHER  # the respondents, then the other actors
    assert (pop.origin[company] == "surveyed").all() and company[:rec.n].all()
    for arr in (pop.capability, pop.need, pop.openness, pop.absorptive):
        assert np.isfinite(arr).all() and (arr >= 0).all() and (arr <= 1).all()
    assert ((pop.territory >= 0) & (pop.territory < len(DOMAIN.territories))).all()
    assert ((pop.area >= 0) & (pop.area < len(DOMAIN.areas))).all()
    assert (pop.segment < DOMAIN.areas.n_segments()[pop.area]).all() and (pop.segment >= -1).all()
    assert (pop.segment[company] >= 0).all()  # only non-company actors may sit outside the value chain
    assert ((pop.size >= 0) & (pop.size < 4)).all() and (pop.employees >= 0).all()
    assert len({i.casefold() for i in pop.ids}) == pop.n and all(n.strip() == n and n for n in pop.names)


def write(folder: Path, data: bytes, suffix: str = ".csv") -> Path:
    path = folder / f"case{next(_counter)}{suffix}"
    path.write_bytes(data)
    return path


@SETTINGS
@given(ops=st.lists(st.tuples(st.sampled_from(["replace", "insert", "delete", "truncate"]),
                              st.floats(0, 1), st.binary(min_size=1, max_size=6)), min_size=1, max_size=6))
def test_byte_corruptions(folder: Path, ops: list[tuple[str, float, bytes]]) -> None:
    data = bytearray(VALID_BYTES)
    for op, where, blob in ops:
        i = int(where * len(data))
        if op == "replace":
            data[i:i + len(blob)] = blob
        elif op == "insert":
            data[i:i] = blob
        elif op == "delete":
            del data[i:i + len(blob) * 8]
        else:
            del data[i:]
    check(write(folder, bytes(data)))


@SETTINGS
@given(edits=st.lists(st.tuples(st.integers(0, N_ROWS), st.integers(0, len(GRID[0]) + 1), CELL), max_size=8),
       drop_col=st.one_of(st.none(), st.integers(0, len(GRID[0]) - 1)),
       dup_row=st.one_of(st.none(), st.integers(1, N_ROWS)),
       sep=st.sampled_from([",", ";", "\t"]),
       encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "latin-1", "cp1252"]))
def test_cell_corruptions(folder: Path, edits: list[tuple[int, int, str]], drop_col: int | None,
                          dup_row: int | None, sep: str, encoding: str) -> None:
    grid = [list(r) for r in GRID]
    for r, c, value in edits:
        row = grid[r]
        row.extend([""] * (c + 1 - len(row)))
        row[c] = value
    if drop_col is not None:
        grid = [r[:drop_col] + r[drop_col + 1:] for r in grid]
    if dup_row is not None:
        grid.append(list(grid[dup_row]))
    buf = io.StringIO()
    csv.writer(buf, delimiter=sep, lineterminator="\r\n").writerows(grid)
    check(write(folder, buf.getvalue().encode(encoding, errors="replace")))


XLSX_VALUE = st.one_of(
    st.none(), st.booleans(), st.integers(-10**15, 10**15),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.datetimes(min_value=dt.datetime(1950, 1, 1), max_value=dt.datetime(2100, 1, 1)),
    st.text(alphabet=st.characters(exclude_categories=("Cs", "Cc", "Co")), max_size=10),
    CELL,
).filter(lambda v: not isinstance(v, str) or not ILLEGAL_CHARACTERS_RE.search(v))


@SETTINGS
@given(edits=st.lists(st.tuples(st.integers(0, N_ROWS), st.integers(0, len(GRID[0])), XLSX_VALUE), max_size=8),
       blank_rows=st.integers(0, 2), sheet=st.sampled_from(["survey", "Sheet1", "SURVEY "]))
def test_workbook_corruptions(folder: Path, edits: list[tuple[int, int, object]], blank_rows: int,
                              sheet: str) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = sheet.strip()
    for _ in range(blank_rows):
        ws.append([])
    for row in GRID:
        ws.append(list(row))
    for r, c, value in edits:
        ws.cell(row=blank_rows + r + 1, column=c + 1, value=value)
    buf = io.BytesIO()
    wb.save(buf)
    check(write(folder, buf.getvalue(), ".xlsx"))


@pytest.fixture(scope="module")
def valid_xlsx() -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "survey"
    for row in GRID:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


@SETTINGS
@given(ops=st.lists(st.tuples(st.floats(0, 1), st.binary(min_size=1, max_size=8)), min_size=1, max_size=4),
       cut=st.one_of(st.none(), st.floats(0.05, 1)))
def test_damaged_workbooks(folder: Path, valid_xlsx: bytes, ops: list[tuple[float, bytes]],
                           cut: float | None) -> None:
    data = bytearray(valid_xlsx)
    for where, blob in ops:
        i = 4 + int(where * (len(data) - 4))  # keep the ZIP signature: the loader must treat it as a workbook
        data[i:i + len(blob)] = blob
    if cut is not None:
        del data[max(4, int(cut * len(data))):]
    check(write(folder, bytes(data), ".xlsx"))


def test_the_uncorrupted_bases_are_valid(folder: Path, valid_xlsx: bytes) -> None:
    """The properties start from files the loader accepts (so they exercise more than the error path)."""
    a = read_survey(write(folder, VALID_BYTES), DOMAIN)
    b = read_survey(write(folder, valid_xlsx, ".xlsx"), DOMAIN)
    assert a.n == b.n == N_ROWS
    np.testing.assert_array_equal(a.capability, b.capability)
