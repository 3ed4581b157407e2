"""End to end through the console command: ``xbsim population.source=survey population.path=FILE`` runs on the
example survey, and a broken file stops the run with a clear message, exit code 2, no traceback, no summary."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pandas as pd

from tests.helpers.cli import run
from tests.helpers.survey import EXAMPLE


def test_xbsim_runs_on_the_example_survey(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    shutil.copy(EXAMPLE, tmp_path / "data" / "my survey.csv")
    res = run(["population.source=survey", "population.path='data/my survey.csv'", "figures=false",
               "population.n_companies=1000", "hydra.run.dir=out"], tmp_path)
    assert res.returncode == 0, res.stderr
    actors = pd.read_csv(tmp_path / "out" / "companies.csv", keep_default_na=False)
    companies = actors[actors["actor_type"] == "company"]
    counts = companies["origin"].value_counts().to_dict()
    assert counts["surveyed"] == 360 and counts["synthetic"] >= 640
    others = actors[actors["actor_type"] != "company"]  # the programme's own network, added to the companies
    assert set(others["actor_type"]) == {"research", "intermediary"} and set(others["origin"]) == {"synthetic"}
    with EXAMPLE.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f, delimiter=";"))
    surveyed = actors[actors["origin"] == "surveyed"]
    assert (surveyed["actor_type"] == "company").all()
    assert surveyed["company_id"].tolist() == [r["company_id"] for r in rows]
    assert surveyed["name"].tolist() == [r["name"].strip() for r in rows]  # accents and punctuation untouched
    # the programme knows every respondent from the start, through the survey file
    assert surveyed["known"].all() and (surveyed["known_month"] == 0).all()
    assert (surveyed["channel"] == "survey_file").all()
    interviewed = [r["interviewed"].strip().lower() in ("yes", "oui", "sí") for r in rows]
    assert sum(interviewed) > 20 and surveyed["interviewed"][interviewed].all()  # known from the file
    summary = json.loads((tmp_path / "out" / "summary.json").read_text(encoding="utf-8"))
    n_synthetic = counts["synthetic"]  # synthetic companies; the other actors are counted apart
    assert summary["population"]["surveyed"] == 360 and summary["population"]["synthetic"] == n_synthetic
    assert summary["population"]["other_actors"] == len(others) == 54
    assert summary["population"]["by_type"] == {"company": len(companies),
                                                **others["actor_type"].value_counts().to_dict()}
    assert f"population: 360 surveyed companies, {n_synthetic} synthetic, 54 other actors" in res.stdout


def test_xbsim_stops_on_a_broken_survey(tmp_path: Path) -> None:
    text = EXAMPLE.read_text(encoding="utf-8-sig").splitlines()
    text[3] = text[3].replace(";FR61;", ";FR62;", 1).replace(";ES21;", ";FR62;", 1).replace(";ES22;", ";FR62;", 1)
    text[5] = text[5].split(";", 1)[0].replace("R0005", "R0001") + ";" + text[5].split(";", 1)[1]
    (tmp_path / "broken.csv").write_text("\n".join(text) + "\n", encoding="utf-8")
    res = run(["population.source=survey", "population.path=broken.csv", "hydra.run.dir=out"], tmp_path)
    assert res.returncode == 2
    lines = res.stderr.strip().splitlines()
    assert lines[0] == "survey file 'broken.csv': 2 problems (rows are spreadsheet rows; nothing was run)"
    assert lines[1].startswith("  broken.csv, row 4, column 'territory' (C): 'FR62' is not a configured territory; "
                               "allowed: FR61 (Aquitaine), ES21 (País Vasco), ES22 (Navarra)")
    assert lines[2] == ("  broken.csv, row 6, column 'company_id' (A): 'R0001' repeats the company_id of row 2; "
                        "allowed: any text, unique in the file (case-insensitive)")
    assert "Traceback" not in res.stderr + res.stdout
    assert not (tmp_path / "out" / "summary.json").exists()
    assert not (tmp_path / "out" / "companies.csv").exists()
