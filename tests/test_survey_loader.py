"""Survey loader: messy but valid files are read as they are, the example survey round-trips CSV <-> XLSX, and the
population mixes surveyed companies with a synthetic fill allocated per territory x area cell."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest
from openpyxl import Workbook

from tests.helpers.configs import plain
from tests.helpers.survey import EXAMPLE, NAMES, render, small_rows
from xbsim.core.config import SIZE_CLASSES
from xbsim.core.domain import Domain
from xbsim.core.population import build_population
from xbsim.core.population.survey import fill_counts, population_from_survey, read_survey
from xbsim.core.population.survey_parse import parse_number
from xbsim.core.population.synthetic import company_counts, quotas

POP_FIELDS = ("ids", "names", "territory", "area", "segment", "size", "employees", "capability", "need",
              "openness", "absorptive", "languages", "origin", "interviewed_in_survey")


@pytest.fixture(scope="module")
def setup() -> tuple[Domain, dict]:
    c = plain()
    return Domain.from_config(c), c


def survey_cfg(c: dict, path: Path | str, **kw: object) -> dict:
    return {**c["population"], "source": "survey", "path": str(path), **kw}


def example_rows() -> list[list[str]]:
    with EXAMPLE.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.reader(f, delimiter=";"))


def to_xlsx(rows: list[list[str]], path: Path) -> Path:
    """What a planner gets after opening the CSV in a French or Spanish Excel and saving as .xlsx: numbers
    become numbers (decimal comma understood), except every 7th numeric cell, left as text by Excel."""
    wb = Workbook()
    wb.active.title = "Notes"
    wb.active.append(["Survey of spring 2025; data in the 'Survey' sheet"])
    ws = wb.create_sheet("Survey")
    k = 0
    for r, row in enumerate(rows):
        out: list[object] = []
        for cell in row:
            x = parse_number(cell) if r > 0 and cell.strip() else None
            if x is not None and cell.strip() == cell:
                k += 1
                out.append(cell if k % 7 == 0 else (int(x) if x.is_integer() else x))
            else:
                out.append(cell)
        ws.append(out)
    wb.save(path)
    return path


def assert_same_population(a, b) -> None:
    for name in POP_FIELDS:
        np.testing.assert_array_equal(getattr(a, name), getattr(b, name), err_msg=name)


# ---- the example survey -----------------------------------------------------------------------------------


def test_example_survey_is_realistic_and_read_as_written(setup) -> None:
    domain, c = setup
    rows = example_rows()
    rec = read_survey(EXAMPLE, domain)
    assert rec.n == len(rows) - 1 == 360
    assert np.bincount(rec.territory, minlength=3).tolist() == [140, 130, 90]
    assert rec.rows[0] == 2 and rec.rows[-1] == 361  # spreadsheet rows: the header is row 1
    name_col = rows[0].index("name")
    assert rec.names.tolist() == [r[name_col].strip() for r in rows[1:]]
    assert any("’" in n or "'" in n for n in rec.names) and any("é" in n for n in rec.names)
    assert any('"' in n for n in rec.names) or any("," in n for n in rec.names)
    # the file is messy on purpose: lower-case codes, labels, decimal commas, blank answers
    text = EXAMPLE.read_text(encoding="utf-8-sig")
    assert ";fr61;" in text.lower() and ";es21;" in text and ",5;" in text
    assert np.isnan(rec.capability).sum() > 0
    assert rec.interviewed.sum() > 20


def test_example_csv_and_xlsx_give_the_same_population(setup, tmp_path: Path) -> None:
    domain, c = setup
    xlsx = to_xlsx(example_rows(), tmp_path / "example_survey.xlsx")
    a = population_from_survey(domain, survey_cfg(c, EXAMPLE), np.random.default_rng(7))
    b = population_from_survey(domain, survey_cfg(c, xlsx), np.random.default_rng(7))
    assert_same_population(a, b)
    assert (a.origin == "surveyed").sum() == 360


def test_scores_map_linearly_from_1_5_to_0_1(setup) -> None:
    domain, c = setup
    rows = example_rows()
    rec = read_survey(EXAMPLE, domain)
    col = rows[0].index("cap_technology")
    raw = np.array([parse_number(r[col]) if r[col].strip() else np.nan for r in rows[1:]])
    np.testing.assert_allclose(rec.capability[:, 0], (raw - 1) / 4)
    assert parse_number("3,5") == 3.5 and parse_number("'4") == 4.0 and parse_number(" 1 234 ") == 1234.0
    assert parse_number("1.234,5") == 1234.5 and parse_number("1,234.5") == 1234.5
    assert parse_number("abc") is None and parse_number("inf") is None and parse_number("1e999") is None


# ---- messy but valid files --------------------------------------------------------------------------------


def messy(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    """The same companies as a real export shows them: spaces, case, labels, decimal commas, text numbers."""
    out = []
    for r in rows:
        m = {f" {k.upper()} " if k.startswith("cap_") else k.replace("_", " ").title(): v for k, v in r.items()}
        m[" Territory "] = f"  {r['territory'].lower()} "
        m["Area"] = r["area"].upper().replace("_", " ")
        m["Segment"] = f" {r['segment'].title()}"
        m["Employees"] = f"'{r['employees']}"
        m[" CAP_TECHNOLOGY "] = r["cap_technology"].replace(".", ",")
        m["Interviewed"] = "OUI"
        out.append(m)
    for m in out:
        m.pop("Territory", None)
    return out


@pytest.mark.parametrize("variant", ["comma-utf8", "semicolon-bom-crlf", "tab-utf16", "latin1-semicolon",
                                     "excel-sep-line", "messy-headers-and-cells"])
def test_messy_files_read_like_the_clean_one(setup, tmp_path: Path, variant: str) -> None:
    domain, c = setup
    rows = small_rows(domain)
    clean = tmp_path / "clean.csv"
    clean.write_bytes(render(rows))
    data = {
        "comma-utf8": lambda: render(rows),
        "semicolon-bom-crlf": lambda: render(rows, ";", "utf-8-sig", "\r\n"),
        "tab-utf16": lambda: render(rows, "\t", "utf-16"),
        "latin1-semicolon": lambda: render([dict(r, name=r["name"].replace("–", "-").replace("«", '"')
                                                 .replace("»", '"')) for r in rows], ";", "latin-1"),
        "excel-sep-line": lambda: render(rows, ";", "utf-8", "\r\n", prefix="sep=;\r\n"),
        "messy-headers-and-cells": lambda: render(messy(rows), ";"),
    }[variant]()
    path = tmp_path / "variant.csv"
    path.write_bytes(data)
    want = read_survey(clean, domain)
    got = read_survey(path, domain)
    for name in ("ids", "territory", "area", "segment", "size", "employees", "capability", "need", "openness",
                 "languages"):
        np.testing.assert_array_equal(getattr(got, name), getattr(want, name), err_msg=name)
    if variant == "latin1-semicolon":
        assert got.names[0] == NAMES[0]  # accents and quotes of a Latin-1 file
    else:
        assert got.names.tolist() == NAMES  # accents and punctuation untouched
    assert got.rows.tolist() == [2, 3, 4]
    assert got.interviewed.tolist() == [True] * 3


def test_optional_columns_and_blank_cells_are_drawn(setup, tmp_path: Path) -> None:
    domain, c = setup
    rows = [{k: v for k, v in r.items() if k not in ("languages", "openness", "interviewed", "employees")}
            for r in small_rows(domain)]
    for r, size in zip(rows, ("micro", "Small", "LARGE"), strict=True):
        r["size_class"] = size
        r["need_finance"] = ""
    path = tmp_path / "minimal.csv"
    path.write_bytes(render(rows))
    everyone = population_from_survey(domain, survey_cfg(c, path, fill_synthetic=False),
                                      np.random.default_rng(1))
    assert everyone.n == 3 + int(domain.actor_types.counts.sum())  # without a fill: the rows and the other actors
    assert everyone.is_company.tolist() == [True] * 3 + [False] * (everyone.n - 3)
    assert not everyone.interviewed_in_survey.any()
    pop = everyone.subset(everyone.is_company)
    assert pop.n == 3 and (pop.origin == "surveyed").all()
    assert [SIZE_CLASSES[s] for s in pop.size] == ["micro", "small", "large"]
    assert 1 <= pop.employees[0] <= 9 and 10 <= pop.employees[1] <= 49 and pop.employees[2] >= 250
    fin = domain.dimensions.index("finance")
    assert np.isfinite(pop.need[:, fin]).all() and ((pop.need >= 0) & (pop.need <= 1)).all()
    assert pop.languages.any(axis=1).all() and not pop.interviewed_in_survey.any()
    assert ((pop.openness > 0) & (pop.openness < 1)).all()


# ---- non-respondents: the synthetic fill ------------------------------------------------------------------


def test_quotas_sum_to_n_and_follow_the_expected_counts() -> None:
    emp = np.array([[10.0, 30.0], [45.0, 15.0]])
    q = quotas(emp, 10)
    assert q.sum() == 10
    assert q.tolist() == [[1, 3], [5, 1]]  # exact 1, 3, 4.5, 1.5: the tied remainder goes to the earlier cell
    assert quotas(emp, 0).sum() == 0


def test_fill_is_quota_minus_surveyed_never_negative(setup) -> None:
    domain, c = setup
    surveyed = np.zeros_like(domain.employment, dtype=int)
    surveyed[0, 0] = 10_000
    surveyed[1, 1] = 3
    pop_cfg = {**c["population"], "n_companies": 1000}
    quota = company_counts(domain, pop_cfg).sum(axis=2)
    assert quota.sum() == 1000
    fill = fill_counts(domain, surveyed, pop_cfg)
    assert fill[0, 0] == 0 and fill[1, 1] == quota[1, 1] - 3
    mask = surveyed == 0
    np.testing.assert_array_equal(fill[mask], quota[mask])


def test_population_from_example_survey_fills_each_cell_to_its_quota(setup) -> None:
    domain, c = setup
    cfg = survey_cfg(c, EXAMPLE, n_companies=1000)
    pop = population_from_survey(domain, cfg, np.random.default_rng(3))
    T, A = domain.employment.shape
    cells = pop.territory * A + pop.area
    company = pop.kind == 0
    surveyed = np.bincount(cells[pop.origin == "surveyed"], minlength=T * A).reshape(T, A)
    synthetic = np.bincount(cells[(pop.origin == "synthetic") & company], minlength=T * A).reshape(T, A)
    quota = company_counts(domain, cfg).sum(axis=2)
    np.testing.assert_array_equal(synthetic, np.maximum(quota - surveyed, 0))
    np.testing.assert_array_equal(surveyed + synthetic, np.maximum(quota, surveyed))
    n_other = int(domain.actor_types.counts.sum())
    assert surveyed.sum() == 360 and pop.n == 360 + synthetic.sum() + n_other and company.sum() >= 1000
    assert (pop.kind[pop.origin == "surveyed"] == 0).all() and (pop.kind[-n_other:] > 0).all()
    assert pop.origin[:360].tolist() == ["surveyed"] * 360  # survey rows first, in file order
    assert len(set(pop.ids.tolist())) == pop.n
    assert pop.interviewed_in_survey[360:].sum() == 0
    assert pop.interviewed_in_survey[:360].sum() == read_survey(EXAMPLE, domain).interviewed.sum()


def test_fill_can_be_turned_off_and_is_deterministic(setup) -> None:
    domain, c = setup
    off = population_from_survey(domain, survey_cfg(c, EXAMPLE, fill_synthetic=False), np.random.default_rng(0))
    assert (off.kind == 0).sum() == 360 and set(off.origin[off.kind == 0]) == {"surveyed"}
    assert off.n == 360 + int(domain.actor_types.counts.sum())  # the programme's own network is added
    a = build_population(domain, survey_cfg(c, EXAMPLE), np.random.default_rng(5))
    b = build_population(domain, survey_cfg(c, EXAMPLE), np.random.default_rng(5))
    assert_same_population(a, b)
    d = build_population(domain, survey_cfg(c, EXAMPLE), np.random.default_rng(6))
    assert not np.array_equal(a.capability[360:], d.capability[360:])
    np.testing.assert_array_equal(a.capability[:360][~np.isnan(read_survey(EXAMPLE, domain).capability)],
                                  d.capability[:360][~np.isnan(read_survey(EXAMPLE, domain).capability)])


def test_relative_paths_are_taken_from_the_launch_directory(setup, tmp_path: Path, monkeypatch) -> None:
    domain, c = setup
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "s.csv").write_bytes(EXAMPLE.read_bytes())
    monkeypatch.chdir(tmp_path)
    pop = population_from_survey(domain, survey_cfg(c, "data/s.csv", fill_synthetic=False),
                                 np.random.default_rng(0))
    assert (pop.kind == 0).sum() == 360
