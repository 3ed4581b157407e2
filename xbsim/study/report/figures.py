"""Figures of the report: P(viable) with its interval per scenario and against each swept parameter, a heat map
for two-parameter sweeps, differences against the baseline, and the time to critical mass (Kaplan-Meier)."""

from __future__ import annotations

from itertools import cycle
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from xbsim.outputs.figures import OKABE_ITO
from xbsim.outputs.names import parameter_name, wrap
from xbsim.study.collect import Collection

#: Colour-blind-safe (Okabe-Ito), then darker tones of the same hues for sweeps of more than 8 scenarios.
COLOURS = (*OKABE_ITO, "#004B7A", "#9A6A00", "#00674D", "#8A4F73")
MAX_LINES = 8
LABEL_WIDTH = 42  # characters per line of a wrapped scenario label


def short(key: str) -> str:
    """A parameter's name for axes and labels (:func:`xbsim.outputs.names.parameter_name`)."""
    return parameter_name(key)


def _title(pole: str, titles: dict[str, str] | None) -> str:
    return wrap((titles or {}).get(pole, pole), 50)


def _numeric(values: pd.Series) -> bool:
    return bool(len(values)) and all(isinstance(v, int | float) and not isinstance(v, bool) for v in values)


def _forest(df: pd.DataFrame, value: str, poles: list[str], xlabel: str, xlim: tuple[float, float],
            marker: str, extra_height: float, titles: dict[str, str] | None = None) -> Figure:
    """One panel per pole: each scenario's ``value`` with its [ci_low, ci_high] interval and the numbers
    written beside it, scenarios top down, their whole labels wrapped (never cut)."""
    scenarios = list(dict.fromkeys(df["label"]))
    wrapped = [wrap(s, LABEL_WIDTH) for s in scenarios]
    lines = sum(w.count("\n") + 1 for w in wrapped)
    height = max(2.6, 0.2 * lines + 0.25 * len(scenarios) + extra_height)
    fig, axes = plt.subplots(1, len(poles), figsize=(4.6 * len(poles) + 3.2, height), squeeze=False, sharey=True)
    y = np.arange(len(scenarios))
    for ax, pole, colour in zip(axes[0], poles, cycle(COLOURS), strict=False):
        r = df[df["pole"] == pole].set_index("label").reindex(scenarios)
        v = r[value].to_numpy(float)
        lo, hi = r["ci_low"].to_numpy(float), r["ci_high"].to_numpy(float)
        ax.errorbar(v, y, xerr=np.vstack([v - lo, hi - v]), fmt=marker, color=colour, capsize=4, ms=7, lw=1.6)
        for yi, vi, li, hi_ in zip(y, v, lo, hi, strict=True):
            if np.isfinite(vi):
                rel = (vi - xlim[0]) / (xlim[1] - xlim[0])  # keep the text inside the panel
                ax.annotate(f"{vi:.2f} [{li:.2f}, {hi_:.2f}]", (vi, yi), xytext=(0, 7), textcoords="offset points",
                            ha="left" if rel < 0.2 else "right" if rel > 0.8 else "center", fontsize=8.5)
        ax.set_xlim(*xlim)
        ax.set_ylim(len(scenarios) - 0.4, -0.75)
        ax.set_title(_title(pole, titles), fontsize=11)
        ax.set_xlabel(xlabel, fontsize=10)
        ax.tick_params(axis="x", labelsize=9)
        ax.grid(axis="x", alpha=0.3)
    axes[0][0].set_yticks(y, wrapped, fontsize=9)
    return fig


def viability_figure(results: pd.DataFrame, poles: list[str], titles: dict[str, str] | None = None) -> Figure:
    """P(viable) and its interval for every scenario, one panel per pole."""
    fig = _forest(results, "p_viable", poles, "P(viable), bar = 95% confidence interval", (-0.02, 1.05), "o", 1.4,
                  titles)
    fig.tight_layout()
    return fig


