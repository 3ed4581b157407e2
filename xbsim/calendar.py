"""The programme calendar: which activities run in which month, in a fixed order within a month.

Built from the configuration before the run; the model schedules one Mesa event per month that has
activities, and that event runs them in ``ACTIVITY_ORDER``. Every month then closes with negotiations,
accompaniment, joining and the critical-mass check (see ``XBSimModel.close_month``).
"""

from __future__ import annotations

from typing import Any

ACTIVITY_ORDER: tuple[str, ...] = ("survey", "interviews", "workshops", "b2b_event", "feasibility")


def programme_calendar(cfg: dict[str, Any]) -> dict[int, list[str]]:
    """Month -> activities of that month (in ``ACTIVITY_ORDER``), for months 0..horizon_months."""
    horizon = int(cfg["horizon_months"])
    months: dict[str, set[int]] = {
        "survey": {int(cfg["survey"]["month"])},
        "interviews": set(range(cfg["survey"]["interview_start"], cfg["survey"]["interview_end"] + 1)),
        "workshops": set(range(cfg["meetings"]["start"], cfg["meetings"]["end"] + 1, cfg["meetings"]["every"])),
        "b2b_event": {int(m) for m in cfg["b2b"]["events"]},
        "feasibility": {int(cfg["feasibility"]["month"])},
    }
    calendar: dict[int, list[str]] = {}
    for month in range(horizon + 1):
        todo = [a for a in ACTIVITY_ORDER if month in months[a]]
        if todo:
            calendar[month] = todo
    return calendar
