"""The membership and funnel views: matplotlib figures drawn from the model's own data collector."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from xbsim.model import XBSimModel
from xbsim.outputs.figures import TERRITORY_COLOURS

FUNNEL_LABELS = {"companies": "companies", "surveyed": "surveyed", "engaged": "engaged", "met": "met",
                 "partnered": "partnered", "members": "pole members"}
THRESHOLD_GREY = "#555555"


def verdict(model: XBSimModel, pole_index: int) -> str:
    """'constituted at month m', 'feasibility go', 'feasibility no-go' or 'feasibility study at month m'."""
    pole = model.poles[pole_index]
    if pole.constituted:
        return f"constituted at month {pole.constitution_month}"
    if pole.feasibility is None:
        return f"feasibility study at month {model.cfg['feasibility']['month']}"
    return "feasibility go, not yet constituted" if pole.feasibility.go else "feasibility no-go"


class MembershipPlot:
    """Members of each pole by month (total and per territory) against its critical-mass thresholds (total and
    per territory, as recorded each month), with the feasibility study, the constitution and the current month
    marked. The figure is built once per model and its lines are updated each month: redrawing is then about
    half as costly as building it anew."""

    def __init__(self, model: XBSimModel, size: tuple[float, float] = (6.5, 5.3), dpi: int = 90) -> None:
        self.model = model
        n = len(model.poles)
        self.fig = Figure(figsize=size, dpi=dpi)
        self.axes = list(self.fig.subplots(n, 1, sharex=True, squeeze=False)[:, 0])
        self.fig.subplots_adjust(left=0.09, right=0.98, top=0.86, bottom=0.09, hspace=0.42)
        codes = model.domain.territories.codes
        feas_month = model.cfg["feasibility"]["month"]
        self.lines: list[dict[str, Line2D]] = []
        for ax in self.axes:
            lines = {c: ax.plot([], [], lw=1, color=TERRITORY_COLOURS[t % 8])[0] for t, c in enumerate(codes)}
            lines["members"] = ax.plot([], [], color="black", lw=2, zorder=3)[0]
            lines["threshold"] = ax.plot([], [], ls="--", color=THRESHOLD_GREY, lw=1.2,
                                         drawstyle="steps-post")[0]
            lines["per_territory"] = ax.plot([], [], ls=":", color=THRESHOLD_GREY, lw=1.2,
                                             drawstyle="steps-post")[0]
            lines["now"] = ax.axvline(0, color="#cccccc", lw=5, alpha=0.6, zorder=0)
            lines["constituted"] = ax.axvline(0, color="tab:green", lw=1.5, visible=False)
            if feas_month >= 1:
                ax.axvline(feas_month, ls="-.", color="tab:purple", lw=1)
            ax.set_xlim(0, model.horizon)
            ax.tick_params(labelsize=7)
            ax.set_ylabel("members", fontsize=8)
            self.lines.append(lines)
        handles = [Line2D([], [], color="black", lw=2, label="members")]
        handles += [Line2D([], [], color=TERRITORY_COLOURS[t % 8], lw=1, label=c)
                    for t, c in enumerate(codes)]
        handles += [Line2D([], [], color=THRESHOLD_GREY, ls="--", label="critical mass"),
                    Line2D([], [], color=THRESHOLD_GREY, ls=":", label="min. per territory"),
                    Line2D([], [], color="tab:purple", ls="-.", label="feasibility study"),
                    Line2D([], [], color="tab:green", label="constituted")]
        self.fig.legend(handles=handles, loc="upper center", ncols=5, fontsize=7, frameon=False,
                        bbox_to_anchor=(0.5, 1.0), handlelength=1.8, columnspacing=1.0)

    def draw(self, ts: pd.DataFrame | None = None) -> Figure:
        """The figure at the model's current month (from its data collector, or ``ts``)."""
        model = self.model
        ts = model.datacollector.get_model_vars_dataframe() if ts is None else ts
        months = ts["month"].to_numpy()
        for k, (ax, lines, pole) in enumerate(zip(self.axes, self.lines, model.poles, strict=True)):
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
            ax.set_title(f"{pole.name}: {int(total[-1])} members (critical mass {int(threshold[-1])}), "
                         f"{verdict(model, k)}", fontsize=8.5, loc="left")
        self.axes[-1].set_xlabel(f"month (now {model.month} of {model.horizon})", fontsize=8)
        return self.fig


def membership_figure(model: XBSimModel, ts: pd.DataFrame | None = None) -> Figure:
    """A new :class:`MembershipPlot` of ``model``, drawn."""
    return MembershipPlot(model).draw(ts)


def funnel_figure(funnel: dict[str, int], size: tuple[float, float] = (6.5, 3.2), dpi: int = 90) -> Figure:
    """Companies -> surveyed -> engaged -> met -> partnered -> pole members, on the scale of all companies."""
    labels = [FUNNEL_LABELS.get(k, k) for k in funnel][::-1]
    values = list(funnel.values())[::-1]
    total = max(funnel.get("companies", max(values)), 1)
    fig = Figure(figsize=size, dpi=dpi)
    ax = fig.subplots()
    fig.subplots_adjust(left=0.17, right=0.97, top=0.96, bottom=0.15)
    colours = ["#2ca02c" if lab == "pole members" else "#1f77b4" for lab in labels]
    bars = ax.barh(labels, values, color=colours)
    for bar, v in zip(bars, values, strict=True):
        ax.text(bar.get_width() + total * 0.01, bar.get_y() + bar.get_height() / 2,
                f"{v} ({100 * v / total:.0f}%)", va="center", fontsize=8)
    ax.set_xlim(0, total * 1.22)
    ax.set_xlabel("companies", fontsize=8)
    ax.tick_params(labelsize=8)
    ax.spines[["top", "right"]].set_visible(False)
    return fig
