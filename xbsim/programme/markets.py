"""The strategic plan's diversification markets: those the members' capabilities reach together
(``poles.<name>.markets``).
"""

from __future__ import annotations

import numpy as np

from xbsim.core.domain import Domain
from xbsim.core.population.table import Population
from xbsim.programme.poles import PoleStatus
from xbsim.programme.state import State


def reachable_markets(domain: Domain, pop: Population, state: State, pole: PoleStatus) -> list[str]:
    """Markets whose capability bundle the members hold together: for every required dimension, at least
    ``min_firms_per_capability`` members at or above the required level."""
    members = np.flatnonzero(state.member[:, pole.index])
    out = []
    for name, market in pole.markets.items():
        ok = all((pop.capability[members, domain.dimensions.index(dim)] >= level).sum()
                 >= market.min_firms_per_capability for dim, level in market.requirements.items())
        if ok:
            out.append(name)
    return out
