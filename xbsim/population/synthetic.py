"""Synthetic population generator: companies per territory x area x segment x size class.

Companies are allocated to territory x area cells in proportion to the cell's persons employed (Eurostat SBS),
to value-chain segments by the area's segment shares and to size classes by ``population.size_shares``.
Capabilities follow a profile per (area, segment) plus a size gradient per dimension; needs are higher for SMEs
(``sme_need``) and different for large firms (``large_need``), and lower where capability is high.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from xbsim.config.schema import SIZE_CLASSES
from xbsim.domain import Domain
from xbsim.population.table import Population

EMPLOYEE_RANGES: dict[str, tuple[int, int]] = {
    "micro": (1, 9),
    "small": (10, 49),
    "medium": (50, 249),
    "large": (250, 2500),
}


def segment_profiles(domain: Domain, rng: np.random.Generator) -> list[np.ndarray]:
    """Capability profile of each value-chain segment, one (S_a, D) array per area, in [0.2, 0.65]."""
    d = len(domain.dimensions)
    return [0.2 + 0.45 * rng.beta(2.0, 2.0, size=(len(segs), d)) for segs in domain.areas.segments]


def employees_for(size: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Head counts drawn log-uniformly inside each size class's range."""
    low = np.array([EMPLOYEE_RANGES[s][0] for s in SIZE_CLASSES])[size]
    high = np.array([EMPLOYEE_RANGES[s][1] for s in SIZE_CLASSES])[size]
    u = rng.random(size.shape[0])
    return np.floor(np.exp(np.log(low) + u * (np.log(high + 1) - np.log(low)))).astype(int).clip(low, high)


def employees_to_size(employees: np.ndarray) -> np.ndarray:
    """Size class index of each head count (EU SME definition: <10, <50, <250, >=250)."""
    return np.searchsorted(np.array([10, 50, 250]), np.asarray(employees), side="right")


def draw_attributes(
    domain: Domain,
    pop_cfg: dict[str, Any],
    territory: np.ndarray,
    area: np.ndarray,
    segment: np.ndarray,
    size: np.ndarray,
    rng: np.random.Generator,
) -> dict[str, np.ndarray]:
    """Capabilities, needs, openness, absorptive capacity and languages of companies whose cell is given."""
    n, dims = territory.shape[0], domain.dimensions
    profiles = segment_profiles(domain, rng)
    base = np.zeros((n, len(dims)))
    for a, prof in enumerate(profiles):
        rows = area == a
        base[rows] = prof[segment[rows]]
    capability = base + size[:, None] * dims.size_gradient[None, :]
    capability += rng.normal(0.0, pop_cfg["capability_noise"], capability.shape)
    capability = capability.clip(0.0, 1.0)

    is_small = size <= SIZE_CLASSES.index("small")
    is_large = size == SIZE_CLASSES.index("large")
    need = 0.35 + is_small[:, None] * dims.sme_need[None, :] + is_large[:, None] * dims.large_need[None, :]
    need = need - 0.4 * (capability - 0.5) + rng.normal(0.0, pop_cfg["need_noise"], capability.shape)
    need = need.clip(0.0, 1.0)

    k = pop_cfg["openness_concentration"]
    mean = np.clip(pop_cfg["openness_mean"] + 0.04 * (size - 1.0) + 0.2 * (capability.mean(axis=1) - 0.45),
                   0.05, 0.95)
    openness = rng.beta(mean * k, (1.0 - mean) * k)

    absorptive = capability.mean(axis=1) + pop_cfg["absorptive_size_effect"] * (size / 3.0 - 0.3)
    absorptive = (absorptive + rng.normal(0.0, 0.08, n)).clip(0.0, 1.0)

    languages = draw_languages(domain, pop_cfg, territory, size, rng)
    return {"capability": capability, "need": need, "openness": openness, "absorptive": absorptive,
            "languages": languages}


def draw_languages(domain: Domain, pop_cfg: dict[str, Any], territory: np.ndarray, size: np.ndarray,
                   rng: np.random.Generator) -> np.ndarray:
    """Languages spoken: the territory's main language, its other languages (p=0.4), English by size class,
    and each other territory's main language with ``neighbour_language_prob``."""
    langs = domain.languages()
    n = territory.shape[0]
    spoken = np.zeros((n, len(langs)), dtype=bool)
    draws = rng.random((n, len(langs)))
    english = np.array([pop_cfg["english_prob"][s] for s in SIZE_CLASSES])[size]
    for t, own in enumerate(domain.territories.languages):
        rows = territory == t
        spoken[rows, langs.index(own[0])] = True
        for other in own[1:]:
            j = langs.index(other)
            spoken[rows, j] |= draws[rows, j] < 0.4
    mains = {terr_langs[0] for terr_langs in domain.territories.languages}
    for lang in mains:
        j = langs.index(lang)
        spoken[:, j] |= draws[:, j] < pop_cfg["neighbour_language_prob"]
    j = langs.index("en")
    spoken[:, j] |= draws[:, j] < english
    return spoken


def generate(domain: Domain, pop_cfg: dict[str, Any], n: int, rng: np.random.Generator,
             id_prefix: str = "") -> Population:
    """Draw ``n`` synthetic companies; deterministic for a given generator state."""
    cells = domain.employment / domain.employment.sum()  # (T, A)
    counts = rng.multinomial(n, cells.ravel()).reshape(cells.shape)
    t_idx, a_idx = np.nonzero(counts >= 0)
    territory = np.repeat(t_idx, counts[t_idx, a_idx])
    area = np.repeat(a_idx, counts[t_idx, a_idx])
    segment = np.zeros(n, dtype=int)
    for a, shares in enumerate(domain.areas.segment_shares):
        rows = np.flatnonzero(area == a)
        segment[rows] = rng.choice(len(shares), size=rows.size, p=shares)
    shares = np.array([pop_cfg["size_shares"][s] for s in SIZE_CLASSES], dtype=float)
    size = rng.choice(len(SIZE_CLASSES), size=n, p=shares / shares.sum())
    attrs = draw_attributes(domain, pop_cfg, territory, area, segment, size, rng)
    codes = np.array(domain.territories.codes)[territory]
    ids = np.array([f"{id_prefix}{c}-{i:05d}" for i, c in enumerate(codes)])
    return Population(
        ids=ids,
        names=np.array([f"Company {i}" for i in ids]),
        territory=territory,
        area=area,
        segment=segment,
        size=size,
        employees=employees_for(size, rng),
        origin=np.full(n, "synthetic"),
        **attrs,
    )
