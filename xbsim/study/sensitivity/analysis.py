"""Sobol' indices (first and total order, bootstrap intervals) on a scrambled Sobol' design, and a Latin hypercube
exploration, of a vectorised model function.

The design follows scipy.stats.sobol_indices (Saltelli 2010): two matrices A and B of n scrambled Sobol' points
(n a power of 2) and the d matrices AB_i (A with column i taken from B), n (d + 2) evaluations in all; the indices
come from ``scipy.stats.sobol_indices`` given those evaluations. The design is drawn here, and the bootstrap done
with ``scipy.stats.bootstrap``, so that both use the study's own random streams and a rerun gives identical
numbers (scipy's SobolResult.bootstrap draws from numpy's global state, and fails on resamples in which a binary
outcome happens to be constant).
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats
from scipy.stats import qmc

from xbsim.core.errors import InputError
from xbsim.study.sensitivity.params import Param


@dataclass
class SobolDesign:
    """The evaluated Saltelli design: points (d, n) and outputs (s, n) of A and B, and (d, s, n) of the AB_i."""

    A: np.ndarray
    B: np.ndarray
    f_A: np.ndarray
    f_B: np.ndarray
    f_AB: np.ndarray


def saltelli_design(params: list[Param], n: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """A and B, each (d, n), from one scrambled Sobol' sequence of dimension 2d mapped through the parameters'
    distributions."""
    if n < 2 or n & (n - 1):
        raise InputError(f"sensitivity: n must be a power of 2 (2, 4, 8, ...), got {n}")
    d = len(params)
    u = qmc.Sobol(d=2 * d, scramble=True, rng=rng).random(n).T
    a = np.vstack([p.scale(u[i]) for i, p in enumerate(params)])
    b = np.vstack([p.scale(u[d + i]) for i, p in enumerate(params)])
    return a, b


def evaluate_design(func: Callable[[np.ndarray], np.ndarray], a: np.ndarray, b: np.ndarray) -> SobolDesign:
    """Evaluate A, B and every AB_i in one vectorised call."""
    d, n = a.shape
    ab = np.repeat(a[None, :, :], d, axis=0)
    for i in range(d):
        ab[i, i, :] = b[i, :]
    x = np.hstack([a, b, *ab])  # (d, n (d + 2))
    y = np.atleast_2d(func(x))
    f_a, f_b = y[:, :n], y[:, n:2 * n]
    f_ab = np.stack([y[:, (2 + i) * n:(3 + i) * n] for i in range(d)])  # (d, s, n)
    return SobolDesign(a, b, f_a, f_b, f_ab)


def _indices(f_a: np.ndarray, f_b: np.ndarray, f_ab: np.ndarray) -> np.ndarray:
    """First and total order indices stacked as (2, s, d); NaN for an output without variance."""
    n = f_a.shape[1]
    with warnings.catch_warnings(), np.errstate(divide="ignore", invalid="ignore"):
        warnings.simplefilter("ignore", RuntimeWarning)
        res = stats.sobol_indices(func={"f_A": f_a, "f_B": f_b, "f_AB": f_ab}, n=n)
    s, d = f_a.shape[0], f_ab.shape[0]
    first = np.asarray(res.first_order, dtype=float).reshape(s, d)
    total = np.asarray(res.total_order, dtype=float).reshape(s, d)
    flat = np.var(np.hstack([f_a, f_b]), axis=1) == 0
    first[flat], total[flat] = np.nan, np.nan
    return np.stack([first, total])


def sobol_table(design: SobolDesign, params: list[Param], outputs: list[str], rng: np.random.Generator,
                confidence: float = 0.95, n_resamples: int = 999) -> pd.DataFrame:
    """First and total order indices of each output for each parameter, with percentile bootstrap intervals
    from resampling the n rows of the design (resamples in which an output has no variance are left out)."""
    est = _indices(design.f_A, design.f_B, design.f_AB)
    n = design.f_A.shape[1]
    draws = np.empty((n_resamples, *est.shape))
    for b in range(n_resamples):
        idx = rng.integers(0, n, size=n)
        draws[b] = _indices(design.f_A[:, idx], design.f_B[:, idx], design.f_AB[..., idx])
    alpha = (1 - confidence) / 2
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN slices: outputs without variance
        low = np.nanquantile(draws, alpha, axis=0)
        high = np.nanquantile(draws, 1 - alpha, axis=0)
    rows = []
    for o, out in enumerate(outputs):
        for i, p in enumerate(params):
            rows.append({"output": out, "parameter": p.key,
                         "S1": est[0, o, i], "S1_low": low[0, o, i], "S1_high": high[0, o, i],
                         "ST": est[1, o, i], "ST_low": low[1, o, i], "ST_high": high[1, o, i]})
    df = pd.DataFrame(rows)
    flat = df["S1"].isna()
    df.loc[flat, ["S1_low", "S1_high", "ST_low", "ST_high"]] = np.nan
    return df


def lhs_design(params: list[Param], n: int, rng: np.random.Generator) -> np.ndarray:
    """n Latin hypercube points (d, n) over the parameters' distributions, for exploration."""
    u = qmc.LatinHypercube(d=len(params), rng=rng).random(n).T
    return np.vstack([p.scale(u[i]) for i, p in enumerate(params)])
