"""The Mesa model: :class:`XBSimModel` (the programme's calendar as Mesa events, month by month) and its agents
(:mod:`xbsim.model.agents`: thin handles onto the rows of the population's arrays)."""

from __future__ import annotations

from xbsim.model.model import XBSimModel

__all__ = ["XBSimModel"]
