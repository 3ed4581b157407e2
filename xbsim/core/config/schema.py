"""Structured-config schema of xbsim, registered in Hydra's ConfigStore.

The dataclasses give every key a type and a default, so Hydra refuses a wrong type or an unknown key
before the run. Domain checks that types cannot express (ranges, cross-references) live in
:mod:`xbsim.core.config.validate`. Units and sources of every default are in ``docs/ODD.md``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from omegaconf import MISSING

SIZE_CLASSES: tuple[str, ...] = ("micro", "small", "medium", "large")
#: Head-count range of each size class (EU SME definition; the large class's 2,500 cap is an assumption).
EMPLOYEE_RANGES: dict[str, tuple[int, int]] = {"micro": (1, 9), "small": (10, 49), "medium": (50, 249),
                                              "large": (250, 2500)}
COMPANY: str = "company"  # the actor type of every company; other types are configured under ``actors``


class B2BScope(StrEnum):
    """Whom a B2B participant may request (``b2b.scope``)."""

    cross_border = "cross_border"  # actors of another country only (the programme's purpose)
    other_region = "other_region"  # actors of another territory, in either country (cross-border or interregional)
    any = "any"  # anyone at the event


class PopulationSource(StrEnum):
    """Where the actors come from (``population.source``)."""

    synthetic = "synthetic"  # generated at the real scale from regional statistics
    survey = "survey"  # a survey file (``population.path``), non-respondents filled synthetically


class ReplicationFiles(StrEnum):
    """What each replication of a study writes (``study.replication_files``)."""

    full = "full"  # every table of each replication
    summary = "summary"  # summary.json and config.yaml


class SearchRequire(StrEnum):
    """Which P(viable) the intervention search's target applies to (``search.target.require``)."""

    estimate = "estimate"  # the fresh replications' P(viable)
    lower_bound = "lower_bound"  # the lower end of its confidence interval


class Check(StrEnum):
    """The domain of a numeric key, declared on its schema field and enforced by :mod:`xbsim.core.config.validate`
    (one walk over the fields, so no key is named twice)."""

    probability = "probability"  # a number in [0, 1]
    non_negative = "non_negative"  # a number >= 0
    count = "count"  # an integer >= 0
    positive = "positive"  # an integer >= 1
    at_least_one = "at_least_one"  # a number >= 1 (a multiplier)
    month = "month"  # a month in 1..horizon_months (month 0 is the initialisation)


def _checked(check: Check) -> Any:
    def declare(default: Any) -> Any:
        return field(default=default, metadata={"check": check})

    declare.__doc__ = f"A field whose value must be {check.value} (``metadata['check']``)."
    return declare


probability = _checked(Check.probability)
non_negative = _checked(Check.non_negative)
count = _checked(Check.count)
positive = _checked(Check.positive)
at_least_one = _checked(Check.at_least_one)
month = _checked(Check.month)


def choice(choices: type[StrEnum], default: str) -> Any:
    """A text field restricted to the values of ``choices`` (``metadata['choices']``)."""
    return field(default=default, metadata={"choices": choices})

#: Interreg common indicators (SWD(2021) 198) computed per run, see docs/indicators.md; the BY_SIZE ones also have
#: one value per size class (``RCO01.micro``...).
INDICATORS: tuple[str, ...] = ("RCO87", "RCR84", "RCO01", "RCO04", "RCO10", "RCO83", "RCO116")
BY_SIZE: tuple[str, ...] = ("RCO01", "RCO04")


def indicator_keys() -> list[str]:
    """Every indicator value's key: the codes, and RCO01/RCO04 by size class (``RCO01.micro``...)."""
    keys = []
    for code in INDICATORS:
        keys.append(code)
        if code in BY_SIZE:
            keys += [f"{code}.{size}" for size in SIZE_CLASSES]
    return keys


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
    """A specialisation area, its value chain (ordered segments, upstream first) and its related areas."""

    label: str = MISSING
    segments: list[str] = field(default_factory=list)
    segment_shares: list[float] = field(default_factory=list)
    related: dict[str, float] = field(default_factory=dict)  # other area -> relatedness in [0, 1] (symmetric)


