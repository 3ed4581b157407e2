"""Poles: staged feasibility study, accompaniment, joining (a threshold cascade), critical mass, and the strategic
plan's diversification markets (those the members' capabilities reach together).

**Feasibility study** (``feasibility.month``, and again at ``feasibility.reassessment_month`` for a conditional
go). Its indicators are those a study cites: interested actors (candidates who would join once the pole exists)
by territory and type, cross-border partnerships among them, value-chain coverage, SME share, and the synergy
between the pole's areas. Verdict: *go* when every check passes; *no-go* when the interested actors or the
coverage fall below ``conditional_share`` of their threshold; otherwise a *conditional go* whose conditions
(the failed checks) the programme then targets: renewed outreach in the territories lacking interested actors,
toward the segments the interested actors lack, and without size weighting when SMEs are lacking; accompaniment
of non-company actors and large firms first when member types are lacking; brokered cross-border introductions
when no cross-border partnership links the interested actors. A conditional
pole is in formation (accompaniment and joining run) but is constituted only after a *go*; at the reassessment
a conditional go becomes go (every check passes) or no-go.

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

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from xbsim.core.config.schema import (
    AccompanimentConfig,
    CriticalMassConfig,
    FeasibilityConfig,
    JoiningConfig,
    MarketConfig,
)
from xbsim.core.domain import Domain
from xbsim.core.population.table import Population
from xbsim.programme.clues import Complementarity
from xbsim.programme.identification import OutreachTargets
from xbsim.programme.relations import pair_key
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
VERDICTS: tuple[str, ...] = ("go", "conditional", "no-go")
#: Feasibility checks: key -> (label, threshold key in ``feasibility``, may a shortfall be a condition?)
CHECKS: dict[str, tuple[str, str, bool]] = {
    "interested_actors": ("interested actors", "min_interested", False),
    "interested_per_territory": ("interested actors in every territory", "min_interested_per_territory", True),
    "member_types": ("member types among the interested", "min_member_types", True),
    "cross_border_links": ("cross-border partnerships among the interested", "min_cross_border_links", True),
    "value_chain_coverage": ("value-chain coverage of the interested", "min_coverage", False),
    "sme_share": ("SME share of the interested companies", "min_sme_share", True),
}


@dataclass
class Feasibility:
    """One feasibility assessment of one pole."""

    month: int
    verdict: str  # one of VERDICTS
    reasons: list[str]  # every check: "label: value >= threshold" or "<"
    conditions: list[str]  # for a conditional go: what the programme must achieve
    indicators: dict[str, float]
    failed: list[str] = field(default_factory=list)  # keys of the failed checks
    lacking_territories: list[int] = field(default_factory=list)  # territories below min_interested_per_territory
    interested: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))  # the interested actors

    @property
    def go(self) -> bool:
        return self.verdict == "go"


@dataclass
class PoleStatus:
    """Run-time status of one proposed pole."""

    name: str
    index: int
    areas: np.ndarray  # area indices
    theme: np.ndarray  # (A,) bool: the pole's areas and the areas related to them
    critical_mass: CriticalMassConfig
    markets: dict[str, MarketConfig]
    assessments: list[Feasibility] = field(default_factory=list)
    synergy: np.ndarray = field(default_factory=lambda: np.zeros(0))  # (N,), 0 outside the candidates
    synergy_done: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))  # (N,) synergy computed
    threshold: np.ndarray = field(default_factory=lambda: np.zeros(0))  # (N,) joining thresholds
    constitution_month: int | None = None
    criteria: dict[str, dict[str, Any]] = field(default_factory=dict)
    market_months: dict[str, int] = field(default_factory=dict)  # market -> month it became reachable

    @property
    def feasibility(self) -> Feasibility | None:
        """The latest assessment (None before the study)."""
        return self.assessments[-1] if self.assessments else None

    @property
    def verdict(self) -> str | None:
        return self.feasibility.verdict if self.feasibility else None

    @property
    def constituted(self) -> bool:
        return self.constitution_month is not None

    @property
    def in_formation(self) -> bool:
        """Accompaniment and joining run for poles with a go or a conditional go."""
        return self.verdict in ("go", "conditional")

    def condition(self, check: str) -> bool:
        """True while a conditional go asks for ``check``."""
        return self.verdict == "conditional" and check in self.feasibility.failed


def candidates(pop: Population, state: State, pole: PoleStatus) -> np.ndarray:
    """Known actors of the pole's areas (the only ones the programme can bring in)."""
    return np.flatnonzero(state.known & np.isin(pop.area, pole.areas))


