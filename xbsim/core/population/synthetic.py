"""Synthetic population generator: companies per territory x area x segment x size class, plus the
non-company actors (research organisations, intermediaries) of the ``actors`` config.

By default the population is the programme's real target population: the enterprises of each territory x area
cell, estimated from the cell's persons employed (Eurostat SBS) as persons employed x the size class's share of
employment / the class's mean head count (``population.size_classes``). ``population.n_companies`` instead
scales the same proportions to a given total (a knob for tests). Segments follow the area's segment shares.
Capabilities follow a profile per (area, segment) plus a size gradient per dimension; needs are higher for SMEs
(``sme_need``) and different for large firms (``large_need``), and lower where capability is high. Non-company
actors take their type's profile (``actors.<type>.capability`` / ``need``) plus the same company-level noise.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from xbsim.core.config.schema import EMPLOYEE_RANGES, SIZE_CLASSES
from xbsim.core.domain import Domain
from xbsim.core.population.table import Population


def segment_profiles(domain: Domain, pop_cfg: dict[str, Any], rng: np.random.Generator) -> list[np.ndarray]:
    """Capability profile of each value-chain segment, one (S_a, D) array per area.

    Each area has a characteristic profile, ``0.2 + 0.45 x Beta(2, 2)`` per dimension (in [0.2, 0.65]); each
    segment deviates from it by N(0, ``segment_spread``), clipped to [0, 1]. Firms of one area are therefore
    alike (little to learn from each other), firms of different areas differ (optimal cognitive distance:
    related but different, Nooteboom 2000), and the relatedness of areas decides how much of that difference can
    be absorbed (:mod:`xbsim.programme.clues`).
    """
    d = len(domain.dimensions)
    area_profile = 0.2 + 0.45 * rng.beta(2.0, 2.0, size=(len(domain.areas), d))
    return [(area_profile[a] + rng.normal(0.0, pop_cfg["segment_spread"], size=(len(segs), d))).clip(0.0, 1.0)
            for a, segs in enumerate(domain.areas.segments)]


def employees_for(size: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Head counts drawn log-uniformly inside each size class's range (means about 3.4, 24.4, 123.8 and 977:
    the defaults of ``population.size_classes.*.mean_employees``, so the drawn employment matches the data)."""
    low = np.array([EMPLOYEE_RANGES[s][0] for s in SIZE_CLASSES])[size]
    high = np.array([EMPLOYEE_RANGES[s][1] for s in SIZE_CLASSES])[size]
    u = rng.random(size.shape[0])
    return np.floor(np.exp(np.log(low) + u * (np.log(high + 1) - np.log(low)))).astype(int).clip(low, high)


def employees_to_size(employees: np.ndarray) -> np.ndarray:
    """Size class index of each head count (EU SME definition: <10, <50, <250, >=250)."""
    return np.searchsorted(np.array([10, 50, 250]), np.asarray(employees), side="right")


def quotas(expected: np.ndarray, n: int) -> np.ndarray:
    """Integer counts proportional to ``expected`` and summing to ``n`` (largest remainders; ties go to the
    earlier cell in row-major order, so the result is deterministic)."""
    share = expected.ravel() / expected.sum()
    exact = n * share
    quota = np.floor(exact).astype(np.int64)
    left = n - int(quota.sum())
    order = np.argsort(-(exact - quota), kind="stable")
    quota[order[:left]] += 1
    return quota.reshape(expected.shape)


def expected_companies(domain: Domain, pop_cfg: dict[str, Any]) -> np.ndarray:
    """Enterprises per territory x area x size class at the real scale, shape (T, A, S) (not rounded):
    persons employed x the class's employment share / the class's mean head count."""
    sc = pop_cfg["size_classes"]
    share = np.array([float(sc[s]["employment_share"]) for s in SIZE_CLASSES])
    mean = np.array([float(sc[s]["mean_employees"]) for s in SIZE_CLASSES])
    return domain.employment[:, :, None] * (share / share.sum() / mean)[None, None, :]


def company_counts(domain: Domain, pop_cfg: dict[str, Any]) -> np.ndarray:
    """Companies per territory x area x size class, shape (T, A, S): the real scale rounded to integers, or
    ``population.n_companies`` shared in the same proportions."""
    expected = expected_companies(domain, pop_cfg)
    n = pop_cfg.get("n_companies")
    if n is None:
        return np.rint(expected).astype(np.int64)
    return quotas(expected, int(n))


def size_number_shares(pop_cfg: dict[str, Any]) -> np.ndarray:
    """Share of enterprises (by number) in each size class implied by ``population.size_classes``."""
    sc = pop_cfg["size_classes"]
    per_person = np.array([float(sc[s]["employment_share"]) / float(sc[s]["mean_employees"]) for s in SIZE_CLASSES])
    return per_person / per_person.sum()


