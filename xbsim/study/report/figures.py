"""Figures of the report: P(viable) with its interval per scenario and against each swept parameter, a heat map
for two-parameter sweeps, differences against the baseline, and the time to critical mass (Kaplan-Meier)."""

from __future__ import annotations

from itertools import cycle
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from xbsim.study import stats  # noqa: E402
from xbsim.study.collect import Collection  # noqa: E402

COLOURS = ("tab:blue", "tab:orange", "tab:green", "tab:red", "tab:purple", "tab:brown", "tab:pink", "tab:grey",
           "tab:olive", "tab:cyan")
MAX_LINES = 8


def short(key: str) -> str:
    """A parameter's label: its last two components (b2b.max_meetings_per_participant stays readable)."""
    parts = key.split(".")
    return ".".join(parts[-2:]) if len(parts) > 2 else key


def _numeric(values: pd.Series) -> bool:
    return bool(len(values)) and all(isinstance(v, int | float) and not isinstance(v, bool) for v in values)


def _forest(df: pd.DataFrame, value: str, poles: list[str], xlabel: str, xlim: tuple[float, float],
            marker: str, extra_height: float) -> Figure:
    """One panel per pole: each scenario's ``value`` with its [ci_low, ci_high] interval, scenarios top down."""
    scenarios = list(dict.fromkeys(df["label"]))
    height = max(2.2, 0.32 * len(scenarios) + extra_height)
    fig, axes = plt.subplots(1, len(poles), figsize=(5.2 * len(poles), height), squeeze=False, sharey=True)
    y = np.arange(len(scenarios))
    for ax, pole, colour in zip(axes[0], poles, cycle(COLOURS), strict=False):
        r = df[df["pole"] == pole].set_index("label").reindex(scenarios)
        v = r[value].to_numpy(float)
        err = np.vstack([v - r["ci_low"].to_numpy(float), r["ci_high"].to_numpy(float) - v])
        ax.errorbar(v, y, xerr=err, fmt=marker, color=colour, capsize=3)
        ax.set_xlim(*xlim)
        ax.set_title(pole, fontsize=10)
        ax.set_xlabel(xlabel)
        ax.grid(axis="x", alpha=0.3)
    axes[0][0].set_yticks(y, [_wrap(s) for s in scenarios], fontsize=7)
    axes[0][0].invert_yaxis()
    return fig


def viability_figure(results: pd.DataFrame, poles: list[str]) -> Figure:
    """P(viable) and its interval for every scenario, one panel per pole."""
    fig = _forest(results, "p_viable", poles, "P(viable) with its confidence interval", (-0.02, 1.02), "o", 1.2)
    fig.tight_layout()
    return fig


def _wrap(text: str, width: int = 48) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def parameter_figure(results: pd.DataFrame, param: str, swept: list[str], poles: list[str]) -> Figure:
    """P(viable) against one swept parameter with its confidence band; one line per combination of the other
    swept parameters (at most MAX_LINES, then points only)."""
    others = [k for k in swept if k != param]
    fig, axes = plt.subplots(1, len(poles), figsize=(5.2 * len(poles), 3.8), squeeze=False, sharey=True)
    values = results[param]
    numeric = _numeric(values)
    cats = list(dict.fromkeys(values.astype(str))) if not numeric else []
    for ax, pole in zip(axes[0], poles, strict=False):
        r = results[results["pole"] == pole]
        groups = list(r.groupby(others, sort=True, dropna=False)) if others else [((), r)]
        for (label, g), colour in zip(groups, cycle(COLOURS), strict=False):
            g = g.sort_values(param) if numeric else g.assign(_x=g[param].astype(str).map(cats.index)).sort_values("_x")
            x = g[param].to_numpy(float) if numeric else g["_x"].to_numpy(float)
            name = ", ".join(f"{short(k)}={v}" for k, v in zip(others, np.atleast_1d(label), strict=False)) or None
            style = "-o" if len(groups) <= MAX_LINES else "o"
            ax.plot(x, g["p_viable"], style, color=colour, label=name if len(groups) <= MAX_LINES else None, ms=4)
            if len(groups) <= MAX_LINES:
                ax.fill_between(x, g["ci_low"].astype(float), g["ci_high"].astype(float), color=colour, alpha=0.15)
        if not numeric:
            ax.set_xticks(range(len(cats)), cats, rotation=30, fontsize=7)
        elif values.nunique() <= 12:
            ticks = sorted(set(values.astype(float)))
            ax.set_xticks(ticks, [f"{t:g}" for t in ticks], fontsize=8)
        ax.set_ylim(-0.02, 1.02)
        ax.set_xlabel(short(param))
        ax.set_title(pole, fontsize=10)
        ax.grid(alpha=0.3)
        if others and len(groups) <= MAX_LINES:
            ax.legend(fontsize=7)
    axes[0][0].set_ylabel("P(viable), band = confidence interval")
    fig.tight_layout()
    return fig


