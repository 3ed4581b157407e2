"""Statistics of replicated runs: proportions with Wilson intervals, Kaplan-Meier time to an event, quantile
summaries and differences of proportions between two scenarios (paired under common random numbers, or not).

Every function takes plain arrays and returns plain numbers, so the same code serves the scenario tables, the
report and the tests. The Wilson interval and the Kaplan-Meier estimate do scipy's own arithmetic
(``binomtest(...).proportion_ci(method="wilson")``, ``ecdf`` with ``CensoredData``), step for step, so that a run
does not import scipy.stats (a third of a second) for two numbers; tests/test_study_stats.py checks that they equal
scipy's bit for bit. The difference intervals are Newcombe's hybrid score intervals built on them.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass

import numpy as np

QUANTILES: tuple[float, ...] = (0.05, 0.25, 0.5, 0.75, 0.95)


@dataclass(frozen=True)
class Proportion:
    """k successes out of n, the estimate k/n and its Wilson score interval."""

    n: int
    k: int
    p: float
    low: float
    high: float

    @property
    def half_width(self) -> float:
        return (self.high - self.low) / 2


def wilson(k: int, n: int, confidence: float = 0.95) -> Proportion:
    """Wilson score interval of a binomial proportion (scipy.stats.binomtest, method="wilson").

    Wilson keeps its coverage near the nominal level for small n and for p near 0 or 1, where the Wald interval
    collapses to a point; with n = 0 the estimate is undefined (NaN) and the interval is [0, 1].
    """
    from scipy.special import ndtri  # loaded with scipy.sparse already; scipy.stats is slow to import

    if n < 0 or not 0 <= k <= max(n, 0):
        raise ValueError(f"need 0 <= k <= n, got k={k}, n={n}")
    if n == 0:
        return Proportion(0, 0, math.nan, 0.0, 1.0)
    # scipy.stats._binomtest._binom_wilson_conf_int (two-sided, no correction), in float64 as scipy computes it
    kf, nf, level = np.float64(k), np.float64(n), np.float64(confidence)
    p = kf / nf
    z = ndtri(0.5 + 0.5 * level)
    denom = 2 * (nf + z**2)
    center = (2 * nf * p + z**2) / denom
    delta = z / denom * np.sqrt(4 * nf * p * (1 - p) + z**2)
    low = 0.0 if k == 0 else center - delta
    high = 1.0 if k == n else center + delta
    return Proportion(int(n), int(k), k / n, float(low), float(high))


@dataclass(frozen=True)
class TimeToEvent:
    """Kaplan-Meier summary of a time to event with right censoring at the horizon."""

    n: int
    events: int
    median: float | None
    q1: float | None
    q3: float | None
    horizon: float

    def as_dict(self) -> dict[str, float | int | None]:
        return asdict(self)


def kaplan_meier(times: Sequence[float], observed: Sequence[bool]) -> tuple[np.ndarray, np.ndarray]:
    """Kaplan-Meier estimate: the distinct times of the step function and the survival S(t) just after each.

    ``observed[i]`` is False when run i never reached the event and is censored at ``times[i]``
    (scipy.stats.ecdf with CensoredData). With no observed event S(t) = 1 everywhere.
    """
    t = np.asarray(times, dtype=float)
    obs = np.asarray(observed, dtype=bool)
    if t.size == 0:
        return np.array([]), np.array([])
    if not obs.any():
        return np.unique(t), np.ones(np.unique(t).size)
    if obs.all():  # scipy.stats._survival._ecdf_uncensored
        x, counts = np.unique(np.sort(t), return_counts=True)
        return x, 1 - np.cumsum(counts) / t.size
    # scipy.stats._survival._ecdf_right_censored
    both = np.concatenate((t[obs], t[~obs]))
    died = np.asarray([1] * int(obs.sum()) + [0] * int((~obs).sum()))
    i = np.argsort(both)
    both, died = both[i], died[i]
    at_risk = np.arange(both.size, 0, -1)
    j = np.diff(both, prepend=-np.inf, append=np.inf) > 0
    n = at_risk[j[:-1]]
    d = np.diff(np.cumsum(died)[j[1:]], prepend=0)
    return both[j[:-1]], np.cumprod((n - d) / n)


def km_quantile(times: np.ndarray, survival: np.ndarray, q: float) -> float | None:
    """The q-quantile of the time to event: the first time at which S(t) <= 1 - q (None if never reached)."""
    hit = np.flatnonzero(survival <= 1 - q + 1e-12)
    return float(times[hit[0]]) if hit.size else None


def time_to_event(times: Sequence[float | None], horizon: float) -> TimeToEvent:
    """Median and quartiles of a time to event, runs without the event (None) censored at ``horizon``.

    A quantile is None when fewer than that fraction of runs reached the event within the horizon: it is then
    only known to exceed the horizon.
    """
    observed = np.array([x is not None for x in times], dtype=bool)
    t = np.array([horizon if x is None else float(x) for x in times], dtype=float)
    grid, sf = kaplan_meier(t, observed)
    if grid.size == 0:
        return TimeToEvent(0, 0, None, None, None, float(horizon))
    return TimeToEvent(int(t.size), int(observed.sum()), km_quantile(grid, sf, 0.5), km_quantile(grid, sf, 0.25),
                       km_quantile(grid, sf, 0.75), float(horizon))


def describe(values: Sequence[float], quantiles: Sequence[float] = QUANTILES) -> dict[str, float]:
    """Mean, standard deviation and quantiles of a sample (NaN for an empty one)."""
    x = np.asarray(values, dtype=float)
    out = {"mean": float(x.mean()) if x.size else math.nan,
           "sd": float(x.std(ddof=1)) if x.size > 1 else (0.0 if x.size else math.nan)}
    for q in quantiles:
        out[f"q{round(100 * q):02d}"] = float(np.quantile(x, q)) if x.size else math.nan
    return out


@dataclass(frozen=True)
class Difference:
    """Difference of two proportions p_a - p_b with its confidence interval."""

    n_a: int
    n_b: int
    diff: float
    low: float
    high: float
    paired: bool
    method: str

    def as_dict(self) -> dict[str, float | int | bool | str]:
        return asdict(self)


def _newcombe(p1: Proportion, p2: Proportion, phi: float) -> tuple[float, float]:
    """Newcombe's hybrid score interval of p1 - p2 from the two Wilson intervals and their correlation phi."""
    d1l, d1u = p1.p - p1.low, p1.high - p1.p
    d2l, d2u = p2.p - p2.low, p2.high - p2.p
    delta = math.sqrt(max(d1l**2 - 2 * phi * d1l * d2u + d2u**2, 0.0))
    eps = math.sqrt(max(d1u**2 - 2 * phi * d1u * d2l + d2l**2, 0.0))
    diff = p1.p - p2.p
    return max(diff - delta, -1.0), min(diff + eps, 1.0)


