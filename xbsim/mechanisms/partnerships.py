"""Partnership decisions after a follow-up, partnership types and dissolution.

Each month (from the month of the meeting) every open negotiation reaches a decision with probability
``decision_rate``; one not decided in its ``negotiation_months`` monthly chances is abandoned. At a decision
each side weighs its expected gain,

    benefit_scale x offer x (0.5 + absorptive capacity) + bonus + trust_weight x trust - friction + noise,

against ``base_cost``; the partnership forms only if both gain more than the cost and neither has reached
``max_partners``. Active partnerships dissolve with monthly probability ``dissolution_rate``, doubled when one
side's expected gain has fallen below the cost.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from xbsim.mechanisms.complementarity import Complementarity
from xbsim.mechanisms.relations import PARTNERSHIP_TYPES
from xbsim.mechanisms.state import State
from xbsim.population.table import Population


@dataclass
class MonthResult:
    """Partnerships formed and dissolved in one month."""

    formed: np.ndarray  # partnership ids
    dissolved: np.ndarray  # partnership ids
    abandoned: int


def expected_gain(pop: Population, state: State, comp: Complementarity, p: dict[str, Any],
                  i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """What i expects to gain from a partnership with j (before noise), for each pair."""
    offer = comp.offer(pop.capability, pop.need, i, j)
    return (p["benefit_scale"] * offer * (0.5 + pop.absorptive[i]) + comp.bonus(i, j)
            + p["trust_weight"] * state.trust.get(i, j) - comp.friction(i, j))


def partnership_kind(pop: Population, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """Type index into PARTNERSHIP_TYPES: supply chain (same area, different segments), co-innovation (same
    segment of the same area, or both with absorptive capacity >= 0.5), market access otherwise."""
    same_area = pop.area[i] == pop.area[j]
    same_segment = same_area & (pop.segment[i] == pop.segment[j])
    supply = same_area & ~same_segment
    co_innov = same_segment | (~same_area & (pop.absorptive[i] >= 0.5) & (pop.absorptive[j] >= 0.5))
    return np.where(supply, 0, np.where(co_innov, 1, 2)).astype(np.int8)


def progress(pop: Population, state: State, comp: Complementarity, p: dict[str, Any], month: int,
             rng: np.random.Generator) -> MonthResult:
    """One month of negotiations and dissolutions."""
    neg = state.negotiations
    decide = rng.random(len(neg)) < p["decision_rate"]
    expired = (month - neg.start) >= p["negotiation_months"] - 1
    i, j = neg.i[decide], neg.j[decide]
    gi = expected_gain(pop, state, comp, p, i, j) + rng.normal(0.0, p["decision_noise"], i.size)
    gj = expected_gain(pop, state, comp, p, j, i) + rng.normal(0.0, p["decision_noise"], i.size)
    agree = (gi > p["base_cost"]) & (gj > p["base_cost"])
    # Capacity: admit agreeing pairs in order while both sides are below max_partners.
    degree = state.partnerships.degree()
    admit = np.zeros(i.size, dtype=bool)
    for k in np.flatnonzero(agree):
        a, b = i[k], j[k]
        if degree[a] < p["max_partners"] and degree[b] < p["max_partners"]:
            admit[k] = True
            degree[a] += 1
            degree[b] += 1
    ai, aj = i[admit], j[admit]
    sel = np.flatnonzero(decide)[admit]
    formed = state.partnerships.add(
        ai, aj, month, partnership_kind(pop, ai, aj), neg.source[sel], neg.start[sel],
        pop.territory[ai] != pop.territory[aj],
    )
    state.trust.add(ai, aj, 0.1)
    abandoned = int((decide & ~np.isin(np.arange(len(neg)), sel)).sum() + (expired & ~decide).sum())
    neg.drop(decide | expired)

    # Dissolution of partnerships formed before this month.
    ps = state.partnerships
    live = np.flatnonzero(ps.active & (ps.formed < month))
    gi = expected_gain(pop, state, comp, p, ps.i[live], ps.j[live])
    gj = expected_gain(pop, state, comp, p, ps.j[live], ps.i[live])
    hazard = p["dissolution_rate"] * np.where(np.minimum(gi, gj) < p["base_cost"], 2.0, 1.0)
    gone = live[rng.random(live.size) < hazard]
    ps.dissolve(gone, month)
    return MonthResult(formed, gone, abandoned)


__all__ = ["PARTNERSHIP_TYPES", "MonthResult", "expected_gain", "partnership_kind", "progress"]
