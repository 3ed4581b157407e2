"""The report of a run or sweep directory: results.csv, differences.csv, failed.csv, PNG figures, report.md and a
self-contained report.html (and, when asked, all_replications.csv|.parquet), all in ``DIR/report/`` and all
written atomically."""

from __future__ import annotations

from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd

from xbsim.outputs.atomic import write_csv, write_figure, write_text
from xbsim.outputs.document import fixed_cell, to_html, to_markdown
from xbsim.study.collect import REPORT_DIR, Collection, collect, load_sweep, swept_parameters
from xbsim.study.report import figures
from xbsim.study.report.annex import ReportInputs, build_blocks, title
from xbsim.study.report.indicators import indicators_table
from xbsim.study.report.results import choose_baseline, differences_table, labels, results_table

__all__ = ["build_report", "write_replications", "write_report"]

REPLICATIONS_STEM = "all_replications"


def _slug(key: str) -> str:
    return "".join(c if c.isalnum() else "_" for c in key).strip("_")


def write_replications(col: Collection, out: Path) -> list[Path]:
    """Write the per-replication table of every scenario of ``col`` (one row per scenario x replication x pole,
    see :func:`xbsim.study.collect.load_sweep`) into ``out`` as CSV and Parquet; returns the two files."""
    from xbsim.study.scenario import write_parquet

    df = load_sweep(col)
    return [write_csv(out / f"{REPLICATIONS_STEM}.csv", df), write_parquet(out / f"{REPLICATIONS_STEM}.parquet", df)]


def draw_figures(col: Collection, results: pd.DataFrame, diffs: pd.DataFrame, swept: list[str],
                 baseline_key: str | None, out: Path) -> dict[str, Path]:
    """Write the report's PNG figures into ``out``; returns them by name."""
    poles = col.poles
    made: dict[str, Path] = {}

    def save(name: str, filename: str, fig: object) -> None:
        made[name] = write_figure(out / filename, fig)
        plt.close(fig)  # type: ignore[arg-type]

    save("viability", "viability.png", figures.viability_figure(results, poles))
    for key in swept:
        save(f"parameter:{key}", f"viability-vs-{_slug(key)}.png",
             figures.parameter_figure(results, key, swept, poles))
    if len(swept) == 2:
        save("heatmap", "heatmap.png", figures.heatmap_figure(results, swept, poles))
    if not diffs.empty and baseline_key is not None:
        save("differences", "differences.png", figures.differences_figure(diffs, poles, baseline_key))
    save("time_to_critical_mass", "time-to-critical-mass.png",
         figures.time_to_critical_mass_figure(col, poles, labels(col)))
    return made


def build_report(root: str | Path, baseline: str | None = None, replications: bool = False) -> Path:
    """Collect every scenario under ``root`` and write the report into ``root/report``; returns that folder."""
    return write_report(collect(root), baseline, replications)


def write_report(col: Collection, baseline: str | None = None, replications: bool = False) -> Path:
    """Write the report of collected scenarios into ``col.root/report``; returns that folder. With
    ``replications``, also the sweep's per-replication table (:func:`xbsim.study.collect.load_sweep`) as
    ``all_replications.csv`` and ``all_replications.parquet``."""
    out = col.root / REPORT_DIR
    out.mkdir(parents=True, exist_ok=True)
    if replications:
        write_replications(col, out)
    swept, common = swept_parameters(col)
    results = results_table(col)
    base, reason = choose_baseline(col, baseline)
    diffs = differences_table(col, base)
    write_csv(out / "results.csv", results_table(col, failed=True))  # failed and unfinished scenarios as rows too
    write_csv(out / "differences.csv", diffs)
    params = [f["parameters"] if isinstance(f.get("parameters"), dict) else {} for f in col.failures]
    failed = pd.DataFrame([{"scenario": f.get("scenario"), **{k: p.get(k) for k in swept},
                            "error_type": f.get("error_type"), "error": f.get("error"), "directory": f["dir"]}
                           for f, p in zip(col.failures, params, strict=True)],
                          columns=["scenario", *swept, "error_type", "error", "directory"])
    write_csv(out / "failed.csv", failed)
    write_csv(out / "indicators.csv", indicators_table(col, labels(col)))
    figs = draw_figures(col, results, diffs, swept, base.key if base else None, out) if col.scenarios else {}
    inp = ReportInputs(col, results, diffs, swept, common, base, reason, figs, labels(col))
    blocks = build_blocks(inp)
    write_text(out / "report.md", to_markdown(blocks, cell=fixed_cell))
    write_text(out / "report.html", to_html(blocks, title(inp), cell=fixed_cell))
    return out
