"""The forecast: posterior-predictive runs from the last observed month to the horizon, for the programme as
planned (``baseline``) and for each alternative action.

Each draw is an accepted simulation of the reference table, resampled by its ABC weight, re-run with its own
model seed (a hash of the parameters, see :func:`xbsim.calibration.abc.model_seed`). A draw's first months are
therefore the simulation ABC accepted as close to the observed counts, so the forecast is conditioned on the
calibrated parameters *and* (within the ABC tolerance) on the observed trajectory. (The regression-adjusted
parameters of the posterior table have no simulated trajectory, so the forecast uses the accepted
simulations' own parameters, whose spread is that of the rejection posterior: wider, not narrower.) An
action's overrides are applied from the month after the last observed one
(:meth:`xbsim.model.XBSimModel.apply_from_now`); the baseline and the actions share the draws (common random
numbers), so their difference is paired.

Per pole and action: P(viable by the horizon) with its Jeffreys credible interval (the Monte-Carlo uncertainty of
the posterior-predictive probability over ``forecast.draws`` runs), the paired difference to the baseline
(Newcombe), and the time to critical mass: the median and the central ``credible_level`` predictive interval of
the constitution month (a pole that is not constituted counts as later than the horizon, shown as ``>H``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from xbsim.calibration.abc import Posterior, Simulator

BASELINE = "baseline"


def one_draw(
    sim: Simulator, theta: np.ndarray, plans: dict[str, dict[str, Any]], d: int
) -> tuple[list[dict[str, Any]], pd.DataFrame]:
    """Draw ``d`` (parameters ``theta``) under every plan: its pole rows and its baseline indicators."""
    from xbsim.calibration.monitoring import indicators_of

    rows, series = [], None
    for action, overrides in plans.items():
        model = sim.model(theta, to_month=int(sim.base["horizon_months"]), actions=overrides or None)
        if action == BASELINE:
            series = indicators_of(model).reset_index().assign(draw=d)
        for pole in model.poles:
            rows.append(
                {
                    "draw": d,
                    "action": action,
                    "pole": pole.name,
                    "viable": bool(pole.constituted),
                    "constitution_month": pole.constitution_month,
                    "members": int(model.state.member[:, pole.index].sum()),
                    **dict(zip(sim.keys, theta.tolist(), strict=True)),
                }
            )
    return rows, series


def run_draws(
    posterior: Posterior,
    sim: Simulator,
    actions: dict[str, dict[str, Any]],
    draws: int,
    seed: int,
    progress: Callable[[str], None] | None = None,
    workers: int = 1,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(poles, series): one row per draw x action x pole (viable, constitution_month, members at the horizon,
    the draw's parameters), and the baseline's monitoring indicators, one row per draw x month (for the
    posterior-predictive checks). Draws are independent, so ``workers`` processes give the same result."""
    from joblib import Parallel, delayed

    theta = posterior.sample(draws, np.random.default_rng([int(seed), 1]))
    plans = {BASELINE: {}, **actions}
    results = []
    for res in Parallel(n_jobs=workers, return_as="generator")(
        delayed(one_draw)(sim, theta[d], plans, d) for d in range(draws)
    ):
        results.append(res)
        if progress and (len(results) % 10 == 0 or len(results) == draws):
            progress(f"forecast: {len(results)}/{draws} draws x {len(plans)} actions")
    df = pd.DataFrame([r for rows, _ in results for r in rows])
    df["constitution_month"] = df["constitution_month"].astype("Int64")
    return df, pd.concat([s for _, s in results], ignore_index=True)


def jeffreys(k: int, n: int, level: float) -> tuple[float, float]:
    """Central credible interval of a probability from k of n (Jeffreys prior Beta(1/2, 1/2))."""
    a = (1 - level) / 2
    return (
        float(stats.beta.ppf(a, k + 0.5, n - k + 0.5)) if k > 0 else 0.0,
        float(stats.beta.ppf(1 - a, k + 0.5, n - k + 0.5)) if k < n else 1.0,
    )


def month_quantile(months: pd.Series, q: float, horizon: int) -> float:
    """The q-quantile of the constitution month, not constituted = after the horizon (inf)."""
    x = months.astype("float").fillna(np.inf).to_numpy()
    return float(np.quantile(x, q, method="inverted_cdf"))


def summarise(draws: pd.DataFrame, horizon: int, level: float) -> pd.DataFrame:
    """One row per action x pole: P(viable) [interval], difference to the baseline [interval], time to critical
    mass (median [interval])."""
    from xbsim.study.stats import paired_difference

    rows = []
    for (action, pole), g in draws.groupby(["action", "pole"], sort=False):
        g = g.sort_values("draw")
        k, n = int(g["viable"].sum()), len(g)
        low, high = jeffreys(k, n, level)
        base = draws[(draws["action"] == BASELINE) & (draws["pole"] == pole)].sort_values("draw")
        diff = paired_difference(g["viable"].to_numpy(), base["viable"].to_numpy(), level)
        rows.append(
            {
                "action": action,
                "pole": pole,
                "draws": n,
                "p_viable": k / n,
                "p_viable_low": low,
                "p_viable_high": high,
                "difference": diff.diff,
                "difference_low": diff.low,
                "difference_high": diff.high,
                "months_median": month_quantile(g["constitution_month"], 0.5, horizon),
                "months_low": month_quantile(g["constitution_month"], (1 - level) / 2, horizon),
                "months_high": month_quantile(g["constitution_month"], (1 + level) / 2, horizon),
            }
        )
    return pd.DataFrame(rows)


def fmt_month(x: float, horizon: int) -> str:
    return f">{horizon}" if not np.isfinite(x) else f"{x:.0f}"
