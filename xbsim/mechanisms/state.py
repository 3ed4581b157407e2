"""Dynamic company state that the mechanisms read and write (arrays aligned with the population)."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from xbsim.mechanisms.relations import Negotiations, Partnerships, Trust


@dataclass
class State:
    """What changes during a run; row i is company i, column p is pole p."""

    n: int
    n_poles: int
    n_dims: int
    known: np.ndarray = field(init=False)  # the programme knows the company (survey respondent)
    interviewed: np.ndarray = field(init=False)
    engaged: np.ndarray = field(init=False)  # interviewed, at a workshop or B2B event, or accompanied
    met: np.ndarray = field(init=False)  # had a workshop contact or a held B2B meeting
    obs_capability: np.ndarray = field(init=False)  # the programme's (noisy) view, (N, D)
    obs_need: np.ndarray = field(init=False)
    accompaniment: np.ndarray = field(init=False)  # propensity boost from facilitators, (N, P)
    accompanied: np.ndarray = field(init=False)  # months of accompaniment received, (N, P)
    last_accompanied: np.ndarray = field(init=False)  # last month accompanied, (N, P), -1 if never
    member: np.ndarray = field(init=False)  # (N, P) bool
    join_month: np.ndarray = field(init=False)  # (N, P), -1 if not a member
    trust: Trust = field(init=False)
    negotiations: Negotiations = field(init=False)
    partnerships: Partnerships = field(init=False)

    def __post_init__(self) -> None:
        n, p, d = self.n, self.n_poles, self.n_dims
        self.known = np.zeros(n, dtype=bool)
        self.interviewed = np.zeros(n, dtype=bool)
        self.engaged = np.zeros(n, dtype=bool)
        self.met = np.zeros(n, dtype=bool)
        self.obs_capability = np.zeros((n, d))
        self.obs_need = np.zeros((n, d))
        self.accompaniment = np.zeros((n, p))
        self.accompanied = np.zeros((n, p), dtype=np.int64)
        self.last_accompanied = np.full((n, p), -1, dtype=np.int64)
        self.member = np.zeros((n, p), dtype=bool)
        self.join_month = np.full((n, p), -1, dtype=np.int64)
        self.trust = Trust(n)
        self.negotiations = Negotiations()
        self.partnerships = Partnerships(n)
