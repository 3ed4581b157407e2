"""Unit behaviour of the vectorised mechanisms: clues top-k, B2B scheduling, trust, random streams."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from omegaconf import OmegaConf

from xbsim.config import compose
from xbsim.domain import Domain
from xbsim.mechanisms.b2b import schedule_meetings, within_agenda
from xbsim.mechanisms.complementarity import Complementarity
from xbsim.mechanisms.relations import Trust
from xbsim.population import generate
from xbsim.rng import RandomStreams


def _setup(n: int = 300):
    c = OmegaConf.to_container(compose(), resolve=True)
    domain = Domain.from_config(c)
    pop = generate(domain, c["population"], n, np.random.default_rng(3))
    return domain, pop, Complementarity(domain, pop, c["clues"])


def test_top_k_matches_brute_force_and_excludes_self() -> None:
    _, pop, comp = _setup()
    rows = np.arange(0, 300, 3)
    cols = np.arange(300)
    idx, val = comp.top_k(pop.capability, pop.need, rows, cols, 7)
    full = np.array([comp.score(pop.capability, pop.need, np.full(300, r), cols) for r in rows])
    full[np.arange(rows.size), rows] = -np.inf
    expect = np.sort(full, axis=1)[:, ::-1][:, :7]
    np.testing.assert_allclose(val, expect, rtol=1e-5)
    assert not (idx == rows[:, None]).any()


def test_top_k_cross_border_only_and_padding() -> None:
    _, pop, comp = _setup()
    rows = np.arange(50)
    idx, val = comp.top_k(pop.capability, pop.need, rows, np.arange(300), 5, cross_border_only=True)
    assert (pop.territory[idx] != pop.territory[rows][:, None]).all()
    few = np.array([0, 1])
    idx2, val2 = comp.top_k(pop.capability, pop.need, few, few, 4)
    assert (idx2[:, 1:] == -1).all() and np.isinf(val2[:, 1:]).all()
    assert idx2[0, 0] == 1 and idx2[1, 0] == 0


def test_friction_lower_with_shared_language_and_same_country() -> None:
    domain, pop, comp = _setup()
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


def test_random_streams_independent_and_reproducible() -> None:
    a, b = RandomStreams(1, 0), RandomStreams(1, 0)
    x = a("b2b").random(5)
    a("survey").random(100)  # drawing in another stream does not shift this one
    np.testing.assert_array_equal(np.r_[x, a("b2b").random(3)], b("b2b").random(8))
    assert not np.allclose(RandomStreams(1, 1)("b2b").random(5), x)
    assert not np.allclose(a("workshops").random(5), RandomStreams(1, 0)("b2b").random(5))


def test_bounded_search_samples_the_pool_and_is_reproducible() -> None:
    domain, pop, _ = _setup()
    c = OmegaConf.to_container(compose(["clues.max_candidates=40"]), resolve=True)
    a = Complementarity(domain, pop, c["clues"], np.random.default_rng(5))
    b = Complementarity(domain, pop, c["clues"], np.random.default_rng(5))
    rows, cols = np.arange(300), np.arange(300)
    ia, va = a.top_k(pop.capability, pop.need, rows, cols, 5)
    ib, _ = b.top_k(pop.capability, pop.need, rows, cols, 5)
    np.testing.assert_array_equal(ia, ib)
    assert (ia >= 0).all() and not (ia == rows[:, None]).any()
    _, exact = Complementarity(domain, pop, compose().clues).top_k(pop.capability, pop.need, rows, cols, 5)
    assert (va <= exact + 1e-9).all()  # a sample's best is never better than the whole pool's best
    assert (va[:, 0] < exact[:, 0] - 1e-9).any()  # and sometimes worse: the bound is real
