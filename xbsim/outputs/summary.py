"""summary.json of one run: poles, funnel, B2B totals, stage-1 convergence, counts of the population."""

from __future__ import annotations

from typing import Any

import numpy as np

from xbsim.model import XBSimModel
from xbsim.programme import critical_mass, indicators, poles
from xbsim.programme.costs import programme_cost
from xbsim.programme.relations import SOURCES


def pole_summary(model: XBSimModel, pole: poles.PoleStatus) -> dict[str, Any]:
    """One pole's verdict: viable, when, how many members from where, criteria, feasibility, markets."""
    st, pop, codes = model.state, model.population, model.domain.territories.codes
    members = st.member[:, pole.index]
    per = np.bincount(pop.territory[members], minlength=len(codes))
    feas = pole.feasibility
    return {
        "label": model.cfg.poles[pole.name].label,
        "areas": list(model.cfg.poles[pole.name].areas),
        "viable": pole.constituted,
        "constitution_month": pole.constitution_month,
        "members": int(members.sum()),
        "member_companies": int((members & pop.is_company).sum()),
        "other_members": int((members & ~pop.is_company).sum()),
        "members_by_type": poles.member_composition(model.domain, pop, st, pole),
        "members_by_territory": {code: int(per[t]) for t, code in enumerate(codes)},
        "criteria": pole.criteria or critical_mass.evaluate_criteria(model.domain, pop, st, pole),
        "feasibility": {
            "month": model.cfg.feasibility.month,
            "verdict": feas.verdict if feas else "pending",
            "go": bool(feas.go) if feas else False,
            "reasons": list(feas.reasons) if feas else ["the feasibility study has not taken place yet"],
            "conditions": list(feas.conditions) if feas else [],
            "indicators": {k: round(v, 6) for k, v in (feas.indicators if feas else {}).items()},
            "assessments": [{"month": a.month, "verdict": a.verdict, "conditions": list(a.conditions),
                             "reasons": list(a.reasons)} for a in pole.assessments],
        },
        "reachable_markets": sorted(pole.market_months, key=lambda m: (pole.market_months[m], m)),
        "markets": {name: {"label": market.label, "reachable": name in pole.market_months,
                           "month_reachable": pole.market_months.get(name)}
                    for name, market in pole.markets.items()},
        "accompanied_companies": int((st.accompanied[:, pole.index] > 0).sum()),
    }


def build_summary(model: XBSimModel) -> dict[str, Any]:
    """Everything a planner reads first, as plain JSON-ready data."""
    ps = model.state.partnerships
    b2b = model.b2b_totals()
    rates = {
        "acceptance_rate": _ratio(b2b["accepted"], b2b["requests"]),
        "held_rate": _ratio(b2b["held"], b2b["booked"]),
        "follow_up_rate": _ratio(b2b["follow_ups"], b2b["held"]),
        "partnership_rate": _ratio(b2b["partnerships"], b2b["held"]),
        "meetings_per_participant": _ratio(2 * b2b["held"], b2b["participants"]),
    }
    origin = model.population.origin
    values = model.indicators()
    return {
        "seed": model.cfg.seed,
        "replication": model.replication,
        "horizon_months": model.horizon,
        "poles": {p.name: pole_summary(model, p) for p in model.poles},
        "funnel": model.funnel(),
        "b2b": {**b2b, "events": len(model.b2b_results), "distinct_participants": _b2b_actors(model),
                "rates": rates},
        "partnerships": {
            "formed": len(ps),
            "active": int(ps.active.sum()),
            "active_cross_border": int((ps.active & ps.cross_border).sum()),
            "active_interregional": int((ps.active & ps.interregional).sum()),
            "cross_border_share": _ratio(int(ps.cross_border.sum()), len(ps)),
            "from_introductions": int((ps.source == SOURCES.index("introduction")).sum()),
            "dissolved": int((~ps.active).sum()),
            "from_workshops": int((ps.source == SOURCES.index("workshop")).sum()),
            "negotiations_opened": model.counters["negotiations_opened"],
            "negotiations_abandoned": model.counters["abandoned"],
        },
        "population": {"surveyed": int((origin == "surveyed").sum()),
                       "synthetic": int(((origin == "synthetic") & model.population.is_company).sum()),
                       "other_actors": int((~model.population.is_company).sum()),
                       "by_type": {name: int((model.population.kind == k).sum())
                                   for k, name in enumerate(model.domain.actor_types.names)}},
        "outreach": {k: int(model.counters[k]) for k in ("contacted", "referrals_passed", "referrals_followed")},
        "convergence": model.stage1.convergence.to_dict(orient="records"),
        "indicators": values,
        "indicator_targets": indicators.targets_met(values, model.cfg.indicators.targets),
        "indicator_settings": {k: getattr(model.cfg.indicators, k) for k in ("after_months", "solution_months",
                                                                         "solution_probability")},
        "cost": programme_cost(model.cfg).as_dict(),  # planned cost of the programme's levers (xbsim.programme.costs)
        "territory_links": territory_links(model),
        "warnings": population_warnings(model),
    }


def _b2b_actors(model: XBSimModel) -> int:
    """Actors registered at one B2B event at least (``participants`` counts registrations, event by event)."""
    regs = [r.participants for r in model.b2b_results]
    return int(np.unique(np.concatenate(regs)).size) if regs else 0


def territory_links(model: XBSimModel) -> dict[str, int]:
    """Active partnerships between two different territories, by pair ("ES21-FR61", codes in config order)."""
    ps, terr = model.state.partnerships, model.population.territory
    codes = model.domain.territories.codes
    act = ps.active & (terr[ps.i] != terr[ps.j])
    a, b = np.sort(np.stack([terr[ps.i[act]], terr[ps.j[act]]]), axis=0) if act.any() else (np.zeros(0, int),) * 2
    t = len(codes)
    counts = np.bincount(a * t + b, minlength=t * t).reshape(t, t)
    return {f"{codes[i]}-{codes[j]}": int(counts[i, j]) for i in range(t) for j in range(i + 1, t)}


def population_warnings(model: XBSimModel) -> list[str]:
    """Poles the population cannot make viable whatever happens: fewer actors in the pole's areas (its only
    candidates) than its critical mass or the feasibility study's interested actors (a shortfall it never
    accepts as a condition), or than the members needed in a territory. A small survey without synthetic
    completion is the usual cause."""
    pop, codes, feas = model.population, model.domain.territories.codes, model.cfg.feasibility
    out = []
    for pole in model.poles:
        in_areas = np.isin(pop.area, pole.areas)
        total = int(in_areas.sum())
        need = max(int(pole.critical_mass.min_members), int(feas.min_interested))
        per = np.bincount(pop.territory[in_areas], minlength=len(codes))
        need_t = int(pole.critical_mass.min_members_per_territory)  # interested per territory may be a condition
        short = [f"{codes[t]} {int(per[t])}" for t in range(len(codes)) if per[t] < need_t]
        if total < need:
            out.append(f"pole {pole.name}: the population has {total} actors in its areas, fewer than the {need} "
                       f"it needs (critical mass {pole.critical_mass.min_members} members, feasibility "
                       f"{feas.min_interested} interested actors): it cannot become viable")
        elif short:
            out.append(f"pole {pole.name}: too few actors in its areas in {', '.join(short)} (it needs {need_t} "
                       "in every territory): it cannot become viable")
    return out


def _ratio(a: float, b: float) -> float | None:
    return round(a / b, 6) if b else None
