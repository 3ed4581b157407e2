"""The default B2B events reproduce published brokerage-event figures, averaged over 20 seeds.

Targets (docs/ODD.md, sources there): 40-60% of requests accepted, 75-85% of booked meetings held, 20-30% of
held meetings lead to a follow-up, 2-10% of held meetings become a partnership within 12 months, about 4
meetings per participant per event.
"""

from __future__ import annotations

import numpy as np
import pytest

from xbsim.config import compose
from xbsim.mechanisms.relations import SOURCES
from xbsim.model import XBSimModel


@pytest.fixture(scope="module")
def rates() -> dict[str, float]:
    acc = held = fu = conv = mpp = 0.0
    n = 20
    for seed in range(n):
        m = XBSimModel(compose([f"seed={seed}"])).run()
        t = m.b2b_totals()
        acc += t["accepted"] / t["requests"]
        held += t["held"] / t["booked"]
        fu += t["follow_ups"] / t["held"]
        mpp += 2 * t["held"] / t["participants"]
        # Partnerships within 12 months of the meeting, for events with 12 months left before the horizon.
        full = [r.month for r in m.b2b_results if r.month + 12 <= m.horizon]
        ps = m.state.partnerships
        ok = (ps.source == SOURCES.index("b2b")) & np.isin(ps.origin_month, full) & (ps.formed - ps.origin_month <= 12)
        conv += ok.sum() / sum(r.held for r in m.b2b_results if r.month in full)
    return {"accepted": acc / n, "held": held / n, "follow_up": fu / n, "partnership": conv / n, "mpp": mpp / n}


def test_acceptance_rate(rates: dict[str, float]) -> None:
    assert 0.40 <= rates["accepted"] <= 0.60


def test_held_rate(rates: dict[str, float]) -> None:
    assert 0.75 <= rates["held"] <= 0.85


def test_follow_up_rate(rates: dict[str, float]) -> None:
    assert 0.20 <= rates["follow_up"] <= 0.30


def test_partnership_conversion_within_12_months(rates: dict[str, float]) -> None:
    assert 0.02 <= rates["partnership"] <= 0.10


def test_meetings_per_participant_about_four(rates: dict[str, float]) -> None:
    assert 3.0 <= rates["mpp"] <= 5.0
