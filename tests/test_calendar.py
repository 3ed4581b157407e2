"""The programme calendar: activities on their configured months, in a fixed order within a month."""

from __future__ import annotations

from tests.helpers.configs import composed
from xbsim.core.config import typed
from xbsim.model import XBSimModel
from xbsim.programme.calendar import ACTIVITY_ORDER, programme_calendar


def test_default_calendar() -> None:
    cal = programme_calendar(typed(composed()))
    assert 0 not in cal  # month 0 is the constructor's (the programme's network is known at start)
    assert sorted(cal) == list(range(1, 37))  # outreach (warm referrals) runs every month to the horizon
    assert cal[1] == ["outreach"]
    assert cal[2] == ["outreach", "interviews"]
    assert cal[3] == ["outreach", "interviews", "workshops"]
    assert cal[6] == ["outreach", "interviews", "workshops", "b2b_event"]
    assert cal[12] == ["outreach", "clues_for_collaboration", "interviews", "workshops", "b2b_event"]
    assert cal[13] == ["outreach"]
    assert cal[15] == ["outreach", "workshops", "feasibility"]
    assert cal[24] == ["outreach", "workshops", "b2b_event", "reassessment"]
    assert cal[36] == ["outreach"]
    assert sum("clues_for_collaboration" in t for t in cal.values()) == 1
    for todo in cal.values():
        assert todo == sorted(todo, key=ACTIVITY_ORDER.index)


def test_no_reassessment_when_null() -> None:
    cal = programme_calendar(typed(composed(["feasibility.reassessment_month=null"])))
    assert not any("reassessment" in todo for todo in cal.values())


def test_model_runs_activities_in_calendar_order() -> None:
    calls: list[tuple[int, str]] = []

    class Traced(XBSimModel):
        def outreach(self) -> None:
            calls.append((self.month, "outreach"))
            super().outreach()

        def clues_for_collaboration(self) -> None:
            calls.append((self.month, "clues_for_collaboration"))
            super().clues_for_collaboration()

        def b2b_event(self) -> None:
            calls.append((self.month, "b2b_event"))
            super().b2b_event()

        def feasibility(self) -> None:
            calls.append((self.month, "feasibility"))
            super().feasibility()

        def reassessment(self) -> None:
            calls.append((self.month, "reassessment"))
            super().reassessment()

    Traced(composed(["population.n_companies=200", "horizon_months=8", "workshops.end=8", "outreach.start=2",
                    "outreach.end=3", "survey.interview_end=3", "b2b.events=[3,5]", "feasibility.month=5",
                    "feasibility.reassessment_month=7"])).run()
    assert calls == [(2, "outreach"), (3, "outreach"), (3, "clues_for_collaboration"), (3, "b2b_event"),
                     (4, "outreach"), (5, "outreach"), (5, "b2b_event"), (5, "feasibility"), (6, "outreach"),
                     (7, "outreach"), (7, "reassessment"), (8, "outreach")]