def parameter_figure(results: pd.DataFrame, param: str, swept: list[str], poles: list[str],
                     titles: dict[str, str] | None = None) -> Figure:
    """P(viable) against one swept parameter with its confidence band; one line per combination of the other
    swept parameters (at most MAX_LINES, then points only)."""
    others = [k for k in swept if k != param]
    fig, axes = plt.subplots(1, len(poles), figsize=(5.6 * len(poles), 4.6), squeeze=False, sharey=True)
    values = results[param]
    numeric = _numeric(values)
    cats = list(dict.fromkeys(values.map(str))) if not numeric else []
    for ax, pole in zip(axes[0], poles, strict=False):
        r = results[results["pole"] == pole]
        groups = list(r.groupby(others, sort=True, dropna=False)) if others else [((), r)]
        for (label, g), colour in zip(groups, cycle(COLOURS), strict=False):
            g = g.sort_values(param) if numeric else g.assign(_x=g[param].map(str).map(cats.index)).sort_values("_x")
            x = g[param].to_numpy(float) if numeric else g["_x"].to_numpy(float)
            name = wrap("; ".join(f"{short(k)} = {v}" for k, v in zip(others, np.atleast_1d(label), strict=False)),
                        LABEL_WIDTH) or None
            style = "-o" if len(groups) <= MAX_LINES else "o"
            ax.plot(x, g["p_viable"], style, color=colour, label=name if len(groups) <= MAX_LINES else None, ms=4)
            if len(groups) <= MAX_LINES:
                ax.fill_between(x, g["ci_low"].astype(float), g["ci_high"].astype(float), color=colour, alpha=0.15)
        if not numeric:
            ax.set_xticks(range(len(cats)), [wrap(c, 16) for c in cats], fontsize=8.5)
        elif values.nunique() <= 12:
            ticks = sorted(set(values.astype(float)))
            ax.set_xticks(ticks, [f"{t:g}" for t in ticks], fontsize=8)
        ax.set_ylim(-0.02, 1.02)
        ax.set_xlabel(wrap(short(param), 50), fontsize=10)
        ax.set_title(_title(pole, titles), fontsize=11)
        ax.tick_params(labelsize=9)
        ax.grid(alpha=0.3)
        if others and len(groups) <= MAX_LINES:
            ax.legend(fontsize=8.5)
    axes[0][0].set_ylabel("P(viable), band = 95% confidence interval", fontsize=10)
    fig.tight_layout()
    return fig


def heatmap_figure(results: pd.DataFrame, swept: list[str], poles: list[str],
                   titles: dict[str, str] | None = None) -> Figure:
    """P(viable) over a two-parameter grid, with the interval written in each cell."""
    px, py = swept
    fig, axes = plt.subplots(1, len(poles), figsize=(5.8 * len(poles), 4.8), squeeze=False)
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
            ax.text(j, i, t, ha="center", va="center", fontsize=8.5,
                    color="white" if grid[i, j] < 0.6 else "black")
        ax.set_xticks(range(len(xs)), [str(v) for v in xs], fontsize=9)
        ax.set_yticks(range(len(ys)), [str(v) for v in ys], fontsize=9)
        ax.set_xlabel(wrap(short(px), 50), fontsize=10)
        ax.set_ylabel(wrap(short(py), 40), fontsize=10)
        ax.set_title(_title(pole, titles) + "\nP(viable) [95% CI]", fontsize=11)
        fig.colorbar(im, ax=ax, fraction=0.046, pad=0.04)
    fig.tight_layout()
    return fig


def _ordered(values: pd.Series) -> list[Any]:
    uniq = list(dict.fromkeys(values))
    return sorted(uniq) if _numeric(pd.Series(uniq)) else sorted(uniq, key=str)


def differences_figure(diffs: pd.DataFrame, poles: list[str], baseline: str,
                       titles: dict[str, str] | None = None) -> Figure:
    """Difference in P(viable) of each scenario against the baseline, with its interval (forest plot)."""
    fig = _forest(diffs, "diff", poles, "P(viable) − P(viable | baseline), paired 95% CI", (-1.05, 1.05), "s", 1.8,
                  titles)
    for ax in fig.axes:
        ax.axvline(0, color="black", lw=1)
    fig.suptitle(wrap(f"Against the baseline: {baseline}", 110), fontsize=10)
    fig.tight_layout()
    return fig


