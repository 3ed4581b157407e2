"""Read a survey file as it is (CSV or XLSX) into a grid of text cells with their spreadsheet row numbers.

The format is recognised from the content, not the name: a ZIP archive is an Excel workbook (the sheet named
``survey`` if there is one, else the first sheet; every message names the sheet read and why); anything else is
delimited text. Text files may be UTF-8 (with or without BOM), UTF-16 with BOM, Windows-1252 or Latin-1, separated
by ``;``, ``,`` or tabs (the most frequent one in the header line wins; an Excel ``sep=;`` first line is honoured).

The reader refuses rather than guesses: a text file mixing UTF-8 rows with rows in another encoding, a quote that
swallows line breaks (a record spanning several lines must have the header's number of fields), text after a
closing quote, and a workbook formula without a saved value are each reported with their row and column. A
workbook cell is read as it is shown (no "N/A" turned into a blank), so CSV and XLSX follow the same missing-value
rule: only an empty cell is missing. Everything that makes the file unusable as a whole raises
:class:`SurveyError`; cell-level problems are collected in ``Grid.problems``.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import math
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from xbsim.core.population.survey_errors import Problem, SurveyError, column_letter

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
    note: str = ""  # what was read (the sheet of a workbook, and why)


QUOTING = 'text fields quoted with " and a quote inside written ""'
ENCODINGS = "a text file in one encoding (UTF-8, UTF-16, Windows-1252 or Latin-1), or an .xlsx workbook"


def _fail(file: str, problem: str, allowed: str, note: str = "") -> SurveyError:
    return SurveyError(file, [Problem(file, None, None, None, problem, allowed)], note=note)


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


def _is_utf8(line: bytes) -> bool:
    try:
        line.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def decode(data: bytes, file: str) -> str:
    """Text of a delimited file: UTF-16 (BOM), UTF-8 (BOM optional), else Windows-1252, else Latin-1; a file whose
    lines are partly UTF-8 (with accents) and partly in another encoding is refused, naming the first such row."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise _fail(file, "the file starts with a UTF-16 mark but is not valid UTF-16 text", ENCODINGS) from None
    else:
        body = data[len(codecs.BOM_UTF8):] if data.startswith(codecs.BOM_UTF8) else data
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            lines = body.splitlines(keepends=True)
            if any(not line.isascii() and _is_utf8(line) for line in lines):
                raise _mixed_encoding(lines, file) from None
            try:
                text = body.decode("cp1252")
            except UnicodeDecodeError:
                text = body.decode("latin-1")
    if "\x00" in text:
        raise _fail(file, "the file is not a text (CSV) file: it contains binary data",
                    "a CSV file (text) or an Excel .xlsx workbook")
    return text


def _mixed_encoding(lines: list[bytes], file: str) -> SurveyError:
    """The error of a text file with UTF-8 rows and rows in another encoding: the first row that is not UTF-8,
    with the column of its first such character."""
    text = b"".join(lines).decode("latin-1")  # every byte is a character: line and field positions are kept
    sep, body = sniff_separator(text)
    skipped = 0 if body is text else 1  # an Excel sep= line is not a spreadsheet row
    row_of = _line_rows(body, sep)
    for i, line in enumerate(lines):
        if _is_utf8(line):
            continue
        try:
            line.decode("utf-8")
        except UnicodeDecodeError as err:
            start = err.start
        prefix = line[:start].decode("utf-8", errors="replace")
        column = column_letter(_count_unquoted(prefix, sep))
        row = row_of[i - skipped] if 0 <= i - skipped < len(row_of) else i + 1
        value = line[max(0, start - 8):start + 8].decode("cp1252", errors="replace").strip()
        return SurveyError(file, [Problem(
            file, row, column, value,
            "is not UTF-8 text while other rows of the file are UTF-8 (the file mixes two encodings)",
            ENCODINGS + "; save the whole file again as CSV UTF-8")])
    raise AssertionError("unreachable: a line that is not UTF-8 exists")  # pragma: no cover


