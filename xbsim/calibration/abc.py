"""Likelihood-free Bayesian calibration of chosen parameters to monitoring data (pyabc's ABC-SMC).

Why pyabc: the model has no tractable likelihood, runs in a fraction of a second at reduced scale and returns a
few dozen counts, which is what sequential Monte Carlo ABC is for; pyabc is maintained, pure Python, runs on one
or several cores (or a cluster) and adapts the distance's scales (Prangle 2017) and the threshold per generation.
sbi needs PyTorch and many more simulations for its neural density estimators; elfi is less actively kept.

**Summary statistics.** For every indicator of :data:`~xbsim.calibration.monitoring.INDICATORS`, its total over
each block of ``abc.block_months`` months from month 1 up to the last observed month (the last block may be
shorter): ``surveys_returned.m1-3``, ``surveys_returned.m4-6`` ... Quarterly totals keep the timing (B2B events,
workshops, the first partnerships) while smoothing month-to-month noise.

**Distance.** pyabc's ``AdaptivePNormDistance`` (p = 2): each statistic is divided by its median absolute
deviation over the previous generation's simulations, so counts of different sizes weigh alike; a statistic that
never varies (e.g. members recruited before the feasibility study) gets weight 0.

**Randomness.** pyabc draws parameters from numpy's global generator, seeded with ``seed``; each simulation's
model seed is a hash of (``seed``, the parameter vector), so a particle's simulation can be re-run exactly --
which the forecast does to continue the accepted trajectories. With ``abc.workers`` = 1 the posterior is
bit-reproducible; with more, pyabc's multicore sampler reseeds its workers, so it is reproducible in
distribution only.
"""

from __future__ import annotations

import hashlib
import logging
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from xbsim.calibration.monitoring import INDICATORS, indicators_of


def safe_name(key: str) -> str:
    """A calibrated key as a pyabc parameter name (``b2b.acceptance_intercept`` -> ``b2b__acceptance_intercept``);
    the model reads ``__`` as ``.``."""
    return key.replace(".", "__")


def model_seed(seed: int, theta: np.ndarray) -> int:
    """The model seed of one simulation: a hash of the calibration seed and the parameter vector."""
    digest = hashlib.blake2b(
        np.asarray(theta, dtype=np.float64).tobytes() + int(seed).to_bytes(8, "little"), digest_size=4
    ).digest()
    return int.from_bytes(digest, "little") & 0x7FFFFFFF


def blocks(months: int, size: int) -> list[tuple[int, int]]:
    """(first, last) month of each block of ``size`` months in 1..``months``."""
    return [(a, min(a + size - 1, months)) for a in range(1, months + 1, size)]


def summary_statistics(wide: pd.DataFrame, months: int, block_months: int) -> dict[str, float]:
    """Each indicator's total per block of months (see the module docstring)."""
    stats: dict[str, float] = {}
    for a, b in blocks(months, block_months):
        part = wide.loc[a:b]
        for ind in INDICATORS:
            stats[f"{ind}.m{a}-{b}"] = float(part[ind].sum())
    return stats


@dataclass
class Simulator:
    """Runs the scenario ``base`` (a plain config) with calibrated values, to a month; picklable for workers."""

    base: dict[str, Any]
    keys: list[str]
    seed: int
    months: int
    block_months: int

    def theta(self, values: dict[str, float]) -> np.ndarray:
        return np.array([float(values[safe_name(k)]) for k in self.keys])

    def model(self, theta: np.ndarray, to_month: int | None = None, actions: dict[str, Any] | None = None) -> Any:
        """The model of parameter vector ``theta``, run to ``to_month`` (default: the observed month); with
        ``actions``, run to the observed month, the actions applied from then on, then to ``to_month``."""
        from xbsim.model import XBSimModel

        model = XBSimModel(
            self.base,
            rng=model_seed(self.seed, theta),
            parameters={k: float(v) for k, v in zip(self.keys, theta, strict=True)},
        )
        end = self.months if to_month is None else to_month
        if actions:
            while model.month < min(self.months, end):
                model.step()
            model.apply_from_now(actions)
        while model.month < end:
            model.step()
        return model

    def __call__(self, values: dict[str, float]) -> dict[str, float]:
        """pyabc's model: parameters -> summary statistics of the observed months."""
        model = self.model(self.theta(values))
        return summary_statistics(indicators_of(model, self.months), self.months, self.block_months)


