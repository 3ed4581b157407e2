"""Unit behaviour of the vectorised mechanisms: complementarity and top-k, the cross-border definition, B2B
scheduling, trust, partnership decisions and capacities, outreach capacity, random streams."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.helpers.configs import plain
from xbsim.core.config import typed
from xbsim.core.domain import Domain
from xbsim.core.population import generate
from xbsim.core.rng import RandomStreams
from xbsim.programme import identification, partnerships
from xbsim.programme.b2b import schedule_meetings, within_agenda
from xbsim.programme.clues import Complementarity
from xbsim.programme.relations import Trust
from xbsim.programme.state import State


def _setup(n: int = 300, overrides: list[str] | None = None):
    c = plain([f"population.n_companies={n}", *(overrides or [])])
    domain = Domain.from_config(c)
    pop = generate(domain, c["population"], np.random.default_rng(3))
    return c, domain, pop, Complementarity(domain, pop, typed(c).clues)


def test_top_k_matches_brute_force_and_excludes_self() -> None:
    _, _, pop, comp = _setup()
    n = pop.n
    rows = np.arange(0, n, 3)
    cols = np.arange(n)
    idx, val = comp.top_k(pop.capability, pop.need, rows, cols, 7, np.random.default_rng(0))
    full = np.array([comp.score(pop.capability, pop.need, np.full(n, r), cols) for r in rows])
    full[np.arange(rows.size), rows] = -np.inf
    expect = np.sort(full, axis=1)[:, ::-1][:, :7]
    np.testing.assert_allclose(val, expect, rtol=1e-4, atol=1e-5)
    assert not (idx == rows[:, None]).any()


def test_score_block_equals_pairwise_score() -> None:
    _, _, pop, comp = _setup()
    rows, cols = np.arange(0, 60), np.arange(100, 190)
    block = comp.score_block(pop.capability, pop.need, rows, cols)
    i, j = np.repeat(rows, cols.size), np.tile(cols, rows.size)
    np.testing.assert_allclose(block.ravel(), comp.score(pop.capability, pop.need, i, j), atol=1e-5)


def test_scopes_cross_border_means_another_country() -> None:
    _, domain, pop, comp = _setup()
    rows = np.arange(80)
    rng = np.random.default_rng(0)
    idx, _ = comp.top_k(pop.capability, pop.need, rows, np.arange(pop.n), 5, rng, scope="cross_border")
    country = np.array(domain.territories.countries)[pop.territory]
    assert (country[idx] != country[rows][:, None]).all()
    idx, _ = comp.top_k(pop.capability, pop.need, rows, np.arange(pop.n), 5, rng, scope="other_region")
    assert (pop.territory[idx] != pop.territory[rows][:, None]).all()
    codes = domain.territories.codes
    es21 = np.flatnonzero(pop.territory == codes.index("ES21"))[:5]
    es22 = np.flatnonzero(pop.territory == codes.index("ES22"))[:5]
    fr = np.flatnonzero(pop.territory == codes.index("FR61"))[:5]
    assert not comp.cross_border(es21, es22).any() and comp.interregional(es21, es22).all()
    assert comp.cross_border(es21, fr).all() and not comp.interregional(es21, fr).any()
    assert not comp.cross_border(es21, es21).any() and not comp.interregional(es21, es21).any()
    few = np.array([0, 1])
    idx2, val2 = comp.top_k(pop.capability, pop.need, few, few, 4, rng)
    assert (idx2[:, 1:] == -1).all() and np.isinf(val2[:, 1:]).all()
    assert idx2[0, 0] == 1 and idx2[1, 0] == 0


def test_complementarity_is_the_need_weighted_gap_the_partner_fills() -> None:
    cap = np.array([[0.2, 0.8], [0.6, 0.4], [0.2, 0.8]])
    need = np.array([[1.0, 0.0], [0.5, 0.5], [0.5, 0.5]])
    c = Complementarity.complementarity
    i, j = np.array([0, 1, 0]), np.array([1, 0, 2])
    # 0 needs dimension 0 only and 1 has 0.4 more of it; 1 lacks 0.4 of dimension 1, half of its needs.
    np.testing.assert_allclose(c(cap, need, i, j), [0.4, 0.2, 0.0])


def test_relatedness_and_adjacency_shape_the_gain() -> None:
    c, domain, pop, comp = _setup()
    areas = domain.areas.names
    am, agri, en = areas.index("advanced_manufacturing"), areas.index("agri_food"), areas.index("energy")
    rel = domain.areas.relatedness
    assert rel[am, en] == rel[en, am] == 0.8 and rel[am, am] == 1.0 and rel[am, agri] == 0.3
    i = np.flatnonzero(pop.area == am)[:30]
    j = np.flatnonzero(pop.area == en)[:30]
    np.testing.assert_allclose(comp.gain(pop.capability, pop.need, i, j),
                               c["clues"]["gain_scale"] * 0.8 * comp.complementarity(pop.capability, pop.need, i, j))
    _, _, pop0, comp0 = _setup(overrides=["areas.advanced_manufacturing.related.energy=0",
                                          "areas.energy.related.advanced_manufacturing=0"])
    assert (comp0.gain(pop0.capability, pop0.need, i, j) == 0).all()  # unrelated areas gain nothing
    seg = pop.segment
    adj = np.flatnonzero((pop.area == am) & (seg == 1))[:1]
    nxt = np.flatnonzero((pop.area == am) & (seg == 2))[:1]
    far = np.flatnonzero((pop.area == am) & (seg == 4))[:1]
    assert comp.adjacency(adj, nxt)[0] == c["clues"]["chain_adjacency_bonus"]
    assert comp.adjacency(adj, far)[0] == 0.0
    inter = np.flatnonzero(pop.kind == domain.actor_types.names.index("intermediary"))[:1]
    assert pop.segment[inter][0] == -1 and comp.adjacency(inter, adj)[0] == 0.0  # outside the chain


def test_friction_lower_with_shared_language_and_same_country() -> None:
    _, domain, pop, comp = _setup()
    codes = domain.territories.codes
    es21, es22, fr = codes.index("ES21"), codes.index("ES22"), codes.index("FR61")
    assert comp.place_friction[es21, es22] < comp.place_friction[es21, fr]
    a = np.flatnonzero(pop.territory == es21)[:40]
    b = np.flatnonzero(pop.territory == fr)[:40]
    f = comp.friction(a, b)
    shared = (pop.languages[a] & pop.languages[b]).any(axis=1)
    assert f[~shared].min() > f[shared].max()


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 15), st.integers(0, 15)), max_size=80), st.integers(1, 6),
       st.integers(1, 6))
def test_schedule_never_double_books_and_respects_caps(pairs, n_slots, cap) -> None:
    pairs = [(a, b) for a, b in pairs if a != b]
    i = np.array([p[0] for p in pairs], dtype=np.int64)
    j = np.array([p[1] for p in pairs], dtype=np.int64)
    slot = schedule_meetings(i, j, n_slots, cap)
    booked = slot >= 0
    seen: set[tuple[int, int]] = set()
    load: dict[int, int] = {}
    for a, b, s in zip(i[booked], j[booked], slot[booked], strict=True):
        assert 0 <= s < n_slots
        for c in (a, b):
            assert (c, s) not in seen
            seen.add((c, s))
            load[c] = load.get(c, 0) + 1
    assert all(v <= min(cap, n_slots) for v in load.values())
    # Greedy maximality: an unbooked meeting has a side at its cap or no common free slot.
    for a, b in zip(i[~booked], j[~booked], strict=True):
        free_a = {s for s in range(n_slots) if (a, s) not in seen}
        free_b = {s for s in range(n_slots) if (b, s) not in seen}
        assert load.get(a, 0) >= cap or load.get(b, 0) >= cap or not (free_a & free_b)


def test_within_agenda_keeps_best_accepted_per_receiver() -> None:
    receiver = np.array([5, 5, 5, 7, 5])
    gain = np.array([0.1, 0.9, 0.5, 0.2, 0.7])
    accepted = np.array([True, True, True, True, False])
    keep = within_agenda(receiver, gain, accepted, 2)
    assert keep.tolist() == [False, True, True, True, False]


def test_trust_symmetric_accumulates_and_caps() -> None:
    t = Trust(5)
    t.add(np.array([1, 3]), np.array([3, 1]), 0.4)
    assert t.get(np.array([3]), np.array([1]))[0] == 0.8
    t.add(np.array([1]), np.array([3]), 0.5)
    assert t.get(np.array([1]), np.array([3]))[0] == 1.0
    assert t.get(np.array([0]), np.array([4]))[0] == 0.0


def test_both_sides_must_gain() -> None:
    gi = np.array([0.5, 0.5, 0.1, 0.36])
    gj = np.array([0.5, 0.1, 0.5, 0.36])
    assert partnerships.both_gain(gi, gj, 0.35).tolist() == [True, False, False, True]


def test_partnership_capacity_limits_admissions() -> None:
    i = np.array([0, 0, 0, 1, 2])
    j = np.array([1, 2, 3, 2, 3])
    agree = np.array([True, True, True, True, False])
    cap = np.array([2, 5, 5, 5])
    admit = partnerships.admit_within_capacity(i, j, agree, np.zeros(4, dtype=np.int64), cap)
    assert admit.tolist() == [True, True, False, True, False]  # actor 0 stops at 2; pair (2,3) did not agree
    admit = partnerships.admit_within_capacity(i, j, agree, np.array([0, 5, 0, 0]), cap)
    assert admit.tolist() == [False, True, True, False, False]  # actor 1 already full


def test_negotiations_are_decided_at_the_decision_rate_and_expire() -> None:
    c, domain, pop, comp = _setup()
    st_ = State(pop.n, 1, len(domain.dimensions))
    rng = np.random.default_rng(1)
    i = rng.choice(pop.n // 2, 2000)
    j = pop.n // 2 + rng.choice(pop.n // 2, 2000)
    st_.negotiations.open(i, j, 3, "b2b", np.zeros(0, dtype=np.int64))
    n0 = len(st_.negotiations)
    p = replace(typed(c).partnerships, base_cost=99.0)  # nobody agrees: every decided negotiation closes unformed
    capacity = np.full(pop.n, 8)
    res = partnerships.progress(pop, st_, comp, p, capacity, 3, [np.random.default_rng(2)])
    decided = n0 - len(st_.negotiations)
    assert res.formed.size == 0 and res.abandoned == decided
    assert abs(decided / n0 - p.decision_rate) < 0.03  # 2000 Bernoulli(0.3): SD 0.01
    res = partnerships.progress(pop, st_, comp, p, capacity, 3 + p.negotiation_months - 1,
                                [np.random.default_rng(3)])
    assert len(st_.negotiations) == 0  # the last chance: decided or expired, none left open


def test_outreach_is_bound_by_capacity_not_by_the_population() -> None:
    c, domain, pop, _ = _setup(2000)
    out = replace(typed(c).outreach, contacts_per_month=7, referral_capacity=0)
    st_ = State(pop.n, 1, len(domain.dimensions))
    areas = domain.pole_areas[0]
    res = identification.run_outreach(pop, st_, areas, out, 0.45, 0.25, 1, np.random.default_rng(0))
    per_terr = np.bincount(pop.territory[st_.contacted], minlength=len(domain.territories))
    assert res.contacted == 7 * len(domain.territories) and (per_terr == 7).all()
    assert areas[pop.area[st_.contacted]].all()  # only the pole's areas
    assert st_.known.sum() == res.new_known.size <= res.contacted
    res = identification.run_outreach(pop, st_, areas, out, 0.45, 0.25, out.end + 1, np.random.default_rng(0))
    assert res.contacted == 0  # cold contacts stop after the identification stage


def test_weighted_sample_prefers_heavier_and_never_repeats() -> None:
    pool = np.arange(1000)
    w = np.where(pool < 100, 50.0, 1.0)
    u = np.random.default_rng(0).random(1000)
    pick = identification.weighted_sample(pool, w, 100, u)
    assert np.unique(pick).size == 100
    assert (pick < 100).mean() > 0.7  # weight 50 vs 1: most picks are heavy
    assert identification.weighted_sample(pool[:3], w[:3], 10, u).size == 3


def test_random_streams_independent_and_reproducible() -> None:
    a, b = RandomStreams(1, 0), RandomStreams(1, 0)
    x = a("b2b").random(5)
    a("survey").random(100)  # drawing in another stream does not shift this one
    np.testing.assert_array_equal(np.r_[x, a("b2b").random(3)], b("b2b").random(8))
    assert not np.allclose(RandomStreams(1, 1)("b2b").random(5), x)
    assert not np.allclose(a("workshops").random(5), RandomStreams(1, 0)("b2b").random(5))
    k1 = a.at("joining", "pole_a", 7).random(4)
    np.testing.assert_array_equal(k1, RandomStreams(1, 0).at("joining", "pole_a", 7).random(4))
    assert not np.allclose(k1, a.at("joining", "pole_b", 7).random(4))
    assert not np.allclose(k1, a.at("joining", "pole_a", 8).random(4))


def test_bounded_search_samples_the_pool_and_is_reproducible() -> None:
    c, domain, pop, _ = _setup()
    small = Complementarity(domain, pop, replace(typed(c).clues, max_candidates=40))
    rows, cols = np.arange(pop.n), np.arange(pop.n)
    ia, va = small.top_k(pop.capability, pop.need, rows, cols, 5, np.random.default_rng(5))
    ib, _ = small.top_k(pop.capability, pop.need, rows, cols, 5, np.random.default_rng(5))
    np.testing.assert_array_equal(ia, ib)
    assert (ia >= 0).all() and not (ia == rows[:, None]).any()
    _, exact = Complementarity(domain, pop, typed(c).clues).top_k(pop.capability, pop.need, rows, cols, 5,
                                                             np.random.default_rng(0))
    assert (va <= exact + 1e-6).all()  # a sample's best is never better than the whole pool's best
    assert (va[:, 0] < exact[:, 0] - 1e-6).any()  # and sometimes worse: the bound is real


@pytest.mark.parametrize("scope", ["nowhere"])
def test_unknown_scope_is_refused(scope: str) -> None:
    _, _, pop, comp = _setup()
    with pytest.raises(ValueError, match="b2b.scope"):
        comp.in_scope(scope, np.arange(3), np.arange(3))
