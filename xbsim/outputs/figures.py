"""Figures of one run: pole membership against critical mass, the partnership network, the funnel."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from xbsim.model import XBSimModel  # noqa: E402

TERRITORY_COLOURS = ("#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf")


def membership_figure(model: XBSimModel, ts: pd.DataFrame) -> Figure:
    """Members of each pole by month, with its member threshold, the feasibility month and constitution."""
    n = len(model.poles)
    fig, axes = plt.subplots(1, n, figsize=(5.5 * n, 3.8), squeeze=False)
    for ax, pole in zip(axes[0], model.poles, strict=True):
        months = ts["month"]
        ax.plot(months, ts[f"{pole.name}.members"], color="black", lw=2, label="members")
        for t, code in enumerate(model.domain.territories.codes):
            ax.plot(months, ts[f"{pole.name}.members.{code}"], lw=1,
                    color=TERRITORY_COLOURS[t % len(TERRITORY_COLOURS)], label=code)
        cm = pole.critical_mass
        ax.axhline(cm["min_members"], ls="--", color="grey", label=f"critical mass ({cm['min_members']})")
        if cm["min_members_per_territory"] > 0:
            ax.axhline(cm["min_members_per_territory"], ls=":", color="grey", label="per-territory minimum")
        ax.axvline(model.cfg["feasibility"]["month"], ls="-.", color="tab:purple", lw=1, label="feasibility")
        if pole.constituted:
            ax.axvline(pole.constitution_month, color="tab:green", lw=1.5,
                       label=f"constituted (month {pole.constitution_month})")
        verdict = " -> ".join(a.verdict for a in pole.assessments) or "not yet studied"
        ax.set_title(f"{pole.name}: feasibility {verdict}", fontsize=10)
        ax.set_xlabel("month")
        ax.set_ylabel("members")
        ax.set_xlim(0, model.horizon)
        ax.legend(fontsize=7, loc="upper left")
    fig.tight_layout()
    return fig


def criteria_figure(model: XBSimModel, ts: pd.DataFrame) -> Figure:
    """Each critical-mass criterion over time as a fraction of its threshold (1 = met)."""
    from xbsim.mechanisms.poles import CRITERIA

    n = len(model.poles)
    fig, axes = plt.subplots(1, n, figsize=(5.5 * n, 3.5), squeeze=False)
    for ax, pole in zip(axes[0], model.poles, strict=True):
        for name in CRITERIA:
            thr = ts[f"{pole.name}.{name}.threshold"].replace(0, np.nan)
            ax.plot(ts["month"], (ts[f"{pole.name}.{name}"] / thr).clip(upper=2.0), label=name)
        ax.axhline(1.0, color="black", lw=1)
        ax.set_ylim(0, 2.05)
        ax.set_title(f"{pole.name}: criteria / threshold (capped at 2)", fontsize=10)
        ax.set_xlabel("month")
        ax.legend(fontsize=7)
    fig.tight_layout()
    return fig


def funnel_figure(funnel: dict[str, int]) -> Figure:
    """Actors -> contacted -> known -> engaged -> met -> partnered -> members."""
    labels = list(funnel)
    values = [funnel[k] for k in labels]
    fig, ax = plt.subplots(figsize=(6, 3.5))
    bars = ax.barh(labels[::-1], values[::-1], color="tab:blue")
    for bar, v in zip(bars, values[::-1], strict=True):
        ax.text(bar.get_width(), bar.get_y() + bar.get_height() / 2, f" {v}", va="center", fontsize=8)
    ax.set_xlabel("actors")
    ax.set_title("Programme funnel", fontsize=10)
    fig.tight_layout()
    return fig
