"""The programme's planned cost, computed from a scenario's configuration (its levers and the unit costs of
``costs``), with its breakdown by lever.

Planned, not realised: the cost of what the programme commits to (events held, workshops held, teams paid for
the accompaniment stage, the outreach and interview capacity it staffs), whatever the companies then do. So the
cost is known exactly before a run, the same for every replication of a scenario, and the intervention search
optimises a noise-free cost against a noisy P(viable). The quantities follow the programme calendar
(:func:`xbsim.programme.calendar.programme_calendar`): every activity runs once per pole, outreach once per pole and
territory. Unit costs and their sources (assumptions) are in docs/costs.md.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

from xbsim.core.config import typed
from xbsim.core.config.schema import XBSimConfig
from xbsim.programme.calendar import programme_calendar

#: The breakdown's items, in the order of the programme (identification, meetings, accompaniment).
ITEMS: tuple[str, ...] = (
    "survey",
    "interviews",
    "outreach_contacts",
    "referral_follow_ups",
    "workshops",
    "b2b_events",
    "facilitator_teams",
)


@dataclass(frozen=True)
class CostLine:
    """One item of the budget: how many units, at what unit cost, for what total (EUR)."""

    quantity: float
    unit_cost: float
    total: float


@dataclass(frozen=True)
class ProgrammeCost:
    """The planned cost of a programme: the total (EUR) and one line per item of :data:`ITEMS`."""

    total: float
    lines: dict[str, CostLine]

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready: ``{"total": EUR, "currency": "EUR", "breakdown": {item: {quantity, unit_cost, total}}}``."""
        return {
            "total": round(self.total, 2),
            "currency": "EUR",
            "breakdown": {k: {key: round(v, 2) for key, v in asdict(line).items()} for k, line in self.lines.items()},
        }


def programme_cost(cfg: XBSimConfig | Mapping[str, Any]) -> ProgrammeCost:
    """The planned cost of the resolved configuration ``cfg`` (typed, or a plain dict, validated).

    - survey: one identification survey campaign (``costs.survey``);
    - interviews: ``survey.interviews_per_month`` per pole in each interview month;
    - outreach contacts: ``outreach.contacts_per_month`` per pole and territory in each cold-contact month
      (``outreach.start..outreach.end``);
    - referral follow-ups: ``outreach.referral_capacity`` per pole and territory in each month from
      ``outreach.start`` to the horizon (the capacity staffed, used or not);
    - workshops: one per pole in each workshop month; B2B events: one per pole in each event month, each costing
      ``costs.b2b_event`` plus ``costs.b2b_meeting_round`` per meeting a participant may hold;
    - facilitator teams: ``accompaniment.teams_per_pole`` per pole from ``feasibility.month`` to the horizon, each
      month costing ``costs.facilitator_team_month`` plus ``costs.accompaniment_place_month`` per company it can
      accompany at once (``accompaniment.capacity``).

    The extra outreach a conditional go asks for (``outreach.conditional_factor``) is not planned, so not counted.
    """

    cfg = typed(cfg)
    unit = cfg.costs
    cal = programme_calendar(cfg)
    months = {a: sum(a in acts for acts in cal.values()) for a in ("interviews", "workshops", "b2b_event")}
    poles, territories = len(cfg.poles), len(cfg.territories)
    out, acc, horizon = cfg.outreach, cfg.accompaniment, int(cfg.horizon_months)
    cold_months = max(0, min(int(out.end), horizon) - int(out.start) + 1)
    warm_months = max(0, horizon - int(out.start) + 1)
    team_months = acc.teams_per_pole * poles * max(0, horizon - int(cfg.feasibility.month) + 1)
    event_cost = unit.b2b_event + unit.b2b_meeting_round * cfg.b2b.max_meetings_per_participant
    team_month_cost = unit.facilitator_team_month + unit.accompaniment_place_month * acc.capacity
    plan = {
        "survey": (1, unit.survey),
        "interviews": (cfg.survey.interviews_per_month * poles * months["interviews"], unit.interview),
        "outreach_contacts": (out.contacts_per_month * poles * territories * cold_months, unit.outreach_contact),
        "referral_follow_ups": (
            out.referral_capacity * poles * territories * warm_months,
            unit.referral_follow_up,
        ),
        "workshops": (poles * months["workshops"], unit.workshop),
        "b2b_events": (poles * months["b2b_event"], event_cost),
        "facilitator_teams": (team_months, team_month_cost),
    }
    lines = {k: CostLine(float(q), float(c), float(q) * float(c)) for k, (q, c) in plan.items()}
    return ProgrammeCost(sum(line.total for line in lines.values()), lines)
