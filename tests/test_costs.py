"""The programme's planned cost (xbsim.costs): the default budget by item, its response to the levers, the cost in
summary.json and bad unit costs refused in one line."""

from __future__ import annotations

import pytest
from omegaconf import OmegaConf

from xbsim.config import ConfigError, compose, validate
from xbsim.costs import ITEMS, programme_cost
from xbsim.outputs.summary import build_summary


def plain(overrides: list[str] | None = None) -> dict:
    return OmegaConf.to_container(compose(overrides or []), resolve=True)


def test_default_programme_cost_by_item() -> None:
    """2 poles, 3 territories, 36 months: each line counted from the calendar by hand."""
    cost = programme_cost(plain())
    lines = {k: (line.quantity, line.total) for k, line in cost.lines.items()}
    assert list(lines) == list(ITEMS)
    assert lines["survey"] == (1, 20_000)
    assert lines["interviews"] == (15 * 2 * 11, 330 * 400)  # months 2..12
    assert lines["outreach_contacts"] == (25 * 2 * 3 * 12, 1800 * 40)  # months 1..12
    assert lines["referral_follow_ups"] == (8 * 2 * 3 * 36, 1728 * 30)  # months 1..36
    assert lines["workshops"] == (2 * 10, 20 * 5000)  # months 3, 6, ..., 30
    assert lines["b2b_events"] == (2 * 4, 8 * (15_000 + 8 * 1000))  # 8 meetings per participant
    assert lines["facilitator_teams"] == (1 * 2 * 22, 44 * (6000 + 10 * 300))  # months 15..36, capacity 10
    assert cost.total == pytest.approx(955_840)  # the order of the EUR 1M programme budget
    assert cost.as_dict()["breakdown"]["b2b_events"]["unit_cost"] == 23_000


def test_levers_change_the_cost_as_planned() -> None:
    base = programme_cost(plain()).total
    assert programme_cost(plain(["b2b.events=[6,12,18,24,30]"])).total - base == pytest.approx(2 * 23_000)
    assert programme_cost(plain(["accompaniment.teams_per_pole=2"])).total - base == pytest.approx(44 * 9000)
    assert programme_cost(plain(["accompaniment.capacity=20"])).total - base == pytest.approx(44 * 10 * 300)
    assert programme_cost(plain(["b2b.max_meetings_per_participant=4"])).total - base == pytest.approx(-8 * 4000)
    assert programme_cost(plain(["meetings.every=6"])).total - base == pytest.approx(-2 * 5 * 5000)  # 3, 9, ..., 27
    assert programme_cost(plain(["costs.workshop=0"])).total - base == pytest.approx(-100_000)
    assert programme_cost(plain(["b2b.events=[]", "accompaniment.teams_per_pole=0"])).lines["b2b_events"].total == 0


def test_summary_reports_the_cost(small_models) -> None:
    model = small_models[0]
    summary = build_summary(model)
    assert summary["cost"] == programme_cost(model.cfg).as_dict()
    assert summary["cost"]["total"] == pytest.approx(955_840) and summary["cost"]["currency"] == "EUR"


def test_negative_unit_cost_is_refused_in_one_line() -> None:
    with pytest.raises(ConfigError, match=r"costs\.workshop=-1\.0 is not allowed; allowed: a number >= 0"):
        validate(compose(["costs.workshop=-1"]))
