"""Feasibility and critical-mass logic on hand-built cases: a pole that must form, poles that cannot."""

from __future__ import annotations

import numpy as np
from omegaconf import OmegaConf

from xbsim.config import compose
from xbsim.domain import Domain
from xbsim.mechanisms import poles
from xbsim.mechanisms.state import State
from xbsim.model import XBSimModel
from xbsim.population.table import Population

EASY = [
    "population.n_companies=400",
    "joining.cost=0.0",
    "joining.noise=0.01",
    "joining.rate=1.0",
    "feasibility.min_interested=1",
    "feasibility.min_cross_border_links=0",
    "feasibility.min_coverage=0",
    
    "feasibility.min_sme_share=0",
    "poles.industry_energy.critical_mass.min_members=5",
    "poles.industry_energy.critical_mass.min_cross_border_partner_share=0",
]


def test_pole_that_must_form() -> None:
    m = XBSimModel(compose(EASY)).run()
    pole = m.poles[0]
    assert pole.feasibility.go
    feas_month = m.cfg["feasibility"]["month"]
    # Everyone who decides joins (cost 0, rate 1): the pole is constituted in the feasibility month.
    assert pole.constitution_month == feas_month
    assert all(c["met"] for c in pole.criteria.values())
    assert m.state.member[:, 0].sum() == poles.candidates(m.population, m.state, pole).size


def test_pole_without_actors_in_one_territory_cannot_form() -> None:
    c = OmegaConf.to_container(compose([*EASY, "territories.ES22.employment.health=0"]), resolve=True)
    c["poles"]["health_only"] = {**c["poles"]["industry_energy"], "label": "Health", "areas": ["health"],
                                 "markets": {}}
    c["poles"]["health_only"]["critical_mass"] = {**c["poles"]["industry_energy"]["critical_mass"],
                                                  "min_members": 3}
    m = XBSimModel(c).run()
    pole = next(p for p in m.poles if p.name == "health_only")
    es22 = m.domain.territories.codes.index("ES22")
    assert not (m.population.territory[np.isin(m.population.area, pole.areas)] == es22).any()
    assert pole.feasibility.go  # the study's thresholds were set to 0 ...
    assert not pole.constituted  # ... but no member can come from ES22
    assert not pole.criteria["members_per_territory"]["met"]
    assert pole.criteria["members_per_territory"]["value"] == 0
    assert pole.criteria["members"]["met"]


def test_no_go_pole_gets_no_accompaniment_and_no_members() -> None:
    m = XBSimModel(compose([*EASY, "feasibility.min_interested=100000"])).run()
    for pole in m.poles:
        assert not pole.feasibility.go
        assert any("interested actors" in r and "< 100000" in r for r in pole.feasibility.reasons)
        assert not pole.constituted
        assert m.state.member[:, pole.index].sum() == 0
        assert m.state.accompanied[:, pole.index].sum() == 0


def _tiny() -> tuple[Domain, Population, State, poles.PoleStatus]:
    c = OmegaConf.to_container(compose(), resolve=True)
    domain = Domain.from_config(c)
    a = domain.areas.names.index("energy")
    n = 6
    pop = Population(
        ids=np.array([f"c{i}" for i in range(n)]), names=np.array([f"C{i}" for i in range(n)]),
        territory=np.array([0, 1, 2, 0, 1, 2]), area=np.full(n, a), segment=np.array([0, 1, 2, 3, 0, 1]),
        size=np.array([0, 1, 3, 3, 2, 0]), employees=np.array([5, 20, 300, 900, 100, 3]),
        capability=np.full((n, 8), 0.7), need=np.full((n, 8), 0.3), openness=np.full(n, 0.5),
        absorptive=np.full(n, 0.5), languages=np.ones((n, 3), dtype=bool), origin=np.full(n, "synthetic"))
    state = State(n, 1, 8)
    cm = {"min_members": 4, "min_members_per_territory": 1, "min_sme_share": 0.5,
          "min_value_chain_coverage": 0.6, "min_cross_border_partner_share": 0.5}
    pole = poles.PoleStatus("p", 0, np.array([a]), cm, {})
    return domain, pop, state, pole


def test_criteria_values_on_hand_built_members() -> None:
    domain, pop, state, pole = _tiny()
    state.member[[0, 1, 2, 3], 0] = True  # sizes micro, small, large, large -> SME share 0.5
    ps = state.partnerships
    ps.add(np.array([0, 1]), np.array([1, 3]), 3, np.array([0, 0]), np.array([0, 0]), np.array([3, 3]),
           np.array([True, True]))
    crit = poles.evaluate_criteria(domain, pop, state, pole)
    assert crit["members"] == {"value": 4.0, "threshold": 4, "met": True}
    assert crit["members_per_territory"]["value"] == 1.0  # territories 0, 1, 2, 0
    assert crit["sme_share"]["value"] == 0.5 and crit["sme_share"]["met"]
    assert crit["value_chain_coverage"]["value"] == round(4 / 6, 6)  # segments 0-3 of 6
    assert crit["cross_border_partner_share"]["value"] == 0.75  # members 0, 1, 3 have a cross-border partner
    ps.dissolve(np.array([1]), 5)
    crit = poles.evaluate_criteria(domain, pop, state, pole)
    assert crit["cross_border_partner_share"]["value"] == 0.5


def test_reachable_markets_need_enough_capable_members() -> None:
    domain, pop, state, pole = _tiny()
    pole.markets = {"m": {"requirements": {"technology": 0.6, "finance": 0.8}, "min_firms_per_capability": 2}}
    state.member[[0, 1, 2], 0] = True
    assert poles.reachable_markets(domain, pop, state, pole) == []  # nobody has finance >= 0.8
    pop.capability[[0, 2], domain.dimensions.index("finance")] = 0.9
    assert poles.reachable_markets(domain, pop, state, pole) == ["m"]
