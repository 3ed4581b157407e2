"""Cross-border B2B matchmaking (brokerage) events, one per proposed pole and event month (thematic events).

Sequence of one event, as run by brokerage platforms:
1. registration: known actors of the pole's theme (its areas and related areas) that can partner register with
   probability ``registration`` x (0.5 + openness) x (``engaged_factor`` if already engaged), capped at 1; up to
   ``open_places`` actors not yet known register too (they become known);
2. requests: each participant requests meetings with its ``requests_per_participant`` best candidates among the
   participants (clue scores on the programme's profiles) within ``scope``: ``cross_border`` (other country,
   the default), ``other_region`` or ``any``; requesters rank candidates with Gumbel noise of scale
   ``request_noise`` (a logit choice);
3. acceptance: the receiver accepts with probability logistic(intercept + slope x (its own expected benefit -
   ``benefit_reference``)), and at most ``max_meetings_per_participant`` requests, its best ones; a pair that
   requested each other meets without asking;
4. schedule: accepted meetings, best first, get the earliest of ``slots`` time slots of ``slot_minutes`` each
   (default 10 x 20 min, a 3 h 20 min session) free for both companies, with
   at most ``max_meetings_per_participant`` meetings per company and never two at once (greedy edge colouring;
   meetings that find no common slot stay unbooked);
5. no-shows: each participant fails to come with probability ``no_show``; a meeting is held if both come;
6. a held meeting raises trust; having met, the two companies judge each other on their true profiles: the
   meeting leads to a follow-up with probability logistic(fu_intercept + fu_slope x (smaller of the two true
   benefits - ``benefit_reference``)), and a follow-up opens a negotiation unless the pair is already negotiating
   or partnered.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy.special import expit

from xbsim.core.config.schema import B2BConfig
from xbsim.core.population.table import Population
from xbsim.programme.clues import Complementarity
from xbsim.programme.identification import make_known, open_places
from xbsim.programme.relations import pair_key
from xbsim.programme.state import State


@dataclass
class EventResult:
    """Counts and meeting table of one B2B event."""

    month: int
    pole: int
    participants: np.ndarray
    requests: int
    accepted: int
    booked: int
    held: int
    follow_ups: int
    negotiations_opened: int = 0
    meetings: dict[str, np.ndarray] = field(default_factory=dict)  # columns: i, j, slot, status, ...
    newcomers: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))

    def counts(self) -> dict[str, int]:
        return {"participants": int(self.participants.size), "requests": self.requests,
                "accepted": self.accepted, "booked": self.booked, "held": self.held,
                "follow_ups": self.follow_ups}


def follow_up_probability(gain: np.ndarray, b2b: B2BConfig) -> np.ndarray:
    """Chance that a held meeting leads to a follow-up: logistic in the smaller true benefit of the two."""
    return expit(b2b.follow_up_intercept + b2b.follow_up_slope * (gain - b2b.benefit_reference))


def within_agenda(receiver: np.ndarray, gain: np.ndarray, accepted: np.ndarray, cap: int) -> np.ndarray:
    """False for accepted requests beyond a receiver's ``cap`` best ones (by its own expected gain): a
    receiver whose agenda is full declines the rest."""
    order = np.lexsort((-gain, ~accepted, receiver))  # per receiver: accepted first, best first
    sorted_recv = receiver[order]
    starts = np.r_[0, np.flatnonzero(np.diff(sorted_recv)) + 1]
    rank_sorted = np.arange(order.size) - np.repeat(starts, np.diff(np.r_[starts, order.size]))
    rank = np.empty(order.size, dtype=np.int64)
    rank[order] = rank_sorted
    return rank < cap


def schedule_meetings(i: np.ndarray, j: np.ndarray, n_slots: int, cap: int) -> np.ndarray:
    """Greedy slot assignment in the given order; returns each meeting's slot or -1 when unbooked.

    A company is never in two meetings of the same slot and never in more than ``cap`` meetings.
    The loop runs over meetings (O(M)), using a bitmask of busy slots per company.
    """
    busy: dict[int, int] = {}
    load: dict[int, int] = {}
    full = (1 << n_slots) - 1
    slot = np.full(i.size, -1, dtype=np.int64)
    for m, (a, b) in enumerate(zip(i.tolist(), j.tolist(), strict=True)):
        if load.get(a, 0) >= cap or load.get(b, 0) >= cap:
            continue
        free = full & ~(busy.get(a, 0) | busy.get(b, 0))
        if free == 0:
            continue
        s = (free & -free).bit_length() - 1  # lowest free slot
        busy[a] = busy.get(a, 0) | (1 << s)
        busy[b] = busy.get(b, 0) | (1 << s)
        load[a] = load.get(a, 0) + 1
        load[b] = load.get(b, 0) + 1
        slot[m] = s
    return slot


def run_event(
    pop: Population,
    state: State,
    comp: Complementarity,
    pole: int,
    theme: np.ndarray,
    can_partner: np.ndarray,
    b2b: B2BConfig,
    noise: float,
    month: int,
    rng: np.random.Generator,
) -> EventResult:
    """Run one pole's B2B event; updates trust, engagement, ``met`` and negotiations in ``state``.

    ``theme`` marks the pole's theme areas (A,), ``can_partner`` the actors that take part in matchmaking (N,).
    """
    u = rng.random(pop.n)
    cand = np.flatnonzero(state.known & theme[pop.area] & can_partner)
    p_reg = b2b.registration * (0.5 + pop.openness[cand]) * np.where(state.engaged[cand], b2b.engaged_factor, 1.0)
    participants = cand[u[cand] < np.clip(p_reg, 0.0, 1.0)]
    newcomers = open_places(pop, state, theme, int(b2b.open_places), b2b.registration, rng, can_partner)
    newcomers = make_known(pop, state, newcomers, "b2b", month, noise, rng)
    participants = np.concatenate([participants, newcomers])
    state.engaged[participants] = True
    empty = np.zeros(0, dtype=np.int64)
    if participants.size < 2:
        return EventResult(month, pole, participants, 0, 0, 0, 0, 0, 0,
                           _meeting_table(empty, empty, empty, empty, empty), newcomers)

    # Requests to each participant's best candidates.
    k = int(b2b.requests_per_participant)
    ref = float(b2b.benefit_reference)
    best, score = comp.top_k(state.obs_capability, state.obs_need, participants, participants, k, rng,
                             scope=b2b.scope, noise=b2b.request_noise)
    req_i = np.repeat(participants, k)
    req_j = best.ravel()
    req_score = score.ravel()
    ok = req_j >= 0
    req_i, req_j, req_score = req_i[ok], req_j[ok], req_score[ok]
    n_requests = int(req_i.size)

    # Acceptance by the receiver (mutual requests need none).
    directed = req_i * np.int64(len(pop.ids)) + req_j
    mutual = np.isin(req_j * np.int64(len(pop.ids)) + req_i, directed)
    receiver_gain = comp.benefit(state.obs_capability, state.obs_need, req_j, req_i)
    p_acc = expit(b2b.acceptance_intercept + b2b.acceptance_slope * (receiver_gain - ref))
    accepted = mutual | (rng.random(req_i.size) < p_acc)
    accepted &= within_agenda(req_j, receiver_gain, accepted, int(b2b.max_meetings_per_participant))
    n_accepted = int(accepted.sum())

    # One meeting per unordered accepted pair, best pairs first (stable order for determinism).
    a, b = np.minimum(req_i, req_j)[accepted], np.maximum(req_i, req_j)[accepted]
    s = req_score[accepted]
    _, first = np.unique(pair_key(a, b), return_index=True)
    a, b, s = a[first], b[first], s[first]
    order = np.argsort(-s, kind="stable")
    a, b, s = a[order], b[order], s[order]
    slot = schedule_meetings(a, b, int(b2b.slots), int(b2b.max_meetings_per_participant))
    booked = slot >= 0

    # No-shows: a participant that does not come misses all its meetings.
    absent = np.zeros(pop.n, dtype=bool)
    absent[participants] = rng.random(participants.size) < b2b.no_show
    held = booked & ~absent[a] & ~absent[b]
    hi, hj = a[held], b[held]
    state.trust.add(hi, hj, b2b.trust_gain)
    state.met[hi] = True
    state.met[hj] = True

    # Follow-ups on true benefits (both sides now know each other).
    gain = np.minimum(comp.benefit(pop.capability, pop.need, hi, hj), comp.benefit(pop.capability, pop.need, hj, hi))
    follow = rng.random(hi.size) < follow_up_probability(gain, b2b)
    opened = state.negotiations.open(hi[follow], hj[follow], month, "b2b", state.partnerships.keys(), pole)

    status = np.where(held, "held", np.where(booked, "no_show", "unbooked"))
    fu_full = np.zeros(a.size, dtype=bool)
    fu_full[np.flatnonzero(held)[follow]] = True
    table = _meeting_table(a, b, slot, status, fu_full)
    return EventResult(month, pole, participants, n_requests, n_accepted, int(booked.sum()), int(held.sum()),
                       int(follow.sum()), opened, table, newcomers)


def _meeting_table(a: np.ndarray, b: np.ndarray, slot: np.ndarray, status: np.ndarray,
                   follow_up: np.ndarray) -> dict[str, np.ndarray]:
    return {"i": a, "j": b, "slot": slot, "status": status, "follow_up": follow_up}