@dataclass
class ActorTypeConfig:
    """A type of non-company actor (research organisation, intermediary...): counts, profile and role."""

    label: str = MISSING
    counts: dict[str, dict[str, int]] = field(default_factory=dict)  # territory -> area -> actors
    segment: str | None = None  # value-chain segment it sits in (null: outside the value chain)
    employees: int = positive(100)
    capability: dict[str, float] = field(default_factory=dict)  # dimension -> mean capability
    need: dict[str, float] = field(default_factory=dict)  # dimension -> mean need
    default_capability: float = probability(0.5)
    default_need: float = probability(0.3)
    openness_mean: float = probability(0.7)
    known_at_start: bool = True
    mission_gain: float = non_negative(0.0)  # gain it draws from any partnership beyond complementarity (its mission)
    max_partners: int = count(8)
    referrals_per_month: float = non_negative(0.0)  # leads it passes to the programme each month once engaged
    introductions_per_month: int = count(0)  # cross-border introductions it brokers each month once engaged
    anchor: bool = False  # joins a pole for access to SMEs and visibility, as a large firm does


@dataclass
class DimensionConfig:
    """A capability/need dimension (CIS hampering factors, IMP3rove)."""

    label: str = MISSING
    size_gradient: float = probability(0.1)
    sme_need: float = probability(0.2)
    large_need: float = probability(0.0)


@dataclass
class SizeClassConfig:
    """A size class's share of an area's persons employed and the mean head count of its enterprises."""

    employment_share: float = probability(MISSING)
    mean_employees: float = MISSING


@dataclass
class PopulationConfig:
    """The population of companies (synthetic at the real scale, or a survey file, see ``source``)."""

    source: str = choice(PopulationSource, "synthetic")
    path: str | None = None
    fill_synthetic: bool = True
    n_companies: int | None = None  # null: the real target population; an integer: a scale knob (tests)
    size_classes: dict[str, SizeClassConfig] = field(default_factory=lambda: {
        "micro": SizeClassConfig(0.12, 3.4), "small": SizeClassConfig(0.20, 24.4),
        "medium": SizeClassConfig(0.23, 123.8), "large": SizeClassConfig(0.45, 977.0)})
    segment_spread: float = probability(0.08)  # SD of a segment's profile around its area's profile
    capability_noise: float = probability(0.12)
    need_noise: float = probability(0.12)
    openness_mean: float = probability(0.45)
    openness_concentration: float = 6.0
    english_prob: dict[str, float] = field(
        default_factory=lambda: {"micro": 0.35, "small": 0.5, "medium": 0.7, "large": 0.9}
    )
    neighbour_language_prob: float = probability(0.15)
    absorptive_size_effect: float = non_negative(0.15)


@dataclass
class OutreachConfig:
    """Identification outreach: cold contacts and warm referrals, each bound by the programme's capacity."""

    start: int = month(1)
    end: int = month(12)  # last month of cold contacts (the identification stage)
    contacts_per_month: int = count(25)  # cold contacts per pole and territory per month
    response_rate: float = probability(0.30)
    # contact weight = employees ** exponent (directories list larger firms)
    visibility_exponent: float = non_negative(1.0)
    referral_capacity: int = count(8)  # warm leads followed up per pole and territory per month (start..horizon)
    referral_response_rate: float = probability(0.55)
    referral_prob: float = probability(0.04)  # monthly chance that an engaged company refers a peer
    # outreach capacity multiplier where a conditional go asks for recruits
    conditional_factor: float = at_least_one(2.0)


@dataclass
class SurveyConfig:
    """What the identification survey and the interviews see of an actor."""

    perception_noise: float = probability(0.25)
    interviews_per_month: int = count(15)
    interview_noise: float = probability(0.05)
    interview_tie_break: float = non_negative(0.05)
    interview_start: int = month(2)
    interview_end: int = month(12)


@dataclass
class CluesConfig:
    """Complementarity scoring (clues for collaboration)."""

    k: int = positive(5)
    max_candidates: int = positive(2000)
    gain_scale: float = non_negative(2.5)
    chain_adjacency_bonus: float = non_negative(0.05)
    # areas related at least this much join a pole's theme (events, workshops)
    theme_relatedness: float = probability(0.6)
    language_friction: float = non_negative(0.15)
    distance_friction_per_100km: float = non_negative(0.02)
    country_friction: float = non_negative(0.05)
    friction_scale: float = non_negative(1.0)


