"""Run replications of one scenario, in parallel or not, with identical results either way.

Replication r builds ``XBSimModel(cfg, replication=r)``, whose streams come from ``SeedSequence([seed, r])``
(:class:`xbsim.core.rng.RandomStreams`): its outcome depends on (config, r) only, never on the worker that ran it,
on the order of completion or on Hydra's job number. Replication r of every scenario shares those streams
(common random numbers). Each replication writes its files in ``rep-NNN/`` with summary.json last, so a
replication already finished with the same model configuration is read back instead of run again.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from omegaconf import OmegaConf

from xbsim.core.config import plain
from xbsim.core.config.schema import ReplicationFiles
from xbsim.core.logs import quiet_mesa
from xbsim.io.atomic import read_json
from xbsim.study.records import Record, record_from_summary

NEUTRAL_KEYS = ("figures", "figure_format", "figure_dpi", "replications", "study", "search")


def model_config(cfg: dict[str, Any]) -> dict[str, Any]:
    """The part of a resolved config that decides a replication's outcome (everything but output and study
    settings; ``study.vars`` acts only through the interpolations already resolved into the model keys)."""
    return {k: v for k, v in cfg.items() if k not in NEUTRAL_KEYS}


def config_hash(cfg: dict[str, Any]) -> str:
    """Stable digest of a plain (resolved) config."""
    text = json.dumps(cfg, sort_keys=True, ensure_ascii=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def rep_dir(scenario_dir: Path, r: int) -> Path:
    return scenario_dir / f"rep-{r:03d}"


def run_replication(cfg: dict[str, Any], r: int, outdir: str | None, files: str = ReplicationFiles.full,
                    figures: bool = False) -> Record:
    """Run replication ``r`` and (when ``outdir`` is given) write its files; returns its record.

    ``files="full"`` writes every table of the run (xbsim.outputs.write_run); ``"summary"`` only config.yaml and
    summary.json, which is enough for the scenario statistics and for reuse.
    """
    from xbsim.model import XBSimModel

    quiet_mesa()
    try:
        model = XBSimModel(cfg, replication=r).run()
        # imported once the model has run: the writers (and matplotlib) are not needed to start it
        from xbsim.io.atomic import write_json, write_text
        from xbsim.outputs import write_run
        from xbsim.outputs.summary import build_summary

        if outdir is None:
            summary = build_summary(model)
        elif files == ReplicationFiles.full:
            summary = write_run(model, outdir, figures=figures)
        else:
            summary = build_summary(model)
            write_text(Path(outdir) / "config.yaml", OmegaConf.to_yaml(OmegaConf.create(plain(model.cfg))))
            write_json(Path(outdir) / "summary.json", summary)
    except Exception as err:
        err.add_note(f"in replication {r} (seed {cfg['seed']})")
        raise
    return record_from_summary(json.loads(json.dumps(summary, default=_plain)))


def finished_record(cfg: dict[str, Any], directory: Path) -> Record | None:
    """The record of a replication already written in ``directory`` with the same model configuration."""
    summary, config = directory / "summary.json", directory / "config.yaml"
    if not (summary.is_file() and config.is_file()):
        return None
    try:
        old = OmegaConf.to_container(OmegaConf.load(config), resolve=True)
        if not isinstance(old, dict) or config_hash(model_config(old)) != config_hash(model_config(cfg)):
            return None
        return record_from_summary(read_json(summary))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def run_replications(cfg: dict[str, Any], reps: Sequence[int], scenario_dir: Path | None = None,
                     workers: int = 1, progress: bool = False, files: str = ReplicationFiles.full,
                     figures: bool = False, desc: str = "replications") -> list[Record]:
    """Records of replications ``reps`` (in that order), running with ``workers`` joblib processes those not
    already finished in ``scenario_dir``. The result does not depend on ``workers``."""
    from tqdm.auto import tqdm

    records: dict[int, Record] = {}
    todo: list[int] = []
    for r in reps:
        old = finished_record(cfg, rep_dir(scenario_dir, r)) if scenario_dir is not None else None
        if old is not None and old["replication"] == r:
            records[r] = old
        else:
            todo.append(r)

    def out(r: int) -> str | None:
        return str(rep_dir(scenario_dir, r)) if scenario_dir is not None else None

    bar = tqdm(total=len(todo), desc=desc, unit="rep", disable=None if progress else True, leave=False)
    try:
        if workers == 1 or len(todo) <= 1:
            for r in todo:
                records[r] = run_replication(cfg, r, out(r), files, figures)
                bar.update()
        else:
            from joblib import Parallel, delayed

            jobs = (delayed(run_replication)(cfg, r, out(r), files, figures) for r in todo)
            for rec in Parallel(n_jobs=workers, return_as="generator_unordered")(jobs):
                records[rec["replication"]] = rec
                bar.update()
    finally:
        bar.close()
    return [records[r] for r in reps]


def _plain(obj: Any) -> Any:
    """JSON fallback for the numpy scalars and arrays of a summary built in memory."""
    import numpy as np

    if isinstance(obj, np.generic):
        return obj.item()
    if isinstance(obj, np.ndarray):
        return obj.tolist()
    raise TypeError(f"not JSON serialisable: {type(obj).__name__}")
