"""Broken survey files: each gives its precise message (file, spreadsheet row, column, value, what is allowed),
and a file with several problems gives all of them at once, in row order."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook

from tests.helpers.configs import plain
from tests.helpers.survey import render, small_rows
from xbsim.core.domain import Domain
from xbsim.core.errors import InputError
from xbsim.core.population.survey import read_survey
from xbsim.core.population.survey_errors import SurveyError

SCORE = "a number from 1 to 5 (decimals allowed, decimal point or comma); blank = not answered"
TERRITORIES = "FR61 (Aquitaine), ES21 (País Vasco), ES22 (Navarra) (code or name, any case)"
WHERE = "the path of a CSV or XLSX survey file, absolute or relative to the directory xbsim was run from"


@pytest.fixture(scope="module")
def domain() -> Domain:
    return Domain.from_config(plain())


def problems(domain: Domain, name: str) -> list[str]:
    with pytest.raises(SurveyError) as info:
        read_survey(name, domain)
    err = info.value
    assert isinstance(err, InputError)
    lines = str(err).splitlines()
    n = len(err.problems)
    read = f" ({err.note})" if err.note else ""  # a workbook: the sheet read
    assert not err.note or name.endswith(".xlsx")
    assert lines[0] == (f"survey file {name!r}{read}: {n} problem{'s' if n != 1 else ''} "
                        "(rows are spreadsheet rows; nothing was run)")
    assert len(lines) == n + 1
    return [line.strip() for line in lines[1:]]


def edited(domain: Domain, **cells: tuple[int, str]) -> list[dict[str, str]]:
    """The three valid companies with some cells changed: column=(company index, new value)."""
    rows = small_rows(domain)
    for col, (i, value) in cells.items():
        rows[i][col] = value
    return rows


def drop(rows: list[dict[str, str]], *cols: str) -> list[dict[str, str]]:
    return [{k: v for k, v in r.items() if k not in cols} for r in rows]


CASES = {
    "missing column": (
        lambda d: render(drop(small_rows(d), "cap_finance")),
        ["s.csv, row 1, column 'cap_finance': required column is missing; allowed: a header cell cap_finance "
         "(Capability: Finance for innovation); headers ignore case, spaces and accents"]),
    "misspelt column": (
        lambda d: render([{("cap_finanse" if k == "cap_finance" else k): v for k, v in r.items()}
                          for r in small_rows(d)]),
        ["s.csv, row 1, column 'cap_finance': required column is missing (is 'cap_finanse' (J) a misspelling?); "
         "allowed: a header cell cap_finance (Capability: Finance for innovation); headers ignore case, spaces "
         "and accents"]),
    "no size columns": (
        lambda d: render(drop(small_rows(d), "employees", "size_class")),
        ["s.csv, row 1, column 'employees' / 'size_class': both columns are missing; allowed: a header cell "
         "employees (persons employed) or size_class (micro, small, medium, large), or both"]),
    "duplicate column": (
        lambda d: render([{**r, "Territory ": r["territory"]} for r in small_rows(d)]),
        ["s.csv, row 1, column 'Territory' (AB): 'Territory ' repeats column 'territory' (C); allowed: each "
         "column once"]),
    "unknown territory": (
        lambda d: render(edited(d, territory=(1, "FR62"))),
        [f"s.csv, row 3, column 'territory' (C): 'FR62' is not a configured territory; allowed: {TERRITORIES}"]),
    "unknown area": (
        lambda d: render(edited(d, area=(0, "tourism"))),
        ["s.csv, row 2, column 'area' (D): 'tourism' is not a configured area; allowed: advanced_manufacturing, "
         "agri_food, health, energy, digital; code or label, any case"]),
    "unknown segment": (
        lambda d: render(edited(d, segment=(1, "wind"))),
        ["s.csv, row 3, column 'segment' (E): 'wind' is not a segment of area energy; allowed: a segment of "
         "energy: rnd, equipment, installation, generation, grid_services, energy_services"]),
    "empty code": (
        lambda d: render(edited(d, territory=(2, "  "))),
        [f"s.csv, row 4, column 'territory' (C): empty cell; allowed: {TERRITORIES}"]),
    "duplicate id": (
        lambda d: render(edited(d, company_id=(2, " c0 "))),
        ["s.csv, row 4, column 'company_id' (A): ' c0 ' repeats the company_id of row 2; allowed: any text, "
         "unique in the file (case-insensitive)"]),
    "empty name": (
        lambda d: render(edited(d, name=(0, ""))),
        ["s.csv, row 2, column 'name' (B): empty cell; allowed: the company's name"]),
    "score out of range": (
        lambda d: render(edited(d, cap_skills=(0, "6"), need_finance=(2, "0,5"))),
        [f"s.csv, row 2, column 'cap_skills' (I): '6' is out of range; allowed: {SCORE}",
         f"s.csv, row 4, column 'need_finance' (R): '0,5' is out of range; allowed: {SCORE}"]),
    "score not a number": (
        lambda d: render(edited(d, openness=(1, "very open"))),
        [f"s.csv, row 3, column 'openness' (Y): 'very open' is not a number; allowed: {SCORE} (drawn as for "
         "non-respondents)"]),
    "bad employees": (
        lambda d: render(edited(d, employees=(0, "12.5"))),
        ["s.csv, row 2, column 'employees' (F): '12.5' is out of range; allowed: a whole number from 0 to "
         "10,000,000 (0 counts as micro); blank if size_class is given"]),
    "size conflict": (
        lambda d: render(edited(d, size_class=(0, "large"))),
        ["s.csv, row 2, column 'size_class' (G): 'large' disagrees with employees 5 (micro (1-9 persons)); "
         "allowed: the size class of the head count, or leave one of the two cells blank"]),
    "no size at all": (
        lambda d: render(edited(d, employees=(1, ""))),
        ["s.csv, row 3, column 'employees' (F): empty cell, and size_class is empty too; allowed: a head count "
         "in employees or a class in size_class (micro, small, medium, large)"]),
    "bad yes/no": (
        lambda d: render(edited(d, interviewed=(2, "maybe"))),
        ["s.csv, row 4, column 'interviewed' (AA): 'maybe' is not yes or no; allowed: yes/no (also y/n, "
         "true/false, 1/0, x, oui/non, sí/no, bai/ez); blank = no"]),
    "unknown language": (
        lambda d: render(edited(d, languages=(0, "fr|xx, klingon"))),
        ["s.csv, row 2, column 'languages' (X): 'fr|xx, klingon' names unknown language(s) xx, klingon; "
         "allowed: fr, es, eu, en (ISO 639-1 codes or names), separated by | , ; / or spaces; blank = drawn as "
         "for non-respondents"]),
    "value without header": (
        lambda d: render(small_rows(d)).replace(b",yes\n", b",yes,oops\n", 1),
        ["s.csv, row 2, column AB (no header): 'oops' is in a column without a header; allowed: values only "
         "under a named column (check for a separator inside an unquoted value)"]),
    "empty file": (
        lambda d: b"",
        ["s.csv: the file is empty (no header, no company); allowed: a header row with the template's "
         "columns, then one row per company"]),
    "only separators": (
        lambda d: b"\xef\xbb\xbf;;;\r\n \r\n;;\r\n",
        ["s.csv: the file is empty (no header, no company); allowed: a header row with the template's "
         "columns, then one row per company"]),
    "header only": (
        lambda d: render(small_rows(d)).split(b"\n")[0] + b"\n\n",
        ["s.csv: the file has a header (row 1) but no company rows; allowed: one row per company below the "
         "header"]),
    "binary": (
        lambda d: b"company_id,name\x00\x01\x02" * 20,
        ["s.csv: the file is not a text (CSV) file: it contains binary data; allowed: a CSV file (text) or an "
         "Excel .xlsx workbook"]),
    "old excel": (
        lambda d: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100,
        ["s.csv: the file is an Excel 97-2003 (.xls) workbook; allowed: an .xlsx workbook or a CSV file (in "
         "Excel: File > Save As)"]),
}


@pytest.mark.parametrize("case", list(CASES))
def test_each_broken_file_gives_its_precise_message(domain, tmp_path: Path, monkeypatch, case: str) -> None:
    make, expected = CASES[case]
    monkeypatch.chdir(tmp_path)
    Path("s.csv").write_bytes(make(domain))
    assert problems(domain, "s.csv") == expected


def test_unreadable_paths(domain, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert problems(domain, "nothere.csv") == [
        f"nothere.csv: the file does not exist (looked for {str(tmp_path / 'nothere.csv')!r}); allowed: {WHERE}"]
    Path("folder.csv").mkdir()
    assert problems(domain, "folder.csv") == [f"folder.csv: the file is a directory, not a file; allowed: {WHERE}"]


def test_damaged_workbook(domain, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("s.xlsx").write_bytes(b"PK\x03\x04" + b"not really a zip archive" * 10)
    (line,) = problems(domain, "s.xlsx")
    assert line.startswith("s.xlsx: the file cannot be read as an Excel workbook (BadZipFile: ")
    assert line.endswith("; allowed: an .xlsx workbook saved by Excel or LibreOffice, or a CSV file")


def test_workbook_rows_are_the_rows_excel_shows(domain, tmp_path: Path, monkeypatch) -> None:
    """Two blank rows above the header: the first company is on row 4, as in Excel."""
    monkeypatch.chdir(tmp_path)
    rows = edited(domain, territory=(0, "Bizkaia"), cap_technology=(1, "7"))
    wb = Workbook()
    ws = wb.active
    ws.title = "survey"
    ws.append([])
    ws.append([])
    ws.append(list(rows[0]))
    for r in rows:
        ws.append([float(v) if v == "7" else v for v in r.values()])
    wb.save("s.xlsx")
    assert problems(domain, "s.xlsx") == [
        f"s.xlsx, row 4, column 'territory' (C): 'Bizkaia' is not a configured territory; allowed: {TERRITORIES}",
        f"s.xlsx, row 5, column 'cap_technology' (H): '7' is out of range; allowed: {SCORE}"]


def test_all_problems_of_a_file_at_once_in_row_order(domain, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    rows = drop(edited(domain, territory=(2, "ES99"), company_id=(1, "C0"), cap_technology=(0, "9"),
                       area=(2, "tourism"), segment=(0, "cooking")), "need_skills")
    Path("s.csv").write_bytes(render(rows, ";"))
    assert problems(domain, "s.csv") == [
        "s.csv, row 1, column 'need_skills': required column is missing; allowed: a header cell need_skills "
        "(Innovation need: Qualified personnel and skills); headers ignore case, spaces and accents",
        "s.csv, row 2, column 'segment' (E): 'cooking' is not a segment of area agri_food; allowed: a segment of "
        "agri_food: rnd, primary, processing, packaging, logistics, distribution",
        f"s.csv, row 2, column 'cap_technology' (H): '9' is out of range; allowed: {SCORE}",
        "s.csv, row 3, column 'company_id' (A): 'C0' repeats the company_id of row 2; allowed: any text, unique "
        "in the file (case-insensitive)",
        f"s.csv, row 4, column 'territory' (C): 'ES99' is not a configured territory; allowed: {TERRITORIES}",
        "s.csv, row 4, column 'area' (D): 'tourism' is not a configured area; allowed: advanced_manufacturing, "
        "agri_food, health, energy, digital; code or label, any case",
    ]
