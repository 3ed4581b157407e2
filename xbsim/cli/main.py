"""``xbsim``: run one scenario of the programme (a Hydra app over ``configs/``)."""

from __future__ import annotations

import logging
import sys

import hydra
from hydra.core.hydra_config import HydraConfig
from omegaconf import DictConfig

from xbsim.config import CONFIG_DIR, ConfigError, register_configs, validate
from xbsim.errors import InputError

register_configs()


def run_scenario(cfg: DictConfig, outdir: str) -> dict:
    """Validate, build, run and write one scenario; returns its summary."""
    from xbsim.model import XBSimModel
    from xbsim.outputs import write_run

    validate(cfg)
    model = XBSimModel(cfg).run()
    return write_run(model, outdir, figures=bool(cfg.figures))


@hydra.main(version_base="1.3", config_path=str(CONFIG_DIR), config_name="config")
def app(cfg: DictConfig) -> None:
    from xbsim.outputs import console_summary

    logging.getLogger("MESA").setLevel(logging.WARNING)  # Mesa logs every step at INFO
    outdir = HydraConfig.get().runtime.output_dir
    try:
        summary = run_scenario(cfg, outdir)
    except (ConfigError, InputError) as err:
        print(str(err), file=sys.stderr)
        sys.exit(2)
    print(console_summary(summary, outdir))


def main() -> None:
    app()


if __name__ == "__main__":
    main()