def _line_rows(text: str, sep: str) -> list[int]:
    """Spreadsheet row (record number) of each physical line of ``text``."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep)
    rows: list[int] = []
    try:
        for n, _ in enumerate(reader, start=1):
            rows += [n] * (reader.line_num - len(rows))
    except csv.Error:
        pass
    return rows


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


def _quote_field(text: str, sep: str) -> tuple[int, str] | None:
    """(field index, problem) of the first quoting fault of a record's text: a quote never closed, or text
    right after a closing quote; None when the quoting is sound."""
    field_i, quoted, closed, start, opened = 0, False, False, True, 0
    i = 0
    while i < len(text):
        ch = text[i]
        if quoted:
            if ch == '"':
                if text[i + 1:i + 2] == '"':
                    i += 1
                else:
                    quoted, closed = False, True
        elif ch in "\r\n":
            break
        elif ch == sep:
            field_i, start, closed = field_i + 1, True, False
        elif closed:
            return field_i, "has text after its closing quote"
        elif ch == '"' and start:
            quoted, opened, start = True, field_i, False
        else:
            start = False
        i += 1
    if quoted:
        return opened, "opens a quote that is never closed (every later row would be swallowed)"
    return None


def csv_records(data: bytes, file: str) -> list[list[str]]:
    """Records of a delimited text file (a record may span lines inside quotes); row i+1 is record i.

    Refused, with row and column: text after a closing quote, a quote never closed, and a record spanning several
    lines whose number of fields differs from the header's (an unbalanced quote that swallowed line breaks)."""
    text = decode(data, file)
    sep, text = sniff_separator(text)
    lines = io.StringIO(text, newline="").readlines()  # the physical lines as the csv reader counts them
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep, strict=True)
    records: list[list[str]] = []
    starts: list[int] = []  # first physical line (0-based) of each record
    width: int | None = None
    while True:
        start = reader.line_num
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error as err:
            found = _quote_field("".join(lines[start:]), sep)
            col, why = found if found else (None, f"cannot be parsed as CSV ({err})")
            raise SurveyError(file, [Problem(file, len(records) + 1, None if col is None else column_letter(col),
                                             None, f"the cell {why}" if col is not None else why,
                                             QUOTING)]) from None
        records.append(record)
        starts.append(start)
        if width is None and any(c.strip() for c in record):
            width = len(record)
        if reader.line_num - start > 1 and width is not None and len(records) > 1:
            _check_spanning(record, records, width, start, reader.line_num, sep, file)
    _check_short_rows(records, width, file)
    return records


def _check_short_rows(records: list[list[str]], width: int | None, file: str) -> None:
    """When the data rows have the header's number of fields (the most common count is at least the header's), a
    row with fewer fields lost a separator or had two cells joined: refused, naming its first missing column."""
    data = [r for r in records if any(c.strip() for c in r)][1:]
    if width is None or not data:
        return
    common = Counter(len(r) for r in data).most_common(1)[0][0]
    if common < width:
        return  # a hand-made file that leaves trailing cells out: rows are padded
    short = [(i + 1, r) for i, r in enumerate(records) if any(c.strip() for c in r) and len(r) < width]
    if short:
        raise SurveyError(file, [Problem(
            file, row, column_letter(len(r)), None,
            f"the row has {len(r)} fields where the header and the other rows have {width} (a separator is missing, "
            "or a quote joined two cells)", "one field per header column on every row") for row, r in short])


def _check_spanning(record: list[str], records: list[list[str]], width: int, start: int, end: int, sep: str,
                    file: str) -> None:
    """A record over several lines is a quoted cell with line breaks, unless its field count betrays a quote that
    swallowed rows (or a line break in a cell looks like a whole row)."""
    multi = next((i for i, c in enumerate(record) if "\n" in c or "\r" in c), 0)
    looks_like_rows = any(_count_unquoted(part, sep) >= max(width - 1, 2)
                          for c in record for part in c.splitlines())
    if len(record) == width and not looks_like_rows:
        return
    raise SurveyError(file, [Problem(
        file, len(records), column_letter(multi), None,
        f"a quoted cell runs over lines {start + 1}-{end} of the file and leaves the row with {len(record)} "
        f"fields where the header has {width} (an unbalanced quote)", QUOTING)])


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


