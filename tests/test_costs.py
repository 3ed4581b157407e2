"""The programme's planned cost (xbsim.programme.costs): the default budget by item, its response to the levers,
the cost in summary.json and bad unit costs refused in one line."""

from __future__ import annotations

import copy

import pytest

from tests.helpers.configs import composed, plain
from xbsim.core.config import ConfigError, compose, validate
from xbsim.outputs.summary import build_summary
from xbsim.programme.costs import ITEMS, programme_cost


def changed(base: dict, **keys: object) -> dict:
    """A copy of ``base`` with dotted keys (``b2b__events``) set: a scenario without composing again."""
    cfg = copy.deepcopy(base)
    for dotted, value in keys.items():
        *path, last = dotted.split("__")
        node = cfg
        for part in path:
            node = node[part]
        node[last] = value
    return cfg


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
    cfg = plain()
    base = programme_cost(cfg).total

    def delta(**keys: object) -> float:
        return programme_cost(changed(cfg, **keys)).total - base

    assert delta(b2b__events=[6, 12, 18, 24, 30]) == pytest.approx(2 * 23_000)
    assert delta(accompaniment__teams_per_pole=2) == pytest.approx(44 * 9000)
    assert delta(accompaniment__capacity=20) == pytest.approx(44 * 10 * 300)
    assert delta(b2b__max_meetings_per_participant=4) == pytest.approx(-8 * 4000)
    assert delta(workshops__every=6) == pytest.approx(-2 * 5 * 5000)  # months 3, 9, ..., 27
    assert delta(costs__workshop=0.0) == pytest.approx(-100_000)
    assert delta(feasibility__month=25) == pytest.approx(-2 * 10 * 9000)  # teams paid from the study on
    none = programme_cost(changed(cfg, b2b__events=[], accompaniment__teams_per_pole=0))
    assert none.lines["b2b_events"].total == 0 and none.lines["facilitator_teams"].total == 0


def test_summary_reports_the_cost() -> None:
    from tests.helpers.scenarios import TINY
    from xbsim.model import XBSimModel

    model = XBSimModel(composed(TINY)).run()  # 18 months, events at 6 and 12
    summary = build_summary(model)
    assert summary["cost"] == programme_cost(model.cfg).as_dict()
    assert summary["cost"]["breakdown"]["b2b_events"]["quantity"] == 4 and summary["cost"]["currency"] == "EUR"
    assert summary["cost"]["breakdown"]["facilitator_teams"]["quantity"] == 2 * 4  # months 15..18


def test_negative_unit_cost_is_refused_in_one_line() -> None:
    with pytest.raises(ConfigError, match=r"costs\.workshop=-1\.0 is not allowed; allowed: a number >= 0"):
        validate(compose(["costs.workshop=-1"]))
