"""Identification: the survey (who answers, with a noisy profile) and interviews (which refine it)."""

from __future__ import annotations

from typing import Any

import numpy as np

from xbsim.mechanisms.state import State
from xbsim.population.table import Population


def observe(pop: Population, state: State, rows: np.ndarray, noise: float, rng: np.random.Generator) -> None:
    """Set the programme's view of ``rows`` to their true profile plus Gaussian noise (clipped to [0, 1])."""
    shape = (rows.size, pop.capability.shape[1])
    state.obs_capability[rows] = (pop.capability[rows] + rng.normal(0.0, noise, shape)).clip(0.0, 1.0)
    state.obs_need[rows] = (pop.need[rows] + rng.normal(0.0, noise, shape)).clip(0.0, 1.0)


def run_survey(pop: Population, state: State, survey: dict[str, Any], rng: np.random.Generator) -> np.ndarray:
    """The identification survey; returns the respondents' indices.

    With a survey-file population the respondents are the companies of the file; otherwise each company
    answers with probability ``response_rate`` x openness / mean openness (open firms answer more), capped at 1.
    Respondents become known with a profile seen through ``perception_noise``; companies the file marks as
    interviewed are seen through ``interview_noise`` and count as interviewed.
    """
    surveyed = pop.origin == "surveyed"
    if surveyed.any():
        respond = surveyed
    else:
        p = np.clip(survey["response_rate"] * pop.openness / pop.openness.mean(), 0.0, 1.0)
        respond = rng.random(pop.n) < p
    rows = np.flatnonzero(respond & ~state.known)
    state.known[rows] = True
    observe(pop, state, rows, survey["perception_noise"], rng)
    pre = rows[pop.interviewed_in_survey[rows]]
    observe(pop, state, pre, survey["interview_noise"], rng)
    state.interviewed[pre] = True
    state.engaged[pre] = True
    return rows


def run_interviews(pop: Population, state: State, survey: dict[str, Any], rng: np.random.Generator) -> np.ndarray:
    """Interview up to ``interviews_per_month`` known, not yet interviewed companies; returns their indices.

    The programme interviews the most promising first: high observed need plus openness, ties broken at random.
    """
    pool = np.flatnonzero(state.known & ~state.interviewed)
    cap = int(survey["interviews_per_month"])
    if pool.size == 0 or cap == 0:
        return pool[:0]
    priority = state.obs_need[pool].mean(axis=1) + pop.openness[pool] + rng.uniform(0.0, 0.05, pool.size)
    chosen = pool[np.argsort(-priority, kind="stable")[:cap]]
    observe(pop, state, chosen, survey["interview_noise"], rng)
    state.interviewed[chosen] = True
    state.engaged[chosen] = True
    return chosen
