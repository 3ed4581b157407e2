"""``xbsim-propose-poles``: propose ``proposal.k`` cross-border poles from the identification stage's evidence
(a Hydra app over ``xbsim/configs/``, same overrides as ``xbsim``).

Runs the identification stage with scouting teams over every area (:mod:`xbsim.study.proposal`), prints each
proposed pole with its reason and writes proposal.json and ``configs/poles/proposed.yaml`` into the run
directory, so that ``xbsim --config-dir DIR/configs poles=proposed`` runs the programme with those poles.
"""

from __future__ import annotations

from pathlib import Path

import hydra
from omegaconf import DictConfig, OmegaConf

from xbsim.cli.hydra_job import run_job
from xbsim.core.config import CONFIG_DIR, register_configs, validate

register_configs()


def run_proposal(cfg: DictConfig, outdir: str | Path) -> list[str]:
    """Validate, propose and write proposal.json and the poles config; returns the console lines."""
    from xbsim.io.atomic import write_json, write_text
    from xbsim.study.proposal import PROPOSAL_FILE, proposal_lines, propose_poles

    validate(cfg)
    c = OmegaConf.to_container(cfg, resolve=True)
    proposed, record = propose_poles(c)
    out = Path(outdir)
    write_json(out / PROPOSAL_FILE, record)
    poles_file = out / "configs" / "poles" / "proposed.yaml"
    write_text(poles_file, "# Poles proposed by xbsim-propose-poles (reasons in proposal.json)\n"
               + OmegaConf.to_yaml(OmegaConf.create(proposed["poles"])))
    return [*proposal_lines(record), f"proposal: {out / PROPOSAL_FILE}",
            f"run them: xbsim --config-dir {out / 'configs'} poles=proposed"]


@hydra.main(version_base="1.3", config_path=str(CONFIG_DIR), config_name="config")
def app(cfg: DictConfig) -> None:
    run_job(run_proposal, cfg)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
