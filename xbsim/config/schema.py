"""Structured-config schema of xbsim, registered in Hydra's ConfigStore.

The dataclasses give every key a type and a default, so Hydra refuses a wrong type or an unknown key
before the run. Domain checks that types cannot express (ranges, cross-references) live in
:mod:`xbsim.config.validate`. Units and sources of every default are in ``docs/ODD.md``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from omegaconf import MISSING

SIZE_CLASSES: tuple[str, ...] = ("micro", "small", "medium", "large")


@dataclass
class TerritoryConfig:
    """One territory (a NUTS2 region): identity, languages, location, S3 priorities, sector sizes."""

    name: str = MISSING
    country: str = MISSING
    languages: list[str] = field(default_factory=list)
    lat: float = 0.0
    lon: float = 0.0
    s3_areas: list[str] = field(default_factory=list)
    total_employment: float = MISSING
    employment: dict[str, float] = field(default_factory=dict)


@dataclass
class AreaConfig:
    """A specialisation area and its value chain (ordered segments, upstream first)."""

    label: str = MISSING
    segments: list[str] = field(default_factory=list)
    segment_shares: list[float] = field(default_factory=list)


@dataclass
class DimensionConfig:
    """A capability/need dimension (CIS hampering factors, IMP3rove)."""

    label: str = MISSING
    size_gradient: float = 0.1
    sme_need: float = 0.2
    large_need: float = 0.0


@dataclass
class PopulationConfig:
    """Synthetic population of companies (or a survey file, see ``source``)."""

    source: str = "synthetic"
    path: str | None = None
    fill_synthetic: bool = True
    n_companies: int = 1000
    size_shares: dict[str, float] = field(
        default_factory=lambda: {"micro": 0.55, "small": 0.30, "medium": 0.12, "large": 0.03}
    )
    capability_noise: float = 0.12
    need_noise: float = 0.12
    openness_mean: float = 0.45
    openness_concentration: float = 6.0
    english_prob: dict[str, float] = field(
        default_factory=lambda: {"micro": 0.35, "small": 0.5, "medium": 0.7, "large": 0.9}
    )
    neighbour_language_prob: float = 0.15
    absorptive_size_effect: float = 0.15


@dataclass
class SurveyConfig:
    """Identification survey and interviews."""

    month: int = 1
    response_rate: float = 0.35
    perception_noise: float = 0.25
    interviews_per_month: int = 15
    interview_noise: float = 0.05
    interview_start: int = 2
    interview_end: int = 12


@dataclass
class CluesConfig:
    """Complementarity scoring (clues for collaboration)."""

    k: int = 5
    max_candidates: int = 2000
    need_weight: float = 1.0
    chain_adjacency_bonus: float = 0.15
    same_area_bonus: float = 0.10
    language_friction: float = 0.20
    distance_friction_per_100km: float = 0.03
    country_friction: float = 0.05
    friction_scale: float = 1.0


@dataclass
class MeetingsConfig:
    """Professional (thematic) meetings: recurring workshops per area."""

    start: int = 3
    every: int = 3
    end: int = 30
    attendance: float = 0.35
    contacts_per_attendee: int = 3
    trust_gain: float = 0.10


@dataclass
class B2BConfig:
    """Cross-border B2B matchmaking (brokerage) events."""

    events: list[int] = field(default_factory=lambda: [6, 12, 18, 24])
    registration: float = 0.45
    requests_per_participant: int = 8
    cross_border_only: bool = True
    request_noise: float = 0.15
    acceptance_intercept: float = 0.9
    acceptance_slope: float = 4.0
    max_meetings_per_participant: int = 8
    slots: int = 10
    slot_minutes: int = 20
    no_show: float = 0.10
    follow_up_intercept: float = -0.5
    follow_up_slope: float = 5.0
    trust_gain: float = 0.25


@dataclass
class PartnershipsConfig:
    """Negotiation after a follow-up, partnership decisions and dissolution."""

    negotiation_months: int = 6
    decision_rate: float = 0.30
    benefit_scale: float = 1.0
    trust_weight: float = 0.5
    base_cost: float = 0.55
    decision_noise: float = 0.10
    workshop_follow_up: float = 0.04
    dissolution_rate: float = 0.01
    max_partners: int = 8


@dataclass
class AccompanimentConfig:
    """Facilitator teams that accompany candidate companies toward a pole."""

    capacity: int = 10
    teams_per_pole: int = 1
    boost: float = 0.05
    max_boost: float = 0.2


@dataclass
class CriticalMassConfig:
    """Criteria a pole must meet, all at once, to be constituted."""

    min_members: int = 15
    min_members_per_territory: int = 1
    min_sme_share: float = 0.5
    min_value_chain_coverage: float = 0.6
    min_cross_border_partner_share: float = 0.25


@dataclass
class MarketConfig:
    """A diversification market: the capability bundle the members must hold together."""

    label: str = MISSING
    requirements: dict[str, float] = field(default_factory=dict)
    min_firms_per_capability: int = 2


@dataclass
class PoleConfig:
    """A proposed cross-border pole."""

    label: str = MISSING
    areas: list[str] = field(default_factory=list)
    critical_mass: CriticalMassConfig = field(default_factory=CriticalMassConfig)
    markets: dict[str, MarketConfig] = field(default_factory=dict)


@dataclass
class JoiningConfig:
    """Threshold-cascade joining decision."""

    base_benefit: float = 0.05
    member_weight: float = 0.35
    partner_weight: float = 0.35
    complementarity_weight: float = 0.6
    cost: float = 0.85
    noise: float = 0.20
    rate: float = 0.10


@dataclass
class FeasibilityConfig:
    """The feasibility study of the proposed poles."""

    month: int = 15
    interest_threshold: float = 0.35
    min_interested: int = 15
    min_coverage: float = 0.5
    min_balance: float = 0.1
    min_sme_share: float = 0.5
    min_cross_border_links: int = 1


@dataclass
class StudyConfig:
    """Replications of one scenario: how many, when to stop (adaptive mode), how they run and what they write.

    The statistics and the layout of the run directory are described in ``docs/experiments.md``.
    """

    name: str = ""  # experiment name, cited in the report
    question: str = ""  # the question the experiment answers (first section of the report)
    adaptive: bool = False  # add replications until every pole's CI half-width <= target_half_width
    target_half_width: float = 0.05
    batch: int = 20  # replications added per adaptive round
    max_replications: int = 400  # adaptive mode stops here even if the target is not reached
    confidence: float = 0.95  # level of every confidence interval
    workers: int = 1  # joblib processes for the replications of one scenario (-1: all cores)
    progress: bool = True  # progress bar on a terminal
    replication_files: str = "full"  # full (every table of each replication) | summary (summary.json and config.yaml)
    replication_figures: bool = False  # figures of each replication (slow)
    report: bool = False  # write the report into <run or sweep dir>/report when the run or sweep ends
    vars: dict[str, Any] = field(default_factory=dict)  # shared experiment knobs, referenced by interpolation


@dataclass
class XBSimConfig:
    """The whole configuration of one xbsim scenario."""

    seed: int = 42
    horizon_months: int = 36
    territories: dict[str, TerritoryConfig] = field(default_factory=dict)
    areas: dict[str, AreaConfig] = field(default_factory=dict)
    dimensions: dict[str, DimensionConfig] = field(default_factory=dict)
    population: PopulationConfig = field(default_factory=PopulationConfig)
    survey: SurveyConfig = field(default_factory=SurveyConfig)
    clues: CluesConfig = field(default_factory=CluesConfig)
    meetings: MeetingsConfig = field(default_factory=MeetingsConfig)
    b2b: B2BConfig = field(default_factory=B2BConfig)
    partnerships: PartnershipsConfig = field(default_factory=PartnershipsConfig)
    accompaniment: AccompanimentConfig = field(default_factory=AccompanimentConfig)
    joining: JoiningConfig = field(default_factory=JoiningConfig)
    poles: dict[str, PoleConfig] = field(default_factory=dict)
    feasibility: FeasibilityConfig = field(default_factory=FeasibilityConfig)
    figures: bool = True
    replications: int = 1
    study: StudyConfig = field(default_factory=StudyConfig)


def register_configs() -> None:
    """Register the schema so that ``configs/config.yaml`` can extend it (``- base_config``)."""
    from hydra.core.config_store import ConfigStore

    from xbsim.study.hydra_support import register_resolvers

    register_resolvers()  # ${xbsim.pid:} and ${xbsim.jobdir:...} in configs/config.yaml's hydra section
    cs = ConfigStore.instance()
    cs.store(name="base_config", node=XBSimConfig)
