"""The outcome of one replication, taken from its summary.json, and the tidy per-replication tables.

A record holds only what the scenario statistics need (viability, constitution month, members by territory,
the funnel, partnership and B2B counts), so a replication whose files were written earlier can be reused from
its summary.json alone. The per-replication tables of a scenario start with its id and its swept parameters
(:func:`with_scenario`), so that the tables of a sweep's scenarios concatenate into tidy data.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

Record = dict[str, Any]

PARTNERSHIP_KEYS = ("formed", "active", "active_cross_border", "dissolved", "from_workshops", "from_introductions")
B2B_KEYS = ("participants", "held", "follow_ups", "partnerships")


def record_from_summary(summary: dict[str, Any]) -> Record:
    """The replication's outcome from its summary (see xbsim.outputs.summary.build_summary)."""
    poles = {}
    for name, p in summary["poles"].items():
        poles[name] = {
            "label": p["label"],
            "viable": bool(p["viable"]),
            "constitution_month": p["constitution_month"],
            "members": int(p["members"]),
            "members_by_territory": {k: int(v) for k, v in p["members_by_territory"].items()},
            "feasibility_go": bool(p["feasibility"]["go"]),
            "feasibility_verdict": str(p["feasibility"]["verdict"]),  # go, conditional, no-go or pending
            "markets_reached": len(p["reachable_markets"]),
        }
    return {
        "replication": int(summary["replication"]),
        "seed": int(summary["seed"]),
        "horizon_months": int(summary["horizon_months"]),
        "poles": poles,
        "funnel": {k: int(v) for k, v in summary["funnel"].items()},
        "partnerships": {k: int(summary["partnerships"][k]) for k in PARTNERSHIP_KEYS},
        "b2b": {k: int(summary["b2b"][k]) for k in B2B_KEYS},
        "indicators": {k: int(v) for k, v in summary.get("indicators", {}).items()},  # none in older summaries
    }


def pole_rows(records: list[Record]) -> pd.DataFrame:
    """One row per replication x pole: viability, constitution month, members (total and by territory)."""
    rows = []
    for rec in records:
        for name, p in rec["poles"].items():
            row = {"replication": rec["replication"], "seed": rec["seed"], "pole": name, "viable": p["viable"],
                   "constitution_month": p["constitution_month"], "members": p["members"],
                   "feasibility_go": p["feasibility_go"], "feasibility_verdict": p["feasibility_verdict"],
                   "markets_reached": p["markets_reached"]}
            row.update({f"members_{t}": v for t, v in p["members_by_territory"].items()})
            rows.append(row)
    df = pd.DataFrame(rows)
    if len(df):
        df["constitution_month"] = df["constitution_month"].astype("Int64")
    return df


def run_rows(records: list[Record]) -> pd.DataFrame:
    """One row per replication: the funnel, partnership and B2B counts, and the Interreg indicators (RCO87...)."""
    rows = []
    for rec in records:
        row: dict[str, Any] = {"replication": rec["replication"], "seed": rec["seed"]}
        row.update({f"funnel_{k}": v for k, v in rec["funnel"].items()})
        row.update({f"partnerships_{k}": v for k, v in rec["partnerships"].items()})
        row.update({f"b2b_{k}": v for k, v in rec["b2b"].items()})
        row.update(rec.get("indicators", {}))
        rows.append(row)
    return pd.DataFrame(rows)


SCENARIO_COLUMN = "scenario"


def with_scenario(df: pd.DataFrame, scenario: str, swept: dict[str, Any]) -> pd.DataFrame:
    """``df`` with the scenario id and one column per swept parameter (named by its config key, e.g.
    ``b2b.max_meetings_per_participant``) as its first columns. A parameter that is already a column of the table
    (``seed``, when the seed is swept) is that column; the scenario column is always set to ``scenario``."""
    out = df.copy()
    out[SCENARIO_COLUMN] = scenario
    for key, value in swept.items():
        if key not in out.columns:
            out[key] = value
    front = [SCENARIO_COLUMN, *(k for k in swept if k != SCENARIO_COLUMN)]
    return out[front + [c for c in out.columns if c not in front]]
