"""``xbsim-analyse``: the convergence report (Markdown, self-contained HTML, figures, CSV tables) from the same
stage-1 functions as the model's month 0, deterministic, and stopped cleanly by a broken survey."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from tests.helpers.cli import run
from tests.helpers.configs import composed
from tests.helpers.survey import EXAMPLE
from xbsim.cli.analyse import run_analysis
from xbsim.io.document import markdown_table
from xbsim.model import XBSimModel

SURVEY = ["population.source=survey", f"population.path={EXAMPLE}", "population.n_companies=1000"]
FIGURES = {"lq", "size", "coverage", "complementarity", "needs", "convergence"}


@pytest.fixture(scope="module")
def report_dirs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, list[str]]:
    """The report of the example survey, written twice from scratch."""
    a, b = tmp_path_factory.mktemp("a"), tmp_path_factory.mktemp("b")
    lines = run_analysis(composed(SURVEY), a)
    run_analysis(composed(SURVEY), b)
    return a, b, lines


def test_report_files(report_dirs) -> None:
    out, _, lines = report_dirs
    assert {p.stem for p in (out / "figures").glob("*.png")} == FIGURES
    tables = {p.stem for p in (out / "tables").glob("*.csv")}
    assert {"location_quotients", "size_structure", "coverage", "gaps", "complementarity", "needs",
            "needs_by_territory", "needs_by_area", "needs_by_size_class", "convergence", "population"} <= tables
    md = (out / "report.md").read_text(encoding="utf-8")
    for name in FIGURES:
        assert f"](figures/{name}.png)" in md
    for heading in ("## 1. Territorial competitiveness", "## 2. Value-chain coverage",
                    "## 3. SME innovation-needs diagnosis", "## 4. Convergence and readiness for a pole",
                    "### Recommendation"):
        assert heading in md
    assert "360 surveyed (from `" in md and "642 synthetic" in md
    assert lines[0] == "xbsim-analyse: 1002 companies (360 surveyed, 642 synthetic)"
    assert lines[-1] == f"report: {out / 'report.html'}"


def test_html_is_self_contained(report_dirs) -> None:
    out, _, _ = report_dirs
    page = (out / "report.html").read_text(encoding="utf-8")
    assert page.count('src="data:image/png;base64,') == len(FIGURES)
    assert not re.search(r"""(src|href)=["'](?!data:|#)""", page)  # nothing loaded from elsewhere
    assert "<link" not in page and "<script" not in page
    assert "País Vasco" in page and "<code>advanced_manufacturing</code>" in page


def test_report_is_deterministic(report_dirs) -> None:
    a, b, _ = report_dirs
    for rel in ["report.md", "report.html", *(f"figures/{n}.png" for n in FIGURES), "tables/convergence.csv"]:
        assert (a / rel).read_bytes() == (b / rel).read_bytes(), rel


def test_report_uses_the_models_month_0_analysis(report_dirs) -> None:
    """One implementation: the tables of the report are the model's stage-1 results for the same config."""
    out, _, _ = report_dirs
    model = XBSimModel(composed(SURVEY))
    conv = pd.read_csv(out / "tables" / "convergence.csv")
    pd.testing.assert_frame_equal(conv, model.stage1.convergence.reset_index(drop=True), check_dtype=False)
    lq = pd.read_csv(out / "tables" / "location_quotients.csv", index_col="territory")
    np.testing.assert_allclose(lq.to_numpy(), model.stage1.location_quotients.to_numpy())
    coverage = pd.read_csv(out / "tables" / "coverage.csv")
    assert coverage["actors"].tolist() == model.stage1.coverage["actors"].tolist()
    pop = model.population
    assert coverage["actors"].sum() == int(pop.is_company.sum()) == pop.subset(pop.is_company).n < pop.n
    gaps = pd.read_csv(out / "tables" / "gaps.csv", keep_default_na=False)
    assert len(gaps) == int(model.stage1.coverage["gap"].sum())


def test_recommendation_follows_the_ranking(report_dirs) -> None:
    out, _, _ = report_dirs
    conv = pd.read_csv(out / "tables" / "convergence.csv")
    areas = conv[conv["kind"] == "area"].sort_values("rank")
    md = (out / "report.md").read_text(encoding="utf-8")
    rec = md.split("### Recommendation")[1]
    found = re.findall(r"- Rank (\d+): `(\w+)`, score ([\d.]+), (ready for a pole|not ready yet)", rec)
    assert [(int(r), u) for r, u, _, _ in found] == list(zip(areas["rank"], areas["unit"], strict=True))
    for (_, _, score, verdict), (_, row) in zip(found, areas.iterrows(), strict=True):
        assert float(score) == pytest.approx(row["score"], abs=0.005)
        assert (verdict == "ready for a pole") == bool(row["ready_for_pole"])


def test_synthetic_population_without_figures(tmp_path: Path) -> None:
    lines = run_analysis(composed(["population.n_companies=300", "figures=false", "seed=3"]), tmp_path)
    assert lines[0] == "xbsim-analyse: 300 companies"
    md = (tmp_path / "report.md").read_text(encoding="utf-8")
    assert "300 synthetic companies drawn from the territories' sector statistics" in md
    assert "figures/" not in md.split("## Files")[0] and not (tmp_path / "figures").exists()
    sizes = pd.read_csv(tmp_path / "tables" / "size_structure.csv", index_col="territory")
    assert sizes["companies"].sum() == 300


def test_markdown_table_escapes_cells() -> None:
    df = pd.DataFrame({"name": ["A|B", "Café\nOlé"], "x": [0.5, np.nan]})
    assert markdown_table(df) == "| name | x |\n|---|---|\n| A\\|B | 0.5 |\n| Café Olé |  |"


def test_console_command_and_broken_survey(tmp_path: Path) -> None:
    res = run([*SURVEY, "figures=false", "hydra.run.dir=ok"], tmp_path, command="xbsim-analyse")
    assert res.returncode == 0, res.stderr
    assert "xbsim-analyse: 1002 companies (360 surveyed, 642 synthetic)" in res.stdout
    assert (tmp_path / "ok" / "report.html").exists()
    (tmp_path / "bad.csv").write_text("company_id;name\nR1;Acme\n", encoding="utf-8")
    res = run(["population.source=survey", "population.path=bad.csv", "hydra.run.dir=bad"], tmp_path,
              command="xbsim-analyse")
    assert res.returncode == 2
    assert res.stderr.startswith("survey file 'bad.csv': 20 problems")
    assert "bad.csv, row 1, column 'territory': required column is missing" in res.stderr
    assert "Traceback" not in res.stderr + res.stdout
    assert not (tmp_path / "bad" / "report.html").exists() and not (tmp_path / "bad" / "tables").exists()


def test_the_report_states_both_readiness_rules_and_the_one_a_unit_fails(report_dirs) -> None:
    import pandas as pd

    from xbsim.outputs.analysis import _reason

    md = (report_dirs[0] / "report.md").read_text(encoding="utf-8")
    assert "its score is at least 0.6, and (2) none of its four components is below 0.3" in md
    high_but_thin = pd.Series({"complementarity": 0.9, "coverage": 0.9, "critical_mass": 0.25, "s3_alignment": 1.0,
                               "score": 0.76, "ready_for_pole": False})
    assert _reason(high_but_thin).endswith("fails the readiness rule(s): critical mass 0.25 < 0.3")
    low = high_but_thin.copy()
    low[["critical_mass", "score"]] = [0.5, 0.55]
    assert _reason(low).endswith("fails the readiness rule(s): score 0.55 < 0.6")
