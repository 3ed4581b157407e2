"""Interreg common indicators (SWD(2021) 198) computed from the events of a finished run.

Definitions and their mapping to model events are in docs/indicators.md; in short, at the programme's end
(the horizon):

- RCO87 organisations cooperating across borders: actors with at least one cross-border partnership formed in
  the programme, plus the members of every constituted pole with members in at least two countries;
- RCR84 organisations cooperating across borders after project completion: actors with at least one
  cross-border partnership still active ``indicators.after_months`` months after the end (the partnerships'
  dissolution hazard goes on after the programme, no new partnership forms);
- RCO01 / RCO04 enterprises supported (non-financial support), by size class: companies that had a workshop
  contact, an introduction or a held B2B meeting, or were accompanied by a facilitator team (the programme
  gives no grants nor financial instruments, so RCO01 = RCO04);
- RCO10 enterprises cooperating with research organisations: companies with an active partnership with an
  actor of an ``indicators.research_types`` type at the end;
- RCO83 joint strategies developed: the strategic plans of the constituted poles with members in at least two
  countries (one per pole);
- RCO116 jointly developed solutions: cross-border co-innovation partnerships that deliver a solution: one
  active for at least ``indicators.solution_months`` months within the programme delivers with probability
  ``indicators.solution_probability``.

The two draws (post-programme survival, solution delivery) come from their own streams, one uniform per
partnership in id order, so computing the indicators never shifts another mechanism's draws.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from xbsim.core.config.schema import BY_SIZE, INDICATORS, SIZE_CLASSES, IndicatorsConfig, indicator_keys
from xbsim.programme.relations import PARTNERSHIP_TYPES, Partnerships

NAMES: dict[str, str] = {
    "RCO87": "Organisations cooperating across borders",
    "RCR84": "Organisations cooperating across borders after project completion",
    "RCO01": "Enterprises supported",
    "RCO04": "Enterprises with non-financial support",
    "RCO10": "Enterprises cooperating with research organisations",
    "RCO83": "Strategies and action plans jointly developed",
    "RCO116": "Jointly developed solutions",
}


def actors_in(ps: Partnerships, sel: np.ndarray, n: int) -> np.ndarray:
    """(n,) True for the actors on either side of the partnerships selected by ``sel``."""
    out = np.zeros(n, dtype=bool)
    out[ps.i[sel]] = True
    out[ps.j[sel]] = True
    return out


def survives_after(hazard: np.ndarray, months: int, u: np.ndarray) -> np.ndarray:
    """Whether each partnership, with a constant monthly dissolution ``hazard``, is still active ``months``
    months later: survival (1 - hazard)^months, one uniform ``u`` per partnership."""
    return u < (1.0 - np.clip(hazard, 0.0, 1.0)) ** months


def delivered_solutions(ps: Partnerships, horizon: int, months: int, probability: float,
                        u: np.ndarray) -> np.ndarray:
    """(P,) True for the cross-border co-innovation partnerships active at least ``months`` months within the
    programme that deliver a solution (one uniform ``u`` per partnership)."""
    end = np.where(ps.active, horizon, ps.dissolved)
    long_enough = (end - ps.formed) >= months
    co_innovation = ps.kind == PARTNERSHIP_TYPES.index("co_innovation")
    return ps.cross_border & co_innovation & long_enough & (u < probability)


def cross_border_poles(member: np.ndarray, country: np.ndarray, constituted: list[bool]) -> list[int]:
    """Indices of the constituted poles whose members come from at least two countries."""
    return [k for k, done in enumerate(constituted)
            if done and np.unique(country[member[:, k]]).size >= 2]


def compute(*, n: int, is_company: np.ndarray, size: np.ndarray, kind: np.ndarray, country: np.ndarray,
            ps: Partnerships, met: np.ndarray, accompanied: np.ndarray, member: np.ndarray,
            constituted: list[bool], research_kinds: list[int], hazard: np.ndarray, horizon: int,
            params: IndicatorsConfig, rng_after: np.random.Generator,
            rng_solutions: np.random.Generator) -> dict[str, int]:
    """Every indicator value (see the module docstring) from plain arrays: ``kind`` actor type index,
    ``size`` size class index, ``country`` country index, ``accompanied`` (N, P) months of accompaniment,
    ``member`` (N, P) pole membership, ``hazard`` each partnership's monthly dissolution hazard at the end."""
    poles_xb = cross_border_poles(member, country, constituted)
    in_xb_pole = member[:, poles_xb].any(axis=1) if poles_xb else np.zeros(n, dtype=bool)
    xb_partners = actors_in(ps, ps.cross_border, n)
    u_after = rng_after.random(len(ps))
    lasting = ps.active & ps.cross_border & survives_after(hazard, int(params.after_months), u_after)
    supported = is_company & (met | (accompanied > 0).any(axis=1))
    research = np.isin(kind, research_kinds)
    with_research = ps.active & ((is_company[ps.i] & research[ps.j]) | (research[ps.i] & is_company[ps.j]))
    rco10 = is_company & actors_in(ps, with_research, n)
    u_sol = rng_solutions.random(len(ps))
    solutions = delivered_solutions(ps, horizon, int(params.solution_months),
                                    float(params.solution_probability), u_sol)
    out: dict[str, int] = {
        "RCO87": int((xb_partners | in_xb_pole).sum()),
        "RCR84": int(actors_in(ps, lasting, n).sum()),
        "RCO01": int(supported.sum()),
        "RCO04": int(supported.sum()),
        "RCO10": int(rco10.sum()),
        "RCO83": len(poles_xb),
        "RCO116": int(solutions.sum()),
    }
    per_size = np.bincount(size[supported], minlength=len(SIZE_CLASSES))
    for code in BY_SIZE:
        out.update({f"{code}.{s}": int(per_size[k]) for k, s in enumerate(SIZE_CLASSES)})
    return {k: out[k] for k in indicator_keys()}


def targets_met(values: dict[str, float], targets: dict[str, float | None]) -> dict[str, dict[str, Any]]:
    """Each set target (key -> minimum value; None: no target) with the run's value and whether it is reached
    (value >= target)."""
    return {key: {"target": float(t), "value": values[key], "met": bool(values[key] >= t)}
            for key, t in targets.items() if t is not None}


__all__ = ["BY_SIZE", "INDICATORS", "NAMES", "compute", "cross_border_poles", "delivered_solutions",
           "indicator_keys", "survives_after", "targets_met"]
