"""Replications of one scenario: independent of the number of workers, adaptive stopping, reuse of finished
replications, the run-directory layout and common random numbers."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from tests.helpers.configs import plain
from tests.helpers.outputs import read_json
from tests.helpers.scenarios import TINY, VARIED
from xbsim.study import stats
from xbsim.study.replicate import run_replications
from xbsim.study.scenario import finished_scenario, replicate, run_scenario


def test_results_do_not_depend_on_workers() -> None:
    cfg = plain(VARIED)
    one = run_replications(cfg, range(6), workers=1)
    two = run_replications(cfg, range(6), workers=2)
    assert one == two
    assert [r["replication"] for r in one] == list(range(6))
    viable = [r["poles"]["industry_energy"]["viable"] for r in one]
    assert 0 < sum(viable) < 6, "the VARIED scenario should give viability that varies between replications"
    assert len({r["poles"]["industry_energy"]["members"] for r in one}) > 1


def test_replication_seed_is_seedsequence_of_seed_and_r() -> None:
    from xbsim.model import XBSimModel

    cfg = plain(TINY)
    model = XBSimModel(cfg, replication=3)
    assert model.streams.root.entropy == [42, 3]
    again = run_replications(cfg, [3, 1])
    assert [r["replication"] for r in again] == [3, 1]
    assert again[0] == run_replications(cfg, [3])[0]


def test_adaptive_stops_at_target() -> None:
    # No pole is ever viable in TINY: the Wilson half-width at p = 0 is z^2 / (n + z^2) / 2, at most 0.1 from
    # n = 16 on; starting from 5 and adding 5 at a time, adaptive mode stops at 20.
    cfg = plain([*TINY, "replications=5", "study.adaptive=true", "study.batch=5", "study.target_half_width=0.1",
                 "study.max_replications=40"])
    records, why = replicate(cfg, None)
    assert len(records) == 20 and why.startswith("target half-width 0.1 reached")
    capped = plain([*TINY, "replications=5", "study.adaptive=true", "study.batch=5", "study.target_half_width=0.1",
                    "study.max_replications=12"])
    records, why = replicate(capped, None)
    assert len(records) == 12 and why.startswith("maximum of 12")
    assert stats.wilson(0, 20).half_width <= 0.1 < stats.wilson(0, 15).half_width


def test_single_run_layout(tmp_path: Path) -> None:
    cfg = plain(TINY)
    doc = run_scenario(cfg, tmp_path)
    assert doc["layout"] == "single run" and doc["replications"]["n"] == 1
    for f in ("summary.json", "timeseries.csv", "companies.csv", "config.yaml", "scenario.json"):
        assert (tmp_path / f).is_file(), f
    assert not list(tmp_path.glob("rep-*")) and not (tmp_path / "viability.csv").exists()
    summary = read_json(tmp_path / "summary.json")
    assert doc["poles"]["industry_energy"]["viable"] == int(summary["poles"]["industry_energy"]["viable"])


def test_replicated_layout_and_tables(tmp_path: Path) -> None:
    cfg = plain([*VARIED, "replications=4"])
    doc = run_scenario(cfg, tmp_path, key="demo")
    assert sorted(p.name for p in tmp_path.glob("rep-*")) == ["rep-000", "rep-001", "rep-002", "rep-003"]
    assert (tmp_path / "rep-002" / "companies.csv").is_file()  # replication_files=full by default
    assert not list(tmp_path.rglob("*.png"))  # no figures for replications unless asked
    for stem in ("viability", "members_by_territory", "funnel", "partnership_counts", "replications",
                 "replications_poles"):
        csv, parquet = pd.read_csv(tmp_path / f"{stem}.csv"), pd.read_parquet(tmp_path / f"{stem}.parquet")
        assert len(csv) == len(parquet) > 0 and list(csv.columns) == list(parquet.columns), stem
    v = pd.read_csv(tmp_path / "viability.csv").set_index("pole")
    ie = doc["poles"]["industry_energy"]
    assert v.loc["industry_energy", "viable"] == ie["viable"] and v.loc["industry_energy", "n"] == 4
    assert (ie["ci_low"], ie["ci_high"]) == pytest.approx(
        (stats.wilson(ie["viable"], 4).low, stats.wilson(ie["viable"], 4).high))
    rp = pd.read_csv(tmp_path / "replications_poles.csv")
    assert set(rp["pole"]) == {"industry_energy", "agrifood_health"} and len(rp) == 8
    assert {"members_FR61", "members_ES21", "members_ES22", "constitution_month"} <= set(rp.columns)
    assert set(rp["feasibility_verdict"]) <= {"go", "conditional", "no-go"}
    assert (rp["feasibility_go"] == (rp["feasibility_verdict"] == "go")).all()
    assert not (rp["viable"] & (rp["feasibility_verdict"] != "go")).any()  # only a go pole is constituted
    m = pd.read_csv(tmp_path / "members_by_territory.csv")
    assert set(m["territory"]) == {"FR61", "ES21", "ES22", "all"} and {"mean", "q05", "q50", "q95"} <= set(m.columns)
    assert pd.read_csv(tmp_path / "funnel.csv")["stage"].tolist() == ["actors", "contacted", "known", "engaged", "met",
                                                                      "partnered", "members"]
    assert finished_scenario(tmp_path, cfg) == read_json(tmp_path / "scenario.json")
    assert not list(tmp_path.rglob(".*.tmp"))


def test_finished_replications_are_reused(tmp_path: Path) -> None:
    cfg = plain([*TINY, "replications=3", "study.replication_files=summary"])
    run_scenario(cfg, tmp_path)
    assert sorted(p.name for p in (tmp_path / "rep-001").iterdir()) == ["config.yaml", "summary.json"]
    stamp = (tmp_path / "rep-001" / "summary.json").stat().st_mtime_ns
    more = plain([*TINY, "replications=5", "study.replication_files=summary"])
    assert finished_scenario(tmp_path, more) is None  # a different scenario: 5 replications
    doc = run_scenario(more, tmp_path)
    assert doc["replications"]["n"] == 5
    assert (tmp_path / "rep-001" / "summary.json").stat().st_mtime_ns == stamp  # read back, not rerun
    changed = plain([*TINY, "replications=3", "study.replication_files=summary", "joining.cost=0.9"])
    run_scenario(changed, tmp_path)  # another model configuration: replications run again
    assert (tmp_path / "rep-001" / "summary.json").stat().st_mtime_ns != stamp


@pytest.mark.slow
def test_common_random_numbers_lower_variance() -> None:
    """Replication r of two scenarios shares its random streams, so the paired difference of a small change
    varies far less than the difference of independent runs (here: the other scenario with another seed)."""
    n = 16  # VARIED: first pole viable in 7 of replications 0-15
    a = run_replications(plain(VARIED), range(n))
    b = run_replications(plain([*VARIED, "poles.industry_energy.critical_mass.min_members=9"]), range(n))
    b_indep = run_replications(plain([*VARIED, "poles.industry_energy.critical_mass.min_members=9", "seed=4242"]),
                               range(n))

    def viable(recs: list) -> list[bool]:
        return [r["poles"]["industry_energy"]["viable"] for r in recs]

    def members(recs: list) -> list[int]:
        return [r["poles"]["industry_energy"]["members"] for r in recs]

    assert 0 < sum(viable(a)) < n
    for out in (viable, members):
        paired = stats.mean_difference_se(out(a), out(b), paired=True)
        unpaired = stats.mean_difference_se(out(a), out(b_indep), paired=False)
        assert paired < 0.5 * unpaired, (out.__name__, paired, unpaired)
    crn = stats.paired_difference(viable(a), viable(b))
    indep = stats.unpaired_difference(viable(a), viable(b_indep))
    assert crn.high - crn.low < indep.high - indep.low