@dataclass
class WorkshopsConfig:
    """Professional meetings: each pole's recurring thematic workshop (its areas and related areas)."""

    start: int = month(3)
    every: int = positive(3)
    end: int = month(30)
    attendance: float = probability(0.35)
    open_places: int = count(10)  # places per pole workshop for actors the programme does not know yet
    contacts_per_attendee: int = count(3)
    follow_up_factor: float = probability(0.3)  # a contact's follow-up chance relative to a held B2B meeting's
    trust_gain: float = probability(0.10)


@dataclass
class B2BConfig:
    """Cross-border B2B matchmaking (brokerage) events."""

    events: list[int] = field(default_factory=lambda: [6, 12, 18, 24])
    registration: float = probability(0.45)
    engaged_factor: float = non_negative(1.5)  # registration multiplier for actors already engaged in the programme
    open_places: int = count(20)  # places per pole event for actors the programme does not know yet
    requests_per_participant: int = positive(8)
    scope: str = choice(B2BScope, "cross_border")  # whom a participant may request (B2BScope)
    request_noise: float = non_negative(0.15)
    benefit_reference: float = 0.0
    acceptance_intercept: float = -0.5
    acceptance_slope: float = non_negative(10.0)
    max_meetings_per_participant: int = positive(8)
    slots: int = positive(10)
    slot_minutes: int = positive(20)
    no_show: float = probability(0.10)
    follow_up_intercept: float = -1.6
    follow_up_slope: float = non_negative(10.0)
    trust_gain: float = probability(0.25)


@dataclass
class PartnershipsConfig:
    """Negotiation after a follow-up, partnership decisions and dissolution."""

    negotiation_months: int = positive(6)
    decision_rate: float = probability(0.30)
    absorptive_weight: float = non_negative(1.0)  # gain x (1 - w/2 + w x absorptive capacity)
    trust_weight: float = non_negative(0.5)
    formation_trust: float = probability(0.1)
    base_cost: float = non_negative(0.35)
    decision_noise: float = non_negative(0.10)
    dissolution_rate: float = probability(0.01)
    dissolution_factor: float = at_least_one(2.0)  # hazard multiplier once a side's gain has fallen below the cost
    max_partners: int = positive(8)


@dataclass
class AccompanimentConfig:
    """Facilitator teams that accompany candidate companies toward a pole."""

    capacity: int = count(10)
    teams_per_pole: int = count(1)
    boost: float = probability(0.05)
    max_boost: float = probability(0.2)
    introductions_per_month: int = count(4)  # cross-border introductions a team brokers when a condition asks for them


@dataclass
class CriticalMassConfig:
    """Criteria a pole must meet, all at once, to be constituted."""

    min_members: int = positive(15)
    min_members_per_territory: int = count(1)
    min_member_types: int = positive(2)
    min_sme_share: float = probability(0.5)
    min_value_chain_coverage: float = probability(0.6)
    min_cross_border_partner_share: float = probability(0.25)


@dataclass
class MarketConfig:
    """A diversification market: the capability bundle the members must hold together."""

    label: str = MISSING
    requirements: dict[str, float] = field(default_factory=dict)
    min_firms_per_capability: int = positive(2)


@dataclass
class PoleConfig:
    """A proposed cross-border pole."""

    label: str = MISSING
    areas: list[str] = field(default_factory=list)
    critical_mass: CriticalMassConfig = field(default_factory=CriticalMassConfig)
    markets: dict[str, MarketConfig] = field(default_factory=dict)


@dataclass
class JoiningConfig:
    """Threshold-cascade joining decision (every term documented in docs/ODD.md, 7.12)."""

    base_benefit: float = 0.05
    synergy_weight: float = non_negative(0.6)
    tie_weight: float = non_negative(0.3)
    partner_tie: float = non_negative(1.0)
    neighbour_tie: float = non_negative(0.6)
    peer_tie: float = non_negative(0.4)
    contact_tie: float = non_negative(0.2)
    tie_reference: float = at_least_one(3.0)
    size_weight: float = non_negative(0.4)
    anchor_weight: float = non_negative(0.4)
    openness_weight: float = non_negative(1.0)
    cost: float = non_negative(1.0)
    noise: float = non_negative(0.20)
    rate: float = probability(0.10)


