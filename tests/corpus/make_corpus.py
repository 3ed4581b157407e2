"""Write the hostile-input corpus of tests/corpus/ (survey files and user config files) from the shipped example
survey: ``python tests/corpus/make_corpus.py``. Each file is one ordinary mistake; tests/corpus/expected.csv says
what xbsim must answer (the row, the column and a fragment of the one-line refusal). tests/test_corpus.py checks it.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from openpyxl import Workbook

HERE = Path(__file__).resolve().parent
EXAMPLE = HERE.parents[1] / "xbsim" / "data" / "example_survey.csv"
N_ROWS = 8


def grid() -> list[list[str]]:
    with EXAMPLE.open(encoding="utf-8-sig", newline="") as f:
        return [list(r) for r in csv.reader(f, delimiter=";")][: N_ROWS + 1]


def text(rows: list[list[str]], sep: str = ";") -> str:
    out = io.StringIO()
    csv.writer(out, delimiter=sep, lineterminator="\r\n").writerows(rows)
    return out.getvalue()


def col(name: str) -> int:
    return grid()[0].index(name)


def xlsx(rows: list[list[object]], path: Path, sheet: str = "survey", extra_sheets: tuple[str, ...] = ()) -> None:
    wb = Workbook()
    for name in extra_sheets:
        wb.create_sheet(name)
    ws = wb.active
    ws.title = sheet
    for r in rows:
        ws.append([_typed(v) for v in r])
    if extra_sheets:  # the survey on a sheet that is neither first nor named survey
        wb.move_sheet(ws, offset=len(extra_sheets))
    wb.save(path)


def _typed(v: object) -> object:
    if isinstance(v, str):
        try:
            return float(v.replace(",", ".")) if v.strip() else None
        except ValueError:
            return v
    return v


def main() -> None:
    out = HERE / "survey"
    g = grid()
    rows = [list(r) for r in g]
    # an unclosed quote at the start of the name of row 5: every later row would be swallowed into one cell
    r = [list(x) for x in g]
    r[4][1] = '"' + r[4][1]
    (out / "unclosed_quote.csv").write_text(
        ";".join(r[0]) + "\n" + "\n".join(";".join(x) for x in r[1:]) + "\n", encoding="utf-8"
    )
    # a quote closed in the middle of a cell: "Sevilla" S.A.
    r = [";".join(x) for x in g]
    r[4] = r[4].replace(";Sevilla;", ';"Sevilla" S.A.;')
    (out / "text_after_quote.csv").write_text("\n".join(r) + "\n", encoding="utf-8")
    # a quote opened in row 3 and closed in row 7: rows 3-7 would become one company
    r = [";".join(x) for x in g]
    r[2] = r[2].replace(";FR61;", ';"FR61;')
    r[6] = r[6].replace(";FR61;", ';FR61";')
    (out / "quote_swallows_rows.csv").write_text("\n".join(r) + "\n", encoding="utf-8")
    # thousands separators that can also be decimal ones
    for name, value in (("employees_1,000.csv", "1,000"), ("employees_2.000.csv", "2.000")):
        r = [list(x) for x in g]
        r[2][col("employees")], r[2][col("size_class")] = value, ""
        (out / name).write_text(text(r), encoding="utf-8")
    # one row in Windows-1252 inside a UTF-8 file (a row pasted from another export)
    lines = text(g).encode("utf-8").split(b"\r\n")
    lines[5] = text([g[5]]).strip().encode("cp1252")
    (out / "mixed_encoding.csv").write_bytes(b"\r\n".join(lines))
    # a row that lost a separator: every later cell moves one column left
    r = [";".join(x) for x in g]
    r[7] = r[7].replace(";;", ";", 1) if ";;" in r[7] else r[7].replace(";", "", 1)
    (out / "lost_separator.csv").write_text("\n".join(r) + "\n", encoding="utf-8")
    # N/A in a score cell: refused in CSV and in XLSX alike (only an empty cell is missing)
    r = [list(x) for x in g]
    r[3][col("cap_finance")] = "N/A"
    (out / "na_score.csv").write_text(text(r), encoding="utf-8")
    xlsx(r, out / "na_score.xlsx")
    # an Excel error value saved in a score cell
    r = [list(x) for x in g]
    r[6][col("need_technology")] = "#N/A"
    xlsx(r, out / "error_value.xlsx")
    # a formula never calculated (written by a program, not Excel): no saved value
    r = [list(x) for x in g]
    r[2][col("cap_skills")] = "=B2*0+3"
    xlsx(r, out / "formula_without_value.xlsx")
    # the survey on a sheet named neither "survey" nor first: the first sheet (empty) is read, and said so
    xlsx(rows, out / "other_sheet.xlsx", sheet="Données", extra_sheets=("Lisez-moi",))


if __name__ == "__main__":
    main()
