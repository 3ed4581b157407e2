"""Synthetic population: deterministic per seed, realistic structure, scales to 20,000 companies."""

from __future__ import annotations

import numpy as np
from omegaconf import OmegaConf

from xbsim.config import SIZE_CLASSES, compose
from xbsim.domain import Domain
from xbsim.population import generate


def _make(n: int, seed: int):
    c = OmegaConf.to_container(compose(), resolve=True)
    domain = Domain.from_config(c)
    return domain, c, generate(domain, c["population"], n, np.random.default_rng(seed))


def test_deterministic_per_seed() -> None:
    _, _, a = _make(500, 1)
    _, _, b = _make(500, 1)
    _, _, c = _make(500, 2)
    np.testing.assert_array_equal(a.capability, b.capability)
    np.testing.assert_array_equal(a.ids, b.ids)
    assert not np.array_equal(a.capability, c.capability)


def test_allocation_follows_employment_and_size_shares() -> None:
    domain, c, pop = _make(20000, 0)
    share = np.bincount(pop.territory * len(domain.areas) + pop.area, minlength=domain.employment.size) / pop.n
    expected = (domain.employment / domain.employment.sum()).ravel()
    np.testing.assert_allclose(share, expected, atol=0.01)
    sizes = np.bincount(pop.size, minlength=4) / pop.n
    want = np.array([c["population"]["size_shares"][s] for s in SIZE_CLASSES])
    np.testing.assert_allclose(sizes, want / want.sum(), atol=0.01)
    assert (pop.employees[pop.size == 0] < 10).all() and (pop.employees[pop.size == 3] >= 250).all()
    assert pop.capability.min() >= 0 and pop.capability.max() <= 1
    assert pop.need.min() >= 0 and pop.need.max() <= 1


def test_smes_need_more_and_large_firms_are_more_capable() -> None:
    domain, _, pop = _make(20000, 0)
    small = pop.size <= 1
    large = pop.size == 3
    assert pop.need[small].mean() > pop.need[large].mean() + 0.1
    assert pop.capability[large].mean() > pop.capability[small].mean() + 0.1
    reg = domain.dimensions.index("regulation_certification")
    fin = domain.dimensions.index("finance")
    # Different needs: finance is an SME need, regulation/certification a relatively larger need of large firms.
    assert pop.need[small, fin].mean() - pop.need[large, fin].mean() > \
        pop.need[small, reg].mean() - pop.need[large, reg].mean()


def test_languages_capabilities_correlate_with_segment() -> None:
    domain, _, pop = _make(5000, 0)
    langs = domain.languages()
    fr = domain.territories.codes.index("FR61")
    assert pop.languages[pop.territory == fr, langs.index("fr")].all()
    assert pop.languages.sum(axis=1).min() >= 1
    # Companies of one (area, segment) cell resemble each other more than companies across cells.
    a0 = (pop.area == 0)
    seg_means = np.array([pop.capability[a0 & (pop.segment == s)].mean(axis=0) for s in range(6)])
    assert seg_means.std(axis=0).mean() > 0.03


def test_population_sizes_from_dozens_to_twenty_thousand() -> None:
    for n in (30, 20000):
        _, _, pop = _make(n, 0)
        assert pop.n == n and np.unique(pop.ids).size == n
