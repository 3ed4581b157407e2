"""Composing the app's configuration (as ``xbsim`` does) safely from several threads, and one-line errors."""

from __future__ import annotations

import threading
from collections.abc import Sequence

from hydra.errors import HydraException
from omegaconf import DictConfig
from omegaconf.errors import OmegaConfBaseException

from xbsim.config import compose
from xbsim.errors import InputError

#: What a bad override or value raises while composing: Hydra's grammar and merge errors, OmegaConf's type
#: errors and xbsim's domain errors (:class:`~xbsim.config.ConfigError`).
CONFIG_ERRORS: tuple[type[Exception], ...] = (HydraException, OmegaConfBaseException, InputError)

_LOCK = threading.Lock()  # Hydra's global state: one composition at a time


def compose_locked(overrides: Sequence[str]) -> DictConfig:
    """:func:`xbsim.config.compose` (validated), serialised across the server's threads."""
    with _LOCK:
        return compose(list(overrides))


def describe_error(err: BaseException) -> str:
    """One line for the user: the error's first line, then its cause's first line when there is one."""
    first = _first_line(err)
    if isinstance(err, HydraException) and err.__cause__ is not None:
        cause = _first_line(err.__cause__)
        if cause and cause not in first:
            first = f"{first.rstrip('.')}: {cause}"
    if not first.startswith("config error"):
        first = f"bad override: {first}"
    return first


def _first_line(err: BaseException | None) -> str:
    lines = [ln.strip() for ln in str(err).splitlines() if ln.strip()]
    return lines[0] if lines else type(err).__name__
