"""Professional meetings: recurring thematic workshops, one per specialisation area.

Known companies of the area are invited; each attends with probability
``attendance`` x (0.5 + openness) x (0.5 + mean observed need), capped at 1. Each attendee talks to its
``contacts_per_attendee`` best-matching other attendees (clue scores on the programme's observed profiles),
trust grows by ``trust_gain`` for each contact, and a contact may open a negotiation with probability
``workshop_follow_up`` x clip(smaller true gain of the two / 0.40, 0, 2).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from xbsim.mechanisms.b2b import BENEFIT_REFERENCE
from xbsim.mechanisms.complementarity import Complementarity
from xbsim.mechanisms.state import State
from xbsim.population.table import Population


@dataclass
class WorkshopResult:
    """Who attended and who talked to whom at one round of workshops."""

    attendees: np.ndarray
    attendee_area: np.ndarray
    contact_i: np.ndarray
    contact_j: np.ndarray
    follow_up: np.ndarray  # per contact: did it lead to a follow-up
    negotiations_opened: int


def run_workshops(
    pop: Population,
    state: State,
    comp: Complementarity,
    meetings: dict[str, Any],
    partnerships: dict[str, Any],
    month: int,
    rng: np.random.Generator,
) -> WorkshopResult:
    """One round of thematic workshops (every area at once)."""
    invited = np.flatnonzero(state.known)
    p = meetings["attendance"] * (0.5 + pop.openness[invited]) * (0.5 + state.obs_need[invited].mean(axis=1))
    attendees = invited[rng.random(invited.size) < np.clip(p, 0.0, 1.0)]
    state.engaged[attendees] = True
    k = int(meetings["contacts_per_attendee"])
    ci, cj = [], []
    for a in np.unique(pop.area[attendees]):
        room = attendees[pop.area[attendees] == a]
        if room.size < 2 or k == 0:
            continue
        best, _ = comp.top_k(state.obs_capability, state.obs_need, room, room, k)
        src = np.repeat(room, k)
        dst = best.ravel()
        ok = dst >= 0
        ci.append(src[ok])
        cj.append(dst[ok])
    i = np.concatenate(ci) if ci else np.zeros(0, dtype=np.int64)
    j = np.concatenate(cj) if cj else np.zeros(0, dtype=np.int64)
    if i.size:
        # One contact per unordered pair, even when both chose each other.
        a, b = np.minimum(i, j), np.maximum(i, j)
        pairs = np.unique(np.stack([a, b], axis=1), axis=0)
        i, j = pairs[:, 0], pairs[:, 1]
    state.trust.add(i, j, meetings["trust_gain"])
    state.met[i] = True
    state.met[j] = True
    gain = np.minimum(comp.benefit(pop.capability, pop.need, i, j), comp.benefit(pop.capability, pop.need, j, i))
    p_follow = partnerships["workshop_follow_up"] * np.clip(gain / BENEFIT_REFERENCE, 0.0, 2.0)
    follow = rng.random(i.size) < p_follow
    opened = state.negotiations.open(i[follow], j[follow], month, "workshop", state.partnerships.keys())
    return WorkshopResult(attendees, pop.area[attendees], i, j, follow, opened)
