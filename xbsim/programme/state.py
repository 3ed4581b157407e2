"""Dynamic actor state that the mechanisms read and write (arrays aligned with the population)."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from xbsim.programme.relations import Negotiations, Partnerships, Trust

#: How an actor became known to the programme (``State.channel``).
CHANNELS: tuple[str, ...] = ("programme_network", "survey_file", "outreach", "referral", "workshop", "b2b")


@dataclass
class State:
    """What changes during a run; row i is actor i, column p is pole p."""

    n: int
    n_poles: int
    n_dims: int
    contacted: np.ndarray = field(init=False)  # reached by a cold outreach contact (answered or not)
    referred: np.ndarray = field(init=False)  # a warm lead passed to the programme by an engaged actor
    referral_followed: np.ndarray = field(init=False)  # the programme followed the lead up (answered or not)
    known: np.ndarray = field(init=False)  # the programme knows the actor (it answered the survey, registered...)
    known_month: np.ndarray = field(init=False)  # month it became known, -1 if unknown
    channel: np.ndarray = field(init=False)  # index into CHANNELS, -1 if unknown
    interviewed: np.ndarray = field(init=False)
    engaged: np.ndarray = field(init=False)  # interviewed, at a workshop or B2B event, introduced, or accompanied
    met: np.ndarray = field(init=False)  # had a workshop contact, an introduction or a held B2B meeting
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
        for name in ("contacted", "referred", "referral_followed", "known", "interviewed", "engaged", "met"):
            setattr(self, name, np.zeros(n, dtype=bool))
        self.known_month = np.full(n, -1, dtype=np.int64)
        self.channel = np.full(n, -1, dtype=np.int8)
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
