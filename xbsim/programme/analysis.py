"""Stage 1 of the programme: territorial competitiveness, value-chain coverage, SME needs, convergence.

One implementation used by the simulation's month-0 analysis and by ``xbsim-analyse``'s report.
All functions are pure: arrays and tables in, arrays and tables out.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from xbsim.core.config.schema import SIZE_CLASSES, PoleConfig
from xbsim.core.domain import Domain
from xbsim.core.population.table import Population

# Weights of the convergence score's components (see docs/ODD.md, "Stage-1 analysis").
CONVERGENCE_WEIGHTS = {"complementarity": 0.35, "coverage": 0.25, "critical_mass": 0.25, "s3_alignment": 0.15}
READY_SCORE = 0.6  # convergence score from which an area or pole is recommended as ready for a pole ...
READY_FLOOR = 0.3  # ... provided no component is weaker than this (a high score cannot hide a missing mass)


def location_quotients(employment: np.ndarray, total_employment: np.ndarray) -> np.ndarray:
    """LQ[t, a] = (e_ta / e_t) / (E_a / E), relative to all the programme's territories together.

    ``employment`` is (T, A) persons employed in each area; ``total_employment`` is (T,) persons employed in the
    whole business economy. LQ > 1 means the territory is specialised in the area relative to the programme.
    """
    employment = np.asarray(employment, dtype=float)
    total = np.asarray(total_employment, dtype=float)
    share_t = employment / total[:, None]
    share_all = employment.sum(axis=0) / total.sum()
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(share_all[None, :] > 0, share_t / share_all[None, :], 0.0)


def coverage_counts(pop: Population, domain: Domain) -> np.ndarray:
    """Actors per (area, segment, territory), shape (A, S_max, T); cells beyond an area's chain stay 0."""
    s_max = int(domain.areas.n_segments().max())
    counts = np.zeros((len(domain.areas), s_max, len(domain.territories)), dtype=int)
    inside = pop.segment >= 0  # actors outside the value chain (intermediaries) cover no segment
    np.add.at(counts, (pop.area[inside], pop.segment[inside], pop.territory[inside]), 1)
    return counts


def coverage_table(counts: np.ndarray, domain: Domain) -> pd.DataFrame:
    """Tidy area x segment x territory table of actor counts, with the gaps each territory has.

    ``actors_elsewhere`` counts the actors of the other territories, ``actors_across_border`` those of the
    territories of other countries; a gap is ``filled_across_border`` when the latter is > 0 (cross-border means
    another country), ``filled_elsewhere`` when any other territory has an actor (an interregional fill too).
    """
    country = domain.territories.country_index()
    rows = []
    for a, segs in enumerate(domain.areas.segments):
        for s, seg in enumerate(segs):
            for t, code in enumerate(domain.territories.codes):
                n = int(counts[a, s, t])
                others = int(counts[a, s].sum() - n)
                abroad = int(counts[a, s][country != country[t]].sum())
                rows.append({"area": domain.areas.names[a], "segment": seg, "position": s, "territory": code,
                             "actors": n, "actors_elsewhere": others, "actors_across_border": abroad,
                             "gap": n == 0, "filled_across_border": n == 0 and abroad > 0,
                             "filled_elsewhere": n == 0 and others > 0})
    return pd.DataFrame(rows)


