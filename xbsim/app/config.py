"""Composing the app's configuration (as ``xbsim`` does) safely from several threads, and one-line errors."""

from __future__ import annotations

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
