"""Professional meetings: each pole's thematic workshops, and introductions brokered by intermediaries.

**Workshops.** Each round (``workshops.start``, every ``workshops.every`` months up to ``workshops.end``) every
proposed pole holds one workshop on its theme (its areas and the areas related to them, see
``clues.theme_relatedness``), open to actors of every territory. Known actors of the theme are invited; each
attends with ``attendance`` x (0.5 + openness) x (0.5 + mean observed need), capped at 1, and up to
``open_places`` actors not yet known take a place (they become known). Each attendee talks to its
``contacts_per_attendee`` best-matching other attendees (clue scores on the programme's observed profiles, any
territory and area of the theme), trust grows by ``trust_gain`` for each contact, and a contact may open a
negotiation with probability ``follow_up_factor`` x the B2B follow-up curve (:func:`xbsim.programme.b2b.
follow_up_probability` of the smaller true benefit of the two): a workshop contact is a shorter encounter than a
booked meeting.

**Introductions.** A broker (an engaged intermediary, or a facilitator team asked to by a conditional go) picks
a client (a known company of its own territory and area; for a facilitator, an interested actor without a
cross-border partner) and introduces it to the client's best match across the national border among the known
actors of the pole's theme that can partner.

Only pairs of actors that can partner (their type's ``max_partners`` > 0) may open a negotiation; intermediaries
attend workshops and meet people, but broker rather than partner.
An introduction is a tailored meeting: trust and met as at a workshop, and the B2B follow-up curve itself.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from xbsim.core.config.schema import B2BConfig, WorkshopsConfig
from xbsim.core.population.table import Population
from xbsim.programme.b2b import follow_up_probability
from xbsim.programme.clues import Complementarity
from xbsim.programme.identification import make_known, open_places, peers_in_cell
from xbsim.programme.relations import ordered, pair_key
from xbsim.programme.state import State


@dataclass
class ContactResult:
    """Who talked to whom at one workshop or in one month's introductions."""

    attendees: np.ndarray
    newcomers: np.ndarray  # attendees who were not known before (open places)
    contact_i: np.ndarray
    contact_j: np.ndarray
    follow_up: np.ndarray  # per contact: did it lead to a follow-up
    negotiations_opened: int


def follow_up_contacts(pop: Population, state: State, comp: Complementarity, i: np.ndarray, j: np.ndarray,
                       trust_gain: float, factor: float, b2b: B2BConfig, month: int, source: str,
                       pole: int, rng: np.random.Generator, can_partner: np.ndarray) -> tuple[np.ndarray, int]:
    """Trust, ``met`` and the follow-up chance (``factor`` x the B2B curve) of contacts (i[k], j[k]); only pairs
    that can both partner follow up. Returns (follow-up flags, negotiations opened)."""
    state.trust.add(i, j, trust_gain)
    state.met[i] = True
    state.met[j] = True
    gain = np.minimum(comp.benefit(pop.capability, pop.need, i, j), comp.benefit(pop.capability, pop.need, j, i))
    follow = (rng.random(i.size) < factor * follow_up_probability(gain, b2b)) & can_partner[i] & can_partner[j]
    opened = state.negotiations.open(i[follow], j[follow], month, source, state.partnerships.keys(), pole)
    return follow, opened


def unique_pairs(i: np.ndarray, j: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """One entry per unordered pair (sorted by key), dropping self-pairs and missing (-1) partners."""
    ok = (j >= 0) & (i != j)
    a, b = ordered(i[ok], j[ok])
    _, first = np.unique(pair_key(a, b), return_index=True)
    return a[first], b[first]


def run_workshop(pop: Population, state: State, comp: Complementarity, pole: int, theme: np.ndarray,
                 params: WorkshopsConfig, b2b: B2BConfig, noise: float, month: int,
                 rng: np.random.Generator, can_partner: np.ndarray) -> ContactResult:
    """One pole's thematic workshop."""
    u = rng.random(pop.n)
    invited = np.flatnonzero(state.known & theme[pop.area])
    p = params.attendance * (0.5 + pop.openness[invited]) * (0.5 + state.obs_need[invited].mean(axis=1))
    attendees = invited[u[invited] < np.clip(p, 0.0, 1.0)]
    newcomers = open_places(pop, state, theme, int(params.open_places), params.attendance, rng)
    newcomers = make_known(pop, state, newcomers, "workshop", month, noise, rng)
    attendees = np.concatenate([attendees, newcomers])
    state.engaged[attendees] = True
    k = int(params.contacts_per_attendee)
    empty = np.zeros(0, dtype=np.int64)
    if attendees.size < 2 or k == 0:
        return ContactResult(attendees, newcomers, empty, empty, np.zeros(0, dtype=bool), 0)
    best, _ = comp.top_k(state.obs_capability, state.obs_need, attendees, attendees, k, rng)
    i, j = unique_pairs(np.repeat(attendees, k), best.ravel())
    follow, opened = follow_up_contacts(pop, state, comp, i, j, params.trust_gain,
                                        params.follow_up_factor, b2b, month, "workshop", pole, rng,
                                        can_partner)
    return ContactResult(attendees, newcomers, i, j, follow, opened)


def introduce(pop: Population, state: State, comp: Complementarity, pole: int, clients: np.ndarray,
              pool: np.ndarray, params: WorkshopsConfig, b2b: B2BConfig, month: int,
              rng: np.random.Generator, can_partner: np.ndarray) -> ContactResult:
    """Introduce each client to its best match across the national border in ``pool`` (skipping pairs already
    partnered or negotiating, and repeated pairs)."""
    empty = np.zeros(0, dtype=np.int64)
    if clients.size == 0 or pool.size < 2:
        return ContactResult(clients[:0], empty, empty, empty, np.zeros(0, dtype=bool), 0)
    best, _ = comp.top_k(state.obs_capability, state.obs_need, clients, pool, 1, rng, scope="cross_border")
    i, j = unique_pairs(clients, best[:, 0])
    busy = np.concatenate([state.partnerships.keys(), pair_key(state.negotiations.i, state.negotiations.j)])
    fresh = ~np.isin(pair_key(i, j), busy)
    i, j = i[fresh], j[fresh]
    state.engaged[i] = True
    state.engaged[j] = True
    follow, opened = follow_up_contacts(pop, state, comp, i, j, params.trust_gain, 1.0, b2b, month,
                                        "introduction", pole, rng, can_partner)
    return ContactResult(np.unique(np.concatenate([i, j])), empty, i, j, follow, opened)


def broker_clients(pop: Population, state: State, brokers: np.ndarray, per_broker: np.ndarray,
                   rng: np.random.Generator) -> np.ndarray:
    """Each broker's clients this month: ``per_broker`` known companies of its own territory and area (drawn
    uniformly, with replacement; brokers without such companies have none)."""
    return peers_in_cell(pop, np.repeat(brokers, per_broker), np.flatnonzero(state.known & (pop.kind == 0)), rng)
