"""The report of an intervention search (``xbsim experiment=intervention_search``): the Pareto figure of the
planned cost against each pole's P(viable), the recommended package for the target with its intervals, and how
sure the ranking is (the top candidates re-evaluated on fresh replications). Written into ``DIR/report/`` as
pareto.png, report.md and a self-contained report.html, with the document model of the other reports."""

from __future__ import annotations

from itertools import cycle
from pathlib import Path
from typing import Any

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.figure import Figure as MplFigure

from xbsim.core.config.schema import SearchRequire
from xbsim.io.atomic import write_figure, write_text
from xbsim.io.document import Block, Bullets, Figure, Heading, Para, Table, fixed_cell, to_html, to_markdown
from xbsim.study.collect import REPORT_DIR
from xbsim.study.report.figures import COLOURS


def pareto_figure(
    trials: pd.DataFrame, reeval: pd.DataFrame, poles: list[str], target: float, recommended: int | None
) -> MplFigure:
    """One panel per pole: every trial's cost (kEUR) and P(viable), the front's trials in colour, the re-evaluated
    candidates with their fresh 95% intervals, the recommended package starred, the target as a dashed line."""
    fig, axes = plt.subplots(1, len(poles), figsize=(5.4 * len(poles), 4.2), squeeze=False, sharey=True)
    for ax, pole, colour in zip(axes[0], poles, cycle(COLOURS), strict=False):
        col = f"p_viable_{pole}"
        off, on = trials[~trials["on_front"]], trials[trials["on_front"]].sort_values("cost_eur")
        ax.scatter(off["cost_eur"] / 1e3, off[col], s=18, color="lightgrey", label="dominated trial")
        # not joined by a line: the front is over every pole at once, so along one pole's axis it need not rise
        ax.scatter(on["cost_eur"] / 1e3, on[col], s=30, color=colour, label="on the Pareto front (search)")
        if len(reeval):
            v = reeval[f"fresh_p_viable_{pole}"]
            err = [v - reeval[f"fresh_p_viable_{pole}_low"], reeval[f"fresh_p_viable_{pole}_high"] - v]
            ax.errorbar(
                reeval["cost_eur"] / 1e3,
                v,
                yerr=err,
                fmt="s",
                color="black",
                ms=4,
                capsize=3,
                label="re-evaluated (fresh replications, CI)",
            )
            rec = reeval[reeval["trial"] == recommended]
            if len(rec):
                ax.scatter(
                    rec["cost_eur"] / 1e3,
                    rec[f"fresh_p_viable_{pole}"],
                    marker="*",
                    s=220,
                    color="gold",
                    edgecolor="black",
                    zorder=5,
                    label="recommended",
                )
        ax.axhline(target, ls="--", color="tab:red", lw=1, label=f"target {target:g}")
        ax.set_title(pole, fontsize=10)
        ax.set_xlabel("planned programme cost (kEUR)")
        ax.set_ylim(-0.03, 1.03)
        ax.grid(alpha=0.3)
    axes[0][0].set_ylabel("P(viable)")
    axes[0][-1].legend(fontsize=7, loc="lower right")
    fig.tight_layout()
    return fig


def _levers_table(doc: dict[str, Any]) -> pd.DataFrame:
    rec = doc["recommended"]
    default = (doc.get("default_programme") or {}).get("levers") or {}
    rows = [
        {"lever": k, "range": f"{lo}..{hi}", "default programme": default.get(k), "recommended": rec["levers"][k]}
        for k, (lo, hi) in doc["levers"].items()
    ]
    return pd.DataFrame(rows)