def km_curve(months: pd.Series, viable: pd.Series, horizon: float,
             confidence: float = 0.95) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Share of runs at critical mass by month, 1 - S(t) (Kaplan-Meier, runs that never reach it censored at
    the horizon), with its pointwise confidence band (Greenwood, log-log, ``scipy.stats.ecdf``): x, y, low,
    high as step functions from month 0 to the horizon. No run at critical mass gives y = 0 and a band from
    the exact (Clopper-Pearson) bound of 0 events in n runs."""
    from scipy import stats as sps

    m = pd.to_numeric(months, errors="coerce")
    observed = viable.astype(bool).to_numpy() & m.notna().to_numpy()
    t = np.where(observed, m.fillna(horizon).to_numpy(float), horizon)
    n = t.size
    if not observed.any():
        upper = 1 - (1 - confidence) ** (1 / n) if n else 1.0  # one-sided bound of 0 events in n
        x = np.array([0.0, horizon])
        return x, np.zeros(2), np.zeros(2), np.full(2, upper)
    sf = sps.ecdf(sps.CensoredData(uncensored=t[observed], right=t[~observed])).sf
    ci = sf.confidence_interval(confidence_level=confidence, method="log-log")
    grid = np.asarray(sf.quantiles, dtype=float)
    surv = np.asarray(sf.probabilities, dtype=float)
    lo_s = np.nan_to_num(np.asarray(ci.low.evaluate(grid), dtype=float), nan=0.0)
    hi_s = np.nan_to_num(np.asarray(ci.high.evaluate(grid), dtype=float), nan=1.0)
    x = np.concatenate([[0.0], grid, [horizon]])
    y = np.concatenate([[0.0], 1 - surv, [1 - surv[-1]]])
    low = np.concatenate([[0.0], 1 - hi_s, [1 - hi_s[-1]]])
    high = np.concatenate([[0.0], 1 - lo_s, [1 - lo_s[-1]]])
    return x, y, np.clip(low, 0, 1), np.clip(high, 0, 1)


def time_to_critical_mass_figure(col: Collection, poles: list[str], names: dict[str, str],
                                 max_scenarios: int = 10, titles: dict[str, str] | None = None) -> Figure:
    """Share of runs that reached critical mass by each month (Kaplan-Meier, censored at the horizon) with its
    95% confidence band; the first ``max_scenarios`` scenarios only, to stay legible. The legend holds every
    scenario's whole label, wrapped."""
    scenarios = col.scenarios[:max_scenarios]
    fig, axes = plt.subplots(1, len(poles), figsize=(5.2 * len(poles), 4.4), squeeze=False, sharey=True)
    handles = []
    for ax, pole in zip(axes[0], poles, strict=False):
        handles = []
        for s, colour, style in zip(scenarios, cycle(COLOURS), cycle(("-", "--", "-.", ":")), strict=False):
            rows = s.replications[s.replications["pole"] == pole]
            if rows.empty:
                continue
            x, y, lo, hi = km_curve(rows["constitution_month"], rows["viable"], float(s.doc["horizon_months"]),
                                    float(s.doc.get("confidence", 0.95)))
            ax.fill_between(x, lo, hi, step="post", color=colour, alpha=0.15, lw=0)
            (line,) = ax.step(x, y, where="post", color=colour, ls=style, lw=1.8,
                              label=wrap(names.get(s.key, s.key), LABEL_WIDTH + 10))
            handles.append(line)
        ax.set_ylim(-0.02, 1.02)
        ax.set_xlabel("month of the programme", fontsize=10)
        ax.set_title(_title(pole, titles), fontsize=11)
        ax.tick_params(labelsize=9)
        ax.grid(alpha=0.3)
    axes[0][0].set_ylabel("share of runs at critical mass\n(band: 95% confidence)", fontsize=10)
    if len(scenarios) > 1 and handles:
        fig.legend(handles=handles, loc="lower center", ncols=min(2, len(handles)), fontsize=8.5, frameon=False)
        extra = sum(h.get_label().count("\n") + 1 for h in handles[::2]) * 0.17 + 0.3
        fig.set_size_inches(fig.get_figwidth(), fig.get_figheight() + extra)
        fig.tight_layout(rect=(0, extra / fig.get_figheight(), 1, 1))
    else:
        fig.tight_layout()
    return fig