def xlsx_records(data: bytes, file: str) -> tuple[list[list[str]], str, list[Problem]]:
    """(records, note, problems) of the survey sheet of an .xlsx workbook (openpyxl); row i+1 is record i.

    Cells are read as saved (text stays text: ``N/A`` is not made blank); a formula without a saved value is a
    problem with its row and column; the note names the sheet read and why."""
    from openpyxl import load_workbook

    try:
        values = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        formulas = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
        names = [str(n) for n in values.sheetnames]
        chosen = [n for n in names if n.strip().lower() == WORKBOOK_SHEET]
        sheet = chosen[0] if chosen else names[0]
        ws_v, ws_f = values[sheet], formulas[sheet]
        ws_v.reset_dimensions()
        ws_f.reset_dimensions()
        grid_v = [list(r) for r in ws_v.iter_rows(min_row=1, min_col=1, values_only=True)]
        grid_f = [list(r) for r in ws_f.iter_rows(min_row=1, min_col=1, values_only=True)]
        values.close()
        formulas.close()
    except Exception as err:  # a damaged workbook can fail anywhere inside zipfile/openpyxl
        raise _fail(file, f"the file cannot be read as an Excel workbook ({type(err).__name__}: {err})",
                    "an .xlsx workbook saved by Excel or LibreOffice, or a CSV file") from None
    if chosen:
        note = f"sheet {sheet!r}"
    elif len(names) == 1:
        note = f"sheet {sheet!r}, the only sheet"
    else:
        note = (f"sheet {sheet!r}, the first of {len(names)} sheets ({', '.join(map(repr, names))}): none is named "
                f"{WORKBOOK_SHEET!r}; name the survey's sheet {WORKBOOK_SHEET!r} to read another one")
    problems: list[Problem] = []
    for r, row_f in enumerate(grid_f):
        row_v = grid_v[r] if r < len(grid_v) else []
        for c, f in enumerate(row_f):
            v = row_v[c] if c < len(row_v) else None
            formula = (isinstance(f, str) and f.startswith("=")) or type(f).__name__ == "ArrayFormula"
            if formula and v is None:
                shown = f if isinstance(f, str) else getattr(f, "text", str(f))
                problems.append(Problem(file, r + 1, column_letter(c), shown,
                                        "is a formula without a saved value (the workbook was written by a "
                                        "program that does not calculate)",
                                        "a value: open the workbook in Excel or LibreOffice and save it, or "
                                        "paste the values"))
    return [[cell_text(v) for v in row] for row in grid_v], note, problems


def records_of(data: bytes, file: str) -> tuple[list[list[str]], str, list[Problem]]:
    """(records, note on what was read, cell problems found while reading) of a survey file, whatever its format."""
    if data.startswith(ZIP_MAGIC):
        return xlsx_records(data, file)
    if data.startswith(OLE_MAGIC):
        raise _fail(file, "the file is an Excel 97-2003 (.xls) workbook",
                    "an .xlsx workbook or a CSV file (in Excel: File > Save As)")
    return csv_records(data, file), "", []


def to_grid(records: list[list[str]], file: str, note: str = "", problems: list[Problem] | None = None) -> Grid:
    """Header = first non-blank record; blank rows are skipped; cells outside the header are reported."""
    numbered = [(i + 1, r) for i, r in enumerate(records) if any(c.strip() for c in r)]
    if not numbered:
        raise _fail(file, "the file is empty (no header, no company)",
                    "a header row with the template's columns, then one row per company", note)
    header_row, header = numbered[0]
    width = max((i for i, c in enumerate(header) if c.strip()), default=-1) + 1
    header = header[:width]
    grid = Grid(file, header, header_row, [], [], list(problems or []), note)
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
                    "one row per company below the header", note)
    return grid


def read_grid(path: Path, file: str) -> Grid:
    """Read ``path`` (shown to the user as ``file``) into a :class:`Grid`."""
    records, note, problems = records_of(read_bytes(path, file), file)
    return to_grid(records, file, note, problems)
