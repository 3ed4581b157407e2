"""``xbsim-survey-template``: the template matches the configured domain, documents every column, and once filled
it is a survey the loader accepts."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.helpers.configs import plain
from xbsim.cli.survey_template import main
from xbsim.core.domain import Domain
from xbsim.core.population.survey import read_survey
from xbsim.core.population.survey_schema import columns


@pytest.fixture(scope="module")
def domain() -> Domain:
    return Domain.from_config(plain())


def run(args: list[str], capsys) -> tuple[int, str, str]:
    try:
        main(args)
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    out = capsys.readouterr()
    return code, out.out, out.err


def read_csv(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.reader(f))


def test_csv_template_and_its_dictionary(domain, tmp_path: Path, capsys) -> None:
    code, out, _ = run([str(tmp_path / "survey.csv")], capsys)
    assert code == 0
    assert out.splitlines() == [f"wrote {tmp_path / 'survey.csv'}", f"wrote {tmp_path / 'survey.dictionary.csv'}"]
    assert (tmp_path / "survey.csv").read_bytes().startswith(b"\xef\xbb\xbf")  # Excel shows accents
    names = [c.name for c in columns(domain)]
    assert read_csv(tmp_path / "survey.csv") == [names]  # empty: the header only
    assert names[:7] == ["company_id", "name", "territory", "area", "segment", "employees", "size_class"]
    assert names[-4:] == ["languages", "openness", "products_services", "interviewed"]
    assert [n for n in names if n.startswith("cap_")] == [f"cap_{d}" for d in domain.dimensions.names]
    assert [n for n in names if n.startswith("need_")] == [f"need_{d}" for d in domain.dimensions.names]
    dictionary = read_csv(tmp_path / "survey.dictionary.csv")
    assert dictionary[0] == ["column", "required", "unit", "allowed", "description", "example"]
    assert [r[0] for r in dictionary[1:]] == names
    by_name = {r[0]: r for r in dictionary[1:]}
    assert by_name["territory"][3].startswith("FR61 (Aquitaine), ES21 (País Vasco), ES22 (Navarra)")
    assert "energy: rnd, equipment, installation, generation, grid_services, energy_services" in by_name["segment"][3]
    assert by_name["cap_finance"][2] == "score 1-5 (1 = very weak, 5 = excellent)"
    assert all(r[3] and r[4] for r in dictionary[1:])  # every column has its allowed values and description


def test_filled_csv_template_is_accepted(domain, tmp_path: Path, capsys) -> None:
    path = tmp_path / "survey.csv"
    assert run([str(path)], capsys)[0] == 0
    example = {r[0]: r[5] for r in read_csv(tmp_path / "survey.dictionary.csv")[1:]}
    names = read_csv(path)[0]
    with path.open("a", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        for i, terr in enumerate(("FR61", "ES21", "ES22")):
            w.writerow([{**example, "company_id": f"X{i}", "territory": terr}[n] for n in names])
    rec = read_survey(path, domain)
    assert rec.n == 3 and rec.names[0] == "Établissements Exemple & Fils, S.A.S."
    assert rec.capability[0, 0] == pytest.approx((3.5 - 1) / 4) and rec.interviewed.all()


def test_xlsx_template_has_survey_dictionary_and_example_sheets(domain, tmp_path: Path, capsys) -> None:
    path = tmp_path / "survey.xlsx"
    code, out, _ = run([str(path)], capsys)
    assert code == 0 and out.strip() == f"wrote {path}"
    wb = load_workbook(path)
    assert wb.sheetnames == ["survey", "dictionary", "example", "lists"] and wb["lists"].sheet_state == "hidden"
    names = [c.name for c in columns(domain)]
    assert [c.value for c in wb["survey"][1]] == names and wb["survey"].max_row == 1
    assert [r[0].value for r in wb["dictionary"].iter_rows(min_row=2)] == names
    assert [c.value for c in wb["example"][1]] == names
    lists = {str(dv.sqref).split(":")[0].rstrip("0123456789"): dv.formula1
             for dv in wb["survey"].data_validations.dataValidation}
    assert lists["C"] == "lists!$A$2:$A$4" and lists["G"] == "lists!$D$2:$D$5"
    segments = list(dict.fromkeys(s for segs in domain.areas.segments for s in segs))
    assert [c.value for c in wb["lists"]["C"][1:] if c.value] == segments and "grid_services" in segments
    assert [c.value for c in wb["lists"]["A"][1:] if c.value] == ["FR61", "ES21", "ES22"]
    # fill the survey sheet with the example row: the loader accepts it
    ws = wb["survey"]
    ws.append([c.value for c in wb["example"][2]])
    wb.save(path)
    rec = read_survey(path, domain)
    assert rec.n == 1 and rec.rows.tolist() == [2] and rec.employees.tolist() == [35]


def test_template_follows_the_configured_domain(tmp_path: Path, capsys) -> None:
    segments = "[rnd,equipment,installation,generation,storage,grid_services,energy_services]"
    code, _, _ = run([str(tmp_path / "t.csv"), "dimensions.finance.label=Access to finance",
                      f"areas.energy.segments={segments}", "areas.energy.segment_shares=[]"], capsys)
    assert code == 0
    dictionary = {r[0]: r for r in read_csv(tmp_path / "t.dictionary.csv")[1:]}
    assert dictionary["cap_finance"][4].startswith("Capability: Access to finance.")
    assert "energy: rnd, equipment, installation, generation, storage, grid_services" in dictionary["segment"][3]
    code, _, err = run([str(tmp_path / "u.csv"), "+dimensions.design={label: Design}"], capsys)
    assert code == 2 and err.startswith("xbsim-survey-template: bad override +dimensions.design={label: Design}")
    assert "dict is not a subclass of DimensionConfig" in err


def test_bad_arguments_exit_2_with_a_clear_message(tmp_path: Path, capsys) -> None:
    path = tmp_path / "t.csv"
    assert run([str(path)], capsys)[0] == 0
    code, _, err = run([str(path)], capsys)
    assert code == 2 and err.strip() == (f"xbsim-survey-template: {path}, {tmp_path / 't.dictionary.csv'} already "
                                         "exist; allowed: a new path, or --force to overwrite")
    assert run([str(path), "--force"], capsys)[0] == 0
    code, _, err = run([str(tmp_path / "t.ods")], capsys)
    assert code == 2 and err.strip() == ("xbsim-survey-template: "
                                         f"{str(tmp_path / 't.ods')!r} is not allowed; allowed: a path ending in "
                                         ".csv or .xlsx")
    code, _, err = run([str(tmp_path / "no" / "t.xlsx")], capsys)
    assert code == 2 and "does not exist; allowed: a path in an existing folder" in err
    code, _, err = run([str(tmp_path / "u.csv"), "seed=-1"], capsys)
    assert code == 2 and err.strip() == "config error: seed=-1 is not allowed; allowed: an integer >= 0"
    assert not (tmp_path / "u.csv").exists()
