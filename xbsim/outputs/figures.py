"""Figures of one run: pole membership against critical mass, the criteria, the funnel (the partnership network
and the territory map are in :mod:`xbsim.outputs.network`), and :func:`save_figure`, which writes a figure in
every configured format (``figure_format``: png, svg, pdf) at ``figure_dpi``.

Colours are colour-blind safe (Okabe and Ito's palette); territories are named ("Aquitaine (FR61)"), poles by
their label, and every axis says what it measures.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from xbsim.io.atomic import atomic_write
from xbsim.model import XBSimModel
from xbsim.outputs.names import CRITERION_LABELS, pole_short, territory_name, verdict_text, wrap

#: Okabe & Ito (2008), "Color universal design": distinguishable with every common colour-vision deficiency.
OKABE_ITO = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
THRESHOLD_GREY = "#555555"
TERRITORY_COLOURS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#999999")
FIGURE_FORMATS = ("png", "svg", "pdf")
DEFAULT_DPI = 150
#: Metadata that would differ between two identical runs (dates, software versions), left out.
_METADATA = {"png": {"Software": None}, "svg": {"Date": None, "Creator": None},
             "pdf": {"CreationDate": None, "Creator": None, "Producer": None}}
#: PNGs compressed at zlib level 1 rather than Pillow's 6: about a third less encoding time for files a few
#: percent larger (the pixels are the same).
_PIL = {"png": {"pil_kwargs": {"compress_level": 1}}}
plt.rcParams["svg.hashsalt"] = "xbsim"  # stable SVG ids, so reruns give identical files


def formats_of(value: str | Sequence[str] | None) -> list[str]:
    """``figure_format`` as a list ("svg" -> ["svg"]; None -> ["png"])."""
    if value is None:
        return ["png"]
    return [value] if isinstance(value, str) else list(value)


def png_bytes(fig: Figure, dpi: float | None = None, fast: bool = False) -> bytes:
    """``fig`` as PNG bytes (no Software metadata, so identical figures give identical bytes); ``fast``
    compresses lightly (the app redraws its figures every month)."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi or "figure", metadata={"Software": None},
                pil_kwargs={"compress_level": 1} if fast else None)
    return buf.getvalue()


def save_figure(fig: Figure, path: str | Path, formats: Sequence[str] = ("png",), dpi: int = DEFAULT_DPI,
                close: bool = True) -> list[Path]:
    """Write ``fig`` atomically as ``path`` with each suffix of ``formats`` (no timestamps, so identical runs
    give identical files); returns the files, in the order of ``formats``."""
    stem = Path(path).with_suffix("")
    out = []
    for fmt in formats:
        if fmt not in FIGURE_FORMATS:
            raise ValueError(f"figure_format: {fmt!r} is not one of {', '.join(FIGURE_FORMATS)}")
        out.append(atomic_write(stem.with_suffix(f".{fmt}"), lambda p, f=fmt: fig.savefig(
            p, format=f, dpi=dpi, metadata=_METADATA[f], **_PIL.get(f, {}))))
    if close:
        plt.close(fig)
    return out


