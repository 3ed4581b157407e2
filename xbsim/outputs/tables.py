"""Tidy tables of one run: companies, partnerships, meetings, joins, monthly series, stage-1 analysis."""

from __future__ import annotations

import numpy as np
import pandas as pd

from xbsim.model import XBSimModel
from xbsim.programme.relations import PARTNERSHIP_TYPES, SOURCES


def companies_table(model: XBSimModel) -> pd.DataFrame:
    """One row per actor (companies.csv): :meth:`XBSimModel.companies`."""
    return model.companies()


def partnerships_table(model: XBSimModel) -> pd.DataFrame:
    """Every partnership ever formed (dissolved_month is empty while it is active)."""
    ps, pop = model.state.partnerships, model.population
    codes = np.array(model.domain.territories.codes)
    return pd.DataFrame({
        "partnership": np.arange(len(ps)),
        "company_i": pop.ids[ps.i],
        "company_j": pop.ids[ps.j],
        "territory_i": codes[pop.territory[ps.i]],
        "territory_j": codes[pop.territory[ps.j]],
        "cross_border": ps.cross_border,
        "interregional": ps.interregional,
        "pole": np.array(model.domain.pole_names)[ps.pole] if len(ps) else np.array([], dtype=str),
        "type": np.array(PARTNERSHIP_TYPES)[ps.kind] if len(ps) else np.array([], dtype=str),
        "source": np.array(SOURCES)[ps.source] if len(ps) else np.array([], dtype=str),
        "meeting_month": ps.origin_month,
        "formed_month": ps.formed,
        "dissolved_month": pd.Series(ps.dissolved, dtype="Int64").mask(ps.dissolved < 0),
    })


def clues_table(model: XBSimModel) -> pd.DataFrame:
    """The clues for collaboration derived after the survey: each known company's best matches, ranked."""
    cols = ["company", "rank", "candidate", "score", "cross_border"]
    if model.clues is None:
        return pd.DataFrame(columns=cols)
    idx, val = model.clues
    rows = np.repeat(model.clue_rows, idx.shape[1])
    rank = np.tile(np.arange(1, idx.shape[1] + 1), idx.shape[0])
    cand, score = idx.ravel(), val.ravel()
    ok = cand >= 0
    pop = model.population
    return pd.DataFrame({"company": pop.ids[rows[ok]], "rank": rank[ok], "candidate": pop.ids[cand[ok]],
                         "score": score[ok].round(6),
                         "cross_border": model.comp.cross_border(rows[ok], cand[ok])})[cols]


def _with_ids(model: XBSimModel, df: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    ids = model.population.ids
    for col in columns:
        df[col] = ids[df[col].to_numpy(dtype=np.int64)] if len(df) else df[col].astype(str)
    return df


def meetings_table(model: XBSimModel) -> pd.DataFrame:
    """Workshop contacts, introductions and B2B meetings (with slot, status and follow-up), one row per pair."""
    df = model.events["meetings"].frame()
    return _with_ids(model, df, ["company_i", "company_j"])


def joins_table(model: XBSimModel) -> pd.DataFrame:
    df = model.events["joins"].frame()
    return _with_ids(model, df, ["company"])


def partnership_events_table(model: XBSimModel) -> pd.DataFrame:
    df = model.events["partnership_events"].frame()
    return _with_ids(model, df, ["company_i", "company_j"])


def timeseries_table(model: XBSimModel) -> pd.DataFrame:
    """The DataCollector's monthly series, one row per month from 0 to the horizon."""
    return model.datacollector.get_model_vars_dataframe().reset_index(drop=True)
