"""Charts of a sensitivity analysis: Sobol' indices with their intervals, and the LHS exploration."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from xbsim.study.report.figures import short


def sobol_figure(table: pd.DataFrame) -> Figure:
    """First (S1) and total (ST) order index of each parameter, one panel per output, bootstrap intervals."""
    outputs = list(dict.fromkeys(table["output"]))
    params = list(dict.fromkeys(table["parameter"]))
    cols = min(len(outputs), 2)
    rows = int(np.ceil(len(outputs) / cols))
    fig, axes = plt.subplots(rows, cols, figsize=(6.2 * cols, 0.45 * len(params) * rows + 1.6 * rows),
                             squeeze=False)
    y = np.arange(len(params))
    bounds = table[["S1", "S1_low", "ST", "ST_high"]].to_numpy(float)
    lowest = float(np.nanmin(bounds)) if np.isfinite(bounds).any() else 0.0
    highest = float(np.nanmax(bounds)) if np.isfinite(bounds).any() else 1.0
    for ax, out in zip(axes.ravel(), outputs, strict=False):
        t = table[table["output"] == out].set_index("parameter").reindex(params)
        for offset, (name, colour) in zip((-0.18, 0.18), (("S1", "tab:blue"), ("ST", "tab:orange")), strict=True):
            v = t[name].to_numpy(float)
            err = np.vstack([v - t[f"{name}_low"].to_numpy(float), t[f"{name}_high"].to_numpy(float) - v])
            err = np.where(np.isfinite(err), np.clip(err, 0, None), 0)
            label = "first order (S1)" if name == "S1" else "total order (ST)"
            ax.barh(y + offset, np.nan_to_num(v), height=0.34, color=colour, xerr=err, capsize=2, label=label)
        if t["S1"].isna().all():
            ax.text(0.5, 0.5, "constant output: no variance to apportion", transform=ax.transAxes,
                    ha="center", va="center", fontsize=8)
        ax.set_yticks(y, [short(k) for k in params], fontsize=7)
        ax.invert_yaxis()
        ax.set_xlim(min(-0.1, lowest - 0.05), max(1.1, highest + 0.05))
        ax.axvline(0, color="black", lw=0.8)
        ax.set_title(out, fontsize=9)
    for ax in axes.ravel()[len(outputs):]:
        ax.axis("off")
    handles, labels = axes[0][0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="upper center", ncol=2, fontsize=8, frameon=False)
    fig.tight_layout(rect=(0, 0, 1, 0.95))
    return fig


def lhs_figure(table: pd.DataFrame, params: list[str], outputs: list[str]) -> Figure:
    """Each viability output against each parameter over the Latin hypercube points."""
    fig, axes = plt.subplots(len(outputs), len(params), figsize=(3.0 * len(params), 2.5 * len(outputs)),
                             squeeze=False, sharey="row")
    for i, out in enumerate(outputs):
        for j, p in enumerate(params):
            ax = axes[i][j]
            ax.scatter(table[p], table[out], s=10, alpha=0.7)
            ax.set_xlabel(short(p), fontsize=7)
            if j == 0:
                ax.set_ylabel(out, fontsize=7)
            ax.tick_params(labelsize=7)
            ax.grid(alpha=0.3)
    fig.tight_layout()
    return fig
