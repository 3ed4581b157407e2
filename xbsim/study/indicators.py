"""Interreg indicators over the replications of a scenario: mean with its Student-t interval, quantiles, and
for each planner's target (``indicators.targets``) the probability that it is met with its Wilson interval.

:func:`indicator_results` works on records (or on plain per-replication values with :func:`summarise`), so an
intervention search can use any indicator as a target: ``summarise(values, target)["p_met"]``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from xbsim.core.config.schema import indicator_keys
from xbsim.programme.indicators import NAMES
from xbsim.study import stats
from xbsim.study.records import Record


def summarise(values: Sequence[float], target: float | None = None, confidence: float = 0.95) -> dict[str, Any]:
    """One indicator over replications: n, mean and its interval (clipped at 0: the values are counts), sd and
    quantiles; with a target, the number
    of replications reaching it (value >= target), P(met) and its Wilson interval."""
    mi = stats.mean_interval(values, confidence)
    low = max(mi.low, 0.0) if mi.low == mi.low else mi.low  # every indicator is a count: never below 0
    out: dict[str, Any] = {"n": mi.n, "mean": mi.mean, "ci_low": low, "ci_high": mi.high,
                           **{k: v for k, v in stats.describe(values).items() if k != "mean"}}
    if target is not None:
        prop = stats.wilson(sum(v >= target for v in values), len(values), confidence)
        out.update({"target": float(target), "met": prop.k, "p_met": prop.p, "p_met_low": prop.low,
                    "p_met_high": prop.high})
    return out


def indicator_results(records: list[Record], targets: dict[str, float | None] | None = None,
                      confidence: float = 0.95) -> dict[str, dict[str, Any]]:
    """Per indicator key (``RCO87``, ``RCO01.micro``...): :func:`summarise` over the records that carry it."""
    targets = {k: v for k, v in (targets or {}).items() if v is not None}
    with_values = [rec["indicators"] for rec in records if rec.get("indicators")]
    if not with_values:
        return {}
    return {key: {"name": _name(key), **summarise([v[key] for v in with_values],
                                                                 targets.get(key), confidence)}
            for key in indicator_keys() if key in with_values[0]}


def _name(key: str) -> str:
    code, _, size = key.partition(".")
    return NAMES[code] + (f" ({size})" if size else "")


def indicator_table(results: dict[str, dict[str, Any]]) -> pd.DataFrame:
    """One row per indicator key: its name, mean, interval, quantiles and target columns (empty without one)."""
    cols = ["indicator", "name", "n", "mean", "ci_low", "ci_high", "sd", "q05", "q25", "q50", "q75", "q95",
            "target", "met", "p_met", "p_met_low", "p_met_high"]
    return pd.DataFrame([{"indicator": key, **r} for key, r in results.items()], columns=cols)
