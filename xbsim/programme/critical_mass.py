"""Critical mass: the criteria a pole must meet, all at once, to be constituted (``poles.<name>.critical_mass``),
evaluated for its current members (a pure function; the model keeps the month's result on the pole).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from xbsim.core.domain import Domain
from xbsim.core.population.table import Population
from xbsim.programme.poles import PoleStatus, value_chain_coverage
from xbsim.programme.state import State

CRITERIA: tuple[str, ...] = (
    "members",
    "members_per_territory",
    "member_types",
    "sme_share",
    "value_chain_coverage",
    "cross_border_partner_share",
)


THRESHOLD_KEYS = {
    "members": "min_members",
    "members_per_territory": "min_members_per_territory",
    "member_types": "min_member_types",
    "sme_share": "min_sme_share",
    "value_chain_coverage": "min_value_chain_coverage",
    "cross_border_partner_share": "min_cross_border_partner_share",
}


def evaluate_criteria(domain: Domain, pop: Population, state: State, pole: PoleStatus) -> dict[str, dict[str, Any]]:
    """Each critical-mass criterion's value against its threshold for the pole's current members (pure)."""
    p, cm = pole.index, pole.critical_mass
    members = np.flatnonzero(state.member[:, p])
    companies = members[pop.is_company[members]]
    per_terr = np.bincount(pop.territory[members], minlength=len(domain.territories))
    xb = state.partnerships.degree(cross_border_only=True)
    values = {
        "members": float(members.size),
        "members_per_territory": float(per_terr.min()),
        "member_types": float(np.unique(pop.kind[members]).size),
        "sme_share": float(pop.is_sme[companies].mean()) if companies.size else 0.0,
        "value_chain_coverage": value_chain_coverage(domain, pop, members, pole.areas),
        "cross_border_partner_share": float((xb[members] > 0).mean()) if members.size else 0.0,
    }
    return {name: {"value": round(values[name], 6), "threshold": getattr(cm, THRESHOLD_KEYS[name]),
                   "met": bool(values[name] >= getattr(cm, THRESHOLD_KEYS[name]))} for name in CRITERIA}
