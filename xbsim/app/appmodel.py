"""The model the page shows and re-creates on reset: :class:`~xbsim.model.XBSimModel`, set by the controls.

SolaraViz rebuilds the model as ``type(model)(**params)`` on reset, so the controls must be keyword
parameters of a model class. :class:`AppModel` only turns them into Hydra overrides on top of the command
line's, composes the configuration exactly as ``xbsim`` does and hands it to ``XBSimModel.__init__``: the
mechanisms, the calendar and the data are the model's own. A control whose value cannot be used (a bad month
list, a month past the horizon) is left out and said in :attr:`AppModel.notes`, instead of breaking the page.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

from xbsim.app import params as P
from xbsim.app.config import CONFIG_ERRORS, compose_locked, describe_error, from_env
from xbsim.core.config import ConfigError
from xbsim.core.logs import quiet_mesa
from xbsim.model import XBSimModel

quiet_mesa()


class AppModel(XBSimModel):
    """XBSimModel built from the app's controls (None: as configured) over the command line's overrides."""

    def __init__(self, n_companies: int | None = None, b2b_events: str | Sequence[int] | None = None,
                 max_meetings_per_participant: int | None = None, accompaniment_capacity: int | None = None,
                 friction_scale: float | None = None, min_members: int | None = None,
                 seed: int | str | None = None, overrides: Sequence[str] | None = None) -> None:
        base = list(from_env() if overrides is None else overrides)
        values = {"n_companies": n_companies, "b2b_events": b2b_events,
                  "max_meetings_per_participant": max_meetings_per_participant,
                  "accompaniment_capacity": accompaniment_capacity, "friction_scale": friction_scale,
                  "min_members": min_members, "seed": seed}
        cfg, notes = build_config(base, {k: v for k, v in values.items() if v is not None})
        super().__init__(cfg)
        self.base_overrides: list[str] = base
        self.notes: list[str] = notes

    def step(self) -> None:
        """One month (the calendar's events); the app stops at the horizon, as ``XBSimModel.run`` does."""
        if self.month >= self.horizon:
            self.running = False


def build_config(base: Sequence[str], values: dict[str, Any]) -> tuple[Any, list[str]]:
    """Compose ``base`` + the controls' overrides; returns the configuration and a note per control left out.

    ``base`` must compose (the command line checked it). A control whose value cannot be read is left out; if
    the composition still fails, the controls the error names are left out (all of them if it names none)."""
    notes: list[str] = []
    pole_names = _pole_names(tuple(base)) if "min_members" in values else []
    per_control: dict[str, list[str]] = {}
    for name, value in values.items():
        try:
            per_control[name] = P.to_overrides(name, value, pole_names)
        except (TypeError, ValueError) as err:
            notes.append(_note(name, value, str(err)))
    try:
        return compose_locked([*base, *_flatten(per_control)]), notes
    except CONFIG_ERRORS as err:
        culprits = _culprits(err, per_control)
        for name in culprits:
            notes.append(_note(name, values[name], describe_error(err)))
        kept = {k: v for k, v in per_control.items() if k not in culprits}
    try:
        return compose_locked([*base, *_flatten(kept)]), notes
    except CONFIG_ERRORS as err:  # the remaining controls clash: use the command line's scenario
        notes.append(f"controls not applied ({describe_error(err)}); "
                     "the model runs the command line's scenario")
        return compose_locked(base), notes


@functools.lru_cache(maxsize=8)
def _pole_names(base: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(compose_locked(base).poles)


def _flatten(per_control: dict[str, list[str]]) -> list[str]:
    return [o for overrides in per_control.values() for o in overrides]


def _culprits(err: BaseException, per_control: dict[str, list[str]]) -> list[str]:
    """The controls whose configuration key the error names (all of them when none matches)."""
    key = err.key if isinstance(err, ConfigError) else f"{' '.join(str(err).split())} {err.__cause__ or ''}"
    named = [name for name, overrides in per_control.items()
             if any(o.split("=", 1)[0] in key for o in overrides)]
    return named or list(per_control)


def _note(name: str, value: Any, why: str) -> str:
    return f"{P.LABELS[name]}: {value!r} not applied ({why})"
