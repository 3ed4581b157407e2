"""Accompaniment and joining: the joining utility and its threshold cascade.

**Joining** utility of actor i for pole p (every weight a ``joining`` parameter, docs/ODD.md 7.12):

    u = base_benefit + synergy_weight x synergy_i
        + tie_weight x ties_i / (ties_i + tie_reference)                  (members it is tied to)
        + size_weight x members / (members + min_members)                 (the pole's size)
        + anchor_weight x [anchor_i] x SME members / (SME members + min_members)   (access to SMEs, visibility)
        + accompaniment_ip + openness_weight x (openness_i - 0.5) - cost

Each member term grows with every new member, with diminishing returns, and stays bounded (x / (x + x0) is half
its weight at x = x0): a pole keeps attracting beyond critical mass, but not without end.

ties_i sums, over the members i has met (trust > 0), partner_tie for an active partner, else neighbour_tie for an
adjacent segment of its value chain, else peer_tie for its own area, else contact_tie: a member one has never
met is no tie. Anchors are large companies and actor types marked
``anchor`` (research organisations). ``synergy_i`` is the mean clue score of i's ``clues.k`` best cross-border
matches among the pole's candidates, computed at the first study and, for candidates known later, in the month
after they become known. Each actor has its own threshold for each pole,
drawn once from N(0, ``joining.noise``); an engaged candidate (one the programme has met: interviewed, at a
workshop or event, introduced or accompanied) reconsiders in a month with probability ``joining.rate`` and joins
when u > its threshold. Every member raises the others' utility (no term decreases with members), so the
process is a threshold cascade (Granovetter 1978).
"""

from __future__ import annotations

import numpy as np

from xbsim.core.config.schema import (
    AccompanimentConfig,
    JoiningConfig,
)
from xbsim.core.domain import Domain
from xbsim.core.population.table import Population
from xbsim.programme.clues import Complementarity
from xbsim.programme.poles import PoleStatus, candidates, is_anchor
from xbsim.programme.relations import pair_key
from xbsim.programme.state import State


def utility(domain: Domain, pop: Population, state: State, pole: PoleStatus, joining: JoiningConfig,
            rows: np.ndarray, prospective: bool = False) -> np.ndarray:
    """Joining utility of ``rows`` for ``pole`` (see module docstring).

    ``prospective``: the utility 'once the pole exists', as the feasibility study asks it: the pole at
    ``min_members`` members, all SMEs for the anchor term, and no ties yet.
    """
    p, j = pole.index, joining
    m0 = pole.critical_mass.min_members
    in_pole = state.member[:, p]
    if prospective:
        ties = np.zeros(rows.size)
        size_term = sme_term = 0.5  # a pole at min_members members, all SMEs
    else:
        ties = member_ties(pop, state, in_pole, rows, j)
        n_mem, n_sme = float(in_pole.sum()), float((in_pole & pop.is_sme).sum())
        size_term, sme_term = n_mem / (n_mem + m0), n_sme / (n_sme + m0)
    anchor = is_anchor(domain, pop)[rows]
    return (j.base_benefit + j.synergy_weight * pole.synergy[rows]
            + j.tie_weight * ties / (ties + j.tie_reference)
            + j.size_weight * size_term + j.anchor_weight * anchor * sme_term
            + state.accompaniment[rows, p] + j.openness_weight * (pop.openness[rows] - 0.5) - j.cost)


def member_ties(pop: Population, state: State, in_pole: np.ndarray, rows: np.ndarray,
                joining: JoiningConfig) -> np.ndarray:
    """Weighted count of the members each of ``rows`` has met (see the module docstring)."""
    t = state.trust.matrix
    met = (t + t.T).tocsr()[rows][:, np.flatnonzero(in_pole)].tocoo()
    if met.nnz == 0:
        return np.zeros(rows.size)
    r, m = rows[met.row], np.flatnonzero(in_pole)[met.col]
    partner = np.isin(pair_key(r, m), state.partnerships.keys())
    same_area = pop.area[r] == pop.area[m]
    in_chain = (pop.segment[r] >= 0) & (pop.segment[m] >= 0)
    neighbour = same_area & in_chain & (np.abs(pop.segment[r] - pop.segment[m]) == 1)
    w = np.where(partner, joining.partner_tie, np.where(neighbour, joining.neighbour_tie,
                 np.where(same_area, joining.peer_tie, joining.contact_tie)))
    return np.bincount(met.row, weights=w, minlength=rows.size)


