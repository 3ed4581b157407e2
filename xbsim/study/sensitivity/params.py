"""Parameters of a sensitivity analysis: a config key with its range, uniform over it (integers: each value of
the range equally likely), parsed from ``KEY=LOW:HIGH[:int]``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import stats

from xbsim.core.errors import InputError

DEFAULT_PARAMS = (
    "b2b.max_meetings_per_participant=2:10:int",
    "accompaniment.capacity=2:30:int",
    "clues.language_friction=0.0:0.3",
    "joining.cost=0.6:1.0",
)


@dataclass(frozen=True)
class Param:
    """A model parameter varied over [low, high]."""

    key: str
    low: float
    high: float
    integer: bool = False

    def dist(self) -> Any:
        """Its distribution (a scipy frozen uniform; integers span [low - 0.5, high + 0.5] before rounding)."""
        if self.integer:
            return stats.uniform(loc=self.low - 0.5, scale=self.high - self.low + 1)
        return stats.uniform(loc=self.low, scale=self.high - self.low)

    def value(self, x: float) -> int | float:
        """The config value of a design coordinate."""
        if self.integer:
            return int(np.clip(np.rint(x), self.low, self.high))
        return float(x)

    def scale(self, u: np.ndarray) -> np.ndarray:
        """Map points of the unit interval to this parameter's distribution."""
        return self.dist().ppf(u)


def parse_param(text: str) -> Param:
    """``KEY=LOW:HIGH`` or ``KEY=LOW:HIGH:int``."""
    try:
        key, rng = text.split("=", 1)
        parts = rng.split(":")
        integer = len(parts) == 3 and parts[2] == "int"
        if len(parts) not in (2, 3) or (len(parts) == 3 and not integer):
            raise ValueError
        low, high = float(parts[0]), float(parts[1])
    except ValueError:
        raise InputError(f"sensitivity: bad parameter {text!r}; expected KEY=LOW:HIGH or KEY=LOW:HIGH:int") from None
    if not high > low:
        raise InputError(f"sensitivity: parameter {key}: need LOW < HIGH, got {low} and {high}")
    if integer and (low != int(low) or high != int(high)):
        raise InputError(f"sensitivity: integer parameter {key}: LOW and HIGH must be integers")
    return Param(key.strip(), low, high, integer)