@dataclass
class FeasibilityConfig:
    """The feasibility study of the proposed poles."""

    month: int = month(15)
    reassessment_month: int | None = 24  # a conditional go is decided again (go or no-go); null: never
    interest_threshold: float = probability(0.35)
    min_interested: int = count(15)
    min_interested_per_territory: int = count(2)
    min_member_types: int = count(2)
    min_coverage: float = probability(0.5)
    min_sme_share: float = probability(0.5)
    min_cross_border_links: int = count(1)
    # below threshold but at least this share of it: a condition, not a no-go
    conditional_share: float = probability(0.5)


@dataclass
class ProposalConfig:
    """Poles proposed from the identification stage's evidence (``poles=auto``; docs/indicators.md, part 2)."""

    auto: bool = False  # replace the configured poles by the proposed ones (set by ``poles=auto``)
    k: int = positive(2)  # poles to propose
    scouting_teams: int = positive(2)  # outreach teams of the identification stage before any pole exists (all areas)
    resolution: float = 1.0  # Louvain resolution of the community detection (> 1: smaller communities)
    area_share: float = probability(0.2)  # an area is part of a proposed pole when it holds this share of the community
    max_areas: int = positive(2)  # areas per proposed pole at most
    critical_mass: CriticalMassConfig = field(default_factory=CriticalMassConfig)  # of every proposed pole


@dataclass
class IndicatorsConfig:
    """Interreg common indicators computed at the end of a run (docs/indicators.md)."""

    after_months: int = count(12)  # RCR84: a partnership still active this many months after the programme's end
    solution_months: int = positive(12)  # RCO116: months a cross-border co-innovation partnership needs to deliver
    solution_probability: float = probability(0.5)  # RCO116: probability that such a partnership delivers a solution
    research_types: list[str] = field(default_factory=lambda: ["research"])  # RCO10: research organisations
    # planner's targets (at least this value), e.g. indicators.targets.RCO87=40; null: no target
    targets: dict[str, float | None] = field(default_factory=lambda: dict.fromkeys(indicator_keys()))


@dataclass
class CostsConfig:
    """Unit costs of the programme's levers, in EUR (assumptions of the order of a EUR 1M, 36-month Interreg
    programme; docs/costs.md). The planned cost of a scenario is computed from its config (xbsim.programme.costs)."""

    b2b_event: float = non_negative(15000.0)  # one pole's B2B event: venue, matchmaking platform, broker, catering
    # per meeting each participant may hold (b2b.max_meetings_per_participant)
    b2b_meeting_round: float = non_negative(1000.0)
    workshop: float = non_negative(5000.0)  # one pole's thematic workshop: room, speakers, facilitation
    facilitator_team_month: float = non_negative(6000.0)  # one facilitator team's month (feasibility.month..horizon)
    # coaching time per company a team accompanies at once, per month
    accompaniment_place_month: float = non_negative(300.0)
    outreach_contact: float = non_negative(40.0)  # one cold contact (directory, call, e-mail campaign)
    referral_follow_up: float = non_negative(30.0)  # one warm lead the outreach team may follow up (planned capacity)
    # one diagnostic interview (half a consultant day with preparation and travel)
    interview: float = non_negative(400.0)
    survey: float = non_negative(20000.0)  # the identification survey campaign (once)


@dataclass
class SearchTargetConfig:
    """The planner's target for the recommended package: every pole viable with at least this probability."""

    p_viable: float = 0.8
    require: str = choice(SearchRequire, "estimate")  # SearchRequire


@dataclass
class SearchEventsConfig:
    """The B2B event lever: ``count`` events every ``interval`` months from month ``first`` (each [low, high])."""

    count: list[int] = field(default_factory=lambda: [0, 6])
    first: list[int] = field(default_factory=lambda: [3, 12])
    interval: list[int] = field(default_factory=lambda: [3, 9])


