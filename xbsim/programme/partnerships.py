"""Partnership decisions after a follow-up, partnership types and dissolution.

Each month (from the month of the contact) every open negotiation reaches a decision with probability
``decision_rate``; one not decided in its ``negotiation_months`` monthly chances is abandoned. At a decision
each side weighs its expected gain on the true profiles,

    G_i = gain(i<-j) x (1 - w/2 + w x absorptive_i) + adjacency(i, j) + mission_i + trust_weight x trust_ij
          - friction(i, j) + N(0, decision_noise)                 (w = absorptive_weight; terms: complementarity)

against ``base_cost``; the partnership forms only if both sides gain more than the cost (the both-sides-gain
rule) and neither has reached its type's ``max_partners``. Active partnerships dissolve with monthly probability
``dissolution_rate``, times ``dissolution_factor`` when one side's expected gain (without noise) has fallen
below the cost.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from xbsim.core.config.schema import PartnershipsConfig
from xbsim.core.population.table import Population
from xbsim.programme.clues import Complementarity
from xbsim.programme.relations import PARTNERSHIP_TYPES
from xbsim.programme.state import State


@dataclass
class MonthResult:
    """Partnerships formed and dissolved in one month."""

    formed: np.ndarray  # partnership ids
    dissolved: np.ndarray  # partnership ids
    abandoned: int


def expected_gain(pop: Population, state: State, comp: Complementarity, p: PartnershipsConfig,
                  i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """What i expects to gain from a partnership with j (before noise), for each pair."""
    w = p.absorptive_weight
    return (comp.gain(pop.capability, pop.need, i, j) * (1.0 - 0.5 * w + w * pop.absorptive[i])
            + comp.adjacency(i, j) + comp.mission[i] + p.trust_weight * state.trust.get(i, j)
            - comp.friction(i, j))


def both_gain(gi: np.ndarray, gj: np.ndarray, cost: float) -> np.ndarray:
    """The both-sides-gain rule: a partnership needs each side's gain above the cost."""
    return (gi > cost) & (gj > cost)


def admit_within_capacity(i: np.ndarray, j: np.ndarray, agree: np.ndarray, degree: np.ndarray,
                          capacity: np.ndarray) -> np.ndarray:
    """Admit agreeing pairs in order while both sides are below their capacity (``capacity[actor]``).

    Sequential by nature (each admission uses capacity); it runs over the month's agreeing pairs only."""
    degree = degree.copy()
    admit = np.zeros(i.size, dtype=bool)
    for k in np.flatnonzero(agree):
        a, b = i[k], j[k]
        if degree[a] < capacity[a] and degree[b] < capacity[b]:
            admit[k] = True
            degree[a] += 1
            degree[b] += 1
    return admit


def partnership_kind(pop: Population, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """Type index into PARTNERSHIP_TYPES: supply chain (same area, different segments of its chain),
    co-innovation (a non-company actor on either side, the same segment, or both with absorptive capacity >= 0.5),
    market access otherwise."""
    same_area = pop.area[i] == pop.area[j]
    research = (pop.kind[i] != 0) | (pop.kind[j] != 0)
    same_segment = same_area & (pop.segment[i] == pop.segment[j])
    supply = same_area & ~same_segment & ~research
    co_innov = research | same_segment | ((pop.absorptive[i] >= 0.5) & (pop.absorptive[j] >= 0.5))
    return np.where(supply, 0, np.where(co_innov, 1, 2)).astype(np.int8)


def progress(pop: Population, state: State, comp: Complementarity, p: PartnershipsConfig, capacity: np.ndarray,
             month: int, rngs: list[np.random.Generator]) -> MonthResult:
    """One month of negotiations and dissolutions (``capacity``: each actor's max_partners).

    Negotiations and partnerships draw from the stream of the pole whose activity produced them
    (``rngs[pole]``), so one pole's activity never shifts the draws of another's."""
    neg, ps = state.negotiations, state.partnerships
    decide = np.zeros(len(neg), dtype=bool)
    noise_i, noise_j = np.zeros(len(neg)), np.zeros(len(neg))
    for k, rng in enumerate(rngs):
        rows = np.flatnonzero(neg.pole == k)
        decide[rows] = rng.random(rows.size) < p.decision_rate
        noise_i[rows] = rng.normal(0.0, p.decision_noise, rows.size)
        noise_j[rows] = rng.normal(0.0, p.decision_noise, rows.size)
    expired = (month - neg.start) >= p.negotiation_months - 1
    i, j = neg.i[decide], neg.j[decide]
    gi = expected_gain(pop, state, comp, p, i, j) + noise_i[decide]
    gj = expected_gain(pop, state, comp, p, j, i) + noise_j[decide]
    agree = both_gain(gi, gj, p.base_cost)
    admit = admit_within_capacity(i, j, agree, ps.degree(), capacity)
    ai, aj = i[admit], j[admit]
    sel = np.flatnonzero(decide)[admit]
    formed = ps.add(ai, aj, month, partnership_kind(pop, ai, aj), neg.source[sel], neg.start[sel],
                    comp.cross_border(ai, aj), comp.interregional(ai, aj), neg.pole[sel])
    state.trust.add(ai, aj, p.formation_trust)
    abandoned = int((decide & ~np.isin(np.arange(len(neg)), sel)).sum() + (expired & ~decide).sum())
    neg.drop(decide | expired)

    # Dissolution of partnerships formed before this month.
    live = np.flatnonzero(ps.active & (ps.formed < month))
    gi = expected_gain(pop, state, comp, p, ps.i[live], ps.j[live])
    gj = expected_gain(pop, state, comp, p, ps.j[live], ps.i[live])
    hazard = p.dissolution_rate * np.where(np.minimum(gi, gj) < p.base_cost, p.dissolution_factor, 1.0)
    u = np.zeros(live.size)
    for k, rng in enumerate(rngs):
        rows = np.flatnonzero(ps.pole[live] == k)
        u[rows] = rng.random(rows.size)
    gone = live[u < hazard]
    ps.dissolve(gone, month)
    return MonthResult(formed, gone, abandoned)


__all__ = ["PARTNERSHIP_TYPES", "MonthResult", "admit_within_capacity", "both_gain", "expected_gain",
           "partnership_kind", "progress"]
