"""The programme calendar: which activities run in which month, in a fixed order within a month.

Built from the configuration before the run; the model schedules one Mesa event per month that has
activities, and that event runs them in ``ACTIVITY_ORDER``. Every month then closes with referrals,
introductions, negotiations, accompaniment, joining and the critical-mass check (see ``XBSimModel.close_month``).
"""

from __future__ import annotations

from xbsim.core.config.schema import XBSimConfig

ACTIVITY_ORDER: tuple[str, ...] = ("outreach", "clues_for_collaboration", "interviews", "workshops", "b2b_event",
                                   "feasibility", "reassessment")


def programme_calendar(cfg: XBSimConfig) -> dict[int, list[str]]:
    """Month -> activities of that month (in ``ACTIVITY_ORDER``), for months 1..horizon_months.

    Outreach runs monthly from ``outreach.start`` to the horizon (cold contacts stop after ``outreach.end``,
    warm referrals go on); the clues are derived once, at the end of the identification stage (``outreach.end``).
    """
    horizon = int(cfg.horizon_months)
    out, sv, mt, feas = cfg.outreach, cfg.survey, cfg.workshops, cfg.feasibility
    months: dict[str, set[int]] = {
        "outreach": set(range(out.start, horizon + 1)),
        "clues_for_collaboration": {int(out.end)},
        "interviews": set(range(sv.interview_start, sv.interview_end + 1)),
        "workshops": set(range(mt.start, mt.end + 1, mt.every)),
        "b2b_event": {int(m) for m in cfg.b2b.events},
        "feasibility": {int(feas.month)},
        "reassessment": set() if feas.reassessment_month is None else {int(feas.reassessment_month)},
    }
    calendar: dict[int, list[str]] = {}
    for month in range(1, horizon + 1):
        todo = [a for a in ACTIVITY_ORDER if month in months[a]]
        if todo:
            calendar[month] = todo
    return calendar
