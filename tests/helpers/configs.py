"""Composed configurations, composed once per test session: each distinct override list is composed (and
validated) once and handed out as a fresh copy, so a test may change what it gets.

``composed(overrides)`` is what ``xbsim.core.config.compose`` returns, ``plain(overrides)`` the resolved plain
dict (``OmegaConf.to_container(..., resolve=True)``), ``default_domain()`` the default scenario's Domain.
``every_override()`` lists one override per option of every config group (the experiments and the debug
scenarios included); ``compose_with_hydra`` composes as the ``xbsim`` command does, the ``hydra`` node included.
"""

from __future__ import annotations

import copy
import functools
from collections.abc import Iterable
from typing import Any

from omegaconf import DictConfig, OmegaConf

from xbsim.core.config import CONFIG_DIR, compose


@functools.cache
def _composed(overrides: tuple[str, ...]) -> DictConfig:
    return compose(list(overrides))


@functools.cache
def _plain(overrides: tuple[str, ...]) -> dict[str, Any]:
    c = OmegaConf.to_container(_composed(overrides), resolve=True)
    assert isinstance(c, dict)
    return c


def composed(overrides: Iterable[str] = ()) -> DictConfig:
    """The composed, validated configuration (a copy of the session's one)."""
    return copy.deepcopy(_composed(tuple(overrides)))


def plain(overrides: Iterable[str] = ()) -> dict[str, Any]:
    """The composed configuration as a resolved plain dict (a copy of the session's one)."""
    return copy.deepcopy(_plain(tuple(overrides)))


@functools.cache
def default_domain() -> Any:
    """The default scenario's Domain (territories, areas, dimensions); read-only."""
    from xbsim.core.domain import Domain

    return Domain.from_config(_plain(()))


def compose_with_hydra(overrides: Iterable[str]) -> DictConfig:
    """Compose as the ``xbsim`` command does, with the ``hydra`` node (launcher, sweeper, run and sweep dirs)."""
    from hydra import compose as hydra_compose
    from hydra import initialize_config_dir
    from hydra.core.global_hydra import GlobalHydra

    from xbsim.core.config import register_configs
    from xbsim.core.config.resolvers import register_resolvers

    register_configs()
    register_resolvers()
    GlobalHydra.instance().clear()
    with initialize_config_dir(config_dir=str(CONFIG_DIR), version_base="1.3"):
        return hydra_compose("config", overrides=list(overrides), return_hydra_config=True)


def group_options() -> dict[str, list[str]]:
    """Every option of every config group of xbsim/configs (hydra/launcher included), from the files."""
    groups: dict[str, list[str]] = {}
    for path in sorted(CONFIG_DIR.rglob("*.yaml")):
        group = path.parent.relative_to(CONFIG_DIR).as_posix()
        if group not in (".", "hydra"):  # primary configs, and hydra/default (always selected)
            groups.setdefault(group, []).append(path.stem)
    return groups


def every_override() -> list[str]:
    """One override per option of every group (``""``: the default config)."""
    return ["", *(f"{group}={option}" for group, options in group_options().items() for option in options)]