def value_chain_coverage(domain: Domain, pop: Population, rows: np.ndarray, areas: np.ndarray) -> float:
    """Share of the segments of the pole's value chains with at least one actor among ``rows``."""
    n_seg = int(domain.areas.n_segments()[areas].sum())
    rows = rows[(pop.segment[rows] >= 0) & np.isin(pop.area[rows], areas)]
    if rows.size == 0:
        return 0.0
    return float(np.unique(pop.area[rows] * 1000 + pop.segment[rows]).size / n_seg)


def missing_segments(domain: Domain, pop: Population, rows: np.ndarray, areas: np.ndarray) -> np.ndarray:
    """(A, S_max) True for the segments of the pole's areas without any actor among ``rows``."""
    s_max = int(domain.areas.n_segments().max())
    have = np.zeros((len(domain.areas), s_max), dtype=bool)
    rows = rows[pop.segment[rows] >= 0]
    have[pop.area[rows], pop.segment[rows]] = True
    chain = np.arange(s_max)[None, :] < domain.areas.n_segments()[:, None]
    return chain & ~have & np.isin(np.arange(len(domain.areas)), areas)[:, None]


def is_anchor(domain: Domain, pop: Population) -> np.ndarray:
    """Large companies and actors of a type marked ``anchor``."""
    return pop.is_large_company | domain.actor_types.anchor[pop.kind]


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


def interested_actors(domain: Domain, pop: Population, state: State, pole: PoleStatus, joining: JoiningConfig,
                      feas: FeasibilityConfig) -> np.ndarray:
    """Candidates who would join once the pole exists (prospective utility above their threshold) and are open
    enough (openness >= ``interest_threshold``)."""
    cand = candidates(pop, state, pole)
    u = utility(domain, pop, state, pole, joining, cand, prospective=True)
    return cand[(u > pole.threshold[cand]) & (pop.openness[cand] >= feas.interest_threshold)]


def study_indicators(domain: Domain, pop: Population, state: State, comp: Complementarity, pole: PoleStatus,
                     interested: np.ndarray) -> dict[str, float]:
    """The indicators a feasibility study cites, over the interested actors."""
    codes, types = domain.territories.codes, domain.actor_types.names
    per_terr = np.bincount(pop.territory[interested], minlength=len(codes))
    per_type = np.bincount(pop.kind[interested], minlength=len(types))
    ps = state.partnerships
    inside = np.zeros(pop.n, dtype=bool)
    inside[interested] = True
    among = ps.active & inside[ps.i] & inside[ps.j]
    cross_area = among & (pop.area[ps.i] != pop.area[ps.j])
    companies = interested[pop.is_company[interested]]
    ind: dict[str, float] = {
        "interested_actors": float(interested.size),
        "interested_per_territory": float(per_terr.min()) if len(codes) else 0.0,
        "member_types": float((per_type > 0).sum()),
        "cross_border_links": float((among & ps.cross_border).sum()),
        "interregional_links": float((among & ps.interregional).sum()),
        "value_chain_coverage": value_chain_coverage(domain, pop, interested, pole.areas),
        "sme_share": float(pop.is_sme[companies].mean()) if companies.size else 0.0,
        "cross_area_links": float(cross_area.sum()),
        "area_synergy": _area_synergy(pop, state, comp, interested),
    }
    ind.update({f"interested_{code}": float(per_terr[t]) for t, code in enumerate(codes)})
    ind.update({f"interested_{name}": float(per_type[k]) for k, name in enumerate(types)})
    return ind


SYNERGY_SAMPLE = 300  # interested actors (evenly spaced in row order) whose cross-area pairs are scored


def _area_synergy(pop: Population, state: State, comp: Complementarity, rows: np.ndarray) -> float:
    """Mean clue score (observed profiles) of the pairs of interested actors of different areas (0 if none);
    over an evenly spaced sample of ``SYNERGY_SAMPLE`` of them when there are more."""
    if rows.size > SYNERGY_SAMPLE:
        rows = rows[np.linspace(0, rows.size - 1, SYNERGY_SAMPLE).astype(np.int64)]
    if rows.size < 2:
        return 0.0
    i, j = np.triu_indices(rows.size, k=1)
    cross = pop.area[rows[i]] != pop.area[rows[j]]
    if not cross.any():
        return 0.0
    s = comp.score(state.obs_capability, state.obs_need, rows[i[cross]], rows[j[cross]])
    return float(s.mean())


