"""Calibration, forecast and actions: a tiny rejection-ABC run, determinism, the zero-month forecast equals the prior
predictive, actions applied from the observed month, and bad settings or files give one clear message."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from tests.helpers.configs import plain
from xbsim.calibration.abc import Simulator, model_seed
from xbsim.calibration.monitoring import INDICATORS, indicators_of, write_monitoring
from xbsim.calibration.run import calibrate_and_forecast
from xbsim.calibration.settings import load
from xbsim.core.config import ConfigError
from xbsim.model import XBSimModel

# 150 companies over 9 months with one B2B event at month 6: ~0.2 s a run.
SHORT = [
    "population.n_companies=150",
    "horizon_months=9",
    "workshops.end=9",
    "b2b.events=[6]",
    "outreach.end=6",
    "survey.interview_end=6",
    "feasibility.month=8",
    "feasibility.reassessment_month=null",
]


def tiny_settings(**extra: object) -> dict:
    s = load(overrides=["abc.simulations=30", "abc.accept=0.2", "forecast.draws=3"])
    s["model_overrides"] = SHORT
    s["priors"] = {
        "outreach.response_rate": {"low": 0.1, "high": 0.6},
        "b2b.acceptance_intercept": {"low": -1.5, "high": 0.5},
    }
    s["forecast"]["actions"] = {"extra_b2b": {"b2b.events": [6, 8]}}
    s.update(extra)
    return s


def base_cfg() -> dict:
    cfg = plain(SHORT)
    cfg["figures"] = False
    return cfg


@pytest.fixture(scope="module")
def observed() -> pd.DataFrame:
    sim = Simulator(base_cfg(), ["outreach.response_rate", "b2b.acceptance_intercept"], 5, 6, 3)
    return indicators_of(sim.model(np.array([0.4, -0.2]), to_month=6))


@pytest.mark.slow
def test_tiny_calibration_writes_everything_and_is_reproducible(tmp_path: Path, observed: pd.DataFrame) -> None:
    res = calibrate_and_forecast(observed, tiny_settings(), tmp_path / "a", data="synthetic")
    again = calibrate_and_forecast(observed, tiny_settings(abc={**tiny_settings()["abc"], "workers": 2}), None)
    post = res["posterior"].particles
    assert len(post) == 6 and post["weight"].sum() == pytest.approx(1.0)
    assert post["outreach.response_rate"].between(0.1, 0.6).all()
    pd.testing.assert_frame_equal(post, again["posterior"].particles)
    pd.testing.assert_frame_equal(res["forecast"], again["forecast"])
    assert res["simulations"] == 30 and res["accepted"] == 6 and res["observed_months"] == 6
    # Rejection ABC: every accepted simulation is a row of the reference table, the closest to the data.
    table = res["posterior"].table
    assert len(table) == 30 and table["accepted"].sum() == 6
    assert table.loc[table["accepted"], "distance"].max() <= table.loc[~table["accepted"], "distance"].min()
    f = res["forecast"]
    assert sorted(set(f["action"])) == ["baseline", "extra_b2b"] and len(f) == 4 and (f["draws"] == 3).all()
    names = {p.name for p in (tmp_path / "a").rglob("*") if p.is_file()}
    assert {
        "posterior.parquet",
        "reference_table.parquet",
        "posterior_summary.csv",
        "forecast.csv",
        "forecast_draws.parquet",
        "predictive_check.csv",
        "calibration.md",
        "calibration.json",
        "posterior_marginals.png",
        "posterior_pairs.png",
        "posterior_predictive.png",
        "forecast.png",
    } <= names
    assert pd.read_parquet(tmp_path / "a" / "posterior.parquet").equals(post)
    md = (tmp_path / "a" / "calibration.md").read_text(encoding="utf-8")
    assert "## Calibration to the monitoring data and forecast" in md and "| extra_b2b |" in md
    # The baseline's draws re-run accepted particles: their observed months are close to the data.
    series = res["series"]
    assert series[series["month"] == 6]["b2b_meetings_held"].gt(0).all()


@pytest.mark.slow
def test_forecast_from_zero_months_is_the_prior_predictive() -> None:
    """With no observed month the forecast's draws follow the prior predictive: two-sample KS tests against
    independent prior-predictive runs accept (p > 0.01), and reject a prior predictive with another prior."""
    s = tiny_settings()
    s["forecast"]["draws"], s["forecast"]["actions"] = 30, {}
    s["priors"] = {"outreach.response_rate": {"low": 0.1, "high": 0.6}}
    empty = pd.DataFrame(columns=list(INDICATORS), index=pd.RangeIndex(1, 1, name="month"))
    res = calibrate_and_forecast(empty, s, None)
    assert res["observed_months"] == 0 and res["simulations"] == 0
    forecast_totals = res["series"].groupby("draw")["surveys_returned"].sum().to_numpy()

    def prior_predictive(low: float, high: float) -> np.ndarray:
        rng = np.random.default_rng(12345)
        base = base_cfg()
        out = []
        for seed in range(30):
            m = XBSimModel(base, rng=10_000 + seed, **{"outreach.response_rate": rng.uniform(low, high)}).run()
            out.append(int(indicators_of(m)["surveys_returned"].sum()))
        return np.array(out)

    assert stats.ks_2samp(forecast_totals, prior_predictive(0.1, 0.6)).pvalue > 0.01
    assert stats.ks_2samp(forecast_totals, prior_predictive(0.5, 0.6)).pvalue < 0.01


def test_action_applies_from_the_observed_month_only() -> None:
    base = base_cfg()
    plain = XBSimModel(base, rng=3)
    extra = XBSimModel(base, rng=3)
    for model in (plain, extra):
        while model.month < 7:
            model.step()
    extra.apply_from_now({"b2b.events": [6, 8], "accompaniment.capacity": 20})
    for model in (plain, extra):
        model.run()
    a, b = indicators_of(plain), indicators_of(extra)
    pd.testing.assert_frame_equal(a.loc[:7], b.loc[:7])
    assert a.loc[8, "b2b_meetings_held"] == 0 and b.loc[8, "b2b_meetings_held"] > 0
    from xbsim.model.agents import Facilitator

    assert {t.capacity for t in extra.agents_by_type[Facilitator]} == {20}
    with pytest.raises(
        ConfigError, match="config error: population.n_companies=10 is not allowed; allowed: a key read during the run"
    ):
        extra.apply_from_now({"population.n_companies": 10})


def test_model_seed_is_a_function_of_the_parameters() -> None:
    assert model_seed(1, np.array([0.5, 1.0])) == model_seed(1, np.array([0.5, 1.0]))
    assert (
        len(
            {
                model_seed(1, np.array([0.5, 1.0])),
                model_seed(2, np.array([0.5, 1.0])),
                model_seed(1, np.array([0.5, 1.0 + 1e-12])),
            }
        )
        == 3
    )


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (["abc.simulations=5"], "config error: abc.simulations=5 is not allowed; allowed: a whole number >= 10"),
        (
            ["abc.accept=0.01", "abc.simulations=100"],
            "config error: abc.accept=0.01 is not allowed; allowed: a share in (0, 1] that accepts at least 2",
        ),
        (
            ["abc.adjustment=ridge"],
            "config error: abc.adjustment='ridge' is not allowed; allowed: local_linear or none",
        ),
        (["abc.bogus=1"], "config error: abc.bogus='1' is not allowed; allowed: a key of the calibration settings"),
        (
            ["forecast.credible_level=1.5"],
            "config error: forecast.credible_level=1.5 is not allowed; allowed: a number in (0, 1)",
        ),
        (["priors.joining\\.cost.low=2"], None),
    ],
)
def test_bad_settings_give_one_line(overrides: list[str], message: str | None) -> None:
    if message is None:  # a prior with low >= high, set directly
        s = load()
        s["priors"]["joining.cost"] = {"low": 2.0, "high": 1.0}
        from xbsim.calibration.settings import check

        with pytest.raises(ConfigError, match=r"priors.joining.cost=.* allowed: low < high"):
            check(s)
        return
    with pytest.raises(ConfigError) as info:
        load(overrides=overrides)
    assert str(info.value).startswith(message) and "\n" not in str(info.value)


def test_unknown_prior_or_fixed_action_key_is_refused(observed: pd.DataFrame) -> None:
    s = tiny_settings()
    s["priors"] = {"b2b.no_such_key": {"low": 0.0, "high": 1.0}}
    with pytest.raises(ConfigError, match="priors.b2b.no_such_key=.* allowed: a key of the scenario's configuration"):
        calibrate_and_forecast(observed, s, None)
    s = tiny_settings()
    s["forecast"]["actions"] = {"bigger": {"population.n_companies": 500}}
    with pytest.raises(
        ConfigError,
        match="forecast.actions.bigger.population.n_companies=500 is not allowed; allowed: a key read during the run",
    ):
        calibrate_and_forecast(observed, s, None)


def test_cli_bad_file_and_template(tmp_path: Path) -> None:
    cmd = [sys.executable, "-m", "xbsim.cli.calibrate"]
    bad = tmp_path / "bad.csv"
    write_monitoring(bad, pd.DataFrame({ind: [1] for ind in INDICATORS}, index=pd.RangeIndex(1, 2, name="month")))
    bad.write_text(
        bad.read_text(encoding="utf-8").replace("1,b2b_meetings_held,1", "1,b2b_meetings_held,many"), encoding="utf-8"
    )
    res = subprocess.run([*cmd, str(bad), "--out", str(tmp_path / "o")], capture_output=True, text=True, timeout=120)
    assert res.returncode == 2 and "Traceback" not in res.stderr
    assert f"xbsim-calibrate: monitoring file '{bad}': 2 problems" in res.stderr
    assert "row 4, column C (value): 'many' is not a count; allowed: a whole number >= 0" in res.stderr
    assert "missing rows: b2b_meetings_held in month 1; allowed: every indicator for every month" in res.stderr
    res = subprocess.run(
        [*cmd, "--template", str(tmp_path / "t.xlsx"), "--months", "6"], capture_output=True, text=True, timeout=120
    )
    assert res.returncode == 0 and (tmp_path / "t.xlsx").is_file()
    res = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert res.returncode == 2 and "DATA is required" in res.stderr
