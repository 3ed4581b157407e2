"""A sensitivity study end to end: compose the base configuration, draw and run the designs, write the tables,
charts and provenance (all atomically) into one output folder."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import matplotlib.pyplot as plt
import pandas as pd

from xbsim.core.rng import RandomStreams
from xbsim.io.atomic import write_csv, write_figure, write_json, write_parquet, write_text
from xbsim.study.provenance import provenance
from xbsim.study.sensitivity.analysis import evaluate_design, lhs_design, saltelli_design, sobol_table
from xbsim.study.sensitivity.evaluate import ModelFunction
from xbsim.study.sensitivity.figures import lhs_figure, sobol_figure
from xbsim.study.sensitivity.params import Param


@dataclass
class Settings:
    """What to analyse and how much to spend on it."""

    params: list[Param]
    n: int = 64  # Sobol' base sample (power of 2): n (d + 2) design points
    replications: int = 2  # runs per design point (the same seeds at every point)
    lhs: int = 0  # Latin hypercube points for exploration (0: none)
    workers: int = -1
    confidence: float = 0.95
    n_resamples: int = 999
    progress: bool = True


def run_sensitivity(base: Any, settings: Settings, out: Path, overrides: list[str] | None = None) -> dict[str, Any]:
    """Run the Sobol' analysis (and the LHS exploration when asked) of ``base`` into ``out``; returns the
    content of sensitivity.json."""
    out.mkdir(parents=True, exist_ok=True)
    seed = int(base.seed)
    streams = RandomStreams(seed)
    func = ModelFunction(base, settings.params, settings.replications, settings.workers, settings.progress)
    for p in settings.params:  # fail early, with the config's own message, on a range the model refuses
        func.config([p.low if q is p else q.low for q in settings.params])
        func.config([p.high if q is p else q.high for q in settings.params])
    keys = [p.key for p in settings.params]

    a, b = saltelli_design(settings.params, settings.n, streams("sensitivity.design"))
    design = evaluate_design(func, a, b)
    table = sobol_table(design, settings.params, func.outputs, streams("sensitivity.bootstrap"),
                        settings.confidence, settings.n_resamples)
    write_csv(out / "sobol.csv", table)
    write_parquet(out / "sobol.parquet", table)
    matrices = [("A", design.A, design.f_A), ("B", design.B, design.f_B)]
    matrices += [(f"AB{i}", _ab(design, i), design.f_AB[i]) for i in range(len(keys))]
    points = pd.concat([_points(func, m, f, label) for label, m, f in matrices], ignore_index=True)
    write_csv(out / "sobol_design.csv", points)
    fig = sobol_figure(table)
    write_figure(out / "sobol.png", fig)
    plt.close(fig)
    files = ["sobol.csv", "sobol.parquet", "sobol_design.csv", "sobol.png"]

    if settings.lhs > 0:
        x = lhs_design(settings.params, settings.lhs, streams("sensitivity.lhs"))
        lhs = _points(func, x, func(x), "LHS")
        write_csv(out / "lhs.csv", lhs)
        write_parquet(out / "lhs.parquet", lhs)
        fig = lhs_figure(lhs, keys, [o for o in func.outputs if o.endswith(".p_viable")])
        write_figure(out / "lhs.png", fig)
        plt.close(fig)
        files += ["lhs.csv", "lhs.parquet", "lhs.png"]

    doc = {
        "parameters": [{"key": p.key, "low": p.low, "high": p.high, "integer": p.integer,
                        "distribution": "uniform (integers: each value equally likely)"} for p in settings.params],
        "outputs": func.outputs,
        "n": settings.n, "design_points": settings.n * (len(keys) + 2), "lhs_points": settings.lhs,
        "replications_per_point": settings.replications, "model_runs": func.evaluations,
        "method": "Saltelli (2010) estimators via scipy.stats.sobol_indices on a scrambled Sobol' design "
                  "(scipy.stats.qmc.Sobol); percentile bootstrap intervals over the n design rows",
        "confidence": settings.confidence, "bootstrap_resamples": settings.n_resamples,
        "seed": seed, "random_streams": "RandomStreams(seed): sensitivity.design, sensitivity.bootstrap, "
                                        "sensitivity.lhs; model runs use replications 0..k-1 at every point",
        "overrides": list(overrides or []), "files": files, "provenance": provenance(),
    }
    write_text(out / "config.yaml", _yaml(base))
    write_text(out / "sensitivity.md", summary_markdown(table, doc))
    write_json(out / "sensitivity.json", doc)
    return doc


def _ab(design: Any, i: int) -> Any:
    ab = design.A.copy()
    ab[i] = design.B[i]
    return ab


def _points(func: ModelFunction, x: Any, y: Any, label: str) -> pd.DataFrame:
    df = pd.DataFrame(func.values(x))
    df.insert(0, "matrix", label)
    for k, name in enumerate(func.outputs):
        df[name] = y[k]
    return df


def _yaml(cfg: Any) -> str:
    from omegaconf import OmegaConf

    return OmegaConf.to_yaml(cfg, resolve=True)


def summary_markdown(table: pd.DataFrame, doc: dict[str, Any]) -> str:
    """A short, citable summary: what was varied, how, and the indices."""
    lines = ["# Global sensitivity of pole viability", "",
             f"{doc['n']} base samples, {doc['design_points']} design points x {doc['replications_per_point']} "
             f"replication(s) = {doc['model_runs']} model runs; seed {doc['seed']}. {doc['method']}.", "",
             "| output | parameter | S1 | S1 interval | ST | ST interval |", "|---|---|---|---|---|---|"]
    for r in table.itertuples(index=False):
        lines.append(f"| {r.output} | {r.parameter} | {_f(r.S1)} | [{_f(r.S1_low)}, {_f(r.S1_high)}] | {_f(r.ST)} "
                     f"| [{_f(r.ST_low)}, {_f(r.ST_high)}] |")
    lines += ["", "An output without variance over the design (e.g. a pole never viable) has no indices (–).", ""]
    return "\n".join(lines)


def _f(x: float) -> str:
    return "–" if pd.isna(x) else f"{x:.2f}"
