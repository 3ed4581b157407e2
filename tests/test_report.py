"""xbsim-report: the tables, figures and annex of a sweep or a run directory; baseline and paired differences."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from tests.helpers.cli import run
from tests.helpers.scenarios import TINY, VARIED, write_scenario
from xbsim.study import stats
from xbsim.study.collect import collect
from xbsim.study.report import build_report
from xbsim.study.report.results import choose_baseline


@pytest.fixture(scope="module")
def grid(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 2 x 2 'sweep' of the VARIED scenario (8 replications each), one of them at the default accompaniment
    capacity (10) and the member threshold of VARIED (8)."""
    root = tmp_path_factory.mktemp("grid")
    base = [*VARIED, "replications=8", "study.replication_files=summary"]
    for mm in (8, 12):
        for cap in (5, 10):
            write_scenario(root, f"mm{mm}-cap{cap}", base,
                     [f"poles.industry_energy.critical_mass.min_members={mm}", f"accompaniment.capacity={cap}"])
    (root / "broken").mkdir()
    (root / "broken" / "failed.json").write_text('{"status": "failed", "scenario": "broken", "error": "boom"}')
    (root / "unfinished" / ".hydra").mkdir(parents=True)
    return root


@pytest.mark.slow
def test_report_of_a_sweep(grid: Path) -> None:
    res = run([str(grid)], cwd=grid, command="xbsim-report")
    assert res.returncode == 0, res.stderr
    assert "4 scenario(s) finished, 1 failed, 1 unfinished" in res.stdout
    out = grid / "report"
    for f in ("results.csv", "differences.csv", "failed.csv", "report.md", "report.html", "viability.png",
              "heatmap.png", "differences.png", "time-to-critical-mass.png", "map.png", "appendix-config.md",
              "viability-vs-poles_industry_energy_critical_mass_min_members.png",
              "viability-vs-accompaniment_capacity.png"):
        assert (out / f).is_file() and (out / f).stat().st_size > 0, f
    results = pd.read_csv(out / "results.csv")
    # the failed and the unfinished scenario are rows too (one per pole, without results)
    assert results["status"].value_counts().to_dict() == {"finished": 8, "failed": 2, "unfinished": 2}
    assert results.loc[results["status"] != "finished", "n"].isna().all()
    results = results[results["status"] == "finished"]
    assert len(results) == 8 and set(results["n"]) == {8}
    row = results[(results["pole"] == "industry_energy") & (results["accompaniment.capacity"] == 5)
                  & (results["poles.industry_energy.critical_mass.min_members"] == 8)].iloc[0]
    w = stats.wilson(int(row["viable"]), 8)
    assert (row["ci_low"], row["ci_high"]) == pytest.approx((w.low, w.high))

    html = (out / "report.html").read_text()
    assert html.count("data:image/png;base64,") == 7  # six figures and the map
    assert not re.search(r"""(src|href)=["']?(https?:|//|[\w./-]+\.png)""", html), "report.html must be self-contained"
    md = (out / "report.md").read_text()
    for section in ("## Key findings", "## 1. Question", "## 2. Scenarios", "## 3. Results", "## 4. Method",
                    "## 5. Failed and unfinished scenarios", "## 6. Provenance", "## 7. How to cite"):
        assert section in md
    for fact in ("Wilson", "Kaplan-Meier", "docs/ODD.md", "SeedSequence", "common random numbers", "boom",
                 "unfinished", "xbsim version", "git commit", "Baseline scenario", "](appendix-config.md)"):
        assert fact in md, fact
    # the composed configuration is an appendix, linked from the report rather than pasted into it
    assert "seed: 42" in (out / "appendix-config.md").read_text() and "seed: 42" not in md
    assert '<a href="appendix-config.md">' in html


@pytest.mark.slow
def test_baseline_and_paired_differences(grid: Path) -> None:
    col = collect(grid)
    base, why = choose_baseline(col)
    # the default programme has accompaniment.capacity=10 but min_members=15, which the grid (8, 12) lacks:
    # the baseline falls back to the first scenario in parameter order
    assert base is col.scenarios[0] and why.startswith("the first scenario")
    chosen, why = choose_baseline(col, "poles.industry_energy.critical_mass.min_members=8,accompaniment.capacity=10")
    assert chosen.parameters == {"poles.industry_energy.critical_mass.min_members": 8, "accompaniment.capacity": 10}
    with pytest.raises(ValueError):
        choose_baseline(col, "accompaniment.capacity=99")
    out = build_report(grid, baseline="poles.industry_energy.critical_mass.min_members=8,accompaniment.capacity=10")
    d = pd.read_csv(out / "differences.csv")
    assert len(d) == 6 and set(d["method"]) == {"newcombe-paired"}
    one = d[(d["pole"] == "industry_energy") & (d["accompaniment.capacity"] == 5)
            & (d["poles.industry_energy.critical_mass.min_members"] == 8)].iloc[0]
    a, b = (s for s in (col.scenarios) if s.parameters["poles.industry_energy.critical_mass.min_members"] == 8)
    expect = stats.paired_difference(
        (a if a.parameters["accompaniment.capacity"] == 5 else b).outcomes("industry_energy").to_numpy(),
        (b if a.parameters["accompaniment.capacity"] == 5 else a).outcomes("industry_energy").to_numpy())
    assert (one["diff"], one["ci_low"], one["ci_high"]) == pytest.approx((expect.diff, expect.low, expect.high))


def test_baseline_defaults_to_the_default_programme(tmp_path: Path) -> None:
    base = [*TINY, "replications=2", "study.replication_files=summary"]
    for cap in (5, 10, 20):
        write_scenario(tmp_path, f"cap{cap}", base, [f"accompaniment.capacity={cap}"])
    chosen, why = choose_baseline(collect(tmp_path))
    assert chosen.parameters == {"accompaniment.capacity": 10} and "default programme" in why


def test_report_of_a_single_run(tmp_path: Path) -> None:
    res = run([f"hydra.run.dir={tmp_path / 'run'}", *TINY, "seed=42"], cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    assert "xbsim: 18 months, seed 42" in res.stdout  # the single-run console summary, as before
    build_report(tmp_path / "run")
    results = pd.read_csv(tmp_path / "run" / "report" / "results.csv")
    assert list(results["n"]) == [1, 1] and (results["scenario"] == "seed=42").all()  # debug= names no scenario
    md = (tmp_path / "run" / "report" / "report.md").read_text()
    assert "xbsim " in md and "seed=42" in md


def test_report_of_a_missing_directory(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    from xbsim.cli.report import main

    with pytest.raises(SystemExit) as exit_info:
        main([str(tmp_path / "nope")])
    assert exit_info.value.code == 2
    assert capsys.readouterr().err.strip() == f"xbsim-report: {tmp_path / 'nope'} is not a directory"


@pytest.mark.slow
def test_key_findings_quote_the_results(grid: Path) -> None:
    out = build_report(grid)
    md = (out / "report.md").read_text()
    findings = md.split("## Key findings", 1)[1].split("## 1. Question", 1)[0]
    results = pd.read_csv(out / "results.csv")
    col = collect(grid)
    base, _ = choose_baseline(col)
    for _, row in results[results["scenario"] == base.key].iterrows():
        assert f"P(viable) {row['p_viable']:.2f} (95% CI {row['ci_low']:.2f}–{row['ci_high']:.2f})" in findings
    assert "The lever that matters most in this experiment is" in findings or "No swept parameter" in findings
    assert findings.index("**Cross-border pole for") < findings.index("Each figure rests on 8 replications")
    assert md.index("## Key findings") < md.index("## 3. Results") < md.index("## 4. Method")
