"""Configuration: the Hydra schema, its domain validation and composition from Python."""

from __future__ import annotations

from pathlib import Path

from omegaconf import DictConfig

from xbsim.core.config.schema import SIZE_CLASSES, XBSimConfig, register_configs
from xbsim.core.config.validate import ConfigError, validate

#: The shipped configuration tree (package data, so that an installed xbsim finds it from any directory; add your
#: own with Hydra's ``--config-dir DIR`` or copy it and use ``--config-path``).
CONFIG_DIR: Path = Path(__file__).resolve().parents[2] / "configs"

__all__ = ["CONFIG_DIR", "SIZE_CLASSES", "ConfigError", "XBSimConfig", "compose", "register_configs", "validate"]


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
