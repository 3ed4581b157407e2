"""The app's configuration: the command line's Hydra overrides, handed from ``xbsim-app`` to the page through
the environment; composing them (as ``xbsim`` does) safely from several threads; one-line errors."""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Sequence

from hydra.errors import HydraException
from omegaconf import DictConfig
from omegaconf.errors import OmegaConfBaseException

from xbsim.core.config import ConfigError, compose
from xbsim.core.errors import InputError, config_error_line

#: What a bad override or value raises while composing: Hydra's grammar and merge errors, OmegaConf's type
#: errors and xbsim's domain errors (:class:`~xbsim.core.config.ConfigError`).
CONFIG_ERRORS: tuple[type[Exception], ...] = (HydraException, OmegaConfBaseException, InputError)

#: The environment variable that hands the command line's overrides to the page.
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


_LOCK = threading.Lock()  # Hydra's global state: one composition at a time


def compose_locked(overrides: Sequence[str]) -> DictConfig:
    """:func:`xbsim.core.config.compose` (validated), serialised across the server's threads."""
    with _LOCK:
        return compose(list(overrides))


def describe_error(err: BaseException) -> str:
    """One line for the user: the error's first line, then its cause's first line when there is one."""
    line = config_error_line(err)
    return f"bad override: {line}" if line is not None else _first_line(err)


def user_message(err: BaseException) -> str:
    """What ``xbsim`` would print: :func:`describe_error`'s line, or the whole message of an input error
    (e.g. every problem of a survey file, one per line)."""
    if isinstance(err, InputError) and not isinstance(err, ConfigError):
        return str(err)
    return describe_error(err)


def _first_line(err: BaseException | None) -> str:
    lines = [ln.strip() for ln in str(err).splitlines() if ln.strip()]
    return lines[0] if lines else type(err).__name__
