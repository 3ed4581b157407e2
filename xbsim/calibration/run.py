"""One calibration from a monitoring file to its outputs: read, calibrate, forecast, write."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
from omegaconf import OmegaConf

from xbsim.calibration import abc, forecast, report
from xbsim.calibration.monitoring import read_monitoring


def scenario(settings: dict[str, Any]) -> dict[str, Any]:
    """The plain configuration of the calibrated scenario (``model_overrides`` on the shipped default)."""
    from xbsim.core.config import ConfigError, compose
    from xbsim.core.errors import InputError

    try:
        base = OmegaConf.to_container(compose(list(settings["model_overrides"])), resolve=True)
    except InputError:
        raise
    except Exception as err:  # Hydra's own override errors
        raise ConfigError("model_overrides", settings["model_overrides"], str(err).splitlines()[0]) from None
    base["figures"] = False
    return base


def check_keys(base: dict[str, Any], settings: dict[str, Any]) -> None:
    """Every prior and action key must exist in the scenario (one-line ConfigError otherwise)."""
    from xbsim.core.config import ConfigError
    from xbsim.model import XBSimModel

    for key in settings["priors"]:
        if OmegaConf.select(OmegaConf.create(base), key, default="<missing>") == "<missing>":
            raise ConfigError(f"priors.{key}", settings["priors"][key], "a key of the scenario's configuration")
        if any(key == f or key.startswith(f + ".") for f in ("seed", "horizon_months")):
            raise ConfigError(f"priors.{key}", settings["priors"][key], "a model parameter (not seed or horizon)")
    for name, overrides in settings["forecast"]["actions"].items():
        for key, value in overrides.items():
            if OmegaConf.select(OmegaConf.create(base), key, default="<missing>") == "<missing>":
                raise ConfigError(f"forecast.actions.{name}.{key}", value, "a key of the scenario's configuration")
            if any(key == f or key.startswith(f + ".") for f in XBSimModel.FIXED_KEYS):
                raise ConfigError(
                    f"forecast.actions.{name}.{key}",
                    value,
                    "a key read during the run (not " + ", ".join(XBSimModel.FIXED_KEYS) + ")",
                )


def calibrate_and_forecast(
    observed: pd.DataFrame,
    settings: dict[str, Any],
    out: Path | None,
    progress: Callable[[str], None] | None = None,
    data: str = "",
    table: abc.ReferenceTable | None = None,
) -> dict[str, Any]:
    """Calibrate to ``observed`` (month x indicator), forecast, and write everything into ``out`` (if given).
    ``table`` reuses a reference table of the same scenario, seed and observed months (the recovery study).
    Returns the run's information with ``posterior``, ``forecast`` and ``draws`` attached."""
    start = time.perf_counter()
    base = scenario(settings)
    check_keys(base, settings)
    horizon = int(base["horizon_months"])
    months = int(observed.index.max()) if len(observed) else 0
    if months > horizon:
        from xbsim.core.config import ConfigError

        raise ConfigError("horizon_months", horizon, f"at least the last observed month ({months})")
    posterior, sim = abc.calibrate(observed, base, settings, progress=progress, table=table)
    abc_seconds = time.perf_counter() - start
    f = settings["forecast"]
    draws, series = forecast.run_draws(
        posterior,
        sim,
        f["actions"],
        int(f["draws"]),
        int(settings["seed"]),
        progress,
        workers=int(settings["abc"]["workers"]),
    )
    summary = forecast.summarise(draws, horizon, float(f["credible_level"]))
    info = {
        "data": data,
        "observed_months": months,
        "horizon_months": horizon,
        "seed": int(settings["seed"]),
        "model_overrides": list(settings["model_overrides"]),
        "priors": settings["priors"],
        "method": "rejection ABC on a prior-predictive reference table",
        "simulations": posterior.simulations,
        "accept": float(settings["abc"]["accept"]),
        "accepted": 0 if posterior.accepted is None else len(posterior.accepted),
        "projection": settings["abc"]["projection"],
        "adjustment": settings["abc"]["adjustment"],
        "block_months": int(settings["abc"]["block_months"]),
        "tolerance": posterior.tolerance,
        "ess": posterior.ess,
        "abc_seconds": abc_seconds,
        "workers": int(settings["abc"]["workers"]),
        "actions": f["actions"],
        "draws": int(f["draws"]),
        "seconds": time.perf_counter() - start,
    }
    if out is not None:
        from xbsim.study.provenance import provenance

        info["provenance"] = provenance()
        report.write_all(out, info, posterior, observed, draws, series, summary, float(f["credible_level"]), horizon)
    return {**info, "posterior": posterior, "forecast": summary, "draws": draws, "series": series}


def run(
    data: str | Path, settings: dict[str, Any], out: Path, progress: Callable[[str], None] | None = None
) -> dict[str, Any]:
    """Read the monitoring file ``data``, calibrate, forecast, write into ``out``."""
    base = scenario(settings)
    observed = read_monitoring(data, horizon=int(base["horizon_months"]))
    return calibrate_and_forecast(observed, settings, out, progress, data=str(data))
