"""``xbsim-analyse``: the stage-1 territory-company convergence report (a Hydra app over ``xbsim/configs/``).

Builds the population exactly as ``xbsim`` does for replication 0 (same seed, same random stream, synthetic
or ``population.source=survey``), runs :func:`xbsim.programme.analysis.analyse` (the model's month-0 analysis)
and writes report.md, report.html, figures/ and tables/ into the run directory.
"""

from __future__ import annotations

import logging
from pathlib import Path

import hydra
from omegaconf import DictConfig, OmegaConf

from xbsim.cli.hydra_job import run_job
from xbsim.core.config import CONFIG_DIR, register_configs, typed, validate
from xbsim.core.config.schema import PopulationSource

register_configs()


def run_analysis(cfg: DictConfig, outdir: str | Path) -> list[str]:
    """Validate, build the population, analyse and write the report; returns the console lines."""
    from xbsim.core.population import scenario_actors
    from xbsim.outputs.analysis import build_report, recommendation_lines, write_report
    from xbsim.programme.analysis import analyse_programme

    validate(cfg)
    c = OmegaConf.to_container(cfg, resolve=True)
    domain, actors = scenario_actors(c)  # replication 0's actors, as the xbsim command builds them
    s1 = analyse_programme(actors, domain, typed(cfg).poles)
    pop = actors.subset(actors.is_company)  # the territory-company analysis is about companies
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
    run_job(run_analysis, cfg)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
