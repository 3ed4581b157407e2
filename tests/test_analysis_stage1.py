"""Stage-1 indicators on a small case computed by hand: location quotients, the coverage matrix and its gaps,
size structure, cross-border complementarity, needs aggregation and the convergence components of a pole."""

from __future__ import annotations

import numpy as np
import pytest

from xbsim.core.domain import Domain
from xbsim.core.population.table import Population
from xbsim.programme.analysis import (
    analyse,
    chain_coverage,
    complementarity_matrix,
    coverage_counts,
    coverage_table,
    cross_border_complementarity,
    gap_fills,
    location_quotients,
    needs_by,
    needs_table,
    size_structure,
)

DIM = {"label": "d", "size_gradient": 0.1, "sme_need": 0.2, "large_need": 0.0}
CFG = {
    "territories": {
        "T1": {"name": "One", "country": "FR", "languages": ["fr"], "lat": 43.0, "lon": -1.0, "s3_areas": ["a1"],
               "total_employment": 100.0, "employment": {"a1": 20.0, "a2": 10.0}},
        "T2": {"name": "Two", "country": "ES", "languages": ["es"], "lat": 43.0, "lon": -2.0,
               "s3_areas": ["a1", "a2"], "total_employment": 300.0, "employment": {"a1": 30.0, "a2": 60.0}},
    },
    "areas": {"a1": {"label": "Area 1", "segments": ["up", "mid", "down"], "segment_shares": []},
              "a2": {"label": "Area 2", "segments": ["x", "y"], "segment_shares": []}},
    "dimensions": {"d1": DIM, "d2": DIM},
    "poles": {"p": {"areas": ["a1", "a2"]}},
}
# company:        0  1  2  3  4  5  6
TERRITORY = np.array([0, 0, 0, 1, 1, 1, 0])
AREA = np.array([0, 0, 0, 0, 0, 1, 1])
SEGMENT = np.array([0, 0, 1, 1, 2, 0, 1])
SIZE = np.array([0, 0, 1, 2, 3, 0, 1])


@pytest.fixture(scope="module")
def case() -> tuple[Domain, Population]:
    domain = Domain.from_config(CFG)
    n = TERRITORY.size
    t1 = TERRITORY == 0
    capability = np.where(t1[:, None], [0.8, 0.4], [0.5, 0.5])
    need = np.where(t1[:, None], [0.2, 0.6], [1.0, 0.0])
    pop = Population(
        ids=np.array([f"c{i}" for i in range(n)]), names=np.array([f"C {i}" for i in range(n)]),
        territory=TERRITORY, area=AREA, segment=SEGMENT, size=SIZE, employees=np.array([1, 2, 10, 60, 300, 3, 20]),
        capability=capability, need=need, openness=np.array([0.9, 0.1, 0.6, 0.5, 0.2, 0.7, 0.3]),
        absorptive=np.full(n, 0.5), languages=np.ones((n, 3), dtype=bool), origin=np.full(n, "surveyed"))
    return domain, pop


def test_location_quotients_by_hand(case) -> None:
    domain, _ = case
    lq = location_quotients(domain.employment, domain.territories.total_employment)
    # programme: 400 employed, 50 in a1 (12.5%), 70 in a2 (17.5%); T1 20% / 10%, T2 10% / 20%
    np.testing.assert_allclose(lq, [[0.2 / 0.125, 0.1 / 0.175], [0.1 / 0.125, 0.2 / 0.175]])
    np.testing.assert_allclose(lq, [[1.6, 4 / 7], [0.8, 8 / 7]])


def test_coverage_matrix_and_gaps_by_hand(case) -> None:
    domain, pop = case
    counts = coverage_counts(pop, domain)
    assert counts.shape == (2, 3, 2)
    assert counts[0].tolist() == [[2, 0], [1, 1], [0, 1]]  # a1: up, mid, down x (T1, T2)
    assert counts[1].tolist() == [[0, 1], [1, 0], [0, 0]]  # a2: x, y, (no third segment)
    table = coverage_table(counts, domain)
    assert len(table) == (3 + 2) * 2  # only the real segments of each chain
    gaps = table[table["gap"]]
    assert [tuple(r) for r in gaps[["area", "segment", "territory", "actors_elsewhere"]].to_numpy()] == [
        ("a1", "up", "T2", 2), ("a1", "down", "T1", 1), ("a2", "x", "T1", 1), ("a2", "y", "T2", 1)]
    assert gaps["filled_across_border"].all()
    fills = gap_fills(table)
    assert fills["filled_by"].tolist() == ["T1 (2)", "T2 (1)", "T2 (1)", "T1 (1)"]
    per_territory, joint = chain_coverage(counts, domain)
    np.testing.assert_allclose(per_territory, [[2 / 3, 1 / 2], [2 / 3, 1 / 2]])
    np.testing.assert_allclose(joint, [1.0, 1.0])


