"""The membership and funnel views: matplotlib figures drawn from the model's own data collector."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from xbsim.model import XBSimModel
from xbsim.outputs.figures import TERRITORY_COLOURS

FUNNEL_LABELS = {"companies": "companies", "surveyed": "surveyed", "engaged": "engaged", "met": "met",
                 "partnered": "partnered", "members": "pole members"}


def verdict(model: XBSimModel, pole_index: int) -> str:
    """'constituted (month m)', 'feasibility go', 'feasibility no-go' or 'feasibility study at month m'."""
    pole = model.poles[pole_index]
    if pole.constituted:
        return f"constituted (month {pole.constitution_month})"
    if pole.feasibility is None:
        return f"feasibility study at month {model.cfg['feasibility']['month']}"
    return "feasibility: go" if pole.feasibility.go else "feasibility: no-go"


def membership_figure(model: XBSimModel, ts: pd.DataFrame | None = None, size: tuple[float, float] = (6.0, 5.0),
                      dpi: int = 90) -> Figure:
    """Members of each pole by month (total and per territory) against its critical-mass thresholds (total and
    per territory), with the feasibility study and the constitution marked."""
    ts = model.datacollector.get_model_vars_dataframe() if ts is None else ts
    n = len(model.poles)
    fig = Figure(figsize=size, dpi=dpi, layout="constrained")
    axes = fig.subplots(n, 1, sharex=True, squeeze=False)[:, 0]
    months = ts["month"].to_numpy()
    feas_month = model.cfg["feasibility"]["month"]
    for k, (ax, pole) in enumerate(zip(axes, model.poles, strict=True)):
        total = ts[f"{pole.name}.members"].to_numpy()
        threshold = ts[f"{pole.name}.members.threshold"].to_numpy()
        per_terr = ts[f"{pole.name}.members_per_territory.threshold"].to_numpy()
        ax.plot(months, total, color="black", lw=2, label="members", zorder=3)
        for t, code in enumerate(model.domain.territories.codes):
            ax.plot(months, ts[f"{pole.name}.members.{code}"], lw=1, color=TERRITORY_COLOURS[t % 8], label=code)
        ax.step(months, threshold, where="post", ls="--", color="#555555", lw=1.2,
                label=f"critical mass ({int(threshold[-1])})")
        if per_terr[-1] > 0:
            ax.step(months, per_terr, where="post", ls=":", color="#555555", lw=1.2,
                    label=f"per territory ({int(per_terr[-1])})")
        if feas_month >= 1:
            ax.axvline(feas_month, ls="-.", color="tab:purple", lw=1, label="feasibility study")
        if pole.constituted:
            ax.axvline(pole.constitution_month, color="tab:green", lw=1.5, label="constituted")
        ax.axvline(model.month, color="#bbbbbb", lw=4, alpha=0.4, zorder=0)
        top = max(float(np.max(threshold)) * 1.25, float(np.max(total)) * 1.1, 5.0)
        ax.set_ylim(0, top)
        ax.set_xlim(0, model.horizon)
        ax.set_ylabel("members", fontsize=8)
        ax.tick_params(labelsize=7)
        ax.set_title(f"{pole.name}: {int(total[-1])} members, {verdict(model, k)}", fontsize=9, loc="left")
        ax.legend(fontsize=6, loc="upper left", ncols=2, frameon=False)
    axes[-1].set_xlabel(f"month (now {model.month} of {model.horizon})", fontsize=8)
    return fig


def funnel_figure(funnel: dict[str, int], size: tuple[float, float] = (6.0, 3.2), dpi: int = 90) -> Figure:
    """Companies -> surveyed -> engaged -> met -> partnered -> pole members, on a fixed scale (all companies)."""
    labels = [FUNNEL_LABELS.get(k, k) for k in funnel][::-1]
    values = list(funnel.values())[::-1]
    total = max(funnel.get("companies", max(values)), 1)
    fig = Figure(figsize=size, dpi=dpi, layout="constrained")
    ax = fig.subplots()
    bars = ax.barh(labels, values, color=["#2ca02c" if lab == "pole members" else "#1f77b4" for lab in labels])
    for bar, v in zip(bars, values, strict=True):
        ax.text(bar.get_width() + total * 0.01, bar.get_y() + bar.get_height() / 2,
                f"{v} ({100 * v / total:.0f}%)", va="center", fontsize=8)
    ax.set_xlim(0, total * 1.22)
    ax.set_xlabel("companies", fontsize=8)
    ax.tick_params(labelsize=8)
    ax.spines[["top", "right"]].set_visible(False)
    return fig