def build_blocks(doc: dict[str, Any], trials: pd.DataFrame, reeval: pd.DataFrame, fig: Figure) -> list[Block]:
    """The report's content."""
    poles, target, budget = doc["poles"], doc["target"], doc["budget"]
    n = doc["population_n_companies"]
    scale = "the real target population" if n is None else f"{n} companies (scale knob)"
    rule = ("its estimate" if target["require"] == SearchRequire.estimate
            else "the lower bound of its confidence interval")
    blocks: list[Block] = [
        Heading("Intervention search: the cheapest package for the target", 1),
        Para(doc["question"] or "Which package of programme levers reaches the target at the lowest cost?"),
        Para(
            f"Target: every pole viable with P(viable) >= {target['p_viable']:g} ({rule}, on fresh "
            f"replications). Budget: {budget['trials']} trials ({doc['distinct_candidates']} distinct packages) x "
            f"{budget['replications']} replications under common random numbers ({doc['seeds']['search']}); "
            f"the top {budget['top']} of the front re-evaluated on {budget['fresh_replications']} fresh "
            f"replications ({doc['seeds']['fresh']}). Sampler: {doc['sampler']}. Population: {scale}. "
            f"Wall time {doc['wall_seconds']:.0f} s."
        ),
        Heading("Pareto front"),
        fig,
        Para(
            f"{doc['front']} of {doc['candidates']} trials are on the front of planned cost against every pole's "
            "P(viable) (no other trial costs at most as much with at least the P(viable) of every pole). The "
            "search's estimates come from few replications; the re-evaluation below decides."
        ),
    ]
    rec = doc["recommended"]
    blocks.append(Heading("Recommended package"))
    if rec is None:
        blocks.append(
            Para(
                "No re-evaluated package meets the target on its fresh replications: raise the budget "
                "of trials or the levers' ranges, or lower the target. The closest are listed below."
            )
        )
    else:
        p = rec["p_viable"]
        blocks += [
            Para(
                f"Trial {rec['trial']}, planned cost EUR {rec['cost']['total']:,.0f}. P(viable) on "
                f"{rec['replications']} fresh replications ({rec['confidence']:.0%} Wilson intervals): "
                + "; ".join(
                    f"{pole} {p[pole]['p']:.2f} [{p[pole]['low']:.2f}, {p[pole]['high']:.2f}]" for pole in poles
                )
                + "."
            ),
            Para("Run it: `xbsim " + " ".join(rec["overrides"]) + "`"),
            Table(_levers_table(doc), "The levers: searched range, the default programme, the recommendation"),
            Table(
                pd.DataFrame([{"item": k, **v} for k, v in rec["cost"]["breakdown"].items()]),
                "Planned cost of the recommended package by item (EUR; unit costs in costs:, docs/costs.md)",
            ),
        ]
    blocks.append(Heading("How sure the ranking is"))
    items = []
    if rec is not None:
        items.append(
            f"In {rec['bootstrap_p_recommended']:.0%} of {budget['bootstrap']} bootstrap resamples of "
            "the fresh replications (resampled jointly: they are paired) the same package is the cheapest "
            f"that meets the target; it meets the target in {rec['bootstrap_p_meets_target']:.0%}."
        )
        if "vs_cheaper" in rec:
            vc = rec["vs_cheaper"]
            items.append(
                f"Against the next cheaper re-evaluated package (trial {vc['trial']}, EUR "
                f"{vc['cost_saved_eur']:,.0f} less), paired difference of P(viable): "
                + "; ".join(
                    f"{pole} {vc[pole]['diff']:+.2f} [{vc[pole]['low']:+.2f}, {vc[pole]['high']:+.2f}]"
                    for pole in poles
                )
                + "."
            )
    if len(reeval):
        moved = [
            f"trial {int(r.trial)}: "
            + ", ".join(
                f"{pole} {getattr(r, f'search_p_viable_{pole}'):.2f} -> {getattr(r, f'fresh_p_viable_{pole}'):.2f}"
                for pole in poles
            )
            for r in reeval.itertuples()
        ]
        items.append("Search estimate -> fresh estimate: " + "; ".join(moved) + ".")
    blocks.append(Bullets(items or ["No candidate was re-evaluated."]))
    if len(reeval):
        cols = [
            "trial",
            "cost_eur",
            *[
                c
                for pole in poles
                for c in (f"fresh_p_viable_{pole}", f"fresh_p_viable_{pole}_low", f"fresh_p_viable_{pole}_high")
            ],
            "meets_target",
            "bootstrap_p_meets_target",
            "bootstrap_p_recommended",
            "b2b.events",
        ]
        blocks.append(Table(reeval[cols], "The re-evaluated candidates, cheapest first (reevaluation.csv)"))
    front = trials[trials["on_front"]].sort_values("cost_eur")
    cols = [
        "trial",
        "cost_eur",
        *[f"p_viable_{pole}" for pole in poles],
        "p_viable_every_pole",
        "b2b.events",
        *[k for k in doc["levers"] if k in trials.columns],
    ]
    blocks += [
        Heading("The front"),
        Table(
            front[cols],
            "Trials on the Pareto front (search replications; trials.csv has every trial and the intervals)",
        ),
    ]
    return blocks


def write_search_report(outdir: Path, doc: dict[str, Any], trials: pd.DataFrame, reeval: pd.DataFrame) -> Path:
    """Write pareto.png, report.md and report.html into ``outdir/report``; returns that folder."""
    out = outdir / REPORT_DIR
    out.mkdir(parents=True, exist_ok=True)
    rec = doc["recommended"]
    mpl = pareto_figure(trials, reeval, doc["poles"], doc["target"]["p_viable"], rec["trial"] if rec else None)
    path = write_figure(out / "pareto.png", mpl)
    plt.close(mpl)
    fig = Figure.from_file(
        path,
        "Planned cost against P(viable), one panel per pole: trials, the front, the "
        "re-evaluated candidates with their intervals and the recommended package",
    )
    blocks = build_blocks(doc, trials, reeval, fig)
    write_text(out / "report.md", to_markdown(blocks, cell=fixed_cell))
    write_text(out / "report.html", to_html(blocks, "xbsim intervention search", cell=fixed_cell))
    return out
