"""The programme calendar: activities on their configured months, in a fixed order within a month."""

from __future__ import annotations

from omegaconf import OmegaConf

from xbsim.calendar import ACTIVITY_ORDER, programme_calendar
from xbsim.config import compose
from xbsim.model import XBSimModel


def test_default_calendar() -> None:
    cal = programme_calendar(OmegaConf.to_container(compose(), resolve=True))
    assert cal[1] == ["survey"]
    assert cal[3] == ["interviews", "workshops"]
    assert cal[6] == ["interviews", "workshops", "b2b_event"]
    assert cal[15] == ["workshops", "feasibility"]
    assert cal[24] == ["workshops", "b2b_event"]
    assert 36 not in cal and 0 not in cal
    for todo in cal.values():
        assert todo == sorted(todo, key=ACTIVITY_ORDER.index)


def test_model_runs_activities_in_calendar_order() -> None:
    calls: list[tuple[int, str]] = []

    class Traced(XBSimModel):
        def survey(self) -> None:
            calls.append((self.month, "survey"))
            super().survey()

        def b2b_event(self) -> None:
            calls.append((self.month, "b2b_event"))
            super().b2b_event()

        def feasibility(self) -> None:
            calls.append((self.month, "feasibility"))
            super().feasibility()

    Traced(compose(["population.n_companies=200", "survey.month=0", "b2b.events=[2,5]",
                    "feasibility.month=5"])).run()
    assert calls == [(0, "survey"), (2, "b2b_event"), (5, "b2b_event"), (5, "feasibility")]
