"""The command line's Hydra overrides, handed from ``xbsim-app`` to the page through the environment."""

from __future__ import annotations

import json
import os
from collections.abc import Sequence

ENV_VAR = "XBSIM_APP_OVERRIDES"


def encode(overrides: Sequence[str]) -> str:
    """The JSON list stored in :data:`ENV_VAR`."""
    return json.dumps([str(o) for o in overrides])


def from_env() -> list[str]:
    """The overrides stored in :data:`ENV_VAR` (none when unset); raises ValueError if it is not a JSON list
    of strings."""
    raw = os.environ.get(ENV_VAR, "").strip()
    if not raw:
        return []
    value = json.loads(raw)
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError(f"{ENV_VAR} must hold a JSON list of strings, not {raw!r}")
    return value