def compute_synergy(pop: Population, state: State, comp: Complementarity, pole: PoleStatus, k: int,
                    rng: np.random.Generator) -> np.ndarray:
    """Each candidate's mean clue score over its ``k`` best cross-border matches among the candidates, for the
    candidates whose synergy is not computed yet; returns them."""
    cand = candidates(pop, state, pole)
    if pole.synergy.size != pop.n:
        pole.synergy, pole.synergy_done = np.zeros(pop.n), np.zeros(pop.n, dtype=bool)
    new = cand[~pole.synergy_done[cand]]
    if new.size and cand.size >= 2:
        _, score = comp.top_k(state.obs_capability, state.obs_need, new, cand, k, rng, scope="cross_border")
        finite = np.isfinite(score)
        pole.synergy[new] = np.where(finite, score, 0.0).sum(axis=1) / np.maximum(finite.sum(axis=1), 1)
        pole.synergy_done[new] = True
    return new


def accompany(domain: Domain, pop: Population, state: State, pole: PoleStatus, capacity: int, acc: AccompanimentConfig,
              joining: JoiningConfig, month: int) -> np.ndarray:
    """One facilitator team's month: accompany up to ``capacity`` non-member candidates not yet accompanied
    this month by another team of the pole; first those accompaniment can still tip (below their threshold by
    no more than the boost they can still receive, closest first), then the others below their threshold
    (closest first), then those already willing. Under a conditional go asking for member types, anchors and
    non-company actors come first. Returns the accompanied actors."""
    p = pole.index
    cand = candidates(pop, state, pole)
    cand = cand[~state.member[cand, p] & (state.accompaniment[cand, p] < acc.max_boost)
                & (state.last_accompanied[cand, p] != month)]
    if cand.size == 0 or capacity == 0:
        return cand[:0]
    gap = pole.threshold[cand] - utility(domain, pop, state, pole, joining, cand)  # > 0: below the threshold
    headroom = acc.max_boost - state.accompaniment[cand, p]
    tier = np.where(gap <= 0, 2, np.where(gap <= headroom, 0, 1))
    first = np.zeros(cand.size, dtype=int)
    if pole.condition("member_types"):
        first = np.where(is_anchor(domain, pop)[cand] | ~pop.is_company[cand], 0, 1)
    chosen = cand[np.lexsort((gap, tier, first))[:capacity]]
    state.accompaniment[chosen, p] = np.minimum(state.accompaniment[chosen, p] + acc.boost, acc.max_boost)
    state.accompanied[chosen, p] += 1
    state.last_accompanied[chosen, p] = month
    state.engaged[chosen] = True
    return chosen


def join(domain: Domain, pop: Population, state: State, pole: PoleStatus, joining: JoiningConfig, month: int,
         rng: np.random.Generator) -> np.ndarray:
    """Engaged candidates that reconsider this month and whose utility beats their threshold join; returns them.

    One uniform is drawn per actor row (so the draws do not depend on who is a candidate)."""
    p = pole.index
    u = rng.random(pop.n)
    cand = candidates(pop, state, pole)
    cand = cand[~state.member[cand, p] & state.engaged[cand]]
    deciding = cand[u[cand] < joining.rate]
    util = utility(domain, pop, state, pole, joining, deciding)
    joined = deciding[util > pole.threshold[deciding]]
    state.member[joined, p] = True
    state.join_month[joined, p] = month
    return joined