def heatmap_figure(results: pd.DataFrame, swept: list[str], poles: list[str]) -> Figure:
    """P(viable) over a two-parameter grid, with the interval written in each cell."""
    px, py = swept
    fig, axes = plt.subplots(1, len(poles), figsize=(5.4 * len(poles), 4.4), squeeze=False)
    for ax, pole in zip(axes[0], poles, strict=False):
        r = results[results["pole"] == pole]
        xs = _ordered(r[px])
        ys = _ordered(r[py])
        grid = np.full((len(ys), len(xs)), np.nan)
        text: dict[tuple[int, int], str] = {}
        for _, row in r.iterrows():
            i, j = ys.index(row[py]), xs.index(row[px])
            grid[i, j] = row["p_viable"]
            text[(i, j)] = f"{row['p_viable']:.2f}\n[{row['ci_low']:.2f}, {row['ci_high']:.2f}]"
        im = ax.imshow(grid, origin="lower", cmap="viridis", vmin=0, vmax=1, aspect="auto")
        for (i, j), t in text.items():
            ax.text(j, i, t, ha="center", va="center", fontsize=7,
                    color="white" if grid[i, j] < 0.6 else "black")
        ax.set_xticks(range(len(xs)), [str(v) for v in xs], fontsize=8)
        ax.set_yticks(range(len(ys)), [str(v) for v in ys], fontsize=8)
        ax.set_xlabel(short(px))
        ax.set_ylabel(short(py))
        ax.set_title(f"{pole}: P(viable)", fontsize=10)
        fig.colorbar(im, ax=ax, fraction=0.046, pad=0.04)
    fig.tight_layout()
    return fig


def _ordered(values: pd.Series) -> list[Any]:
    uniq = list(dict.fromkeys(values))
    return sorted(uniq) if _numeric(pd.Series(uniq)) else sorted(uniq, key=str)


def differences_figure(diffs: pd.DataFrame, poles: list[str], baseline: str) -> Figure:
    """Difference in P(viable) of each scenario against the baseline, with its interval (forest plot)."""
    fig = _forest(diffs, "diff", poles, "P(viable) − P(viable | baseline)", (-1.02, 1.02), "s", 1.3)
    for ax in fig.axes:
        ax.axvline(0, color="black", lw=1)
    fig.suptitle(f"Differences against the baseline: {_wrap(baseline, 70)}", fontsize=9)
    fig.tight_layout()
    return fig


def time_to_critical_mass_figure(col: Collection, poles: list[str], names: dict[str, str],
                                 max_scenarios: int = 10) -> Figure:
    """Fraction of runs that reached critical mass by each month (Kaplan-Meier, censored at the horizon); the
    first ``max_scenarios`` scenarios only, to stay legible."""
    scenarios = col.scenarios[:max_scenarios]
    fig, axes = plt.subplots(1, len(poles), figsize=(5.2 * len(poles), 3.6), squeeze=False, sharey=True)
    for ax, pole in zip(axes[0], poles, strict=False):
        for s, colour in zip(scenarios, cycle(COLOURS), strict=False):
            rows = s.replications[s.replications["pole"] == pole]
            if rows.empty:
                continue
            horizon = float(s.doc["horizon_months"])
            months = pd.to_numeric(rows["constitution_month"], errors="coerce")
            observed = rows["viable"].astype(bool).to_numpy() & months.notna().to_numpy()
            t = np.where(observed, months.fillna(horizon).to_numpy(float), horizon)
            grid, sf = stats.kaplan_meier(t, observed)
            x = np.concatenate([[0.0], grid, [horizon]])
            yv = np.concatenate([[0.0], 1 - sf, [1 - sf[-1] if sf.size else 0.0]])
            ax.step(x, yv, where="post", color=colour, label=_wrap(names.get(s.key, s.key), 40))
        ax.set_ylim(-0.02, 1.02)
        ax.set_xlabel("month")
        ax.set_title(pole, fontsize=10)
        ax.grid(alpha=0.3)
    axes[0][0].set_ylabel("share of runs at critical mass")
    if len(scenarios) > 1:
        axes[0][-1].legend(fontsize=6)
    fig.tight_layout()
    return fig
