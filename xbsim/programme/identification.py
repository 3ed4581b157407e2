"""Identification: how the programme comes to know actors, and what it sees of them.

Every channel is bound by a capacity of the programme, never by the size of the population, so the population
the programme can reach is set by its effort (outreach teams, event places), not by how many firms exist:

- **cold outreach** (``outreach.start``..``outreach.end``): each month, each pole's team contacts up to
  ``contacts_per_month`` not yet contacted actors of the pole's areas in each territory, drawn with weight
  employees ** ``visibility_exponent`` (directories and cluster lists show larger firms first); a contacted
  actor answers the survey with ``response_rate`` x openness / ``population.openness_mean`` (capped at 1);
- **warm referrals** (from ``outreach.start`` to the horizon): engaged actors pass leads on peers of their own
  territory and area (a Poisson number a month, of mean ``outreach.referral_prob`` for companies and the type's
  ``referrals_per_month`` for other actors); each pole's team follows up to ``referral_capacity`` leads per
  territory and month,
  which answer with ``referral_response_rate`` x the same openness factor;
- **open places** at workshops and B2B events (see those mechanisms): actors not yet known register;
- the programme's own network: non-company actors with ``known_at_start`` are known from month 0, and the rows
  of a survey file are known from month 0 as well.

A conditional go of the feasibility study multiplies a pole's outreach capacity in the territories it must
recruit in (``outreach.conditional_factor``; cold contacts resume there until the reassessment), steers contacts
to the value-chain segments its interested actors lack, and drops the size weighting when it must recruit SMEs.
An actor that becomes known is seen through ``survey.perception_noise``; an interview replaces that view with
one through ``survey.interview_noise``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from xbsim.core.config.schema import OutreachConfig, SurveyConfig
from xbsim.core.population.table import Population
from xbsim.programme.state import CHANNELS, State


def observe(pop: Population, state: State, rows: np.ndarray, noise: float, rng: np.random.Generator) -> None:
    """Set the programme's view of ``rows`` to their true profile plus Gaussian noise (clipped to [0, 1])."""
    shape = (rows.size, pop.capability.shape[1])
    state.obs_capability[rows] = (pop.capability[rows] + rng.normal(0.0, noise, shape)).clip(0.0, 1.0)
    state.obs_need[rows] = (pop.need[rows] + rng.normal(0.0, noise, shape)).clip(0.0, 1.0)


def make_known(pop: Population, state: State, rows: np.ndarray, channel: str, month: int, noise: float,
               rng: np.random.Generator) -> np.ndarray:
    """Make ``rows`` known through ``channel`` (those already known are skipped); returns the new ones."""
    rows = rows[~state.known[rows]]
    state.known[rows] = True
    state.known_month[rows] = month
    state.channel[rows] = CHANNELS.index(channel)
    observe(pop, state, rows, noise, rng)
    return rows


def response_probability(pop: Population, rows: np.ndarray, rate: float, openness_mean: float) -> np.ndarray:
    """rate x openness / the population's mean openness parameter, capped at 1."""
    return np.clip(rate * pop.openness[rows] / openness_mean, 0.0, 1.0)


def weighted_sample(pool: np.ndarray, weight: np.ndarray, size: int, u: np.ndarray) -> np.ndarray:
    """Up to ``size`` members of ``pool`` without replacement, with probability ∝ weight (Gumbel top-k on the
    per-actor uniforms ``u[pool]``, so an actor's key does not depend on who else is in the pool)."""
    if size <= 0 or pool.size == 0:
        return pool[:0]
    key = np.log(np.maximum(weight, 1e-300)) - np.log(-np.log(np.maximum(u[pool], 1e-300)))
    if pool.size <= size:
        return pool[np.argsort(-key, kind="stable")]
    top = np.argpartition(-key, size - 1)[:size]
    return pool[top[np.argsort(-key[top], kind="stable")]]


@dataclass
class OutreachTargets:
    """What a conditional go asks the outreach of one pole to favour. While the conditional go lasts, the
    pole's team makes cold contacts again (after ``outreach.end`` too) in the territories it must recruit in."""

    territory_factor: np.ndarray  # (T,) capacity multiplier per territory (> 1: recruit there)
    segment_weight: np.ndarray | None = None  # (A, S_max) extra weight of the segments the pole lacks
    size_neutral: bool = False  # recruit SMEs: contact lists not weighted by head count


@dataclass
class OutreachResult:
    """One month of one pole's outreach."""

    contacted: int
    referrals_followed: int
    new_known: np.ndarray


def start_known(pop: Population, state: State, known_at_start: np.ndarray, survey: SurveyConfig,
                rng: np.random.Generator) -> np.ndarray:
    """Month 0: the programme's own network (non-company actors with ``known_at_start``: its partners, known as
    well as after an interview) and the rows of a survey file (seen through ``perception_noise``, those the
    file marks as interviewed through ``interview_noise``)."""
    net = np.flatnonzero(known_at_start[pop.kind] & (pop.origin != "surveyed"))
    new = make_known(pop, state, net, "programme_network", 0, survey.interview_noise, rng)
    state.interviewed[new] = True
    surveyed = np.flatnonzero(pop.origin == "surveyed")
    new_s = make_known(pop, state, surveyed, "survey_file", 0, survey.perception_noise, rng)
    pre = new_s[pop.interviewed_in_survey[new_s]]
    observe(pop, state, pre, survey.interview_noise, rng)
    state.interviewed[pre] = True
    state.engaged[pre] = True
    return np.concatenate([new, new_s])


