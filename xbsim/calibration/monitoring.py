"""Monitoring data of a running programme: the format, its validating reader and its template.

A monitoring file (CSV or XLSX, the first sheet or the one named ``monitoring``) has one row per month and
indicator with the columns ``month`` (1, 2, ... counted from the programme's start), ``indicator`` (one of
:data:`INDICATORS`) and ``value`` (the count of that month, a whole number >= 0); an optional ``note`` column is
kept for the planner and ignored. Every indicator must be reported for every month from 1 to the last observed
month. :func:`read_monitoring` lists every problem at once (row, column, value, what is allowed), in the style
of the survey reader (:mod:`xbsim.core.population.survey_errors`).

The same indicators are measured on a model run by :func:`indicators_of` (monthly counts, not running totals),
so the model's output and the programme's data are compared like for like.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from xbsim.core.errors import InputError
from xbsim.core.population.survey_errors import Problem, SurveyError, column_letter

#: indicator -> what it counts in one month (the model's source in brackets, see :func:`indicators_of`).
INDICATORS: dict[str, str] = {
    "surveys_returned": "actors newly known to the programme: answered the survey or took an open place "
    "(increase of the `known` series)",
    "workshop_attendance": "attendees of the month's thematic workshops who talked to at least one other "
    "attendee (distinct actors of the meetings table, kind workshop)",
    "b2b_meetings_held": "B2B meetings held at the month's matchmaking events (increase of `b2b_meetings_held`)",
    "follow_ups": "meetings, workshop contacts and introductions of the month that led to a follow-up "
    "(meetings table, follow_up)",
    "partnerships_signed": "partnerships formed (increase of `partnerships_formed_total`)",
    "members_recruited": "actors that joined a pole, all poles together (joins table)",
}
COLUMNS: tuple[str, ...] = ("month", "indicator", "value")
OPTIONAL_COLUMNS: tuple[str, ...] = ("note",)
SHEET = "monitoring"


class MonitoringError(InputError):
    """A monitoring file that cannot be used; ``str(err)`` lists every problem, one per line."""

    def __init__(self, file: str, problems: list[Problem]) -> None:
        self.file = file
        self.problems = list(problems)
        n = len(self.problems)
        head = (
            f"monitoring file {file!r}: {n} problem{'s' if n != 1 else ''} (rows are spreadsheet rows; nothing was run)"
        )
        super().__init__("\n".join([head, *(f"  {p}" for p in self.problems)]))


def _whole(text: str) -> int | None:
    """A whole number written as text ('12', '12.0'), else None (no thousands separators: '1,000' is refused)."""
    try:
        x = float(text)
    except ValueError:
        return None
    return int(x) if np.isfinite(x) and x == int(x) else None


def read_monitoring(path: str | Path, horizon: int | None = None) -> pd.DataFrame:
    """The monitoring data of ``path`` as a table month x indicator (months 1..last observed, integer counts).

    ``horizon`` (the programme's length in months), when given, bounds the months. Raises
    :class:`MonitoringError` listing every problem of the file.
    """
    from xbsim.core.population.survey_read import read_bytes, records_of

    file = str(path)
    try:
        records, _note, cell_problems = records_of(read_bytes(Path(path), file), file)
    except SurveyError as err:  # the whole file is unusable (missing, unreadable, .xls...)
        raise MonitoringError(file, err.problems) from None
    numbered = [(i + 1, r) for i, r in enumerate(records) if any(c.strip() for c in r)]
    if not numbered:
        raise MonitoringError(
            file,
            [
                Problem(
                    file,
                    None,
                    None,
                    None,
                    "the file is empty",
                    "a header row month;indicator;value, then one row per month "
                    "and indicator (xbsim-calibrate --template FILE writes one)",
                )
            ],
        )
    header_row, header = numbered[0]
    names = [c.strip().lower() for c in header]
    problems: list[Problem] = list(cell_problems)  # e.g. an xlsx formula without a saved value
    for k, name in enumerate(names):
        if name and name not in COLUMNS + OPTIONAL_COLUMNS:
            problems.append(
                Problem(
                    file,
                    header_row,
                    column_letter(k),
                    header[k],
                    "is not a column of the format",
                    ", ".join(COLUMNS + OPTIONAL_COLUMNS),
                )
            )
        elif name and names.index(name) != k:
            problems.append(
                Problem(file, header_row, column_letter(k), header[k], "is a repeated column", "each column once")
            )
    missing = [c for c in COLUMNS if c not in names]
    if missing:
        problems.append(
            Problem(
                file,
                header_row,
                None,
                None,
                f"the header lacks the column(s) {', '.join(missing)}",
                "a header with month, indicator and value (in any order)",
            )
        )
        raise MonitoringError(file, problems)
    col = {c: names.index(c) for c in COLUMNS}
    max_month = f"a whole number from 1 to {horizon}" if horizon else "a whole number >= 1"
    seen: dict[tuple[int, str], int] = {}
    rows: list[tuple[int, str, int]] = []
    for row_number, record in numbered[1:]:
        cells = {c: (record[k].strip() if k < len(record) else "") for c, k in col.items()}
        where = {c: f"{column_letter(k)} ({c})" for c, k in col.items()}
        month = _whole(cells["month"])
        ok = True
        if month is None or month < 1 or (horizon is not None and month > horizon):
            problems.append(
                Problem(file, row_number, where["month"], cells["month"], "is not a month of the programme", max_month)
            )
            ok = False
        ind = cells["indicator"].lower()
        if ind not in INDICATORS:
            problems.append(
                Problem(
                    file,
                    row_number,
                    where["indicator"],
                    cells["indicator"],
                    "is not an indicator",
                    ", ".join(INDICATORS),
                )
            )
            ok = False
        value = _whole(cells["value"])
        if value is None or value < 0:
            problems.append(
                Problem(
                    file,
                    row_number,
                    where["value"],
                    cells["value"],
                    "is not a count",
                    "a whole number >= 0 (the count of that month)",
                )
            )
            ok = False
        if not ok:
            continue
        if (month, ind) in seen:
            problems.append(
                Problem(
                    file,
                    row_number,
                    where["indicator"],
                    ind,
                    f"is given twice for month {month} (first in row {seen[month, ind]})",
                    "one row per month and indicator",
                )
            )
            continue
        seen[month, ind] = row_number
        rows.append((month, ind, value))
    if not rows and not problems:
        problems.append(
            Problem(
                file,
                None,
                None,
                None,
                f"the file has a header (row {header_row}) but no data rows",
                "one row per month and indicator below the header",
            )
        )
    if rows:
        last = max(m for m, _, _ in rows)
        absent = [f"{ind} in month {m}" for m in range(1, last + 1) for ind in INDICATORS if (m, ind) not in seen]
        if absent:
            shown = ", ".join(absent[:12]) + (f" and {len(absent) - 12} more" if len(absent) > 12 else "")
            problems.append(
                Problem(
                    file,
                    None,
                    None,
                    None,
                    f"missing rows: {shown}",
                    f"every indicator for every month from 1 to the last observed month ({last})",
                )
            )
    if problems:
        raise MonitoringError(file, problems)
    df = pd.DataFrame(rows, columns=list(COLUMNS))
    return df.pivot(index="month", columns="indicator", values="value")[list(INDICATORS)].astype(np.int64)


def long_frame(wide: pd.DataFrame) -> pd.DataFrame:
    """A month x indicator table in the file's layout: month, indicator, value (month-major order)."""
    out = wide.rename_axis(index="month", columns="indicator").stack().rename("value").reset_index()
    return out.sort_values(
        ["month", "indicator"], key=lambda s: s.map(_order) if s.name == "indicator" else s, kind="stable"
    ).reset_index(drop=True)


def _order(ind: str) -> int:
    return list(INDICATORS).index(ind)


def write_monitoring(path: str | Path, wide: pd.DataFrame, notes: dict[str, str] | None = None) -> Path:
    """Write a month x indicator table as a monitoring file (.csv or .xlsx by ``path``'s extension), atomically."""
    from xbsim.io.atomic import atomic_write, write_csv

    df = long_frame(wide)
    df["note"] = df["indicator"].map(lambda ind: (notes or {}).get(ind, ""))
    path = Path(path)
    if path.suffix.lower() == ".xlsx":
        return atomic_write(path, lambda p: df.to_excel(p, sheet_name=SHEET, index=False, engine="openpyxl"))
    if path.suffix.lower() != ".csv":
        raise InputError(
            f"monitoring file {str(path)!r}: the extension {path.suffix!r} is not allowed; allowed: .csv or .xlsx"
        )
    return write_csv(path, df)


def write_template(path: str | Path, months: int) -> Path:
    """An empty monitoring file for months 1..``months``: every month x indicator row, value 0, the indicator's
    definition in the note column (overwrite the zeros with the programme's counts)."""
    if months < 1:
        raise InputError(f"--months={months} is not allowed; allowed: a whole number >= 1")
    wide = pd.DataFrame(0, index=pd.RangeIndex(1, months + 1, name="month"), columns=list(INDICATORS))
    return write_monitoring(path, wide, notes=INDICATORS)


def indicators_of(model: Any, months: int | None = None) -> pd.DataFrame:
    """The monitoring indicators of a (partly) run model, months 1..``months`` (default: the months run)."""
    last = model.month if months is None else int(months)
    idx = pd.RangeIndex(1, last + 1, name="month")
    series = model.datacollector.get_model_vars_dataframe().set_index("month")
    out = pd.DataFrame(index=idx)
    for name, source in (
        ("surveys_returned", "known"),
        ("b2b_meetings_held", "b2b_meetings_held"),
        ("partnerships_signed", "partnerships_formed_total"),
    ):
        out[name] = series[source].diff().reindex(idx).fillna(0)
    meetings = model.events["meetings"].frame()
    shop = meetings[meetings["kind"] == "workshop"]
    attendees = pd.concat(
        [
            shop[["month", "company_i"]].rename(columns={"company_i": "a"}),
            shop[["month", "company_j"]].rename(columns={"company_j": "a"}),
        ]
    )
    out["workshop_attendance"] = attendees.drop_duplicates().groupby("month").size().reindex(idx, fill_value=0)
    out["follow_ups"] = meetings[meetings["follow_up"].astype(bool)].groupby("month").size().reindex(idx, fill_value=0)
    joins = model.events["joins"].frame()
    out["members_recruited"] = joins.groupby("month").size().reindex(idx, fill_value=0) if len(joins) else 0
    return out[list(INDICATORS)].astype(np.int64)