@dataclass
class Posterior:
    """Weighted particles of the calibrated parameters (columns: the dotted keys, then ``weight``)."""

    particles: pd.DataFrame
    keys: list[str]
    generations: int
    simulations: int
    epsilons: list[float]
    observed_months: int

    @property
    def ess(self) -> float:
        """Effective sample size of the weighted particles, (sum w)^2 / sum w^2 (Kish)."""
        w = self.particles["weight"].to_numpy(float)
        return float(w.sum() ** 2 / (w**2).sum())

    def sample(self, n: int, rng: np.random.Generator) -> np.ndarray:
        """``n`` parameter vectors resampled by weight (systematic resampling keeps the mix of particles)."""
        w = self.particles["weight"].to_numpy(float)
        cum = np.cumsum(w / w.sum())
        idx = np.searchsorted(cum, (rng.random() + np.arange(n)) / n).clip(max=len(w) - 1)
        return self.particles[self.keys].to_numpy(float)[rng.permutation(idx)]

    def interval(self, level: float) -> pd.DataFrame:
        """Weighted mean, median and central ``level`` credible interval of each parameter."""
        w = self.particles["weight"].to_numpy(float)
        rows = []
        for k in self.keys:
            x = self.particles[k].to_numpy(float)
            o = np.argsort(x)
            cdf = np.cumsum(w[o]) / w.sum()
            q = [float(x[o][min(np.searchsorted(cdf, p), x.size - 1)]) for p in ((1 - level) / 2, 0.5, (1 + level) / 2)]
            rows.append(
                {"parameter": k, "mean": float(np.average(x, weights=w)), "median": q[1], "low": q[0], "high": q[2]}
            )
        return pd.DataFrame(rows)


def prior_sample(priors: dict[str, dict[str, float]], n: int, rng: np.random.Generator) -> pd.DataFrame:
    """``n`` equally weighted draws from the uniform priors."""
    df = pd.DataFrame({k: rng.uniform(p["low"], p["high"], n) for k, p in priors.items()})
    df["weight"] = 1.0 / n
    return df


def calibrate(
    observed: pd.DataFrame, base: dict[str, Any], settings: dict[str, Any], db: Path, progress: bool = True
) -> tuple[Posterior, Simulator]:
    """ABC-SMC posterior of ``settings['priors']`` given the observed months of ``observed`` (month x indicator).

    With no observed month, nothing constrains the parameters: the posterior is the prior (a sample of
    ``abc.population_size`` draws) and no simulation is run.
    """
    keys = list(settings["priors"])
    a = settings["abc"]
    months = int(observed.index.max()) if len(observed) else 0
    sim = Simulator(base, keys, int(settings["seed"]), months, int(a["block_months"]))
    if months == 0:
        rng = np.random.default_rng([int(settings["seed"]), 0])
        return Posterior(prior_sample(settings["priors"], int(a["population_size"]), rng), keys, 0, 0, [], 0), sim
    try:
        import pyabc
    except ImportError:
        from xbsim.core.errors import InputError

        raise InputError(
            "calibration needs pyabc, which is not installed; allowed: pip install 'xbsim[calibrate]'"
        ) from None
    log = logging.getLogger("ABC")
    if progress and not log.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("xbsim-calibrate: %(message)s"))
        log.addHandler(handler)
    log.setLevel(logging.INFO if progress else logging.WARNING)
    for name in ("ABC.Sampler", "ABC.Distance", "ABC.Epsilon", "ABC.History", "ABC.Adaptation"):
        logging.getLogger(name).setLevel(logging.WARNING)
    prior = pyabc.Distribution(
        **{safe_name(k): pyabc.RV("uniform", p["low"], p["high"] - p["low"]) for k, p in settings["priors"].items()}
    )
    workers = os.cpu_count() or 1 if a["workers"] == -1 else int(a["workers"])
    sampler = (
        pyabc.sampler.SingleCoreSampler()
        if workers == 1
        else pyabc.sampler.MulticoreEvalParallelSampler(n_procs=workers)
    )
    abc = pyabc.ABCSMC(
        sim, prior, pyabc.AdaptivePNormDistance(p=2), population_size=int(a["population_size"]), sampler=sampler
    )
    saved = np.random.get_state()  # noqa: NPY002 -- pyabc draws from numpy's global generator: seed it, then restore it
    np.random.seed(int(settings["seed"]) % 2**32)  # noqa: NPY002
    try:
        abc.new(f"sqlite:///{db}", summary_statistics(observed, months, sim.block_months))
        history = abc.run(
            minimum_epsilon=float(a["min_epsilon"]),
            max_nr_populations=int(a["generations"]),
            min_acceptance_rate=float(a["min_acceptance_rate"]),
        )
    finally:
        np.random.set_state(saved)  # noqa: NPY002
    df, w = history.get_distribution(m=0, t=history.max_t)
    particles = pd.DataFrame({k: df[safe_name(k)].to_numpy(float) for k in keys})
    particles["weight"] = np.asarray(w, dtype=float)
    pops = history.get_all_populations()
    pops = pops[pops["t"] >= 0]
    posterior = Posterior(
        particles,
        keys,
        int(history.max_t) + 1,
        int(history.total_nr_simulations),
        [float(e) for e in pops["epsilon"]],
        months,
    )
    return posterior, sim