def run_outreach(pop: Population, state: State, pole_areas: np.ndarray, outreach: OutreachConfig,
                 openness_mean: float, noise: float, month: int, rng: np.random.Generator,
                 targets: OutreachTargets | None = None) -> OutreachResult:
    """One month of one pole's outreach in every territory: warm leads first, then cold contacts."""
    u_pick, u_answer = rng.random(pop.n), rng.random(pop.n)
    in_pole = pole_areas[pop.area]
    n_terr = int(pop.territory.max()) + 1 if pop.n else 0
    factor = targets.territory_factor if targets is not None else np.ones(n_terr)
    seg_w = np.ones(pop.n)
    if targets is not None and targets.segment_weight is not None:
        ok = pop.segment >= 0
        seg_w[ok] = targets.segment_weight[pop.area[ok], pop.segment[ok]]
    answered, contacted, followed = [], 0, 0
    exponent = 0.0 if targets is not None and targets.size_neutral else outreach.visibility_exponent
    for t in range(n_terr):
        here = in_pole & (pop.territory == t) & ~state.known
        warm_cap = int(round(outreach.referral_capacity * factor[t]))
        leads = np.flatnonzero(here & state.referred & ~state.referral_followed)
        leads = weighted_sample(leads, np.ones(leads.size), warm_cap, u_pick)
        state.referral_followed[leads] = True
        followed += leads.size
        p = response_probability(pop, leads, outreach.referral_response_rate, openness_mean)
        answered.append(("referral", leads[u_answer[leads] < p]))
        recruiting = targets is not None and factor[t] > 1  # a conditional go's recruiting drive
        if outreach.start <= month <= outreach.end or recruiting:
            cold_cap = int(round(outreach.contacts_per_month * factor[t]))
            pool = np.flatnonzero(here & ~state.contacted & ~state.referral_followed)
            w = pop.employees[pool].astype(float) ** exponent * seg_w[pool]
            chosen = weighted_sample(pool, w, cold_cap, u_pick)
            state.contacted[chosen] = True
            contacted += chosen.size
            p = response_probability(pop, chosen, outreach.response_rate, openness_mean)
            answered.append(("outreach", chosen[u_answer[chosen] < p]))
    new = [make_known(pop, state, rows, channel, month, noise, rng) for channel, rows in answered]
    return OutreachResult(contacted, followed, np.concatenate(new) if new else np.zeros(0, dtype=np.int64))


def pass_referrals(pop: Population, state: State, referrers: np.ndarray, referral_rate: np.ndarray,
                   rng: np.random.Generator) -> np.ndarray:
    """Engaged actors among ``referrers`` (N,) pass leads on unknown peers of their own territory and area;
    returns the referred.

    Each refers Poisson(``referral_rate[kind]``) peers, each drawn uniformly among the unknown, not yet referred
    actors of its (territory, area) cell.
    """
    n_ref = rng.poisson(referral_rate[pop.kind] * (state.engaged & referrers))
    src = np.repeat(np.arange(pop.n), n_ref)
    if src.size == 0:
        return src
    referred = np.unique(peers_in_cell(pop, src, np.flatnonzero(~state.known & ~state.referred), rng))
    state.referred[referred] = True
    return referred


def peers_in_cell(pop: Population, src: np.ndarray, pool: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """For each actor of ``src``, one actor of ``pool`` from its own (territory, area) cell, drawn uniformly with
    replacement; sources whose cell has none in the pool get none. Vectorised: sorted cells and binary search."""
    cell = pop.territory * (int(pop.area.max()) + 1) + pop.area
    order = pool[np.argsort(cell[pool], kind="stable")]
    sorted_cells = cell[order]
    lo = np.searchsorted(sorted_cells, cell[src], side="left")
    hi = np.searchsorted(sorted_cells, cell[src], side="right")
    has = hi > lo
    return order[lo[has] + np.floor(rng.random(int(has.sum())) * (hi[has] - lo[has])).astype(np.int64)]


def open_places(pop: Population, state: State, theme: np.ndarray, places: int, registration: float,
                rng: np.random.Generator, eligible: np.ndarray | None = None) -> np.ndarray:
    """Actors not yet known (among ``eligible``, (N,)) who hear of a pole's workshop or event and take one of its
    ``places``: each unknown actor of the theme would register with ``registration`` x (0.5 + openness); up to
    ``places`` of those are admitted at random. Returns them (the caller makes them known)."""
    u = rng.random(pop.n)
    pool = np.flatnonzero(theme[pop.area] & ~state.known & (True if eligible is None else eligible))
    keen = pool[u[pool] < np.clip(registration * (0.5 + pop.openness[pool]), 0.0, 1.0)]
    return weighted_sample(keen, np.ones(keen.size), places, rng.random(pop.n))


def run_interviews(pop: Population, state: State, survey: SurveyConfig, rng: np.random.Generator,
                   eligible: np.ndarray | None = None) -> np.ndarray:
    """Interview up to ``interviews_per_month`` known, not yet interviewed actors (among ``eligible``, (N,));
    returns their indices.

    The programme interviews the most promising first: high observed need plus openness, ties broken at random
    (U(0, ``interview_tie_break``)).
    """
    pool = np.flatnonzero(state.known & ~state.interviewed & (True if eligible is None else eligible))
    cap = int(survey.interviews_per_month)
    if pool.size == 0 or cap == 0:
        return pool[:0]
    priority = (state.obs_need[pool].mean(axis=1) + pop.openness[pool]
                + rng.uniform(0.0, survey.interview_tie_break, pool.size))
    chosen = pool[np.argsort(-priority, kind="stable")[:cap]]
    observe(pop, state, chosen, survey.interview_noise, rng)
    state.interviewed[chosen] = True
    state.engaged[chosen] = True
    return chosen