def paired_difference(a: Sequence[bool], b: Sequence[bool], confidence: float = 0.95) -> Difference:
    """Difference of two proportions measured on the same replications (common random numbers).

    ``a[r]`` and ``b[r]`` are the outcomes of replication r in the two scenarios. The interval is Newcombe's
    (1998, method 10) hybrid score interval for paired proportions: the Wilson intervals of both proportions
    combined through the phi correlation of the pairs, so a strong positive correlation (what CRN buys) narrows
    the interval.
    """
    x, y = np.asarray(a, dtype=bool), np.asarray(b, dtype=bool)
    if x.shape != y.shape:
        raise ValueError(f"paired outcomes need the same length, got {x.size} and {y.size}")
    n = int(x.size)
    if n == 0:
        return Difference(0, 0, math.nan, -1.0, 1.0, True, "newcombe-paired")
    both, only_a = int((x & y).sum()), int((x & ~y).sum())
    only_b, neither = int((~x & y).sum()), int((~x & ~y).sum())
    pa, pb = wilson(both + only_a, n, confidence), wilson(both + only_b, n, confidence)
    denom = (both + only_a) * (only_b + neither) * (both + only_b) * (only_a + neither)
    phi = (both * neither - only_a * only_b) / math.sqrt(denom) if denom > 0 else 0.0
    low, high = _newcombe(pa, pb, phi)
    return Difference(n, n, pa.p - pb.p, low, high, True, "newcombe-paired")


def unpaired_difference(a: Sequence[bool], b: Sequence[bool], confidence: float = 0.95) -> Difference:
    """Difference of two proportions from independent samples (Newcombe 1998, method 10, phi = 0)."""
    x, y = np.asarray(a, dtype=bool), np.asarray(b, dtype=bool)
    pa, pb = wilson(int(x.sum()), int(x.size), confidence), wilson(int(y.sum()), int(y.size), confidence)
    if x.size == 0 or y.size == 0:
        return Difference(int(x.size), int(y.size), math.nan, -1.0, 1.0, False, "newcombe-unpaired")
    low, high = _newcombe(pa, pb, 0.0)
    return Difference(int(x.size), int(y.size), pa.p - pb.p, low, high, False, "newcombe-unpaired")


def mean_difference_se(a: Sequence[float], b: Sequence[float], paired: bool) -> float:
    """Standard error of mean(a) - mean(b): from the pairwise differences when paired, else from both variances.

    Under common random numbers the paired standard error is smaller whenever the two scenarios' outcomes are
    positively correlated, which is the point of CRN.
    """
    x, y = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    if paired:
        d = x - y
        return float(d.std(ddof=1) / math.sqrt(d.size))
    return float(math.sqrt(x.var(ddof=1) / x.size + y.var(ddof=1) / y.size))


@dataclass(frozen=True)
class MeanInterval:
    """Mean of a sample and its Student-t confidence interval."""

    n: int
    mean: float
    low: float
    high: float


def mean_interval(values: Sequence[float], confidence: float = 0.95) -> MeanInterval:
    """Mean and Student-t interval (``scipy.stats.t.interval`` with the standard error of the mean); the interval
    is the mean itself when every value is equal, and undefined (NaN) for fewer than two values."""
    x = np.asarray(values, dtype=float)
    if x.size == 0:
        return MeanInterval(0, math.nan, math.nan, math.nan)
    m = float(x.mean())
    if x.size < 2:
        return MeanInterval(1, m, math.nan, math.nan)
    sem = float(x.std(ddof=1) / math.sqrt(x.size))
    if sem == 0.0:
        return MeanInterval(int(x.size), m, m, m)
    from scipy import stats  # imported on use (not for a single run): it is slow to import

    low, high = stats.t.interval(confidence, x.size - 1, loc=m, scale=sem)
    return MeanInterval(int(x.size), m, float(low), float(high))
