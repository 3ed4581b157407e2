"""The report of a run or sweep directory: results.csv, differences.csv, failed.csv, figures (PNG, embedded in
the HTML, plus the scenarios' other ``figure_format``s), report.md, a self-contained report.html and the
configuration appendix (and, when asked, all_replications.csv|.parquet), all in ``DIR/report/`` and all
written atomically."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
from omegaconf import OmegaConf

from xbsim.io.atomic import read_json, write_csv, write_text
from xbsim.io.document import fixed_cell, to_html, to_markdown
from xbsim.outputs.figures import DEFAULT_DPI, formats_of, save_figure
from xbsim.outputs.names import pole_label, territory_name
from xbsim.study.collect import REPORT_DIR, Collection, Scenario, collect, load_sweep, swept_parameters
from xbsim.study.report import figures
from xbsim.study.report.annex import CONFIG_APPENDIX, ReportInputs, build_blocks, config_appendix, title
from xbsim.study.report.indicators import indicators_table
from xbsim.study.report.results import choose_baseline, differences_table, labels, results_table

__all__ = ["build_report", "write_replications", "write_report"]

REPLICATIONS_STEM = "all_replications"


def _slug(key: str) -> str:
    return "".join(c if c.isalnum() else "_" for c in key).strip("_")


def write_replications(col: Collection, out: Path) -> list[Path]:
    """Write the per-replication table of every scenario of ``col`` (one row per scenario x replication x pole,
    see :func:`xbsim.study.collect.load_sweep`) into ``out`` as CSV and Parquet; returns the two files."""
    from xbsim.io.atomic import write_parquet

    df = load_sweep(col)
    return [write_csv(out / f"{REPLICATIONS_STEM}.csv", df), write_parquet(out / f"{REPLICATIONS_STEM}.parquet", df)]


def scenario_config(s: Scenario) -> dict[str, Any]:
    """A scenario's composed configuration (its config.yaml; empty when it has none)."""
    path = s.dir / "config.yaml"
    if not path.is_file():
        return {}
    cfg = OmegaConf.to_container(OmegaConf.load(path), resolve=False)
    return cfg if isinstance(cfg, dict) else {}


def map_data(s: Scenario) -> tuple[dict[str, dict[str, float]], dict[tuple[str, str], float], int]:
    """Mean members by pole and territory (scenario.json) and mean active partnerships between territories
    over the replications' summary.json files that record them; and how many did."""
    members = {p: {t: float(d["mean"]) for t, d in v["members_by_territory"].items()}
               for p, v in s.doc["poles"].items()}
    sums: dict[tuple[str, str], float] = {}
    read = 0
    for path in sorted(s.dir.glob("rep-*/summary.json")) or [s.dir / "summary.json"]:
        try:
            links = read_json(path).get("territory_links")
        except (OSError, ValueError):
            continue
        if not isinstance(links, dict):
            continue
        read += 1
        for k, v in links.items():
            a, _, b = k.partition("-")
            sums[(a, b)] = sums.get((a, b), 0.0) + float(v)
    return members, {k: v / read for k, v in sums.items()} if read else {}, read


def draw_figures(col: Collection, results: pd.DataFrame, diffs: pd.DataFrame, swept: list[str],
                 baseline: Scenario | None, out: Path, titles: dict[str, str] | None = None,
                 formats: list[str] | None = None, dpi: int = DEFAULT_DPI) -> dict[str, Path]:
    """Write the report's figures into ``out`` (PNG, embedded in the HTML, and every other format of
    ``formats``); returns the PNG files by name."""
    poles = col.poles
    made: dict[str, Path] = {}
    fmts = ["png", *[f for f in (formats or []) if f != "png"]]

    def save(name: str, filename: str, fig: object) -> None:
        made[name] = save_figure(fig, out / filename, fmts, dpi)[0]  # type: ignore[arg-type]

    save("viability", "viability.png", figures.viability_figure(results, poles, titles))
    for key in swept:
        save(f"parameter:{key}", f"viability-vs-{_slug(key)}.png",
             figures.parameter_figure(results, key, swept, poles, titles))
    if len(swept) == 2:
        save("heatmap", "heatmap.png", figures.heatmap_figure(results, swept, poles, titles))
    if not diffs.empty and baseline is not None:
        save("differences", "differences.png",
             figures.differences_figure(diffs, poles, labels(col).get(baseline.key, baseline.key), titles))
    save("time_to_critical_mass", "time-to-critical-mass.png",
         figures.time_to_critical_mass_figure(col, poles, labels(col), titles=titles))
    ref = baseline or (col.scenarios[0] if col.scenarios else None)
    cfg = scenario_config(ref) if ref is not None else {}
    if ref is not None and isinstance(cfg.get("territories"), dict) and all(
            "lat" in t and "lon" in t for t in cfg["territories"].values()):
        from xbsim.outputs.network import territory_map_figure

        members, links, _ = map_data(ref)
        save("map", "map.png", territory_map_figure(
            cfg["territories"], cfg.get("poles", {}), members, links,
            "Mean active partnerships between the territories and mean pole members at the horizon",
            "{:.1f}"))
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
    ref = base or (col.scenarios[0] if col.scenarios else None)
    cfg = scenario_config(ref) if ref is not None else {}
    pole_labels = {p: pole_label(cfg.get("poles", {}), p) for p in col.poles}
    territories = cfg.get("territories", {}) if isinstance(cfg.get("territories"), dict) else {}
    names = {c: territory_name(territories, c) for c in territories}
    dpi = cfg.get("figure_dpi", DEFAULT_DPI)
    figs = (draw_figures(col, results, diffs, swept, base, out, pole_labels, formats_of(cfg.get("figure_format")),
                         int(dpi) if isinstance(dpi, int) else DEFAULT_DPI) if col.scenarios else {})
    links = map_data(ref)[2] if ref is not None else 0
    caption = ("The territories at their coordinates, the mean active partnerships between each pair over "
               f"{links} replications (dark: cross-border; dashed: same country) and each pole's mean members by "
               "territory." if links else
               "The territories at their coordinates and each pole's mean members by territory (these runs did "
               "not record the partnerships between territories: rerun with this version of xbsim).")
    inp = ReportInputs(col, results, diffs, swept, common, base, reason, figs, labels(col), pole_labels, names,
                       caption)
    blocks = build_blocks(inp)
    appendix = config_appendix(inp)
    if appendix is not None:
        write_text(out / CONFIG_APPENDIX, appendix)
    write_text(out / "report.md", to_markdown(blocks, cell=fixed_cell))
    write_text(out / "report.html", to_html(blocks, title(inp), cell=fixed_cell))
    return out
