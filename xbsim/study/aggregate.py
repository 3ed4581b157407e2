"""Scenario-level results from the records of its replications: per pole P(viable) with its Wilson interval,
time to critical mass (Kaplan-Meier, censored at the horizon), members (total and by territory), the funnel
and partnership counts; as JSON-ready data and as tidy tables."""

from __future__ import annotations

from typing import Any

import pandas as pd

from xbsim.study import stats
from xbsim.study.records import Record, pole_rows, run_rows, with_scenario


def pole_results(records: list[Record], confidence: float = 0.95) -> dict[str, dict[str, Any]]:
    """Per pole: n, viable count, p_viable and its interval, time to critical mass, members."""
    if not records:
        return {}
    horizon = records[0]["horizon_months"]
    out: dict[str, dict[str, Any]] = {}
    for name in records[0]["poles"]:
        poles = [rec["poles"][name] for rec in records]
        prop = stats.wilson(sum(p["viable"] for p in poles), len(poles), confidence)
        ttcm = stats.time_to_event([p["constitution_month"] if p["viable"] else None for p in poles], horizon)
        territories = list(poles[0]["members_by_territory"])
        go = stats.wilson(sum(p["feasibility_go"] for p in poles), len(poles), confidence)
        out[name] = {
            "label": poles[0]["label"],
            "n": prop.n, "viable": prop.k, "p_viable": prop.p, "ci_low": prop.low, "ci_high": prop.high,
            "half_width": prop.half_width,
            "time_to_critical_mass": ttcm.as_dict(),
            "members": stats.describe([p["members"] for p in poles]),
            "members_by_territory": {t: stats.describe([p["members_by_territory"][t] for p in poles])
                                     for t in territories},
            "feasibility_go": {"k": go.k, "p": go.p, "ci_low": go.low, "ci_high": go.high},
            "markets_reached": stats.describe([p["markets_reached"] for p in poles]),
        }
    return out


def pole_row(p: dict[str, Any]) -> dict[str, Any]:
    """A pole's results (:func:`pole_results`) as the columns of a table row, from n to members_mean: what
    viability.csv and a sweep's results.csv share."""
    t = p["time_to_critical_mass"]
    return {"n": p["n"], "viable": p["viable"], "p_viable": p["p_viable"], "ci_low": p["ci_low"],
            "ci_high": p["ci_high"], "half_width": p["half_width"], "reached_critical_mass": t["events"],
            "ttcm_median": t["median"], "ttcm_q1": t["q1"], "ttcm_q3": t["q3"], "horizon_months": t["horizon"],
            "members_mean": p["members"]["mean"]}


def max_half_width(poles: dict[str, dict[str, Any]]) -> float:
    """The widest CI half-width over the poles (what adaptive mode drives below its target)."""
    return max((p["half_width"] for p in poles.values()), default=float("inf"))


def count_results(records: list[Record]) -> dict[str, dict[str, dict[str, float]]]:
    """Funnel stages, partnership and B2B counts: mean, sd and quantiles over the replications."""
    return {
        section: {key: stats.describe([rec[section][key] for rec in records]) for key in records[0][section]}
        for section in ("funnel", "partnerships", "b2b")
    } if records else {}


def tables(records: list[Record], poles: dict[str, dict[str, Any]],
           counts: dict[str, dict[str, dict[str, float]]], scenario: str = "default",
           swept: dict[str, Any] | None = None) -> dict[str, pd.DataFrame]:
    """The tidy tables of a scenario, by file stem; the per-replication ones (replications, replications_poles)
    start with the scenario id and its swept parameters' values."""
    viability = pd.DataFrame([
        {"pole": name, "label": p["label"], **pole_row(p), "feasibility_go_share": p["feasibility_go"]["p"]}
        for name, p in poles.items()])
    for col in ("ttcm_median", "ttcm_q1", "ttcm_q3"):
        viability[col] = viability[col].astype("Float64").round().astype("Int64")  # months
    members = pd.DataFrame([
        {"pole": name, "territory": t, **d} for name, p in poles.items() for t, d in p["members_by_territory"].items()
    ] + [{"pole": name, "territory": "all", **p["members"]} for name, p in poles.items()])
    funnel = pd.DataFrame([{"stage": k, **d} for k, d in counts["funnel"].items()])
    partnerships = pd.DataFrame([{"measure": f"{section}_{k}", **d} for section in ("partnerships", "b2b")
                                 for k, d in counts[section].items()])
    return {"viability": viability, "members_by_territory": members, "funnel": funnel,
            "partnership_counts": partnerships,
            "replications_poles": with_scenario(pole_rows(records), scenario, swept or {}),
            "replications": with_scenario(run_rows(records), scenario, swept or {})}
