"""Poles: feasibility study, accompaniment, joining (a threshold cascade), critical mass, strategic plan.

Joining utility of company i for pole p (all terms documented in docs/ODD.md):

    u = base_benefit + complementarity_weight x synergy_i + member_weight x min(1, members / min_members)
        + partner_weight x (share of i's partners already members) + accompaniment_i + (openness_i - 0.5) - cost

``synergy_i`` is the mean clue score of i's ``clues.k`` best cross-border matches among the pole's candidates,
fixed by the feasibility study. Each company has its own threshold for each pole, drawn once at the feasibility study
from N(0, ``joining.noise``) (idiosyncratic costs and tastes). A candidate reconsiders in a month with
probability ``joining.rate`` and joins when u > its threshold, so every member raises the others' utility and
may tip the next ones: a threshold cascade (Granovetter 1978).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from xbsim.domain import Domain
from xbsim.mechanisms.complementarity import Complementarity
from xbsim.mechanisms.state import State
from xbsim.population.table import Population

CRITERIA: tuple[str, ...] = (
    "members",
    "members_per_territory",
    "sme_share",
    "value_chain_coverage",
    "cross_border_partner_share",
)
THRESHOLD_KEYS = {
    "members": "min_members",
    "members_per_territory": "min_members_per_territory",
    "sme_share": "min_sme_share",
    "value_chain_coverage": "min_value_chain_coverage",
    "cross_border_partner_share": "min_cross_border_partner_share",
}


@dataclass
class Feasibility:
    """The feasibility study's verdict on one pole."""

    go: bool
    reasons: list[str]
    indicators: dict[str, float]


@dataclass
class PoleStatus:
    """Run-time status of one proposed pole."""

    name: str
    index: int
    areas: np.ndarray  # area indices
    critical_mass: dict[str, Any]
    markets: dict[str, Any]
    feasibility: Feasibility | None = None
    synergy: np.ndarray = field(default_factory=lambda: np.zeros(0))  # (N,), 0 outside the candidates
    threshold: np.ndarray = field(default_factory=lambda: np.zeros(0))  # (N,) joining thresholds
    constitution_month: int | None = None
    criteria: dict[str, dict[str, Any]] = field(default_factory=dict)
    market_months: dict[str, int] = field(default_factory=dict)  # market -> month it became reachable

    @property
    def constituted(self) -> bool:
        return self.constitution_month is not None

    @property
    def in_formation(self) -> bool:
        """Accompaniment and joining run only for poles the feasibility study approved."""
        return self.feasibility is not None and self.feasibility.go


def candidates(pop: Population, state: State, pole: PoleStatus) -> np.ndarray:
    """Known companies of the pole's areas (the only ones the programme can bring in)."""
    return np.flatnonzero(state.known & np.isin(pop.area, pole.areas))