def chain_coverage(counts: np.ndarray, domain: Domain, min_actors: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """Share of each area's segments with >= ``min_actors`` actors: per territory (T, A) and jointly (A,)."""
    n_seg = domain.areas.n_segments()
    per_territory = (counts >= min_actors).sum(axis=1).T / n_seg[None, :]
    joint = (counts.sum(axis=2) >= min_actors).sum(axis=1) / n_seg
    return per_territory, joint


def needs_table(pop: Population, domain: Domain) -> pd.DataFrame:
    """Mean need per territory x area x size class x dimension (the SME innovation-needs diagnosis)."""
    df = pd.DataFrame(pop.need, columns=list(domain.dimensions.names))
    df["territory"] = np.array(domain.territories.codes)[pop.territory]
    df["area"] = np.array(domain.areas.names)[pop.area]
    df["size_class"] = np.array(SIZE_CLASSES)[pop.size]
    long = df.melt(id_vars=["territory", "area", "size_class"], var_name="dimension", value_name="need")
    out = long.groupby(["territory", "area", "size_class", "dimension"], as_index=False, observed=True)
    return out.agg(mean_need=("need", "mean"), companies=("need", "size"))


def cross_border_complementarity(pop: Population, domain: Domain, rows: np.ndarray) -> float:
    """How well capabilities in one territory answer needs in a territory of another country, for the
    companies in ``rows``.

    Territory profiles (mean capability, mean need) are compared for every ordered pair of territories in
    different countries: mean over pairs of mean over dimensions of cap[t] * need[u]. In [0, 1]; 0 when the
    companies lie in one country only.
    """
    terr = pop.territory[rows]
    present = np.unique(terr)
    country = domain.territories.country_index()[present]
    across = country[:, None] != country[None, :]
    if not across.any():
        return 0.0
    cap = np.stack([pop.capability[rows][terr == t].mean(axis=0) for t in present])
    need = np.stack([pop.need[rows][terr == t].mean(axis=0) for t in present])
    pair = cap @ need.T / cap.shape[1]
    return float(pair[across].mean())


@dataclass(frozen=True)
class Stage1:
    """Results of the month-0 analysis."""

    location_quotients: pd.DataFrame  # territory x area
    coverage: pd.DataFrame  # tidy area x segment x territory
    needs: pd.DataFrame  # tidy needs diagnosis
    convergence: pd.DataFrame  # one row per area and per pole, with components, score and rank


def convergence_scores(pop: Population, domain: Domain, min_members: dict[str, int]) -> pd.DataFrame:
    """Convergence score per area and per proposed pole, with its components and a ranking of areas.

    Components, each in [0, 1]: cross-border complementarity (rescaled so 0.35 -> 1), joint value-chain
    coverage (segments with an actor in >= 2 countries), critical-mass potential (open companies, i.e.
    openness >= 0.5, over 10x the smallest pole threshold, capped at 1) and S3 alignment (share of territories
    that prioritise the area). Score = weighted mean (``CONVERGENCE_WEIGHTS``).
    """
    counts = coverage_counts(pop, domain)
    country = domain.territories.country_index()
    target = 10 * min(min_members.values()) if min_members else 150
    units = [(name, "area", np.array([a])) for a, name in enumerate(domain.areas.names)]
    units += [(p, "pole", np.flatnonzero(domain.pole_areas[i])) for i, p in enumerate(domain.pole_names)]
    rows = []
    for name, kind, area_idx in units:
        in_unit = np.isin(pop.area, area_idx)
        members = np.flatnonzero(in_unit)
        # (areas, S_max): the segment has actors in >= 2 countries (on both sides of a national border)
        present = counts[area_idx] > 0
        multi = np.stack([present[..., country == k].any(axis=-1) for k in np.unique(country)]).sum(axis=0) >= 2
        n_seg = domain.areas.n_segments()[area_idx].sum()
        comp = min(1.0, cross_border_complementarity(pop, domain, members) / 0.35) if members.size else 0.0
        cov = float(multi.sum() / n_seg)
        open_firms = int((pop.openness[members] >= 0.5).sum())
        mass = min(1.0, open_firms / target)
        s3 = float(domain.s3[:, area_idx].mean())
        parts = {"complementarity": comp, "coverage": cov, "critical_mass": mass, "s3_alignment": s3}
        score = sum(CONVERGENCE_WEIGHTS[k] * v for k, v in parts.items())
        rows.append({"unit": name, "kind": kind, "companies": int(members.size), "open_companies": open_firms,
                     **{k: round(v, 4) for k, v in parts.items()}, "score": round(score, 4)})
    df = pd.DataFrame(rows)
    df["rank"] = df.groupby("kind")["score"].rank(ascending=False, method="min").astype(int)
    components = df[list(CONVERGENCE_WEIGHTS)]
    df["ready_for_pole"] = (df["score"] >= READY_SCORE) & (components.min(axis=1) >= READY_FLOOR)
    return df


def analyse(pop: Population, domain: Domain, min_members: dict[str, int]) -> Stage1:
    """Run the whole stage-1 analysis."""
    lq = location_quotients(domain.employment, domain.territories.total_employment)
    lq_df = pd.DataFrame(lq, index=list(domain.territories.codes), columns=list(domain.areas.names))
    lq_df.index.name = "territory"
    counts = coverage_counts(pop, domain)
    return Stage1(lq_df, coverage_table(counts, domain), needs_table(pop, domain),
                  convergence_scores(pop, domain, min_members))


def analyse_programme(actors: Population, domain: Domain, poles: Mapping[str, PoleConfig]) -> Stage1:
    """Stage 1 of a scenario, as the model runs it at month 0 and ``xbsim-analyse`` reports it: the companies
    among ``actors`` analysed against the configured poles' critical masses."""
    return analyse(actors.subset(actors.is_company), domain,
                   {name: pole.critical_mass.min_members for name, pole in poles.items()})


# ---- Report views (used by ``xbsim-analyse``'s report; the model's month-0 analysis does not need them) ------


def size_structure(pop: Population, domain: Domain) -> pd.DataFrame:
    """Companies per territory and size class, with each territory's SME share (fewer than 250 employed)."""
    counts = np.zeros((len(domain.territories), len(SIZE_CLASSES)), dtype=int)
    np.add.at(counts, (pop.territory, pop.size), 1)
    df = pd.DataFrame(counts, index=list(domain.territories.codes), columns=list(SIZE_CLASSES))
    df.index.name = "territory"
    total = counts.sum(axis=1)
    df["companies"] = total
    with np.errstate(divide="ignore", invalid="ignore"):
        df["sme_share"] = np.where(total > 0, counts[:, :-1].sum(axis=1) / np.maximum(total, 1), np.nan)
    return df


def gap_fills(coverage: pd.DataFrame) -> pd.DataFrame:
    """The gaps of each territory (value-chain segments without an actor) and who fills them across the border.

    ``coverage`` is :func:`coverage_table`'s output. ``filled_by`` lists the other territories with actors in
    the segment and how many (e.g. ``ES21 (12), ES22 (3)``); empty when nobody has one (a gap of the programme).
    """
    have = coverage[coverage["actors"] > 0]
    providers = (have.assign(who=have["territory"] + " (" + have["actors"].astype(str) + ")")
                 .groupby(["area", "segment"], sort=False)["who"].agg(", ".join))
    gaps = coverage[coverage["gap"]].copy()
    keys = pd.MultiIndex.from_frame(gaps[["area", "segment"]])
    gaps["filled_by"] = providers.reindex(keys).fillna("").to_numpy()
    return gaps[["territory", "area", "segment", "position", "actors_elsewhere", "filled_across_border",
                 "filled_by"]].reset_index(drop=True)


def complementarity_matrix(pop: Population, domain: Domain, rows: np.ndarray) -> np.ndarray:
    """How the capabilities of territory t answer the needs of territory u, among ``rows``, shape (T, T).

    Entry [t, u] = mean over dimensions of mean capability in t x mean need in u, in [0, 1]; NaN where t or u
    has no company among ``rows``. The off-diagonal mean over present territories is
    :func:`cross_border_complementarity`.
    """
    t_n, d_n = len(domain.territories), len(domain.dimensions)
    terr = pop.territory[rows]
    n = np.bincount(terr, minlength=t_n).astype(float)
    cap_sum, need_sum = np.zeros((t_n, d_n)), np.zeros((t_n, d_n))
    np.add.at(cap_sum, terr, pop.capability[rows])
    np.add.at(need_sum, terr, pop.need[rows])
    with np.errstate(divide="ignore", invalid="ignore"):
        cap, need = cap_sum / n[:, None], need_sum / n[:, None]
    return cap @ need.T / d_n


def needs_by(needs: pd.DataFrame, by: str | list[str]) -> pd.DataFrame:
    """Company-weighted mean need per ``by`` (territory, area and/or size_class) x dimension, from
    :func:`needs_table`; one column per dimension."""
    keys = [by] if isinstance(by, str) else list(by)
    weighted = needs.assign(w=needs["mean_need"] * needs["companies"])
    g = weighted.groupby([*keys, "dimension"], observed=True, sort=False)[["w", "companies"]].sum()
    mean = (g["w"] / g["companies"]).rename("mean_need").reset_index()
    return mean.pivot(index=keys, columns="dimension", values="mean_need")
