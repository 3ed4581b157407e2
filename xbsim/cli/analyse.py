"""``xbsim-analyse``: the stage-1 territory-company convergence report (a Hydra app over ``xbsim/configs/``).

Builds the population exactly as ``xbsim`` does for replication 0 (same seed, same random stream, synthetic
or ``population.source=survey``), runs :func:`xbsim.programme.analysis.analyse` (the model's month-0 analysis)
and writes report.md, report.html, figures/ and tables/ into the run directory.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import hydra
from hydra.core.hydra_config import HydraConfig
from omegaconf import DictConfig, OmegaConf

from xbsim.core.config import CONFIG_DIR, ConfigError, register_configs, validate
from xbsim.core.config.schema import PopulationSource
from xbsim.core.errors import InputError

register_configs()


def run_analysis(cfg: DictConfig, outdir: str | Path) -> list[str]:
    """Validate, build the population, analyse and write the report; returns the console lines."""
    from xbsim.core.domain import Domain
    from xbsim.core.population import build_population
    from xbsim.core.rng import RandomStreams
    from xbsim.outputs.analysis import build_report, recommendation_lines, write_report
    from xbsim.programme.analysis import analyse

    validate(cfg)
    c = OmegaConf.to_container(cfg, resolve=True)
    domain = Domain.from_config(c)
    actors = build_population(domain, c["population"], RandomStreams(c["seed"], 0)("population"))
    pop = actors.subset(actors.is_company)  # the territory-company analysis is about companies
    s1 = analyse(pop, domain, {p: c["poles"][p]["critical_mass"]["min_members"] for p in c["poles"]})
    report = build_report(pop, domain, c, s1, with_figures=bool(c["figures"]))
    write_report(report, outdir)
    surveyed = int((pop.origin == "surveyed").sum())
    head = f"xbsim-analyse: {pop.n} companies"
    if c["population"]["source"] == PopulationSource.survey:
        head += f" ({surveyed} surveyed, {pop.n - surveyed} synthetic)"
    return [head, *recommendation_lines(s1), f"report: {Path(outdir) / 'report.html'}"]


@hydra.main(version_base="1.3", config_path=str(CONFIG_DIR), config_name="config")
def app(cfg: DictConfig) -> None:
    logging.getLogger("matplotlib").setLevel(logging.WARNING)
    outdir = HydraConfig.get().runtime.output_dir
    try:
        lines = run_analysis(cfg, outdir)
    except (ConfigError, InputError) as err:
        print(str(err), file=sys.stderr)
        sys.exit(2)
    print("\n".join(lines))


def main() -> None:
    app()


if __name__ == "__main__":
    main()