def draw_attributes(
    domain: Domain,
    pop_cfg: dict[str, Any],
    territory: np.ndarray,
    area: np.ndarray,
    segment: np.ndarray,
    size: np.ndarray,
    rng: np.random.Generator,
    kind: np.ndarray | None = None,
) -> dict[str, np.ndarray]:
    """Capabilities, needs, openness, absorptive capacity and languages of actors whose cell is given
    (``kind``: actor-type index per row, 0 = company, the default)."""
    n, dims = territory.shape[0], domain.dimensions
    kind = np.zeros(n, dtype=np.int64) if kind is None else kind
    company = kind == 0
    types = domain.actor_types
    profiles = segment_profiles(domain, pop_cfg, rng)
    base = np.zeros((n, len(dims)))
    for a, prof in enumerate(profiles):
        rows = (area == a) & company
        base[rows] = prof[segment[rows]]
    capability = base + (size * company)[:, None] * dims.size_gradient[None, :]
    capability[~company] = types.capability[kind[~company]]
    capability += rng.normal(0.0, pop_cfg["capability_noise"], capability.shape)
    capability = capability.clip(0.0, 1.0)

    is_small = company & (size <= SIZE_CLASSES.index("small"))
    is_large = company & (size == SIZE_CLASSES.index("large"))
    need = 0.35 + is_small[:, None] * dims.sme_need[None, :] + is_large[:, None] * dims.large_need[None, :]
    need = need - 0.4 * (capability - 0.5)
    need[~company] = types.need[kind[~company]]
    need = (need + rng.normal(0.0, pop_cfg["need_noise"], capability.shape)).clip(0.0, 1.0)

    k = pop_cfg["openness_concentration"]
    mean = np.clip(pop_cfg["openness_mean"] + 0.04 * (size - 1.0) + 0.2 * (capability.mean(axis=1) - 0.45),
                   0.05, 0.95)
    mean[~company] = np.clip(types.openness_mean[kind[~company]], 0.05, 0.95)
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


def non_company_actors(domain: Domain) -> dict[str, np.ndarray]:
    """Kind, territory, area, segment (-1 outside the value chain) and size class of the configured
    non-company actors, in type x territory x area order."""
    types = domain.actor_types
    k_idx, t_idx, a_idx = np.nonzero(types.counts)
    reps = types.counts[k_idx, t_idx, a_idx]
    kind, territory, area = np.repeat(k_idx, reps), np.repeat(t_idx, reps), np.repeat(a_idx, reps)
    segment = np.full(kind.size, -1, dtype=np.int64)
    for i in range(kind.size):
        seg = types.segment[kind[i]]
        if seg is not None and seg in domain.areas.segments[area[i]]:
            segment[i] = domain.areas.segments[area[i]].index(seg)
    employees = types.employees[kind]
    return {"kind": kind, "territory": territory, "area": area, "segment": segment,
            "size": employees_to_size(employees), "employees": employees}


def actor_ids(domain: Domain, kind: np.ndarray, territory: np.ndarray, prefix: str = "") -> np.ndarray:
    """Ids ``<prefix><territory>-<number>`` for companies and ``<prefix><territory>-<TYPE>-<number>`` for the
    other actors (numbered within each type)."""
    codes = np.array(domain.territories.codes)[territory]
    names = domain.actor_types.names
    out, seen = [], dict.fromkeys(range(len(names)), 0)
    for k, code in zip(kind.tolist(), codes.tolist(), strict=True):
        tag = "" if k == 0 else f"{names[k][:3].upper()}-"
        out.append(f"{prefix}{code}-{tag}{seen[k]:05d}")
        seen[k] += 1
    return np.array(out, dtype=str)


def actor_names(domain: Domain, kind: np.ndarray, ids: np.ndarray) -> np.ndarray:
    """Display names: ``Company <id>`` or ``<type label> <id>``."""
    labels = np.array(["Company", *domain.actor_types.labels[1:]], dtype=object)[kind]
    return np.array([f"{lab} {i}" for lab, i in zip(labels, ids, strict=True)], dtype=str)


def generate(domain: Domain, pop_cfg: dict[str, Any], rng: np.random.Generator, id_prefix: str = "") -> Population:
    """The synthetic population: companies (real scale, or ``n_companies``) then the non-company actors;
    deterministic for a given generator state."""
    counts = company_counts(domain, pop_cfg)  # (T, A, S)
    t_idx, a_idx, s_idx = np.nonzero(counts)
    reps = counts[t_idx, a_idx, s_idx]
    territory, area, size = np.repeat(t_idx, reps), np.repeat(a_idx, reps), np.repeat(s_idx, reps)
    segment = np.zeros(territory.size, dtype=np.int64)
    for a, shares in enumerate(domain.areas.segment_shares):
        rows = np.flatnonzero(area == a)
        segment[rows] = rng.choice(len(shares), size=rows.size, p=shares)
    employees = employees_for(size, rng)
    other = non_company_actors(domain)
    kind = np.concatenate([np.zeros(territory.size, dtype=np.int64), other["kind"]])
    territory = np.concatenate([territory, other["territory"]])
    area = np.concatenate([area, other["area"]])
    segment = np.concatenate([segment, other["segment"]])
    size = np.concatenate([size, other["size"]])
    employees = np.concatenate([employees, other["employees"]])
    attrs = draw_attributes(domain, pop_cfg, territory, area, segment, size, rng, kind=kind)
    ids = actor_ids(domain, kind, territory, id_prefix)
    return Population(
        ids=ids,
        names=actor_names(domain, kind, ids),
        territory=territory,
        area=area,
        segment=segment,
        size=size,
        employees=employees,
        origin=np.full(ids.size, "synthetic"),
        kind=kind,
        **attrs,
    )
