"""The empty survey template for a configured domain: a survey sheet, its data dictionary and an example row.

``.xlsx``: sheets ``survey`` (the header, with drop-down lists for coded columns and a 1-5 rule for
scores), ``dictionary`` (every column: required, unit, allowed values, description, example), ``example``
(the header and one filled row) and a hidden ``lists`` sheet (the drop-downs' values). ``.csv``: the header
alone in PATH, and the dictionary (with its ``example`` column, the example row) in ``<stem>.dictionary.csv``
next to it. CSV files are UTF-8 with BOM, so Excel shows accents.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pandas as pd

from xbsim.core.config.schema import SIZE_CLASSES
from xbsim.core.domain import Domain
from xbsim.core.population.survey_schema import Column, columns
from xbsim.io.atomic import atomic_write, write_text

FORMATS = (".csv", ".xlsx")


def dictionary_frame(domain: Domain) -> pd.DataFrame:
    """One row per survey column: column, required, unit, allowed, description, example."""
    return pd.DataFrame([{"column": c.name, "required": c.required, "unit": c.unit, "allowed": c.allowed,
                          "description": c.description, "example": c.example} for c in columns(domain)])


def example_frame(domain: Domain) -> pd.DataFrame:
    """The header and one example row."""
    cols = columns(domain)
    return pd.DataFrame([[c.example for c in cols]], columns=[c.name for c in cols])


def companion_path(path: Path) -> Path:
    """Where the data dictionary of a CSV template goes: ``<stem>.dictionary.csv`` next to it."""
    return path.with_name(f"{path.stem}.dictionary.csv")


def _csv_text(df: pd.DataFrame) -> str:
    buf = io.StringIO()
    df.to_csv(buf, index=False, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    return "\ufeff" + buf.getvalue()


def write_csv_template(path: Path, domain: Domain) -> list[Path]:
    names = [c.name for c in columns(domain)]
    return [write_text(path, _csv_text(pd.DataFrame(columns=names))),
            write_text(companion_path(path), _csv_text(dictionary_frame(domain)))]


def _validations(wb: Any, ws: Any, cols: list[Column], domain: Domain) -> None:
    """Drop-down lists for coded columns (their values on a hidden ``lists`` sheet, since Excel limits inline
    lists to 255 characters) and a 1-5 rule for score columns, on rows 2-5000."""
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    lists = {
        "territory": list(domain.territories.codes),
        "area": list(domain.areas.names),
        "segment": list(dict.fromkeys(s for segs in domain.areas.segments for s in segs)),
        "size_class": list(SIZE_CLASSES),
        "interviewed": ["yes", "no"],
    }
    sheet = wb.create_sheet("lists")
    sheet.sheet_state = "hidden"
    refs = {}
    for j, (name, values) in enumerate(lists.items(), start=1):
        letter = get_column_letter(j)
        sheet.cell(row=1, column=j, value=name)
        for i, v in enumerate(values, start=2):
            sheet.cell(row=i, column=j, value=v)
        refs[name] = f"lists!${letter}$2:${letter}${len(values) + 1}"
    for i, c in enumerate(cols, start=1):
        cells = f"{get_column_letter(i)}2:{get_column_letter(i)}5000"
        if c.name in refs:
            dv = DataValidation(type="list", formula1=refs[c.name], allow_blank=True, showErrorMessage=False)
        elif c.kind == "score":
            dv = DataValidation(type="decimal", operator="between", formula1="1", formula2="5",
                                allow_blank=True, showErrorMessage=True, errorTitle="Score 1-5",
                                error=c.allowed)
        else:
            continue
        dv.promptTitle, dv.prompt, dv.showInputMessage = c.name[:32], c.allowed[:255], True
        ws.add_data_validation(dv)
        dv.add(cells)


def write_xlsx_template(path: Path, domain: Domain) -> list[Path]:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    cols = columns(domain)
    wb = Workbook()
    survey = wb.active
    survey.title = "survey"
    survey.append([c.name for c in cols])
    dictionary = wb.create_sheet("dictionary")
    dict_df = dictionary_frame(domain)
    dictionary.append(list(dict_df.columns))
    for row in dict_df.itertuples(index=False):
        dictionary.append(list(row))
    example = wb.create_sheet("example")
    ex = example_frame(domain)
    example.append(list(ex.columns))
    example.append(list(ex.iloc[0]))
    _validations(wb, survey, cols, domain)
    for ws in (survey, dictionary, example):
        ws.freeze_panes = "A2"
        for cell in ws[1]:
            cell.font = Font(bold=True)
    for letter, width in zip("ABCDEF", (30, 24, 30, 60, 60, 30), strict=True):
        dictionary.column_dimensions[letter].width = width
    for row in dictionary.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    for ws in (survey, example):
        for cell in ws[1]:
            ws.column_dimensions[cell.column_letter].width = max(12, len(str(cell.value)) + 2)
    return [atomic_write(path, lambda p: wb.save(p))]


def write_template(path: str | Path, domain: Domain) -> list[Path]:
    """Write the template (format by extension); returns the files written."""
    path = Path(path)
    ext = path.suffix.lower()
    if ext == ".csv":
        return write_csv_template(path, domain)
    if ext == ".xlsx":
        return write_xlsx_template(path, domain)
    raise ValueError(f"unsupported template extension {ext!r}; allowed: {', '.join(FORMATS)}")


__all__ = ["FORMATS", "companion_path", "dictionary_frame", "example_frame", "write_template"]
