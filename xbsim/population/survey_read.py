"""Read a survey file as it is (CSV or XLSX) into a grid of text cells with their spreadsheet row numbers.

The format is recognised from the content, not the name: a ZIP archive is an Excel workbook (the sheet named
``survey`` if there is one, else the first sheet); anything else is delimited text. Text files may be UTF-8
(with or without BOM), UTF-16 with BOM, Windows-1252 or Latin-1, separated by ``;``, ``,`` or tabs (the most
frequent one in the header line wins; an Excel ``sep=;`` first line is honoured). Everything that makes the
file unusable as a whole raises :class:`SurveyError`; cell-level problems are collected in ``Grid.problems``.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from xbsim.population.survey_errors import Problem, SurveyError, column_letter

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Excel 97-2003 .xls
SEPARATORS = (";", ",", "\t")
MAX_BYTES = 200 * 1024 * 1024
WORKBOOK_SHEET = "survey"


@dataclass
class Grid:
    """Header cells and non-blank data rows (text, stripped of nothing), with spreadsheet row numbers."""

    file: str
    header: list[str]
    header_row: int
    rows: list[list[str]]
    row_numbers: list[int]
    problems: list[Problem] = field(default_factory=list)


def _fail(file: str, problem: str, allowed: str) -> SurveyError:
    return SurveyError(file, [Problem(file, None, None, None, problem, allowed)])


def read_bytes(path: Path, file: str) -> bytes:
    """The file's content, or a SurveyError saying why it cannot be read."""
    where = "the path of a CSV or XLSX survey file, absolute or relative to the directory xbsim was run from"
    try:
        if path.is_dir():
            raise _fail(file, "the file is a directory, not a file", where)
        if path.stat().st_size > MAX_BYTES:
            raise _fail(file, f"the file is larger than {MAX_BYTES // 2**20} MB",
                        "a survey file of at most 200 MB")
        return path.read_bytes()
    except SurveyError:
        raise
    except FileNotFoundError:
        raise _fail(file, f"the file does not exist (looked for {str(path)!r})", where) from None
    except PermissionError:
        raise _fail(file, "the file cannot be read: permission denied",
                    "a file you are allowed to read") from None
    except OSError as err:
        raise _fail(file, f"the file cannot be read ({err.strerror or err})", where) from None
    except ValueError as err:  # e.g. a NUL character in the path
        raise _fail(file, f"the path is not valid ({err})", where) from None


def decode(data: bytes, file: str) -> str:
    """Text of a delimited file: UTF-16 (BOM), UTF-8 (BOM optional), else Windows-1252, else Latin-1."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise _fail(file, "the file starts with a UTF-16 mark but is not valid UTF-16 text",
                        "a text file in UTF-8, UTF-16, Windows-1252 or Latin-1, or an .xlsx workbook",
                        ) from None
    else:
        for encoding in ("utf-8-sig", "cp1252", "latin-1"):
            try:
                text = data.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
    if "\x00" in text:
        raise _fail(file, "the file is not a text (CSV) file: it contains binary data",
                    "a CSV file (text) or an Excel .xlsx workbook")
    return text


def sniff_separator(text: str) -> tuple[str, str]:
    """(separator, text without an Excel ``sep=`` line): the separator most frequent in the header line."""
    first, _, rest = text.partition("\n")
    hint = first.strip().lower()
    if hint.startswith("sep=") and len(hint) == 5 and hint[4] in (*SEPARATORS, "|"):
        return hint[4], rest
    header = next((line for line in text.splitlines() if line.strip()), "")
    counts = {sep: _count_unquoted(header, sep) for sep in SEPARATORS}
    best = max(SEPARATORS, key=lambda s: counts[s])  # ties: the earlier one (';' before ',')
    return (best if counts[best] > 0 else ","), text


def _count_unquoted(line: str, sep: str) -> int:
    n, quoted = 0, False
    for ch in line:
        if ch == '"':
            quoted = not quoted
        elif ch == sep and not quoted:
            n += 1
    return n


def csv_records(data: bytes, file: str) -> list[list[str]]:
    """Records of a delimited text file (a record may span lines inside quotes); row i+1 is record i."""
    text = decode(data, file)
    sep, text = sniff_separator(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep)
    records: list[list[str]] = []
    try:
        records.extend(reader)
    except csv.Error as err:
        problem = Problem(file, len(records) + 1, None, None, f"the file cannot be parsed as CSV ({err})",
                          'text fields quoted with " and a quote inside written ""')
        raise SurveyError(file, [problem]) from None
    return records


def cell_text(value: Any) -> str:
    """Text of a workbook cell: blank for empty, integers without '.0', dates in ISO format."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    return str(value)


def xlsx_records(data: bytes, file: str) -> list[list[str]]:
    """Records of the survey sheet of an .xlsx workbook (pandas + openpyxl); row i+1 is record i."""
    import pandas as pd

    try:
        with pd.ExcelFile(io.BytesIO(data), engine="openpyxl") as book:
            names = [str(n) for n in book.sheet_names]
            sheet = next((n for n in names if n.strip().lower() == WORKBOOK_SHEET), names[0])
            frame = pd.read_excel(book, sheet_name=sheet, header=None, dtype=object)
    except Exception as err:  # a damaged workbook can fail anywhere inside zipfile/openpyxl/pandas
        raise _fail(file, f"the file cannot be read as an Excel workbook ({type(err).__name__}: {err})",
                    "an .xlsx workbook saved by Excel or LibreOffice, or a CSV file") from None
    return [[cell_text(v) for v in row] for row in frame.itertuples(index=False, name=None)]


def records_of(data: bytes, file: str) -> list[list[str]]:
    """Records of a survey file, whatever its format."""
    if data.startswith(ZIP_MAGIC):
        return xlsx_records(data, file)
    if data.startswith(OLE_MAGIC):
        raise _fail(file, "the file is an Excel 97-2003 (.xls) workbook",
                    "an .xlsx workbook or a CSV file (in Excel: File > Save As)")
    return csv_records(data, file)


def to_grid(records: list[list[str]], file: str) -> Grid:
    """Header = first non-blank record; blank rows are skipped; cells outside the header are reported."""
    numbered = [(i + 1, r) for i, r in enumerate(records) if any(c.strip() for c in r)]
    if not numbered:
        raise _fail(file, "the file is empty (no header, no company)",
                    "a header row with the template's columns, then one row per company")
    header_row, header = numbered[0]
    width = max((i for i, c in enumerate(header) if c.strip()), default=-1) + 1
    header = header[:width]
    grid = Grid(file, header, header_row, [], [])
    unnamed = {i for i, c in enumerate(header) if not c.strip()}
    for row_number, record in numbered[1:]:
        for i, cell in enumerate(record):
            if cell.strip() and (i >= width or i in unnamed):
                grid.problems.append(Problem(
                    file, row_number, f"{column_letter(i)} (no header)", cell,
                    "is in a column without a header",
                    "values only under a named column (check for a separator inside an unquoted value)"))
        grid.rows.append((record + [""] * width)[:width])
        grid.row_numbers.append(row_number)
    if not grid.rows:
        raise _fail(file, f"the file has a header (row {header_row}) but no company rows",
                    "one row per company below the header")
    return grid


def read_grid(path: Path, file: str) -> Grid:
    """Read ``path`` (shown to the user as ``file``) into a :class:`Grid`."""
    return to_grid(records_of(read_bytes(path, file), file), file)
