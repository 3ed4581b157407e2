"""Feasibility and critical-mass logic on hand-built cases: a pole that must form, poles that cannot."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.helpers.configs import composed, plain
from xbsim.core.config.schema import CriticalMassConfig, MarketConfig
from xbsim.core.domain import Domain
from xbsim.core.population.table import Population
from xbsim.model import XBSimModel
from xbsim.programme import critical_mass, feasibility, joining, markets, poles
from xbsim.programme.state import State

EASY = [
    "population.n_companies=400",
    "joining.cost=0.0",
    "joining.noise=0.01",
    "joining.rate=1.0",
    "feasibility.min_interested=1",
    "feasibility.min_cross_border_links=0",
    "feasibility.min_coverage=0",
    "feasibility.min_interested_per_territory=0",
    "feasibility.min_member_types=0",
    "feasibility.min_sme_share=0",
    "poles.industry_energy.critical_mass.min_members=5",
    "poles.industry_energy.critical_mass.min_cross_border_partner_share=0",
]


def test_pole_that_must_form() -> None:
    m = XBSimModel(composed(EASY)).run()
    pole = m.poles[0]
    assert pole.feasibility.go
    feas_month = m.cfg.feasibility.month
    # Everyone who decides joins (cost 0, rate 1): the pole is constituted in the feasibility month.
    assert pole.constitution_month == feas_month
    assert all(c["met"] for c in pole.criteria.values())
    assert m.state.member[:, 0].sum() == poles.candidates(m.population, m.state, pole).size


def test_pole_without_actors_in_one_territory_cannot_form() -> None:
    c = plain([*EASY, "territories.ES22.employment.health=0",
                                        "actors.research.counts.ES22.health=0",
                                        "actors.intermediary.counts.ES22.health=0"])
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
    m = XBSimModel(composed([*EASY, "feasibility.min_interested=100000"])).run()
    for pole in m.poles:
        assert not pole.feasibility.go
        assert any("interested actors" in r and "< 100000" in r for r in pole.feasibility.reasons)
        assert not pole.constituted
        assert m.state.member[:, pole.index].sum() == 0
        assert m.state.accompanied[:, pole.index].sum() == 0


def _tiny() -> tuple[Domain, Population, State, poles.PoleStatus]:
    c = plain()
    domain = Domain.from_config(c)
    a = domain.areas.names.index("energy")
    n = 7
    pop = Population(
        ids=np.array([f"c{i}" for i in range(n)]), names=np.array([f"C{i}" for i in range(n)]),
        territory=np.array([0, 1, 2, 0, 1, 2, 0]), area=np.full(n, a), segment=np.array([0, 1, 2, 3, 0, 1, 0]),
        size=np.array([0, 1, 3, 3, 2, 0, 3]), employees=np.array([5, 20, 300, 900, 100, 3, 300]),
        capability=np.full((n, 8), 0.7), need=np.full((n, 8), 0.3), openness=np.full(n, 0.5),
        absorptive=np.full(n, 0.5), languages=np.ones((n, 4), dtype=bool), origin=np.full(n, "synthetic"),
        kind=np.array([0, 0, 0, 0, 0, 0, 1]))  # row 6: a research organisation
    state = State(n, 1, 8)
    cm = CriticalMassConfig(min_members=4, min_members_per_territory=1, min_member_types=2, min_sme_share=0.5,
                            min_value_chain_coverage=0.6, min_cross_border_partner_share=0.5)
    pole = poles.PoleStatus("p", 0, np.array([a]), domain.pole_themes[0], cm, {})
    pole.synergy, pole.threshold = np.zeros(n), np.zeros(n)
    return domain, pop, state, pole


def test_criteria_values_on_hand_built_members() -> None:
    domain, pop, state, pole = _tiny()
    state.member[[0, 1, 2, 3], 0] = True  # sizes micro, small, large, large -> SME share 0.5
    ps = state.partnerships
    ps.add(np.array([0, 1]), np.array([1, 3]), 3, np.array([0, 0]), np.array([0, 0]), np.array([3, 3]),
           np.array([True, True]), np.array([False, False]))
    crit = critical_mass.evaluate_criteria(domain, pop, state, pole)
    assert crit["members"] == {"value": 4.0, "threshold": 4, "met": True}
    assert crit["members_per_territory"]["value"] == 1.0  # territories 0, 1, 2, 0
    assert crit["member_types"] == {"value": 1.0, "threshold": 2, "met": False}  # companies only
    assert crit["sme_share"]["value"] == 0.5 and crit["sme_share"]["met"]
    assert crit["value_chain_coverage"]["value"] == round(4 / 6, 6)  # segments 0-3 of 6
    assert crit["cross_border_partner_share"]["value"] == 0.75  # members 0, 1, 3 have a cross-border partner
    state.member[6, 0] = True  # a research member: two types; the SME share still counts companies only
    crit = critical_mass.evaluate_criteria(domain, pop, state, pole)
    assert crit["member_types"]["met"] and crit["sme_share"]["value"] == 0.5 and crit["members"]["value"] == 5
    ps.dissolve(np.array([1]), 5)
    crit = critical_mass.evaluate_criteria(domain, pop, state, pole)
    assert crit["cross_border_partner_share"]["value"] == 0.4


def test_reachable_markets_need_enough_capable_members() -> None:
    domain, pop, state, pole = _tiny()
    pole.markets = {"m": MarketConfig(label="m", requirements={"technology": 0.6, "finance": 0.8},
                                      min_firms_per_capability=2)}
    state.member[[0, 1, 2], 0] = True
    assert markets.reachable_markets(domain, pop, state, pole) == []  # nobody has finance >= 0.8
    pop.capability[[0, 2], domain.dimensions.index("finance")] = 0.9
    assert markets.reachable_markets(domain, pop, state, pole) == ["m"]


# Every feasibility check passes except the one a test raises.
RELAXED = ["feasibility.min_interested=3", "feasibility.min_interested_per_territory=1", "feasibility.min_coverage=0",
           "feasibility.min_cross_border_links=0", "feasibility.min_sme_share=0"]


def _at_month(overrides: list[str], month: int) -> XBSimModel:
    m = XBSimModel(composed(["population.n_companies=400", *RELAXED, *overrides]))
    while m.month < month:
        m.step()
    return m


def test_conditional_go_targets_its_conditions_and_is_reassessed() -> None:
    # Interested actors everywhere but not 40 in each territory: a condition, not a no-go.
    m = _at_month(["feasibility.min_interested_per_territory=40", "feasibility.reassessment_month=30"], 15)
    pole = m.poles[0]
    f = pole.feasibility
    assert f.verdict == "conditional" and pole.in_formation and not f.go
    assert "interested_per_territory" in f.failed and f.lacking_territories
    assert any(cond.startswith("recruit actors in ") for cond in f.conditions)
    targets = feasibility.outreach_targets(m.domain, m.population, m.state, pole, 2.0)
    assert targets is not None and (targets.territory_factor[f.lacking_territories] == 2.0).all()
    m.run()
    assert [a.verdict for a in pole.assessments][:1] == ["conditional"] and len(pole.assessments) == 2
    final = pole.assessments[-1]
    assert final.month == 30 and final.verdict in ("go", "no-go")
    assert (final.verdict == "go") == (not final.failed)
    if final.verdict == "no-go":
        assert not pole.in_formation and not pole.constituted
    else:  # constituted only once the verdict is go
        assert pole.constitution_month is None or pole.constitution_month >= 30


def test_constitution_waits_for_a_go_verdict() -> None:
    easy = [*EASY, "feasibility.min_interested_per_territory=1000", "feasibility.reassessment_month=30"]
    m = XBSimModel(composed(easy)).run()
    pole = m.poles[0]
    assert pole.assessments[0].verdict == "conditional"
    assert m.state.member[:, 0].sum() > 0  # accompaniment and joining ran while conditional ...
    assert pole.assessments[-1].verdict == "no-go" and not pole.constituted  # ... but no go, no pole


def test_far_below_the_interested_threshold_is_a_no_go_without_conditions() -> None:
    m = _at_month(["feasibility.min_interested=100000"], 15)
    for pole in m.poles:
        assert pole.verdict == "no-go" and pole.feasibility.conditions == [] and not pole.in_formation


def test_missing_cross_border_partnership_is_a_condition_met_by_introductions() -> None:
    m = _at_month(["feasibility.min_cross_border_links=100000", "feasibility.reassessment_month=30"], 15)
    pole = m.poles[0]
    assert pole.verdict == "conditional" and pole.condition("cross_border_links")
    assert any("cross-border partnership" in cond for cond in pole.feasibility.conditions)
    before = m.counters["introductions"]
    m.step()
    meetings = m.events["meetings"].frame()
    facilitated = meetings[meetings.event == f"facilitation-{pole.name}-m16"]
    assert m.counters["introductions"] > before and len(facilitated) > 0
    assert facilitated.cross_border.all()


@settings(max_examples=25, deadline=None)
@given(st.lists(st.integers(0, 399), min_size=1, max_size=40), st.lists(st.integers(0, 399), max_size=40))
def test_joining_utility_never_falls_when_members_join(first: list[int], more: list[int]) -> None:
    """Cascade monotonicity: adding members never lowers anyone's utility, so joins never un-tip others."""
    m = _CASCADE
    pole = m.poles[0]
    rows = np.arange(m.population.n)
    saved = m.state.member.copy()
    try:
        m.state.member[:, :] = False
        m.state.member[first, 0] = True
        u1 = joining.utility(m.domain, m.population, m.state, pole, m.cfg.joining, rows)
        m.state.member[more, 0] = True
        u2 = joining.utility(m.domain, m.population, m.state, pole, m.cfg.joining, rows)
    finally:
        m.state.member[:, :] = saved
    assert (u2 >= u1 - 1e-12).all()


_CASCADE = _at_month([], 20)


def test_accompaniment_never_exceeds_team_capacity() -> None:
    m = XBSimModel(composed(["population.n_companies=400", *RELAXED, "accompaniment.capacity=3",
                            "accompaniment.teams_per_pole=2"]))
    feas = m.cfg.feasibility.month
    while m.month < m.horizon:
        m.step()
        if m.month > feas:
            for pole in m.poles:
                this_month = (m.state.last_accompanied[:, pole.index] == m.month).sum()
                assert this_month <= 3 * 2
    assert (m.state.accompaniment <= m.cfg.accompaniment.max_boost + 1e-12).all()
    assert m.state.accompanied.sum() > 0