def test_gap_of_the_whole_programme_has_no_filler(case) -> None:
    domain, pop = case
    keep = ~((pop.area == 0) & (pop.segment == 2))  # nobody left in a1/down
    sub = Population(**{k: (v[keep] if isinstance(v, np.ndarray) and v.shape[:1] == (pop.n,) else v)
                        for k, v in vars(pop).items()})
    fills = gap_fills(coverage_table(coverage_counts(sub, domain), domain))
    down = fills[fills["segment"] == "down"]
    assert down["territory"].tolist() == ["T1", "T2"] and (down["filled_by"] == "").all()
    assert not down["filled_across_border"].any()


def test_cross_border_means_another_country_in_the_stage_1_indicators(case) -> None:
    """With a third territory T3 in T2's country (ES), a gap in T2 filled only by T3 is interregional, not
    cross-border, and the cross-border complementarity ignores the T2-T3 pair."""
    cfg = {**CFG, "territories": {**CFG["territories"], "T3": {**CFG["territories"]["T2"], "name": "Three"}}}
    domain = Domain.from_config(cfg)
    _, pop = case
    terr = np.array([0, 0, 0, 1, 2, 1, 0])  # company 4 (a1/down) moves to T3
    sub = Population(**{**vars(pop), "territory": terr})
    table = coverage_table(coverage_counts(sub, domain), domain).set_index(["area", "segment", "territory"])
    down_t2 = table.loc[("a1", "down", "T2")]  # only T3 (same country) and nobody in FR has a1/down...
    assert down_t2["gap"] and down_t2["actors_elsewhere"] == 1 and down_t2["actors_across_border"] == 0
    assert not down_t2["filled_across_border"] and down_t2["filled_elsewhere"]
    down_t1 = table.loc[("a1", "down", "T1")]  # ... while for T1 (FR) the T3 actor is across the border
    assert down_t1["filled_across_border"]
    only_es = np.flatnonzero(terr > 0)
    assert cross_border_complementarity(sub, domain, only_es) == 0.0  # T2 and T3: one country
    assert cross_border_complementarity(sub, domain, np.arange(sub.n)) > 0


def test_size_structure_by_hand(case) -> None:
    domain, pop = case
    s = size_structure(pop, domain)
    assert s.loc["T1", ["micro", "small", "medium", "large"]].tolist() == [2, 2, 0, 0]
    assert s.loc["T2", ["micro", "small", "medium", "large"]].tolist() == [1, 0, 1, 1]
    assert s["companies"].tolist() == [4, 3]
    np.testing.assert_allclose(s["sme_share"], [1.0, 2 / 3])


def test_complementarity_by_hand(case) -> None:
    domain, pop = case
    m = complementarity_matrix(pop, domain, np.arange(pop.n))
    # cap T1 (0.8, 0.4), need T1 (0.2, 0.6); cap T2 (0.5, 0.5), need T2 (1, 0)
    np.testing.assert_allclose(m, [[0.2, 0.4], [0.2, 0.25]])
    assert cross_border_complementarity(pop, domain, np.arange(pop.n)) == pytest.approx(0.3)
    only_t1 = complementarity_matrix(pop, domain, np.flatnonzero(pop.territory == 0))
    assert only_t1[0, 0] == pytest.approx(0.2) and np.isnan(only_t1[0, 1]) and np.isnan(only_t1[1, 1])


def test_needs_by_territory_and_size_by_hand(case) -> None:
    domain, pop = case
    needs = needs_table(pop, domain)
    by_t = needs_by(needs, "territory")
    np.testing.assert_allclose(by_t.loc["T1", ["d1", "d2"]], [0.2, 0.6])
    np.testing.assert_allclose(by_t.loc["T2", ["d1", "d2"]], [1.0, 0.0])
    by_s = needs_by(needs, "size_class")
    # micro: companies 0, 1 (T1) and 5 (T2)
    np.testing.assert_allclose(by_s.loc["micro", ["d1", "d2"]], [(0.2 + 0.2 + 1.0) / 3, (0.6 + 0.6 + 0.0) / 3])
    by_ta = needs_by(needs, ["territory", "area"])
    np.testing.assert_allclose(by_ta.loc[("T2", "a2"), ["d1", "d2"]], [1.0, 0.0])


def test_convergence_of_the_pole_by_hand(case) -> None:
    domain, pop = case
    s1 = analyse(pop, domain, {"p": 1})
    pole = s1.convergence.set_index("unit").loc["p"]
    assert pole["kind"] == "pole" and pole["companies"] == 7
    assert pole["open_companies"] == 4  # openness >= 0.5: companies 0, 2, 3, 5
    assert pole["complementarity"] == pytest.approx(min(1.0, 0.3 / 0.35), abs=1e-4)
    assert pole["coverage"] == pytest.approx(1 / 5)  # only a1/mid has actors in both territories
    assert pole["critical_mass"] == pytest.approx(4 / 10)  # open companies over 10 x min_members
    assert pole["s3_alignment"] == pytest.approx(3 / 4)
    np.testing.assert_allclose(s1.location_quotients.to_numpy(), [[1.6, 4 / 7], [0.8, 8 / 7]])
