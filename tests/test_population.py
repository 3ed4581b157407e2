"""Synthetic population: deterministic per seed, realistic structure, real scale by default, scales from dozens to
tens of thousands of companies, non-company actors as configured."""

from __future__ import annotations

import numpy as np

from tests.helpers.configs import plain
from xbsim.core.config import SIZE_CLASSES
from xbsim.core.domain import Domain
from xbsim.core.population import generate


def _make(n: int | None, seed: int):
    c = plain([f"population.n_companies={'null' if n is None else n}"])
    domain = Domain.from_config(c)
    return domain, c, generate(domain, c["population"], np.random.default_rng(seed))


def _companies(pop):
    return pop.subset(pop.is_company)


def test_deterministic_per_seed() -> None:
    _, _, a = _make(500, 1)
    _, _, b = _make(500, 1)
    _, _, c = _make(500, 2)
    np.testing.assert_array_equal(a.capability, b.capability)
    np.testing.assert_array_equal(a.ids, b.ids)
    assert not np.array_equal(a.capability, c.capability)


def test_real_scale_counts_follow_employment_and_mean_sizes() -> None:
    domain, c, pop = _make(None, 0)
    comp = _companies(pop)
    sc = c["population"]["size_classes"]
    share = np.array([sc[s]["employment_share"] for s in SIZE_CLASSES])
    mean = np.array([sc[s]["mean_employees"] for s in SIZE_CLASSES])
    # Enterprises per cell = persons employed x employment share / mean head count (rounded per size class).
    for t in range(len(domain.territories)):
        for a in range(len(domain.areas)):
            n = ((comp.territory == t) & (comp.area == a)).sum()
            expect = np.rint(domain.employment[t, a] * share / mean).sum()
            assert n == expect
    assert 12_000 < comp.n < 16_000  # ~306,000 persons employed in the five areas / ~22 per enterprise
    # The drawn head counts add up to the persons employed of the data (within a few percent per area).
    for a in range(len(domain.areas)):
        drawn = comp.employees[comp.area == a].sum()
        assert abs(drawn / domain.employment[:, a].sum() - 1) < 0.10, domain.areas.names[a]  # rounding per class
    by_size = np.bincount(comp.size, minlength=4) / comp.n
    assert by_size[0] > 0.7 and 0.005 < by_size[3] < 0.02  # most are micro, about 1% large
    assert (comp.employees[comp.size == 0] < 10).all() and (comp.employees[comp.size == 3] >= 250).all()
    assert pop.capability.min() >= 0 and pop.capability.max() <= 1
    assert pop.need.min() >= 0 and pop.need.max() <= 1


def test_non_company_actors_as_configured() -> None:
    domain, c, pop = _make(300, 0)
    types = domain.actor_types
    assert types.names == ("company", "research", "intermediary")
    for k, name in enumerate(types.names[1:], start=1):
        rows = pop.kind == k
        for t, code in enumerate(domain.territories.codes):
            for a, area in enumerate(domain.areas.names):
                want = (c["actors"][name]["counts"].get(code) or {}).get(area, 0)
                assert ((pop.territory == t) & (pop.area == a) & rows).sum() == want
    research, inter = pop.kind == 1, pop.kind == 2
    tech = domain.dimensions.index("technology")
    assert pop.capability[research, tech].mean() > pop.capability[pop.kind == 0, tech].mean() + 0.2
    assert (pop.segment[research] == 0).all()  # rnd, the first segment of every default chain
    assert (pop.segment[inter] == -1).all()  # outside the value chain
    assert not pop.is_sme[~pop.is_company].any()  # the SME share counts companies only
    assert (pop.kind == 0).sum() == 300


def test_smes_need_more_and_large_firms_are_more_capable() -> None:
    domain, _, pop = _make(20000, 0)
    pop = _companies(pop)
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
    # Companies of one area share its profile: pairs within an area are closer than pairs across areas
    # (optimal cognitive distance: related but different areas have more to give each other).
    pop = _companies(pop)
    seg_means = np.array([pop.capability[(pop.area == 0) & (pop.segment == s)].mean(axis=0) for s in range(6)])
    assert seg_means.std(axis=0).mean() > 0.02
    area_means = np.array([pop.capability[pop.area == a].mean(axis=0) for a in range(len(domain.areas))])
    within = np.abs(seg_means - seg_means.mean(axis=0)).mean()
    across = np.abs(area_means - area_means.mean(axis=0)).mean()
    assert across > within


def test_population_sizes_from_dozens_to_twenty_thousand() -> None:
    for n in (30, 20000):
        domain, _, pop = _make(n, 0)
        assert (pop.kind == 0).sum() == n and np.unique(pop.ids).size == pop.n
        assert pop.n == n + int(domain.actor_types.counts.sum())