@dataclass
class SearchConfig:
    """``xbsim experiment=intervention_search``: the levers' ranges, the trial budget and the target."""

    enabled: bool = False
    trials: int = 24
    replications: int = 8  # per candidate, r = 0..replications-1 for every candidate (common random numbers)
    startup_trials: int = 10  # random trials before Optuna's multi-objective TPE sampler models the front
    top: int = 4  # candidates re-evaluated with fresh replications
    fresh_replications: int = 24  # r = replications..replications+fresh-1, the same for every re-evaluated one
    bootstrap: int = 2000  # resamples of the fresh replications for the stability of the recommendation
    levers: dict[str, list[int]] = field(default_factory=lambda: {
        "b2b.max_meetings_per_participant": [2, 10], "workshops.every": [1, 6], "accompaniment.capacity": [0, 30],
        "accompaniment.teams_per_pole": [0, 3], "outreach.contacts_per_month": [5, 50],
        "outreach.referral_capacity": [0, 16]})
    events: SearchEventsConfig = field(default_factory=SearchEventsConfig)
    # packages evaluated first, after the default programme: lever -> value (others: the default programme's)
    packages: list[dict[str, int]] = field(default_factory=list)
    target: SearchTargetConfig = field(default_factory=SearchTargetConfig)


@dataclass
class StudyConfig:
    """Replications of one scenario: how many, when to stop (adaptive mode), how they run and what they write.

    The statistics and the layout of the run directory are described in ``docs/experiments.md``.
    """

    name: str = ""  # experiment name, cited in the report
    question: str = ""  # the question the experiment answers (first section of the report)
    adaptive: bool = False  # add replications until every pole's CI half-width <= target_half_width
    target_half_width: float = 0.05
    batch: int = positive(20)  # replications added per adaptive round
    max_replications: int = positive(400)  # adaptive mode stops here even if the target is not reached
    confidence: float = 0.95  # level of every confidence interval
    workers: int = 1  # joblib processes for the replications of one scenario (-1: all cores)
    progress: bool = True  # progress bar on a terminal
    replication_files: str = choice(ReplicationFiles, "full")  # ReplicationFiles
    replication_figures: bool = False  # figures of each replication (slow)
    report: bool = False  # write the report into <run or sweep dir>/report when the run or sweep ends
    overwrite: bool = False  # clear a folder holding another run's files (xbsim --overwrite) instead of refusing
    vars: dict[str, Any] = field(default_factory=dict)  # shared experiment knobs, referenced by interpolation


@dataclass
class XBSimConfig:
    """The whole configuration of one xbsim scenario."""

    seed: int = count(42)
    horizon_months: int = positive(36)
    territories: dict[str, TerritoryConfig] = field(default_factory=dict)
    areas: dict[str, AreaConfig] = field(default_factory=dict)
    dimensions: dict[str, DimensionConfig] = field(default_factory=dict)
    actors: dict[str, ActorTypeConfig] = field(default_factory=dict)
    population: PopulationConfig = field(default_factory=PopulationConfig)
    outreach: OutreachConfig = field(default_factory=OutreachConfig)
    survey: SurveyConfig = field(default_factory=SurveyConfig)
    clues: CluesConfig = field(default_factory=CluesConfig)
    workshops: WorkshopsConfig = field(default_factory=WorkshopsConfig)
    b2b: B2BConfig = field(default_factory=B2BConfig)
    partnerships: PartnershipsConfig = field(default_factory=PartnershipsConfig)
    accompaniment: AccompanimentConfig = field(default_factory=AccompanimentConfig)
    joining: JoiningConfig = field(default_factory=JoiningConfig)
    poles: dict[str, PoleConfig] = field(default_factory=dict)
    feasibility: FeasibilityConfig = field(default_factory=FeasibilityConfig)
    indicators: IndicatorsConfig = field(default_factory=IndicatorsConfig)
    proposal: ProposalConfig = field(default_factory=ProposalConfig)
    costs: CostsConfig = field(default_factory=CostsConfig)
    search: SearchConfig = field(default_factory=SearchConfig)
    figures: bool = True
    figure_format: Any = field(default_factory=lambda: ["png"])  # png, svg, pdf, or a list of them
    figure_dpi: int = 150  # resolution of raster (PNG) figures
    replications: int = positive(1)
    study: StudyConfig = field(default_factory=StudyConfig)


def register_configs() -> None:
    """Register the schema so that ``xbsim/configs/config.yaml`` can extend it (``- base_config``)."""
    from hydra.core.config_store import ConfigStore

    from xbsim.core.config.resolvers import register_resolvers

    register_resolvers()  # ${xbsim.pid:} and ${xbsim.jobdir:...} in xbsim/configs/hydra/default.yaml
    cs = ConfigStore.instance()
    cs.store(name="base_config", node=XBSimConfig)
