"""Statistics of replicated runs against known values: Wilson intervals, Kaplan-Meier, Newcombe differences."""

from __future__ import annotations

import math

import numpy as np
import pytest

from xbsim.study import stats

Z = 1.959963984540054


def wilson_closed_form(k: int, n: int) -> tuple[float, float]:
    centre = (k + Z**2 / 2) / (n + Z**2)
    half = Z / (n + Z**2) * math.sqrt(k * (n - k) / n + Z**2 / 4)
    return centre - half, centre + half


@pytest.mark.parametrize(("k", "n", "low", "high"), [
    (7, 10, 0.39678, 0.89221),    # textbook example
    (0, 10, 0.0, 0.27753),        # z^2 / (n + z^2)
    (10, 10, 0.72247, 1.0),
    (81, 263, 0.2553, 0.3662),    # Newcombe (1998), Statistics in Medicine 17, example (a), 4 decimals
])
def test_wilson_known_values(k: int, n: int, low: float, high: float) -> None:
    p = stats.wilson(k, n)
    assert (p.low, p.high) == pytest.approx((low, high), abs=6e-5)
    assert (p.low, p.high) == pytest.approx(wilson_closed_form(k, n), abs=1e-9)
    assert p.p == k / n and p.half_width == pytest.approx((high - low) / 2, abs=5e-5)


def test_wilson_edge_cases() -> None:
    empty = stats.wilson(0, 0)
    assert math.isnan(empty.p) and (empty.low, empty.high) == (0.0, 1.0)
    with pytest.raises(ValueError):
        stats.wilson(3, 2)
    assert stats.wilson(5, 10, 0.99).half_width > stats.wilson(5, 10, 0.95).half_width


def test_kaplan_meier_hand_computed() -> None:
    # events at 2, 3, 3, 5; censored at 4 and 6. At risk 6 -> S(2) = 5/6; at risk 5, two events -> S(3) = 1/2;
    # the run censored at 4 leaves; at risk 2 at t=5 -> S(5) = 1/4.
    t, s = stats.kaplan_meier([2, 3, 3, 4, 5, 6], [True, True, True, False, True, False])
    surv = dict(zip(t.tolist(), s.tolist(), strict=True))
    assert surv[2.0] == pytest.approx(5 / 6)
    assert surv[3.0] == pytest.approx(1 / 2)
    assert surv[5.0] == pytest.approx(1 / 4)
    assert stats.km_quantile(t, s, 0.5) == 3.0     # first time with S <= 0.5
    assert stats.km_quantile(t, s, 0.25) == 3.0    # S(2) = 0.83 > 0.75
    assert stats.km_quantile(t, s, 0.75) == 5.0    # S(5) = 0.25 <= 0.25


def test_time_to_event_censored_at_horizon() -> None:
    # runs that never reached the event are censored at the horizon (6): S(2) = 5/6, S(3) = 1/2,
    # S(5) = 1/2 * 2/3 = 1/3 > 1/4, so the third quartile lies beyond the horizon.
    tte = stats.time_to_event([2, 3, 3, None, 5, None], horizon=6)
    assert (tte.n, tte.events, tte.median, tte.q1, tte.q3) == (6, 4, 3.0, 3.0, None)
    none = stats.time_to_event([None, None, None], horizon=36)
    assert (none.events, none.median, none.q1) == (0, None, None)
    every = stats.time_to_event([10, 20, 30, 40], horizon=48)
    assert (every.q1, every.median, every.q3) == (10.0, 20.0, 30.0)


def test_describe() -> None:
    d = stats.describe([1, 2, 3, 4, 5])
    assert d["mean"] == 3 and d["q50"] == 3 and d["q05"] == pytest.approx(1.2)
    assert d["sd"] == pytest.approx(1.5811, 1e-4)


def test_newcombe_unpaired_published_example() -> None:
    # Newcombe (1998), Statistics in Medicine 17:873-890, method 10: 56/70 - 48/80 -> [0.0524, 0.3339]
    d = stats.unpaired_difference([1] * 56 + [0] * 14, [1] * 48 + [0] * 32)
    assert d.diff == pytest.approx(0.2)
    assert (d.low, d.high) == pytest.approx((0.0524, 0.3339), abs=5e-5)
    assert not d.paired


def _pairs(both: int, only_a: int, only_b: int, neither: int) -> tuple[list[int], list[int]]:
    a = [1] * both + [1] * only_a + [0] * only_b + [0] * neither
    b = [1] * both + [0] * only_a + [1] * only_b + [0] * neither
    return a, b


def test_newcombe_paired_published_example() -> None:
    # Newcombe (1998), Statistics in Medicine 17:2635-2650, method 10: a=36, b=12, c=2, d=0 -> [0.0569, 0.3404]
    d = stats.paired_difference(*_pairs(36, 12, 2, 0))
    assert d.diff == pytest.approx(0.2)
    assert (d.low, d.high) == pytest.approx((0.0569, 0.3404), abs=5e-5)
    swapped = stats.paired_difference(*reversed(_pairs(36, 12, 2, 0)))
    assert (swapped.low, swapped.high) == pytest.approx((-d.high, -d.low))


def test_paired_interval_narrower_when_outcomes_agree() -> None:
    a, b = _pairs(40, 3, 1, 56)  # strongly positively correlated pairs, as under common random numbers
    paired, unpaired = stats.paired_difference(a, b), stats.unpaired_difference(a, b)
    assert paired.diff == pytest.approx(unpaired.diff)
    assert paired.high - paired.low < 0.6 * (unpaired.high - unpaired.low)
    with pytest.raises(ValueError):
        stats.paired_difference([1, 0], [1])


def test_mean_difference_se() -> None:
    rng = np.random.default_rng(0)
    common = rng.normal(size=200)
    a, b = common + rng.normal(scale=0.1, size=200), common + 0.05 + rng.normal(scale=0.1, size=200)
    assert stats.mean_difference_se(a, b, paired=True) < 0.2 * stats.mean_difference_se(a, b, paired=False)


def test_wilson_and_kaplan_meier_equal_scipy_bit_for_bit() -> None:
    """stats.wilson and stats.kaplan_meier do scipy's arithmetic without importing scipy.stats: same floats."""
    from scipy import stats as sps

    for confidence in (0.8, 0.9, 0.95, 0.99):
        for n in (*range(1, 41), 97, 263, 1000):
            for k in sorted({0, 1, n // 3, n // 2, n - 1, n}):
                ci = sps.binomtest(k, n).proportion_ci(confidence_level=confidence, method="wilson")
                w = stats.wilson(k, n, confidence)
                assert (w.low, w.high) == (float(ci.low), float(ci.high)), (k, n, confidence)
    rng = np.random.default_rng(5)
    for size in (1, 2, 3, 8, 40):
        for share in (0.0, 0.4, 1.0):
            t = rng.integers(1, 12, size).astype(float)
            obs = rng.random(size) >= share
            obs[0] = True  # at least one event (none: S = 1, no scipy call)
            grid, sf = stats.kaplan_meier(t, obs)
            ref = sps.ecdf(sps.CensoredData(uncensored=t[obs], right=t[~obs])).sf
            assert grid.tolist() == np.asarray(ref.quantiles, dtype=float).tolist()
            assert sf.tolist() == np.asarray(ref.probabilities, dtype=float).tolist()