def value_chain_coverage(domain: Domain, pop: Population, rows: np.ndarray, areas: np.ndarray) -> float:
    """Share of the segments of the pole's value chains with at least one company among ``rows``."""
    n_seg = int(domain.areas.n_segments()[areas].sum())
    if rows.size == 0:
        return 0.0
    cells = np.unique(pop.area[rows] * 1000 + pop.segment[rows])
    return float(np.isin(cells // 1000, areas).sum() / n_seg)


def territorial_balance(domain: Domain, pop: Population, rows: np.ndarray) -> float:
    """Smallest over largest territory count among ``rows`` (1 = perfectly balanced, 0 = a territory absent)."""
    counts = np.bincount(pop.territory[rows], minlength=len(domain.territories))
    return float(counts.min() / counts.max()) if counts.max() > 0 else 0.0


def utility(pop: Population, state: State, pole: PoleStatus, joining: dict[str, Any], rows: np.ndarray,
            member_fraction: float | None = None) -> np.ndarray:
    """Joining utility of ``rows`` for ``pole`` (see module docstring); ``member_fraction`` overrides the
    pole's current members / min_members (the feasibility study uses 1, i.e. 'once the pole exists')."""
    p = pole.index
    if member_fraction is None:
        member_fraction = min(1.0, state.member[:, p].sum() / pole.critical_mass["min_members"])
    ps = state.partnerships
    act = ps.active
    a, b = ps.i[act], ps.j[act]
    n = pop.n
    partners = np.bincount(a, minlength=n) + np.bincount(b, minlength=n)
    in_pole = state.member[:, p]
    partners_in = np.bincount(a, weights=in_pole[b], minlength=n) + np.bincount(b, weights=in_pole[a], minlength=n)
    share = np.divide(partners_in, partners, out=np.zeros(n), where=partners > 0)[rows]
    return (joining["base_benefit"] + joining["complementarity_weight"] * pole.synergy[rows]
            + joining["member_weight"] * member_fraction + joining["partner_weight"] * share
            + state.accompaniment[rows, p] + (pop.openness[rows] - 0.5) - joining["cost"])


def run_feasibility(domain: Domain, pop: Population, state: State, comp: Complementarity, pole: PoleStatus,
                    feas: dict[str, Any], joining: dict[str, Any], rng: np.random.Generator,
                    k: int) -> Feasibility:
    """Evaluate a proposed pole: interested actors (those who would join once the pole exists), cross-border
    partnerships among them, value-chain coverage, territorial balance and SME share."""
    cand = candidates(pop, state, pole)
    pole.threshold = rng.normal(0.0, joining["noise"], pop.n)
    pole.synergy = np.zeros(pop.n)
    if cand.size >= 2:
        _, score = comp.top_k(state.obs_capability, state.obs_need, cand, cand, k,
                              cross_border_only=True)
        finite = np.isfinite(score)
        pole.synergy[cand] = np.where(finite, score, 0.0).sum(axis=1) / np.maximum(finite.sum(axis=1), 1)
    u = utility(pop, state, pole, joining, cand, member_fraction=1.0)
    interested = cand[(u > pole.threshold[cand]) & (pop.openness[cand] >= feas["interest_threshold"])]
    ps = state.partnerships
    inside = np.zeros(pop.n, dtype=bool)
    inside[interested] = True
    links = int((ps.active & ps.cross_border & inside[ps.i] & inside[ps.j]).sum())
    n_int = interested.size
    ind = {
        "interested_actors": float(n_int),
        "cross_border_links": float(links),
        "cross_border_density": float(links / (n_int * (n_int - 1) / 2)) if n_int > 1 else 0.0,
        "value_chain_coverage": value_chain_coverage(domain, pop, interested, pole.areas),
        "territorial_balance": territorial_balance(domain, pop, interested),
        "sme_share": float(pop.is_sme[interested].mean()) if n_int else 0.0,
    }
    checks = [
        ("interested actors", ind["interested_actors"], feas["min_interested"]),
        ("cross-border partnerships among them", ind["cross_border_links"], feas["min_cross_border_links"]),
        ("value-chain coverage", ind["value_chain_coverage"], feas["min_coverage"]),
        ("territorial balance (smallest/largest territory)", ind["territorial_balance"], feas["min_balance"]),
        ("SME share", ind["sme_share"], feas["min_sme_share"]),
    ]
    reasons = [f"{label}: {_fmt(value)} {'>=' if value >= need else '<'} {_fmt(need)}"
               for label, value, need in checks]
    go = all(value >= need for _, value, need in checks)
    pole.feasibility = Feasibility(go, reasons, ind)
    return pole.feasibility


def _fmt(x: float) -> str:
    return f"{x:.0f}" if float(x).is_integer() else f"{x:.2f}"


def accompany(pop: Population, state: State, pole: PoleStatus, capacity: int, acc: dict[str, Any],
              joining: dict[str, Any], month: int) -> np.ndarray:
    """One facilitator team's month: accompany up to ``capacity`` candidates not yet accompanied this month by
    another team; first those accompaniment can still tip (below their threshold by no more than the boost they
    can still receive, closest first), then the others below their threshold (closest first), then those already
    willing. Returns the accompanied companies."""
    p = pole.index
    cand = candidates(pop, state, pole)
    cand = cand[~state.member[cand, p] & (state.accompaniment[cand, p] < acc["max_boost"])
                & (state.last_accompanied[cand, p] != month)]
    if cand.size == 0 or capacity == 0:
        return cand[:0]
    gap = pole.threshold[cand] - utility(pop, state, pole, joining, cand)  # > 0: still below the threshold
    headroom = acc["max_boost"] - state.accompaniment[cand, p]
    tier = np.where(gap <= 0, 2, np.where(gap <= headroom, 0, 1))
    chosen = cand[np.lexsort((gap, tier))[:capacity]]
    state.accompaniment[chosen, p] = np.minimum(state.accompaniment[chosen, p] + acc["boost"], acc["max_boost"])
    state.accompanied[chosen, p] += 1
    state.last_accompanied[chosen, p] = month
    state.engaged[chosen] = True
    return chosen


def join(pop: Population, state: State, pole: PoleStatus, joining: dict[str, Any], month: int,
         rng: np.random.Generator) -> np.ndarray:
    """Candidates that reconsider this month and whose utility beats their threshold join; returns them."""
    p = pole.index
    cand = candidates(pop, state, pole)
    cand = cand[~state.member[cand, p]]
    deciding = cand[rng.random(cand.size) < joining["rate"]]
    u = utility(pop, state, pole, joining, deciding)
    joined = deciding[u > pole.threshold[deciding]]
    state.member[joined, p] = True
    state.join_month[joined, p] = month
    return joined


def evaluate_criteria(domain: Domain, pop: Population, state: State, pole: PoleStatus) -> dict[str, dict[str, Any]]:
    """Each critical-mass criterion's value against its threshold for the pole's current members."""
    p, cm = pole.index, pole.critical_mass
    members = np.flatnonzero(state.member[:, p])
    per_terr = np.bincount(pop.territory[members], minlength=len(domain.territories))
    xb = state.partnerships.degree(cross_border_only=True)
    values = {
        "members": float(members.size),
        "members_per_territory": float(per_terr.min()),
        "sme_share": float(pop.is_sme[members].mean()) if members.size else 0.0,
        "value_chain_coverage": value_chain_coverage(domain, pop, members, pole.areas),
        "cross_border_partner_share": float((xb[members] > 0).mean()) if members.size else 0.0,
    }
    pole.criteria = {name: {"value": round(values[name], 6), "threshold": cm[THRESHOLD_KEYS[name]],
                            "met": bool(values[name] >= cm[THRESHOLD_KEYS[name]])} for name in CRITERIA}
    return pole.criteria


def reachable_markets(domain: Domain, pop: Population, state: State, pole: PoleStatus) -> list[str]:
    """Markets whose capability bundle the members hold together: for every required dimension, at least
    ``min_firms_per_capability`` members at or above the required level."""
    members = np.flatnonzero(state.member[:, pole.index])
    out = []
    for name, market in pole.markets.items():
        ok = all((pop.capability[members, domain.dimensions.index(dim)] >= level).sum()
                 >= market["min_firms_per_capability"] for dim, level in market["requirements"].items())
        if ok:
            out.append(name)
    return out
