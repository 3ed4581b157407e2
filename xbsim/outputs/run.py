"""Write every output of a finished run (tables, figures, config, summary.json last), atomically."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from omegaconf import OmegaConf

from xbsim.core.config import plain
from xbsim.io.atomic import write_csv, write_json, write_text
from xbsim.model import XBSimModel
from xbsim.outputs.summary import build_summary
from xbsim.outputs.tables import (
    clues_table,
    companies_table,
    joins_table,
    meetings_table,
    partnership_events_table,
    partnerships_table,
    timeseries_table,
)


def write_run(model: XBSimModel, outdir: str | Path, figures: bool = True) -> dict[str, Any]:
    """Write every output of a finished run into ``outdir``; returns the summary. summary.json is written last,
    so its presence marks a complete run."""
    out = Path(outdir)
    out.mkdir(parents=True, exist_ok=True)
    summary = build_summary(model)
    ts = timeseries_table(model)
    write_csv(out / "timeseries.csv", ts)
    write_csv(out / "companies.csv", companies_table(model))
    write_csv(out / "partnerships.csv", partnerships_table(model))
    write_csv(out / "meetings.csv", meetings_table(model))
    write_csv(out / "joins.csv", joins_table(model))
    write_csv(out / "clues.csv", clues_table(model))
    write_csv(out / "partnership_events.csv", partnership_events_table(model))
    s1 = model.stage1
    write_csv(out / "analysis" / "location_quotients.csv", s1.location_quotients, index=True)
    write_csv(out / "analysis" / "coverage.csv", s1.coverage)
    write_csv(out / "analysis" / "needs.csv", s1.needs)
    write_csv(out / "analysis" / "convergence.csv", s1.convergence)
    write_text(out / "config.yaml", OmegaConf.to_yaml(OmegaConf.create(plain(model.cfg))))
    if figures:  # matplotlib is imported only for a run that draws
        import matplotlib as mpl

        from xbsim.outputs.figures import criteria_figure, formats_of, funnel_figure, membership_figure, save_figure
        from xbsim.outputs.network import network_figure, run_map_figure

        formats, dpi = formats_of(model.cfg.figure_format), int(model.cfg.figure_dpi)
        with mpl.rc_context({"figure.dpi": dpi}):  # laid out at the dpi they are saved at: text is measured once
            for name, draw in (("membership", lambda: membership_figure(model, ts)),
                               ("criteria", lambda: criteria_figure(model, ts)),
                               ("network", lambda: network_figure(model)),
                               ("map", lambda: run_map_figure(model)),
                               ("funnel", lambda: funnel_figure(summary["funnel"]))):
                save_figure(draw(), out / name, formats, dpi)
    write_json(out / "summary.json", summary)
    return summary