class MembershipPlot:
    """Members of each pole by month (all members and per territory) against its critical-mass thresholds (total
    and per territory, as recorded each month), with the feasibility study and the constitution marked.

    One figure for the run's membership.png and the app's live view: the figure is built once and its lines are
    updated by :meth:`draw`, which the app calls every month (about half the cost of building it anew); ``live``
    adds the current month's marker. ``columns`` puts the poles side by side (the file) instead of one above the
    other (the app's narrow panel)."""

    def __init__(self, model: XBSimModel, size: tuple[float, float] | None = None, dpi: float = 90,
                 live: bool = True, columns: bool = False) -> None:
        self.model, self.live = model, live
        n = len(model.poles)
        size = size or ((5.8 * n, 4.8) if columns else (6.5, 5.3))
        self.fig = Figure(figsize=size, dpi=dpi)
        grid = self.fig.subplots(1, n, squeeze=False)[0] if columns else \
            self.fig.subplots(n, 1, sharex=True, squeeze=False)[:, 0]
        self.axes = list(grid)
        top = 0.78 if columns else 0.82
        self.fig.subplots_adjust(left=0.09 if not columns else 0.06, right=0.98, top=top, bottom=0.11,
                                 hspace=0.45, wspace=0.2)
        codes = model.domain.territories.codes
        names = [territory_name(model.cfg.territories, c) for c in codes]
        feas_month = model.cfg.feasibility.month
        self.lines: list[dict[str, Any]] = []
        for ax in self.axes:
            lines: dict[str, Any] = {c: ax.plot([], [], lw=1.3, color=TERRITORY_COLOURS[t % 8])[0]
                                     for t, c in enumerate(codes)}
            lines["members"] = ax.plot([], [], color="black", lw=2.2, zorder=3)[0]
            lines["threshold"] = ax.plot([], [], ls="--", color=THRESHOLD_GREY, lw=1.2, drawstyle="steps-post")[0]
            lines["per_territory"] = ax.plot([], [], ls=":", color=THRESHOLD_GREY, lw=1.2,
                                             drawstyle="steps-post")[0]
            lines["now"] = ax.axvline(0, color="#cccccc", lw=5, alpha=0.6, zorder=0, visible=live)
            lines["constituted"] = ax.axvline(0, color=OKABE_ITO[2], lw=2, visible=False)
            if feas_month >= 1:
                ax.axvline(feas_month, ls="-.", color=OKABE_ITO[3], lw=1.2)
            ax.set_xlim(0, model.horizon)
            ax.tick_params(labelsize=8.5)
            ax.set_ylabel("pole members (actors)", fontsize=9.5)
            ax.grid(alpha=0.3)
            self.lines.append(lines)
        for ax in (self.axes if columns else self.axes[-1:]):
            ax.set_xlabel("month of the programme", fontsize=9.5)
        handles = [Line2D([], [], color="black", lw=2.2, label="all members")]
        handles += [Line2D([], [], color=TERRITORY_COLOURS[t % 8], lw=1.3, label=name) for t, name in enumerate(names)]
        handles += [Line2D([], [], color=THRESHOLD_GREY, ls="--", label="critical mass"),
                    Line2D([], [], color=THRESHOLD_GREY, ls=":", label="minimum per territory"),
                    Line2D([], [], color=OKABE_ITO[3], ls="-.", label="feasibility study"),
                    Line2D([], [], color=OKABE_ITO[2], lw=2, label="constituted")]
        self.fig.legend(handles=handles, loc="upper center", ncols=4, fontsize=8.5, frameon=False,
                        bbox_to_anchor=(0.5, 1.0), handlelength=1.8, columnspacing=1.0)

    def draw(self, ts: pd.DataFrame | None = None) -> Figure:
        """The figure at the model's current month (from its data collector, or ``ts``)."""
        model = self.model
        ts = model.datacollector.get_model_vars_dataframe() if ts is None else ts
        months = ts["month"].to_numpy()
        for ax, lines, pole in zip(self.axes, self.lines, model.poles, strict=True):
            total = ts[f"{pole.name}.members"].to_numpy()
            threshold = ts[f"{pole.name}.members.threshold"].to_numpy()
            per_terr = ts[f"{pole.name}.members_per_territory.threshold"].to_numpy()
            for code in model.domain.territories.codes:
                lines[code].set_data(months, ts[f"{pole.name}.members.{code}"].to_numpy())
            lines["members"].set_data(months, total)
            lines["threshold"].set_data(months, threshold)
            lines["per_territory"].set_data(months, per_terr)
            lines["per_territory"].set_visible(bool(per_terr[-1] > 0))
            lines["now"].set_xdata([model.month, model.month])
            if pole.constituted:
                lines["constituted"].set_xdata([pole.constitution_month] * 2)
            lines["constituted"].set_visible(pole.constituted)
            ax.set_ylim(0, max(float(np.max(threshold)) * 1.3, float(np.max(total)) * 1.1, 5.0))
            state = (f"constituted in month {pole.constitution_month}" if pole.constituted
                     else f"feasibility: {verdict_text([a.verdict for a in pole.assessments])}")
            ax.set_title(wrap(f"{pole_short(model.cfg.poles, pole.name)}: {int(total[-1])} members "
                              f"(critical mass {int(threshold[-1])}), {state}", 62), fontsize=9.5, loc="left")
        if self.live:
            self.axes[-1].set_xlabel(f"month (now {model.month} of {model.horizon})", fontsize=9.5)
        return self.fig


