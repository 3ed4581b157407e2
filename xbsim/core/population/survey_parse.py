"""Validate and convert the cells of a survey grid; every problem of the file is collected, then raised.

Cells are trimmed; coded cells are matched by :func:`~xbsim.core.population.survey_schema.key`; numbers may use
a decimal comma, a leading apostrophe (Excel's numbers-as-text) and spaces as thousands separators; a number with
two readings that the column both allows (``1,000`` employees: 1000 or 1) is refused, never guessed. Names
and free text pass through as written (only surrounding spaces are removed).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from xbsim.core.cells import ambiguity, number_readings
from xbsim.core.domain import Domain
from xbsim.core.population.survey_errors import Problem, SurveyError, column_letter
from xbsim.core.population.survey_read import Grid
from xbsim.core.population.survey_schema import (
    LIST_SEPARATORS,
    SCORE_MAX,
    SCORE_MIN,
    Column,
    Vocabulary,
    columns,
    key,
    score_to_unit,
    segment_allowed,
    size_class_text,
    territory_allowed,
)
from xbsim.core.population.synthetic import employees_to_size
from xbsim.core.population.table import ActorRows

MAX_EMPLOYEES = 10_000_000


@dataclass
class SurveyRecords(ActorRows):
    """The valid content of a survey file, one entry per company row (blank score cells are NaN)."""

    capability: np.ndarray  # float (N, D) in [0, 1], NaN = blank
    need: np.ndarray  # float (N, D) in [0, 1], NaN = blank
    openness: np.ndarray  # float in [0, 1], NaN = blank
    languages: np.ndarray  # bool (N, L), columns = domain.languages()
    languages_given: np.ndarray  # bool (N,)
    interviewed: np.ndarray  # bool (N,)
    products: np.ndarray  # str, free text
    file: str  # the file read
    rows: np.ndarray  # spreadsheet row numbers
    ignored: tuple[str, ...] = ()  # header cells that are not survey columns (ignored)

    @property
    def n(self) -> int:
        return int(self.rows.shape[0])


def parse_number(text: str) -> float | None:
    """The one finite number a cell's text means, or None (not a number, or ambiguous such as '1,000'):
    '3,5', ' 4 ', "'12", '1 234', '1.234,5', '1,234.5' (see :func:`xbsim.core.cells.number_readings`)."""
    readings = number_readings(text)
    return readings[0] if readings is not None and len(readings) == 1 else None


class _Checker:
    """Collects the problems of one grid, each with its position for sorting."""

    def __init__(self, grid: Grid) -> None:
        self.grid = grid
        self.found: list[tuple[int, int, Problem]] = [(p.row or 0, 10**6, p) for p in grid.problems]

    def label(self, index: int) -> str:
        return f"{self.grid.header[index].strip()!r} ({column_letter(index)})"

    def add(self, row: int, index: int, value: str | None, problem: str, allowed: str) -> None:
        p = Problem(self.grid.file, row, self.label(index), value, problem, allowed)
        self.found.append((row, index, p))

    def raise_if_any(self) -> None:
        if self.found:
            self.found.sort(key=lambda x: (x[0], x[1]))
            raise SurveyError(self.grid.file, [p for _, _, p in self.found], note=self.grid.note)


def map_header(grid: Grid, cols: list[Column], check: _Checker) -> tuple[dict[str, int], dict[str, int]]:
    """(column name -> index, unknown header key -> index); reports duplicate and missing columns (with
    likely misspellings)."""
    known = {c.name for c in cols}
    found: dict[str, int] = {}
    unknown: dict[str, int] = {}
    for i, head in enumerate(grid.header):
        if not head.strip():
            continue
        k = key(head)
        if k in found:
            check.add(grid.header_row, i, head, f"repeats column {check.label(found[k])}",
                      "each column once")
        elif k in known:
            found[k] = i
        else:
            unknown[k] = i
    for c in cols:
        if c.name in found or c.required == "no" or c.required == "employees or size_class":
            continue
        close = difflib.get_close_matches(c.name, list(unknown), n=1, cutoff=0.75)
        hint = f" (is {check.label(unknown[close[0]])} a misspelling?)" if close else ""
        check.found.append((grid.header_row, -1, Problem(
            grid.file, grid.header_row, repr(c.name), None, f"required column is missing{hint}",
            f"a header cell {c.name} ({c.description.split('.')[0]}); "
            "headers ignore case, spaces and accents")))
    if "employees" not in found and "size_class" not in found:
        check.found.append((grid.header_row, -1, Problem(
            grid.file, grid.header_row, "'employees' / 'size_class'", None, "both columns are missing",
            "a header cell employees (persons employed) or size_class (micro, small, medium, large), "
            "or both")))
    return found, unknown


def _coded(cells: list[str], rows: list[int], index: int, vocab: dict[str, int], problem: str, allowed: str,
           check: _Checker) -> np.ndarray:
    """Index of each coded cell in ``vocab`` (-1 when blank or unknown, which is reported)."""
    out = np.full(len(cells), -1, dtype=int)
    for i, cell in enumerate(cells):
        if not cell.strip():
            check.add(rows[i], index, None, "empty cell", allowed)
        elif (v := vocab.get(key(cell))) is None:
            check.add(rows[i], index, cell, problem, allowed)
        else:
            out[i] = v
    return out


def _numbers(cells: list[str], rows: list[int], index: int, ok: Callable[[float], bool], allowed: str,
             check: _Checker) -> np.ndarray:
    """Numbers of a column (NaN when blank or invalid, which is reported)."""
    out = np.full(len(cells), np.nan)
    for i, cell in enumerate(cells):
        if not cell.strip():
            continue
        readings = number_readings(cell)
        if readings is None:
            check.add(rows[i], index, cell, "is not a number", allowed)
            continue
        kept = [x for x in readings if ok(x)]
        if not kept:
            check.add(rows[i], index, cell, "is out of range", allowed)
        elif len(kept) > 1:
            check.add(rows[i], index, cell, ambiguity(cell, tuple(kept)),
                      f"{allowed}; write the number without a thousands separator (e.g. {kept[-1]:g})")
        else:
            out[i] = kept[0]
    return out


def _scores(cells: list[str], rows: list[int], index: int, allowed: str, check: _Checker) -> np.ndarray:
    raw = _numbers(cells, rows, index, lambda x: SCORE_MIN <= x <= SCORE_MAX, allowed, check)
    return score_to_unit(raw)


def _ids(cells: list[str], rows: list[int], index: int, allowed: str, check: _Checker) -> np.ndarray:
    first: dict[str, int] = {}
    for i, cell in enumerate(cells):
        if not cell.strip():
            check.add(rows[i], index, None, "empty cell", allowed)
            continue
        k = cell.strip().casefold()
        if k in first:
            check.add(rows[i], index, cell, f"repeats the company_id of row {first[k]}", allowed)
        else:
            first[k] = rows[i]
    return np.array([c.strip() for c in cells], dtype=str)


def _sizes(grid: Grid, found: dict[str, int], rows: list[int], cols: dict[str, Column], sizes: dict[str, int],
           check: _Checker) -> tuple[np.ndarray, np.ndarray]:
    """Size class and head count (-1 = not given) of each row, from employees and/or size_class."""
    n = len(rows)
    size = np.full(n, -1, dtype=int)
    employees = np.full(n, -1, dtype=np.int64)
    e_idx, s_idx = found.get("employees"), found.get("size_class")
    if e_idx is not None:
        cells = [r[e_idx] for r in grid.rows]
        raw = _numbers(cells, rows, e_idx, lambda x: x == int(x) and 0 <= x <= MAX_EMPLOYEES,
                       cols["employees"].allowed, check)
        given = ~np.isnan(raw)
        employees[given] = raw[given].astype(np.int64)
        size[given] = employees_to_size(employees[given])
    if s_idx is not None:
        cells = [r[s_idx] for r in grid.rows]
        for i, cell in enumerate(cells):
            if not cell.strip():
                continue
            s = sizes.get(key(cell))
            if s is None:
                check.add(rows[i], s_idx, cell, "is not a size class", cols["size_class"].allowed)
            elif employees[i] >= 0 and s != size[i]:
                check.add(rows[i], s_idx, cell, f"disagrees with employees {employees[i]} "
                          f"({size_class_text(int(size[i]))})",
                          "the size class of the head count, or leave one of the two cells blank")
            else:
                size[i] = s
    if e_idx is None and s_idx is None:
        return size, employees
    index = e_idx if e_idx is not None else s_idx
    both = e_idx is not None and s_idx is not None
    problem = "empty cell, and size_class is empty too" if both else "empty cell"
    for i, r in enumerate(grid.rows):
        if all(not r[j].strip() for j in (e_idx, s_idx) if j is not None):
            check.add(rows[i], index, None, problem,
                      "a head count in employees or a class in size_class (micro, small, medium, large)")
    return size, employees


def _languages(cells: list[str], rows: list[int], index: int, vocab: dict[str, int], n_lang: int,
               allowed: str, check: _Checker) -> tuple[np.ndarray, np.ndarray]:
    spoken = np.zeros((len(cells), n_lang), dtype=bool)
    given = np.zeros(len(cells), dtype=bool)
    for i, cell in enumerate(cells):
        tokens = [t for t in re.split(LIST_SEPARATORS, cell.strip()) if t]
        if not tokens:
            continue
        bad = [t for t in tokens if key(t) not in vocab]
        if bad:
            check.add(rows[i], index, cell, f"names unknown language(s) {', '.join(bad)}", allowed)
            continue
        spoken[i, [vocab[key(t)] for t in tokens]] = True
        given[i] = True
    return spoken, given


def parse(grid: Grid, domain: Domain) -> SurveyRecords:
    """Convert a grid into :class:`SurveyRecords`, or raise :class:`SurveyError` listing every problem."""
    vocab = Vocabulary.for_domain(domain)
    cols = columns(domain)
    by_name = {c.name: c for c in cols}
    check = _Checker(grid)
    found, unknown = map_header(grid, cols, check)
    rows = grid.row_numbers
    n, n_dim, langs = len(rows), len(domain.dimensions), domain.languages()

    def cells(name: str) -> list[str] | None:
        return [r[found[name]] for r in grid.rows] if name in found else None

    ids = np.array([""] * n, dtype=str)
    names = np.array([""] * n, dtype=str)
    if (c := cells("company_id")) is not None:
        ids = _ids(c, rows, found["company_id"], by_name["company_id"].allowed, check)
    if (c := cells("name")) is not None:
        for i, cell in enumerate(c):
            if not cell.strip():
                check.add(rows[i], found["name"], None, "empty cell", "the company's name")
        names = np.array([cell.strip() for cell in c], dtype=str)
    territory = area = segment = np.full(n, -1, dtype=int)
    if (c := cells("territory")) is not None:
        territory = _coded(c, rows, found["territory"], vocab.territories, "is not a configured territory",
                           territory_allowed(domain) + " (code or name, any case)", check)
    if (c := cells("area")) is not None:
        area = _coded(c, rows, found["area"], vocab.areas, "is not a configured area",
                      by_name["area"].allowed, check)
    if (c := cells("segment")) is not None:
        segment = np.full(n, -1, dtype=int)
        for i, cell in enumerate(c):
            a = int(area[i])
            allowed = segment_allowed(domain, a) if a >= 0 else by_name["segment"].allowed
            if not cell.strip():
                check.add(rows[i], found["segment"], None, "empty cell", allowed)
            elif a >= 0:
                s = vocab.segments[a].get(key(cell))
                if s is None:
                    check.add(rows[i], found["segment"], cell,
                              f"is not a segment of area {domain.areas.names[a]}", allowed)
                else:
                    segment[i] = s
    size, employees = _sizes(grid, found, rows, by_name, vocab.sizes, check)

    capability = np.full((n, n_dim), np.nan)
    need = np.full((n, n_dim), np.nan)
    for d, dim in enumerate(domain.dimensions.names):
        for prefix, target in (("cap", capability), ("need", need)):
            name = f"{prefix}_{dim}"
            if (c := cells(name)) is not None:
                target[:, d] = _scores(c, rows, found[name], by_name[name].allowed, check)
    openness = np.full(n, np.nan)
    if (c := cells("openness")) is not None:
        openness = _scores(c, rows, found["openness"], by_name["openness"].allowed, check)
    spoken, given = np.zeros((n, len(langs)), dtype=bool), np.zeros(n, dtype=bool)
    if (c := cells("languages")) is not None:
        spoken, given = _languages(c, rows, found["languages"], vocab.languages, len(langs),
                                   by_name["languages"].allowed, check)
    interviewed = np.zeros(n, dtype=bool)
    if (c := cells("interviewed")) is not None:
        for i, cell in enumerate(c):
            if cell.strip():
                v = vocab.yes_no.get(key(cell))
                if v is None:
                    check.add(rows[i], found["interviewed"], cell, "is not yes or no",
                              by_name["interviewed"].allowed)
                else:
                    interviewed[i] = v
    products = np.array([cell.strip() for cell in (cells("products_services") or [""] * n)], dtype=str)

    check.raise_if_any()
    return SurveyRecords(ids=ids, names=names, territory=territory, area=area, segment=segment, size=size,
                         employees=employees, file=grid.file, rows=np.array(rows, dtype=int), capability=capability,
                         need=need, openness=openness, languages=spoken, languages_given=given,
                         interviewed=interviewed, products=products,
                         ignored=tuple(check.label(i) for i in unknown.values()))


__all__ = ["SurveyRecords", "parse", "parse_number"]
