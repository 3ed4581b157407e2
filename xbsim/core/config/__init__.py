"""Configuration: the Hydra schema, its domain validation and composition from Python."""

from __future__ import annotations

import dataclasses
import pickle
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from omegaconf import DictConfig, OmegaConf

from xbsim.core.config.schema import SIZE_CLASSES, XBSimConfig, register_configs
from xbsim.core.config.validate import ConfigError, validate

#: The shipped configuration tree (package data, so that an installed xbsim finds it from any directory; add your
#: own with Hydra's ``--config-dir DIR`` or copy it and use ``--config-path``).
CONFIG_DIR: Path = Path(__file__).resolve().parents[2] / "configs"

__all__ = ["CONFIG_DIR", "SIZE_CLASSES", "ConfigError", "XBSimConfig", "compose", "plain", "register_configs", "typed",
           "validate"]


def compose(overrides: list[str] | None = None, config_name: str = "config") -> DictConfig:
    """Compose the configuration as the ``xbsim`` command would, for notebooks and tests.

    ``overrides`` uses Hydra's override syntax, e.g. ``["population.n_companies=200", "b2b.events=[3,9]"]``.
    The result is validated; a bad value raises :class:`ConfigError`.
    """
    from hydra import compose as hydra_compose
    from hydra import initialize_config_dir
    from hydra.core.global_hydra import GlobalHydra

    register_configs()
    if GlobalHydra.instance().is_initialized():
        GlobalHydra.instance().clear()
    with initialize_config_dir(config_dir=str(CONFIG_DIR), version_base="1.3"):
        cfg = hydra_compose(config_name=config_name, overrides=list(overrides or []))
    validate(cfg)
    return cfg


_TYPED: dict[bytes, XBSimConfig] = {}
_TYPED_MAX = 16


def typed(cfg: XBSimConfig | DictConfig | Mapping[str, Any], composed: DictConfig | None = None) -> XBSimConfig:
    """The typed configuration (:class:`XBSimConfig` dataclasses, from ``OmegaConf.to_object``) of a composed or
    plain one, as the mechanisms read it (``cfg.b2b.slots``). Plain configs are merged into the schema (which
    fills sections a config saved before they existed lacks); the result is cached by content, since the
    replications of a scenario share one config, and must be treated as read-only. ``composed``: the composed
    (structured) config that a plain ``cfg`` was resolved from, whose ``to_object`` is the same typed config,
    some 30 times faster than the merge (the ``xbsim`` job passes it)."""
    if isinstance(cfg, XBSimConfig):
        return cfg
    if isinstance(cfg, DictConfig) and OmegaConf.get_type(cfg) is XBSimConfig:  # composed: already structured
        return OmegaConf.to_object(cfg)  # type: ignore[return-value]
    if isinstance(cfg, DictConfig):
        cfg = OmegaConf.to_container(cfg, resolve=True)  # type: ignore[assignment]
    key = pickle.dumps(dict(cfg))
    hit = _TYPED.get(key)
    if hit is None:
        if composed is not None and OmegaConf.get_type(composed) is XBSimConfig:
            hit = OmegaConf.to_object(composed)  # type: ignore[assignment]
        else:
            hit = OmegaConf.to_object(OmegaConf.merge(OmegaConf.structured(XBSimConfig), dict(cfg)))  # type: ignore[assignment]
        if len(_TYPED) >= _TYPED_MAX:
            _TYPED.pop(next(iter(_TYPED)))
        _TYPED[key] = hit  # type: ignore[assignment]
    return hit  # type: ignore[return-value]


def plain(cfg: XBSimConfig) -> dict[str, Any]:
    """The plain (nested dict) form of a typed configuration, in the schema's key order (for config.yaml)."""
    return dataclasses.asdict(cfg)