def assess(domain: Domain, pop: Population, state: State, comp: Complementarity, pole: PoleStatus,
           feas: FeasibilityConfig, joining: JoiningConfig, month: int, final: bool) -> Feasibility:
    """One feasibility assessment (``final``: the reassessment, where a shortfall means no-go)."""
    interested = interested_actors(domain, pop, state, pole, joining, feas)
    ind = study_indicators(domain, pop, state, comp, pole, interested)
    reasons, failed, hard_fail = [], [], False
    for key, (label, tkey, soft) in CHECKS.items():
        value, need = ind[key], getattr(feas, tkey)
        ok = value >= need
        reasons.append(f"{label}: {number_text(value)} {'>=' if ok else '<'} {number_text(need)}")
        if not ok:
            failed.append(key)
            hard_fail |= not soft and value < feas.conditional_share * need
    per_terr = np.bincount(pop.territory[interested], minlength=len(domain.territories))
    lacking = [t for t in range(len(domain.territories)) if per_terr[t] < feas.min_interested_per_territory]
    if not failed:
        verdict = "go"
    elif hard_fail or final:
        verdict = "no-go"
    else:
        verdict = "conditional"
    conditions = _conditions(domain, failed, lacking, ind, feas) if verdict == "conditional" else []
    result = Feasibility(month, verdict, reasons, conditions, ind, failed, lacking, interested)
    pole.assessments.append(result)
    return result


def _conditions(domain: Domain, failed: list[str], lacking: list[int], ind: dict[str, float],
                feas: FeasibilityConfig) -> list[str]:
    """What a conditional go asks, in a study's words."""
    names = domain.territories.names
    out = []
    for key in failed:
        if key == "interested_actors":
            out.append(f"recruit interested actors ({number_text(ind[key])} < {feas.min_interested})")
        elif key == "interested_per_territory":
            out += [f"recruit actors in {domain.territories.codes[t]} ({names[t]}): "
                    f"{number_text(ind[f'interested_{domain.territories.codes[t]}'])} interested < "
                    f"{feas.min_interested_per_territory}" for t in lacking]
        elif key == "member_types":
            out.append("recruit a research organisation or an intermediary (member types "
                       f"{number_text(ind[key])} < {feas.min_member_types})")
        elif key == "cross_border_links":
            out.append("no cross-border partnership yet among the interested actors: broker introductions")
        elif key == "value_chain_coverage":
            out.append(f"fill value-chain gaps (coverage {number_text(ind[key])} < {number_text(feas.min_coverage)})")
        elif key == "sme_share":
            out.append(f"recruit SMEs (SME share {number_text(ind[key])} < {number_text(feas.min_sme_share)})")
    return out


def outreach_targets(domain: Domain, pop: Population, state: State, pole: PoleStatus,
                     factor: float) -> OutreachTargets | None:
    """What the pole's outreach favours under a conditional go (None otherwise)."""
    if pole.verdict != "conditional":
        return None
    f = pole.feasibility
    terr = np.ones(len(domain.territories))
    if "interested_actors" in f.failed:
        terr[:] = factor
    terr[f.lacking_territories] = factor
    seg = None
    if "value_chain_coverage" in f.failed:  # the segments the interested actors lack, everywhere
        seg = np.where(missing_segments(domain, pop, f.interested, pole.areas), factor, 1.0)
        terr[:] = np.maximum(terr, factor)
    return OutreachTargets(terr, seg, size_neutral="sme_share" in f.failed)


def number_text(x: Any) -> str:
    """A count as a whole number, a share with two decimals ("15", "0.62"); booleans and None as words (the
    feasibility study's reasons, the app's criteria table)."""
    if isinstance(x, bool) or x is None:
        return str(x)
    return f"{x:.0f}" if float(x).is_integer() else f"{float(x):.2f}"


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


def member_composition(domain: Domain, pop: Population, state: State, pole: PoleStatus) -> dict[str, int]:
    """Members by actor type, plus member companies by size class (SMEs and large)."""
    members = np.flatnonzero(state.member[:, pole.index])
    per_type = np.bincount(pop.kind[members], minlength=len(domain.actor_types))
    out = {f"{name}": int(per_type[k]) for k, name in enumerate(domain.actor_types.names)}
    out["sme_companies"] = int(pop.is_sme[members].sum())
    out["large_companies"] = int(pop.is_large_company[members].sum())
    return out


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