def membership_figure(model: XBSimModel, ts: pd.DataFrame) -> Figure:
    """membership.png: every pole side by side (:class:`MembershipPlot`, without the live marker)."""
    return MembershipPlot(model, dpi=DEFAULT_DPI, live=False, columns=True).draw(ts)


def criteria_figure(model: XBSimModel, ts: pd.DataFrame) -> Figure:
    """Each critical-mass criterion over time as a share of its threshold (100% = met), uncapped: the axis
    reaches the highest value drawn."""
    from xbsim.programme.critical_mass import CRITERIA

    n = len(model.poles)
    fig, axes = plt.subplots(1, n, figsize=(5.8 * n, 4.4), squeeze=False, sharey=True)
    styles = ("-", "--", "-.", ":", "-", "--")
    highest = 1.0
    for ax, pole in zip(axes[0], model.poles, strict=True):
        for k, name in enumerate(CRITERIA):
            thr = ts[f"{pole.name}.{name}.threshold"].replace(0, np.nan)
            ratio = (100 * ts[f"{pole.name}.{name}"] / thr).astype(float)
            highest = max(highest, float(np.nanmax(ratio.to_numpy(), initial=100.0)) / 100)
            ax.plot(ts["month"], ratio, styles[k], color=OKABE_ITO[k % 8], lw=1.7,
                    label=CRITERION_LABELS.get(name, name))
        ax.axhline(100, color="black", lw=1.2)
        ax.text(0.01, 101, "threshold: met at or above", fontsize=8, va="bottom", transform=ax.get_yaxis_transform())
        ax.set_title(wrap(pole_short(model.cfg.poles, pole.name), 60), fontsize=11)
        ax.set_xlabel("month of the programme", fontsize=10)
        ax.set_xlim(0, model.horizon)
        ax.grid(alpha=0.3)
        ax.tick_params(labelsize=9)
        ax.legend(fontsize=8.5, loc="upper left")
    axes[0][0].set_ylim(0, 100 * max(1.6, 1.05 * highest))
    axes[0][0].set_ylabel("criterion value, % of its threshold", fontsize=10)
    fig.tight_layout()
    return fig


#: Funnel stage -> what it counts (the figure and the console say it, so equal bars are not puzzling).
FUNNEL_MEANINGS = {
    "actors": "in the population",
    "contacted": "reached by outreach or referral, or already known",
    "known": "known to the programme",
    "engaged": "interviewed, at an event, introduced or accompanied",
    "met": "had a workshop contact, introduction or B2B meeting",
    "partnered": "formed at least one partnership",
    "members": "member of a pole",
}


def funnel_figure(funnel: dict[str, int]) -> Figure:
    """Actors -> contacted -> known -> engaged -> met -> partnered -> members, each bar with its count, its
    share of all actors and what the stage counts."""
    labels = list(funnel)
    values = np.array([funnel[k] for k in labels], dtype=float)
    total = max(values[0], 1.0)
    fig, ax = plt.subplots(figsize=(8.5, 4.2))
    y = np.arange(len(labels))[::-1]
    ax.barh(y, values, color=OKABE_ITO[0])
    for yi, v, prev in zip(y, values, np.concatenate([[np.nan], values[:-1]]), strict=True):
        same = " (= the stage above)" if v == prev else ""
        ax.text(v, yi, f" {v:.0f} ({100 * v / total:.0f}%){same}", va="center", fontsize=9)
    ax.set_yticks(y, [f"{k}\n{FUNNEL_MEANINGS.get(k, '')}" for k in labels], fontsize=8.5)
    ax.set_xlim(0, total * 1.45)
    ax.set_xlabel("actors at the stage (all stages count actors; % of the population)", fontsize=10)
    ax.set_title("Programme funnel at the horizon", fontsize=11)
    fig.tight_layout()
    return fig
