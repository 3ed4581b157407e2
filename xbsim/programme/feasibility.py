"""The feasibility study of a pole (``feasibility.month``, and again at ``feasibility.reassessment_month`` for a
conditional go). Its indicators are those a study cites: interested actors (candidates who would join once the pole
exists) by territory and type, cross-border partnerships among them, value-chain coverage, SME share, and the
synergy between the pole's areas. Verdict: *go* when every check passes; *no-go* when the interested actors or the
coverage fall below ``conditional_share`` of their threshold; otherwise a *conditional go* whose conditions (the
failed checks) the programme then targets: renewed outreach in the territories lacking interested actors, toward
the segments the interested actors lack, and without size weighting when SMEs are lacking; accompaniment of
non-company actors and large firms first when member types are lacking; brokered cross-border introductions when no
cross-border partnership links the interested actors. A conditional pole is in formation (accompaniment and joining
run) but is constituted only after a *go*; at the reassessment a conditional go becomes go (every check passes) or
no-go.
"""

from __future__ import annotations

import numpy as np

from xbsim.core.config.schema import (
    FeasibilityConfig,
    JoiningConfig,
)
from xbsim.core.domain import Domain
from xbsim.core.population.table import Population
from xbsim.programme.clues import Complementarity
from xbsim.programme.identification import OutreachTargets
from xbsim.programme.joining import utility
from xbsim.programme.poles import (
    Feasibility,
    PoleStatus,
    candidates,
    missing_segments,
    number_text,
    value_chain_coverage,
)
from xbsim.programme.state import State

#: Feasibility checks: key -> (label, threshold key in ``feasibility``, may a shortfall be a condition?)
CHECKS: dict[str, tuple[str, str, bool]] = {
    "interested_actors": ("interested actors", "min_interested", False),
    "interested_per_territory": ("interested actors in every territory", "min_interested_per_territory", True),
    "member_types": ("member types among the interested", "min_member_types", True),
    "cross_border_links": ("cross-border partnerships among the interested", "min_cross_border_links", True),
    "value_chain_coverage": ("value-chain coverage of the interested", "min_coverage", False),
    "sme_share": ("SME share of the interested companies", "min_sme_share", True),
}


SYNERGY_SAMPLE = 300  # interested actors (evenly spaced in row order) whose cross-area pairs are scored


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
