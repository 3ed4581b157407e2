"""What the membership and funnel views show: a matplotlib figure of the data collector's monthly series, and
HTML bars of the model's funnel."""

from __future__ import annotations

import html

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from xbsim.model import XBSimModel
from xbsim.outputs.figures import TERRITORY_COLOURS
from xbsim.outputs.names import verdict_text

FUNNEL_LABELS = {"actors": "actors", "contacted": "contacted", "known": "known", "engaged": "engaged",
                 "met": "met", "partnered": "partnered", "members": "pole members"}
THRESHOLD_GREY = "#555555"


def verdict(model: XBSimModel, pole_index: int) -> str:
    """'constituted at month m', 'feasibility go' or 'conditional go' (not yet constituted), 'feasibility no-go'
    or 'feasibility study at month m'."""
    pole = model.poles[pole_index]
    if pole.constituted:
        return f"constituted at month {pole.constitution_month}"
    if pole.feasibility is None:
        return f"feasibility study at month {model.cfg.feasibility.month}"
    text = f"feasibility {verdict_text(pole.verdict)}"
    return text if pole.verdict == "no-go" else f"{text}, not yet constituted"


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
        self.fig.subplots_adjust(left=0.09, right=0.98, top=0.82, bottom=0.09, hspace=0.45)
        codes = model.domain.territories.codes
        feas_month = model.cfg.feasibility.month
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
            ax.tick_params(labelsize=8.5)
            ax.set_ylabel("members", fontsize=9.5)
            self.lines.append(lines)
        handles = [Line2D([], [], color="black", lw=2, label="members")]
        handles += [Line2D([], [], color=TERRITORY_COLOURS[t % 8], lw=1, label=c)
                    for t, c in enumerate(codes)]
        handles += [Line2D([], [], color=THRESHOLD_GREY, ls="--", label="critical mass"),
                    Line2D([], [], color=THRESHOLD_GREY, ls=":", label="min. per territory"),
                    Line2D([], [], color="tab:purple", ls="-.", label="feasibility study"),
                    Line2D([], [], color="tab:green", label="constituted")]
        self.fig.legend(handles=handles, loc="upper center", ncols=4, fontsize=9, frameon=False,
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
                         f"{verdict(model, k)}", fontsize=9.5, loc="left")
        self.axes[-1].set_xlabel(f"month (now {model.month} of {model.horizon})", fontsize=9.5)
        return self.fig


def membership_figure(model: XBSimModel, ts: pd.DataFrame | None = None) -> Figure:
    """A new :class:`MembershipPlot` of ``model``, drawn."""
    return MembershipPlot(model).draw(ts)


def funnel_rows(funnel: dict[str, int]) -> list[dict[str, object]]:
    """Each stage of the funnel: label, count, share of all actors (0..1)."""
    total = max(funnel.get("actors", max(funnel.values(), default=0)), 1)
    return [{"stage": key, "label": FUNNEL_LABELS.get(key, key), "count": int(n), "share": n / total}
            for key, n in funnel.items()]


def funnel_html(funnel: dict[str, int]) -> str:
    """Actors -> contacted -> known -> engaged -> met -> partnered -> pole members as horizontal bars (HTML), on
    the scale of all actors."""
    rows = []
    for r in funnel_rows(funnel):
        share = float(r["share"])  # type: ignore[arg-type]
        colour = "#2ca02c" if r["stage"] == "members" else "#1f77b4"
        rows.append(
            f'<div class="xbsim-funnel-row" data-stage="{html.escape(str(r["stage"]))}">'
            f'<span class="xbsim-funnel-label">{html.escape(str(r["label"]))}</span>'
            f'<span class="xbsim-funnel-track"><span class="xbsim-funnel-bar" '
            f'style="width: {100 * share:.1f}%; background: {colour};"></span></span>'
            f'<span class="xbsim-funnel-count">{r["count"]} ({100 * share:.0f}%)</span></div>')
    return "".join(rows)


FUNNEL_CSS = """
.xbsim-funnel-row { display: flex; align-items: center; gap: 8px; margin: 7px 0; font-size: 0.9em; }
.xbsim-funnel-label { width: 95px; text-align: right; color: #333; }
.xbsim-funnel-track { flex: 1; height: 22px; background: #f1f1f1; }
.xbsim-funnel-bar { display: block; height: 100%; }
.xbsim-funnel-count { width: 95px; font-variant-numeric: tabular-nums; }
"""
