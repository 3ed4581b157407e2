"""The report's tables: one row per scenario x pole (results.csv, failed and unfinished scenarios included), the
baseline scenario and the differences of every other scenario against it (paired on common random numbers when
the seeds agree)."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pandas as pd

from xbsim.study import stats
from xbsim.study.aggregate import pole_row
from xbsim.study.collect import Collection, Scenario, swept_parameters, swept_values
from xbsim.study.hydra_support import parameters

RESULT_COLUMNS = ["n", "viable", "p_viable", "ci_low", "ci_high", "half_width", "reached_critical_mass",
                  "ttcm_median", "ttcm_q1", "ttcm_q3", "horizon_months", "members_mean"]
# whole numbers, kept so (nullable) when failed scenarios add empty rows
INTEGER_COLUMNS = ("n", "viable", "reached_critical_mass", "ttcm_median", "ttcm_q1", "ttcm_q3", "horizon_months",
                   "seed")


def labels(col: Collection) -> dict[str, str]:
    """Scenario names for tables and figures: every swept parameter's name and value, whole (the scenario's
    key when nothing is swept)."""
    swept, _ = swept_parameters(col)
    if not swept:
        return {s.key: s.key for s in col.scenarios}
    return {s.key: _label(s.parameters, swept) for s in col.scenarios}


def _label(params: dict[str, Any], swept: list[str]) -> str:
    from xbsim.outputs.names import scenario_label

    return scenario_label(params, swept)


def results_table(col: Collection, failed: bool = False) -> pd.DataFrame:
    """One row per scenario x pole with the swept parameters as columns and the scenario's ``status``
    ("finished"). With ``failed``, every failed and unfinished scenario adds one row per pole with its parameter
    values, its status ("failed", "unfinished"), its ``error`` and empty results (what results.csv holds)."""
    swept, _ = swept_parameters(col)
    names = labels(col)
    rows = []
    for s in col.scenarios:
        values = swept_values(s, swept)
        for pole, p in s.doc["poles"].items():
            rows.append({"scenario": s.key, "label": names[s.key], **values, "pole": pole, "status": "finished",
                         **pole_row(p), "confidence": s.doc["confidence"], "seed": s.doc["seed"],
                         "stop_reason": s.doc["replications"]["stop_reason"], "error": None})
    if failed:
        rows += _unfinished_rows(col, swept)
    df = pd.DataFrame(rows)
    for col_name in INTEGER_COLUMNS:
        if col_name in df:
            df[col_name] = df[col_name].astype("Float64").round().astype("Int64")
    return df


def _unfinished_rows(col: Collection, swept: list[str]) -> list[dict[str, Any]]:
    """Rows of the failed and unfinished scenarios: parameters, status and error, empty results, one per pole
    of the sweep (one row with an empty pole when no scenario finished)."""
    rows = []
    jobs = [(f, "failed", f.get("error")) for f in col.failures]
    jobs += [(j, "unfinished", "started but not finished (no scenario.json nor failed.json)")
             for j in col.unfinished_jobs]
    for job, status, error in jobs:
        params = job.get("parameters") if isinstance(job.get("parameters"), dict) else {}
        key = str(job.get("scenario") or Path(job["dir"]).name)
        for pole in col.poles or [None]:
            row: dict[str, Any] = {"scenario": key, "label": _label(params, swept) if swept else key}
            row.update({k: params.get(k) for k in swept})
            row.update({"pole": pole, "status": status, **dict.fromkeys(RESULT_COLUMNS), "confidence": None,
                        "seed": None, "stop_reason": None, "error": error})
            rows.append(row)
    return rows


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, int | float) and isinstance(b, int | float) and not isinstance(a, bool | str):
        return math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-12)
    return str(a) == str(b)


def choose_baseline(col: Collection, spec: str | None = None) -> tuple[Scenario | None, str]:
    """The scenario every other one is compared with, and why it was chosen.

    ``spec`` ("key=value,key=value") names it explicitly. Otherwise it is the scenario whose swept parameters
    hold the default programme's values (the composed configuration with the overrides all scenarios share),
    failing that the first scenario in parameter order.
    """
    if len(col.scenarios) < 2:
        return (col.scenarios[0] if col.scenarios else None), "the only scenario"
    swept, common = swept_parameters(col)
    if spec:
        wanted = parameters([x for x in spec.split(",") if x])
        for s in col.scenarios:
            if all(_same(s.parameters.get(k), v) for k, v in wanted.items()):
                return s, f"chosen on the command line ({spec})"
        raise ValueError(f"no scenario matches the baseline {spec!r}")
    defaults = _default_values(col, swept)
    if defaults:
        for s in col.scenarios:
            if all(_same(s.parameters.get(k), defaults[k]) for k in swept):
                text = ", ".join(f"{k}={defaults[k]}" for k in swept)
                return s, f"the default programme's values ({text})"
    return col.scenarios[0], "the first scenario (the default programme's values are not among the scenarios)"


def _default_values(col: Collection, swept: list[str]) -> dict[str, Any] | None:
    """Values of the swept keys in the configuration composed with the overrides shared by every scenario."""
    from omegaconf import OmegaConf

    from xbsim.core.config import compose

    swept_set = set(swept)
    shared = [o for o in col.scenarios[0].doc.get("overrides", [])
              if o.lstrip("+~").split("=", 1)[0] not in swept_set
              and all(o in s.doc.get("overrides", []) for s in col.scenarios)]
    try:
        cfg = compose(shared)
    except Exception:  # noqa: BLE001 - the configs may have moved on since the sweep; fall back
        return None
    out = {}
    for k in swept:
        try:
            out[k] = OmegaConf.select(cfg, k, throw_on_missing=True)
        except Exception:  # noqa: BLE001
            return None
        if out[k] is None:
            return None
    return out


def differences_table(col: Collection, baseline: Scenario | None) -> pd.DataFrame:
    """P(viable) of each scenario minus the baseline's, per pole, with its interval.

    When both scenarios share the seed, replication r of each used the same random streams (CRN): the
    difference is paired over the replications both ran. Otherwise the two samples are independent.
    """
    if baseline is None:
        return pd.DataFrame()
    swept, _ = swept_parameters(col)
    names = labels(col)
    rows = []
    for s in col.scenarios:
        if s is baseline:
            continue
        for pole in s.doc["poles"]:
            if pole not in baseline.doc["poles"]:
                continue
            a, b = s.outcomes(pole), baseline.outcomes(pole)
            conf = s.doc["confidence"]
            if s.doc["seed"] == baseline.doc["seed"]:
                common = a.index.intersection(b.index)
                d = stats.paired_difference(a.loc[common].to_numpy(), b.loc[common].to_numpy(), conf)
            else:
                d = stats.unpaired_difference(a.to_numpy(), b.to_numpy(), conf)
            row: dict[str, Any] = {"scenario": s.key, "label": names[s.key]}
            row.update(swept_values(s, swept))
            row.update({"pole": pole, "baseline": baseline.key, "n": d.n_a, "n_baseline": d.n_b,
                        "diff": d.diff, "ci_low": d.low, "ci_high": d.high, "paired": d.paired,
                        "method": d.method})
            rows.append(row)
    return pd.DataFrame(rows)
