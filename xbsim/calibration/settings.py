"""The calibration configuration (``xbsim/configs/calibrate.yaml``): typed, with domain checks that give one line.

The schema is an OmegaConf structured config, so an unknown key or a wrong type is refused before anything runs;
:func:`check` adds the ranges (a prior's low < high, positive sizes) and that every prior and action names a key
of the scenario's configuration. Every key is documented in ``docs/calibration.md``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from omegaconf import OmegaConf
from omegaconf.errors import OmegaConfBaseException

from xbsim.core.config import CONFIG_DIR, ConfigError

DEFAULT_PATH: Path = CONFIG_DIR / "calibrate.yaml"
#: ``abc.projection``: semi-automatic summaries (linear regression of the parameters on the statistics), or the
#: statistics scaled by their median absolute deviation.
PROJECTIONS: tuple[str, ...] = ("linear", "none")
#: ``abc.adjustment``: local-linear regression adjustment of the accepted parameters, or none.
ADJUSTMENTS: tuple[str, ...] = ("local_linear", "none")


@dataclass
class Prior:
    """A uniform prior on [low, high]."""

    low: float = 0.0
    high: float = 1.0


@dataclass
class ABCSettings:
    simulations: int = 1500
    accept: float = 0.1
    projection: str = "linear"
    adjustment: str = "local_linear"
    block_months: int = 3
    workers: int = 1


@dataclass
class ForecastSettings:
    draws: int = 30
    credible_level: float = 0.9
    actions: dict[str, dict[str, Any]] = field(default_factory=dict)


@dataclass
class CalibrationSettings:
    seed: int = 2026
    model_overrides: list[str] = field(default_factory=list)
    priors: dict[str, Prior] = field(default_factory=dict)
    abc: ABCSettings = field(default_factory=ABCSettings)
    forecast: ForecastSettings = field(default_factory=ForecastSettings)


def load(path: str | Path | None = None, overrides: list[str] | None = None) -> dict[str, Any]:
    """The calibration settings of ``path`` (default: the shipped file) with dotlist ``overrides``
    (``abc.simulations=3000``), checked; raises :class:`ConfigError` with one line."""
    path = Path(path) if path is not None else DEFAULT_PATH
    if not path.is_file():
        raise ConfigError("--settings", str(path), "an existing YAML file (default: the shipped calibrate.yaml)")
    try:
        cfg = OmegaConf.merge(OmegaConf.structured(CalibrationSettings), OmegaConf.load(path))
        for item in overrides or []:
            if "=" not in item:
                raise ConfigError("override", item, "KEY=VALUE of the calibration settings")
            key, value = item.split("=", 1)
            if OmegaConf.select(cfg, key, default="<missing>") == "<missing>" and not key.startswith(
                ("priors.", "forecast.actions.")
            ):
                raise ConfigError(key, value, "a key of the calibration settings (see docs/calibration.md)")
            cfg.merge_with(OmegaConf.from_dotlist([item]))
    except OmegaConfBaseException as err:
        key = getattr(err, "full_key", None) or "calibration settings"
        raise ConfigError(str(key), getattr(err, "value", None), str(err).split("\n")[0]) from None
    settings = OmegaConf.to_container(cfg, resolve=True)
    check(settings)
    return settings


def check(s: dict[str, Any]) -> None:
    """Domain checks of the settings (the first bad value raises :class:`ConfigError`)."""
    if not s["priors"]:
        raise ConfigError("priors", {}, "at least one calibrated parameter with {low, high}")
    for key, prior in s["priors"].items():
        if not prior["low"] < prior["high"]:
            raise ConfigError(f"priors.{key}", prior, "low < high")
    a, f = s["abc"], s["forecast"]
    if a["simulations"] < 10:
        raise ConfigError("abc.simulations", a["simulations"], "a whole number >= 10")
    if a["block_months"] < 1:
        raise ConfigError("abc.block_months", a["block_months"], "a whole number >= 1")
    if a["workers"] == 0:
        raise ConfigError("abc.workers", 0, "a non-zero integer (1 = sequential, -1 = all cores)")
    if not 0.0 < a["accept"] <= 1.0 or a["accept"] * a["simulations"] < 2:
        raise ConfigError("abc.accept", a["accept"], "a share in (0, 1] that accepts at least 2 simulations")
    for key, allowed in (("projection", PROJECTIONS), ("adjustment", ADJUSTMENTS)):
        if a[key] not in allowed:
            raise ConfigError(f"abc.{key}", a[key], " or ".join(allowed))
    if f["draws"] < 2:
        raise ConfigError("forecast.draws", f["draws"], "a whole number >= 2")
    if not 0.0 < f["credible_level"] < 1.0:
        raise ConfigError("forecast.credible_level", f["credible_level"], "a number in (0, 1)")
    if "baseline" in f["actions"]:
        raise ConfigError(
            "forecast.actions.baseline", f["actions"]["baseline"], "another name (baseline is the programme as planned)"
        )
