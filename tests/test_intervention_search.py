"""The intervention search (xbsim.study.intervention_search): lever plumbing, bad search settings refused in one
line, the recommendation and its bootstrap on hand-built candidates, and a tiny search in which a planted dominated
package is never on the front."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from tests.helpers.configs import composed, plain
from xbsim.core.config import ConfigError, validate
from xbsim.study import stats
from xbsim.study.intervention_search import (
    Candidate,
    _wilson_low,
    candidate_config,
    check_ranges,
    default_levers,
    event_months,
    lever_ranges,
    reevaluation_table,
    run_search,
)


def test_event_months_and_candidate_config() -> None:
    assert event_months(4, 6, 6, 36) == [6, 12, 18, 24]
    assert event_months(6, 12, 6, 36) == [12, 18, 24, 30, 36]  # the sixth (month 42) is past the horizon
    assert event_months(0, 3, 3, 36) == []
    base = plain()
    cfg = candidate_config(
        base, {"accompaniment.capacity": 3, "b2b.event_count": 2, "b2b.first_event": 5, "b2b.event_interval": 4}
    )
    assert cfg["accompaniment"]["capacity"] == 3 and cfg["b2b"]["events"] == [5, 9]
    assert base["accompaniment"]["capacity"] == 10 and base["b2b"]["events"] == [6, 12, 18, 24]  # not modified


def test_default_programme_is_a_package_of_the_search_space() -> None:
    base = plain()
    ranges = lever_ranges(base["search"])
    levers = default_levers(base, ranges)
    assert levers is not None
    assert (levers["b2b.event_count"], levers["b2b.first_event"], levers["b2b.event_interval"]) == (4, 6, 6)
    assert candidate_config(base, levers) == base


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("levers", {"b2b.nope": [1, 2]}, r"search\.levers\.b2b\.nope=\[1, 2\] is not allowed; allowed: levers over"),
        (
            "levers",
            {"accompaniment.capacity": [5, 2]},
            r"search\.levers\.accompaniment\.capacity=\[5, 2\] is not "
            r"allowed; allowed: a range \[low, high\]",
        ),
        (
            "target",
            {"p_viable": 0.8, "require": "median"},
            r"search\.target\.require='median' is not allowed; "
            r"allowed: estimate, lower_bound",
        ),
        (
            "events",
            {"count": [0, 6], "first": [3, 40], "interval": [3, 9]},
            r"search\.events\.first=\[3, 40\] is not allowed; allowed: months within",
        ),
        (
            "packages",
            [{"b2b.nope": 1}],
            r"search\.packages\[0\]='b2b.nope' is not allowed; allowed: one of the "
            r"configured levers",
        ),
        ("trials", 0, r"search\.trials=0 is not allowed; allowed: an integer >= 1"),
    ],
)
def test_bad_search_settings_are_refused_in_one_line(key: str, value: object, message: str) -> None:
    cfg = plain()
    cfg["search"][key] = value
    validate(cfg)  # not checked while the search is off
    cfg["search"]["enabled"] = True
    with pytest.raises(ConfigError, match=message):
        validate(cfg)


def test_a_range_with_invalid_packages_is_refused() -> None:
    cfg = plain()
    cfg["search"]["levers"] = {"b2b.max_meetings_per_participant": [2, 12]}
    with pytest.raises(
        ConfigError,
        match=r"at the high ends: b2b\.max_meetings_per_participant must be at most "
        r"b2b\.slots \(10\)",
    ):
        check_ranges(cfg, lever_ranges(cfg["search"]))


def test_vectorised_wilson_lower_bound_equals_scipy() -> None:
    p = np.array([0.0, 0.25, 0.5, 0.9, 1.0])
    expected = [stats.wilson(int(round(x * 20)), 20).low for x in p]
    assert _wilson_low(p, 20, 1.959963984540054) == pytest.approx(expected, abs=1e-9)


def _cand(number: int, cost: float, fresh: dict[str, list[bool]]) -> Candidate:
    cfg = plain([f"b2b.events=[{number + 5}]"])
    viable = {p: np.ones(4, dtype=bool) for p in fresh}
    return Candidate(number, {"b2b.event_count": 1}, cfg, cost, viable, {p: np.array(v) for p, v in fresh.items()})


def test_recommendation_is_the_cheapest_meeting_the_target_on_fresh_replications() -> None:
    """Three hand-built candidates: the cheapest misses the target for pole b, the middle one meets it for both
    poles, the dearest meets it too: the middle one is recommended."""
    n = 20
    cheap = _cand(1, 100.0, {"a": [True] * 20, "b": [True] * 10 + [False] * 10})
    mid = _cand(2, 200.0, {"a": [True] * 18 + [False] * 2, "b": [True] * 17 + [False] * 3})
    dear = _cand(3, 300.0, {"a": [True] * 20, "b": [True] * 20})
    se = {"target": {"p_viable": 0.8, "require": "estimate"}, "bootstrap": 500}
    df, rec = reevaluation_table([dear, cheap, mid], ["a", "b"], se, 0.95, np.random.default_rng(0))
    assert list(df["trial"]) == [1, 2, 3]  # cheapest first
    assert list(df["meets_target"]) == [False, True, True]
    assert rec is not None and rec["trial"] == 2 and rec["replications"] == n
    assert rec["overrides"][-1] == "b2b.events=[7]" and rec["cost"]["currency"] == "EUR"
    assert rec["p_viable"]["b"]["p"] == pytest.approx(0.85)
    assert rec["p_viable"]["b"]["low"] == pytest.approx(stats.wilson(17, 20).low)
    assert rec["vs_cheaper"]["trial"] == 1 and rec["vs_cheaper"]["b"]["diff"] == pytest.approx(0.35)
    shares = df.set_index("trial")["bootstrap_p_recommended"]
    assert shares.sum() == pytest.approx(1.0, abs=1e-9)  # someone always meets it: dear meets in every resample
    assert df.set_index("trial").loc[3, "bootstrap_p_meets_target"] == 1.0
    assert 0.5 < shares[2] < 1.0 and shares[1] < 0.05  # cheap's pole b (0.5) almost never reaches 0.8
    # with the lower bound required, the middle one (lower bounds 0.70 and 0.64) no longer qualifies
    se_low = {"target": {"p_viable": 0.8, "require": "lower_bound"}, "bootstrap": 200}
    _, rec_low = reevaluation_table([dear, cheap, mid], ["a", "b"], se_low, 0.95, np.random.default_rng(0))
    assert rec_low is not None and rec_low["trial"] == 3  # 20/20: Wilson lower bound 0.84 for both poles


def test_tiny_search_never_puts_a_dominated_package_on_the_front(tmp_path: Path) -> None:
    """A tiny search with two planted packages that differ only by a facilitator team that can accompany no one
    (capacity 0, no introductions): under common random numbers they have the same P(viable), so the dearer one
    is dominated and must not be on the front; no front trial is dominated by any trial, every other trial is."""
    levers = {
        "accompaniment.capacity": [0, 12],
        "accompaniment.teams_per_pole": [1, 2],
        "outreach.contacts_per_month": [10, 30],
    }
    planted = {"accompaniment.capacity": 0, "outreach.contacts_per_month": 25}
    cfg = plain(
        [
            "population.n_companies=150",
            "horizon_months=18",
            "workshops.end=18",
            "b2b.events=[6,12]",
            "feasibility.reassessment_month=null",
            "accompaniment.introductions_per_month=0",
            "search.enabled=true",
            "search.trials=5",
            "search.replications=2",
            "search.startup_trials=2",
            "search.top=2",
            "search.fresh_replications=3",
            "search.bootstrap=50",
            "study.progress=false",
            "search.events.count=[2,2]",
            "search.events.first=[6,6]",
            "search.events.interval=[6,6]",
        ]
    )
    cfg["search"]["levers"] = levers
    cfg["search"]["packages"] = [{**planted, "accompaniment.teams_per_pole": t} for t in (1, 2)]
    validate(cfg)
    doc = run_search(cfg, tmp_path)
    trials = pd.read_csv(tmp_path / "trials.csv")
    assert len(trials) == 5 and doc["candidates"] == 5
    a, b = trials.iloc[1], trials.iloc[2]  # after the default programme (trial 0)
    assert (a["accompaniment.teams_per_pole"], b["accompaniment.teams_per_pole"]) == (1, 2)
    assert b["cost_eur"] - a["cost_eur"] == pytest.approx(4 * 2 * 6000)  # one more team per pole, months 15..18
    poles = doc["poles"]
    for p in poles:
        assert a[f"p_viable_{p}"] == b[f"p_viable_{p}"]  # common random numbers: same replications, same outcome
    assert not b["on_front"]
    cost = trials["cost_eur"].to_numpy()
    prob = trials[[f"p_viable_{p}" for p in poles]].to_numpy()
    no_worse = (cost[None, :] <= cost[:, None]) & (prob[None, :, :] >= prob[:, None, :]).all(axis=2)
    better = (cost[None, :] < cost[:, None]) | (prob[None, :, :] > prob[:, None, :]).any(axis=2)
    dominated = (no_worse & better).any(axis=1)
    assert list(trials["on_front"]) == list(~dominated)
    for name in (
        "trials.csv",
        "front.csv",
        "reevaluation.csv",
        "search.json",
        "report/report.html",
        "report/report.md",
        "report/pareto.png",
    ):
        assert (tmp_path / name).is_file(), name
    assert json.loads((tmp_path / "search.json").read_text())["front"] == int((~dominated).sum())
    assert "Pareto front" in (tmp_path / "report" / "report.md").read_text()


def test_cli_runs_the_search_and_skips_it_when_finished(tmp_path: Path) -> None:
    from tests.helpers.cli import run
    from tests.helpers.scenarios import TINY

    out = tmp_path / "search"
    args = [
        "experiment=intervention_search",
        f"hydra.run.dir={out}",
        *TINY,
        "search.trials=3",
        "search.replications=2",
        "search.startup_trials=1",
        "search.top=1",
        "search.fresh_replications=2",
        "search.bootstrap=20",
        "study.workers=1",
    ]
    res = run(args, cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    assert "xbsim: trial 0: cost EUR" in res.stdout and "3 trials" in res.stdout
    assert f"report: {out / 'report' / 'report.html'}" in res.stdout
    doc = json.loads((out / "search.json").read_text())
    assert doc["status"] == "finished" and doc["candidates"] == 3 and doc["default_programme"]["trial"] == 0
    again = run(args, cwd=tmp_path)
    assert again.returncode == 0 and "already finished" in again.stdout and "trial 0:" not in again.stdout
    bad = run([*args, "costs.survey=-5"], cwd=tmp_path)
    assert bad.returncode == 2 and bad.stderr.strip().splitlines() == [
        "config error: costs.survey=-5.0 is not allowed; allowed: a number >= 0"
    ]


def test_no_facilitator_team_is_a_valid_package() -> None:
    """The lever's low end (accompaniment.teams_per_pole=0) runs: nobody is accompanied, no team is paid."""
    from tests.helpers.scenarios import TINY
    from xbsim.model import XBSimModel
    from xbsim.outputs.summary import build_summary

    summary = build_summary(XBSimModel(composed([*TINY, "accompaniment.teams_per_pole=0"])).run())
    assert all(p["accompanied_companies"] == 0 for p in summary["poles"].values())
    assert summary["cost"]["breakdown"]["facilitator_teams"]["total"] == 0


def test_same_config_and_seed_give_the_same_search(tmp_path: Path) -> None:
    from tests.helpers.scenarios import TINY

    cfg = plain(
        [
            *TINY,
            "search.enabled=true",
            "search.trials=3",
            "search.replications=1",
            "search.startup_trials=1",
            "search.top=2",
            "search.fresh_replications=2",
            "search.bootstrap=30",
            "study.progress=false",
        ]
    )
    cfg["search"]["events"] = {"count": [0, 2], "first": [3, 9], "interval": [3, 6]}
    docs = [run_search(cfg, tmp_path / name) for name in ("a", "b")]
    for name in ("trials.csv", "reevaluation.csv"):
        assert (tmp_path / "a" / name).read_text() == (tmp_path / "b" / name).read_text()
    assert docs[0]["recommended"] == docs[1]["recommended"]
