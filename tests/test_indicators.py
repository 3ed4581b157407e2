"""Interreg indicators: each one on a hand-built case where its value is known, their statistics over
replications, targets, config errors, and the indicators of a real run (summary, console, determinism)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from tests.helpers.configs import composed
from xbsim.core.config import ConfigError, compose, validate
from xbsim.core.config.schema import IndicatorsConfig, indicator_keys
from xbsim.model import XBSimModel
from xbsim.outputs.console import indicator_line
from xbsim.outputs.summary import build_summary
from xbsim.programme import indicators as ind
from xbsim.programme.relations import PARTNERSHIP_TYPES, Partnerships
from xbsim.study import stats
from xbsim.study.indicators import indicator_results, indicator_table, summarise

SUPPLY, CO_INNOV, MARKET = (PARTNERSHIP_TYPES.index(k) for k in ("supply_chain", "co_innovation", "market_access"))
PARAMS = {"after_months": 12, "solution_months": 12, "solution_probability": 1.0}


def _case() -> dict:
    """Eight actors: 0-5 companies, 6 a research organisation (FR), 7 a research organisation (ES).

    country: 0 0 0 1 1 1 0 1;   size: micro small medium large micro small (companies), 0 for the others.
    Partnerships (formed month, dissolved, kind): 0-3 cross-border (m2, active, co-innovation),
    1-4 cross-border (m30, active, co-innovation: only 6 months by month 36), 2-5 cross-border (m3, dissolved m10,
    co-innovation), 0-1 national (m5, active, supply chain), 4-7 national with research (m4, active),
    2-6 national with research (m4, dissolved m20).
    """
    n = 8
    ps = Partnerships(n)

    def add(i: int, j: int, month: int, kind: int, xb: bool) -> int:
        return int(ps.add(np.array([i]), np.array([j]), month, np.array([kind]), np.array([0]), np.array([month]),
                          np.array([xb]), np.array([False]))[0])

    add(0, 3, 2, CO_INNOV, True)
    add(1, 4, 30, CO_INNOV, True)
    k = add(2, 5, 3, CO_INNOV, True)
    ps.dissolve(np.array([k]), 10)
    add(0, 1, 5, SUPPLY, False)
    add(4, 7, 4, CO_INNOV, False)
    k = add(2, 6, 4, CO_INNOV, False)
    ps.dissolve(np.array([k]), 20)
    return {
        "n": n, "is_company": np.array([True] * 6 + [False] * 2), "size": np.array([0, 1, 2, 3, 0, 1, 0, 0]),
        "kind": np.array([0] * 6 + [1, 1]), "country": np.array([0, 0, 0, 1, 1, 1, 0, 1]), "ps": ps,
        "met": np.array([True, True, False, False, True, False, True, False]),
        "accompanied": np.array([[0], [0], [2], [0], [0], [0], [0], [0]]),
        "member": np.zeros((n, 1), dtype=bool), "constituted": [False], "research_kinds": [1],
        "hazard": np.zeros(len(ps)), "horizon": 36, "params": IndicatorsConfig(**PARAMS),
        "rng_after": np.random.default_rng(1), "rng_solutions": np.random.default_rng(2),
    }


def test_hand_built_case_every_indicator() -> None:
    v = ind.compute(**_case())
    assert v["RCO87"] == 6  # 0, 3, 1, 4, 2, 5: every actor of a cross-border partnership, dissolved ones too
    assert v["RCR84"] == 4  # 0-3 and 1-4 still active, hazard 0: they last; 2-5 was dissolved
    assert v["RCO01"] == v["RCO04"] == 4  # companies 0, 1, 4 met someone, 2 was accompanied; 6 is not a company
    assert (v["RCO01.micro"], v["RCO01.small"], v["RCO01.medium"], v["RCO01.large"]) == (2, 1, 1, 0)
    assert v["RCO10"] == 1  # company 4 with research 7 (active); 2-6 was dissolved before the end
    assert v["RCO83"] == 0  # no pole constituted
    assert v["RCO116"] == 1  # 0-3 (34 months); 1-4 too young (6 < 12); 2-5 lasted 7 months
    assert list(v) == indicator_keys()


def test_rco116_probability_and_months() -> None:
    case = _case()
    case["params"].solution_months = 6
    assert ind.compute(**case)["RCO116"] == 3  # 0-3 (34), 1-4 (6) and 2-5 (7 months) all last >= 6
    case = _case()
    case["params"].solution_probability = 0.0
    assert ind.compute(**case)["RCO116"] == 0


def test_rcr84_survival_after_the_programme() -> None:
    case = _case()
    case["hazard"] = np.ones(len(case["ps"]))  # every partnership dissolves in the first month after the end
    assert ind.compute(**case)["RCR84"] == 0
    case = _case()
    case["hazard"] = np.ones(len(case["ps"]))
    case["params"].after_months = 0  # measured at the end itself: every active cross-border partnership
    assert ind.compute(**case)["RCR84"] == 4
    u = np.random.default_rng(3).random(200_000)
    share = ind.survives_after(np.full(u.size, 0.02), 12, u).mean()
    assert share == pytest.approx(0.98**12, abs=0.005)  # geometric survival: (1 - h)^N


def test_rco83_and_rco87_count_cross_border_poles_only() -> None:
    case = _case()
    member = np.zeros((8, 2), dtype=bool)
    member[[0, 3, 7], 0] = True  # pole 0: FR and ES members
    member[[0, 1, 2], 1] = True  # pole 1: French members only
    case.update(member=member, constituted=[True, True], accompanied=np.zeros((8, 2)))
    v = ind.compute(**case)
    assert v["RCO83"] == 1
    assert v["RCO87"] == 7  # the six partners plus member 7 of the cross-border pole
    case["constituted"] = [False, True]
    assert ind.compute(**case)["RCO83"] == 0


def test_targets_met() -> None:
    got = ind.targets_met({"RCO87": 40, "RCO83": 1}, {"RCO87": 40, "RCO83": 2, "RCO10": None})
    assert got == {"RCO87": {"target": 40.0, "value": 40, "met": True},
                   "RCO83": {"target": 2.0, "value": 1, "met": False}}


def test_summarise_mean_interval_and_p_met() -> None:
    r = summarise([1, 2, 3], target=2)
    half = 4.302652729911275 * 1.0 / math.sqrt(3)  # t(0.975, 2 df) x sd / sqrt(n)
    assert r["mean"] == 2.0 and r["ci_high"] == pytest.approx(2 + half)
    assert r["ci_low"] == 0.0  # 2 - 2.48 clipped at 0: a count
    w = stats.wilson(2, 3)
    assert (r["met"], r["p_met"], r["p_met_low"], r["p_met_high"]) == (2, 2 / 3, w.low, w.high)
    assert stats.mean_interval([5, 5, 5]) == stats.MeanInterval(3, 5.0, 5.0, 5.0)
    assert math.isnan(stats.mean_interval([5]).low)


def test_indicator_results_over_records() -> None:
    keys = indicator_keys()
    records = [{"indicators": {k: r + 10 for k in keys}} for r in range(4)]
    res = indicator_results(records, {"RCO87": 12, "RCO10": None})
    assert res["RCO87"]["mean"] == 11.5 and res["RCO87"]["p_met"] == 0.5 and "target" not in res["RCO10"]
    assert res["RCO01.micro"]["name"] == "Enterprises supported (micro)"
    table = indicator_table(res)
    assert list(table["indicator"]) == keys and table.loc[0, "met"] == 2
    assert indicator_results([{"indicators": {}}]) == {}  # summaries older than the indicators


@pytest.mark.parametrize(("override", "key"), [
    ("indicators.targets.RCO87=-1", "indicators.targets.RCO87"),
    ("indicators.after_months=-2", "indicators.after_months"),
    ("indicators.solution_probability=1.5", "indicators.solution_probability"),
    ("indicators.research_types=[labs]", "indicators.research_types"),
])
def test_bad_indicator_config_is_one_line(override: str, key: str) -> None:
    with pytest.raises(ConfigError) as err:
        validate(compose([override]))
    assert err.value.key == key and "\n" not in str(err.value)


def test_unknown_target_is_one_line() -> None:
    cfg = composed()
    cfg.indicators.targets = {**cfg.indicators.targets, "RCO99": 3}
    with pytest.raises(ConfigError, match="indicators.targets.RCO99"):
        validate(cfg)


def test_run_indicators_in_summary_and_console() -> None:
    model = XBSimModel(composed(["population.n_companies=300", "indicators.targets.RCO87=1"])).run()
    before = (model.state.partnerships.dissolved.copy(), model.state.member.copy(), model.month)
    s = build_summary(model)
    after = (model.state.partnerships.dissolved, model.state.member, model.month)
    assert all(np.array_equal(a, b) for a, b in zip(before, after, strict=True))  # the run's state is untouched
    v = s["indicators"]
    assert v == model.indicators()  # own streams: asking again gives the same values
    assert v["RCO01"] == sum(v[f"RCO01.{k}"] for k in ("micro", "small", "medium", "large")) == v["RCO04"]
    ps = model.state.partnerships
    partners = ind.actors_in(ps, ps.cross_border, model.population.n).sum()
    assert 0 < v["RCR84"] <= partners <= v["RCO87"]
    assert v["RCO10"] <= v["RCO01"] and v["RCO83"] <= len(model.poles)
    assert s["indicator_targets"]["RCO87"]["met"]
    assert indicator_line(s).startswith(f"Interreg indicators: RCO87 {v['RCO87']} [target 1 met]")
