"""The run-time status of the proposed poles (their feasibility assessments, members' criteria, markets) and
the pole-level measures the stages share: candidates, value-chain coverage, anchors, member composition.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from xbsim.core.config.schema import (
    CriticalMassConfig,
    MarketConfig,
)
from xbsim.core.domain import Domain
from xbsim.core.population.table import Population
from xbsim.programme.state import State

VERDICTS: tuple[str, ...] = ("go", "conditional", "no-go")


@dataclass
class Feasibility:
    """One feasibility assessment of one pole."""

    month: int
    verdict: str  # one of VERDICTS
    reasons: list[str]  # every check: "label: value >= threshold" or "<"
    conditions: list[str]  # for a conditional go: what the programme must achieve
    indicators: dict[str, float]
    failed: list[str] = field(default_factory=list)  # keys of the failed checks
    lacking_territories: list[int] = field(default_factory=list)  # territories below min_interested_per_territory
    interested: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))  # the interested actors

    @property
    def go(self) -> bool:
        return self.verdict == "go"


@dataclass
class PoleStatus:
    """Run-time status of one proposed pole."""

    name: str
    index: int
    areas: np.ndarray  # area indices
    theme: np.ndarray  # (A,) bool: the pole's areas and the areas related to them
    critical_mass: CriticalMassConfig
    markets: dict[str, MarketConfig]
    assessments: list[Feasibility] = field(default_factory=list)
    synergy: np.ndarray = field(default_factory=lambda: np.zeros(0))  # (N,), 0 outside the candidates
    synergy_done: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))  # (N,) synergy computed
    threshold: np.ndarray = field(default_factory=lambda: np.zeros(0))  # (N,) joining thresholds
    constitution_month: int | None = None
    criteria: dict[str, dict[str, Any]] = field(default_factory=dict)
    market_months: dict[str, int] = field(default_factory=dict)  # market -> month it became reachable

    @property
    def feasibility(self) -> Feasibility | None:
        """The latest assessment (None before the study)."""
        return self.assessments[-1] if self.assessments else None

    @property
    def verdict(self) -> str | None:
        return self.feasibility.verdict if self.feasibility else None

    @property
    def constituted(self) -> bool:
        return self.constitution_month is not None

    @property
    def in_formation(self) -> bool:
        """Accompaniment and joining run for poles with a go or a conditional go."""
        return self.verdict in ("go", "conditional")

    def condition(self, check: str) -> bool:
        """True while a conditional go asks for ``check``."""
        return self.verdict == "conditional" and check in self.feasibility.failed


def candidates(pop: Population, state: State, pole: PoleStatus) -> np.ndarray:
    """Known actors of the pole's areas (the only ones the programme can bring in)."""
    return np.flatnonzero(state.known & np.isin(pop.area, pole.areas))


def value_chain_coverage(domain: Domain, pop: Population, rows: np.ndarray, areas: np.ndarray) -> float:
    """Share of the segments of the pole's value chains with at least one actor among ``rows``."""
    n_seg = int(domain.areas.n_segments()[areas].sum())
    rows = rows[(pop.segment[rows] >= 0) & np.isin(pop.area[rows], areas)]
    if rows.size == 0:
        return 0.0
    return float(np.unique(pop.area[rows] * 1000 + pop.segment[rows]).size / n_seg)


def missing_segments(domain: Domain, pop: Population, rows: np.ndarray, areas: np.ndarray) -> np.ndarray:
    """(A, S_max) True for the segments of the pole's areas without any actor among ``rows``."""
    s_max = int(domain.areas.n_segments().max())
    have = np.zeros((len(domain.areas), s_max), dtype=bool)
    rows = rows[pop.segment[rows] >= 0]
    have[pop.area[rows], pop.segment[rows]] = True
    chain = np.arange(s_max)[None, :] < domain.areas.n_segments()[:, None]
    return chain & ~have & np.isin(np.arange(len(domain.areas)), areas)[:, None]


def is_anchor(domain: Domain, pop: Population) -> np.ndarray:
    """Large companies and actors of a type marked ``anchor``."""
    return pop.is_large_company | domain.actor_types.anchor[pop.kind]


def number_text(x: Any) -> str:
    """A count as a whole number, a share with two decimals ("15", "0.62"); booleans and None as words (the
    feasibility study's reasons, the app's criteria table)."""
    if isinstance(x, bool) or x is None:
        return str(x)
    return f"{x:.0f}" if float(x).is_integer() else f"{float(x):.2f}"


def member_composition(domain: Domain, pop: Population, state: State, pole: PoleStatus) -> dict[str, int]:
    """Members by actor type, plus member companies by size class (SMEs and large)."""
    members = np.flatnonzero(state.member[:, pole.index])
    per_type = np.bincount(pop.kind[members], minlength=len(domain.actor_types))
    out = {f"{name}": int(per_type[k]) for k, name in enumerate(domain.actor_types.names)}
    out["sme_companies"] = int(pop.is_sme[members].sum())
    out["large_companies"] = int(pop.is_large_company[members].sum())
    return out
