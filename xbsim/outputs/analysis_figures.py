"""Figures of the territory-company convergence report (matplotlib, Agg backend; one function per figure).

Each function takes the stage-1 tables and returns a Figure; :func:`png` turns it into PNG bytes without
timestamp metadata, so the same inputs give byte-identical images.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.colors import ListedColormap, TwoSlopeNorm
from matplotlib.figure import Figure

from xbsim.core.domain import Domain
from xbsim.outputs.figures import png_bytes
from xbsim.programme.analysis import CONVERGENCE_WEIGHTS, READY_FLOOR, READY_SCORE

SIZE_COLOURS = ("#c6dbef", "#6baed6", "#2171b5", "#08306b")
COMPONENT_COLOURS = {"complementarity": "#1b9e77", "coverage": "#d95f02", "critical_mass": "#7570b3",
                     "s3_alignment": "#e7298a"}
READY = READY_SCORE  # ready_for_pole = score >= READY_SCORE and every component >= READY_FLOOR


def png(fig: Figure, dpi: int = 110) -> bytes:
    """PNG bytes of ``fig`` for the convergence report (:func:`~xbsim.outputs.figures.png_bytes`), then close it."""
    data = png_bytes(fig, dpi)
    plt.close(fig)
    return data


def _annotate(ax: plt.Axes, values: np.ndarray, fmt: str, dark: np.ndarray | None = None) -> None:
    for (i, j), v in np.ndenumerate(values):
        if np.isnan(v):
            continue
        colour = "white" if dark is not None and dark[i, j] else "black"
        ax.text(j, i, format(v, fmt), ha="center", va="center", fontsize=8, color=colour)


def lq_figure(lq: pd.DataFrame) -> Figure:
    """Location quotients, territory x area, diverging around 1 (blue = specialised)."""
    values = lq.to_numpy(dtype=float)
    fig, ax = plt.subplots(figsize=(1.3 * lq.shape[1] + 2.5, 0.6 * lq.shape[0] + 1.8))
    vmax = max(2.0, float(np.nanmax(values)))
    im = ax.imshow(values, cmap="RdBu", norm=TwoSlopeNorm(vcenter=1.0, vmin=0.0, vmax=vmax), aspect="auto")
    _annotate(ax, values, ".2f", dark=np.abs(values - 1.0) > 0.6 * (vmax - 1.0))
    ax.set_xticks(range(lq.shape[1]), [c.replace("_", " ") for c in lq.columns], rotation=25, ha="right",
                  rotation_mode="anchor", fontsize=8)
    ax.set_yticks(range(lq.shape[0]), list(lq.index), fontsize=8)
    fig.colorbar(im, ax=ax, label="location quotient")
    ax.set_title("Specialisation: location quotients of persons employed (1 = programme average)", fontsize=9)
    fig.tight_layout()
    return fig


def size_figure(sizes: pd.DataFrame, size_classes: tuple[str, ...]) -> Figure:
    """Size structure: share of each size class among each territory's companies (stacked bars)."""
    counts = sizes[list(size_classes)].to_numpy(dtype=float)
    shares = counts / np.maximum(counts.sum(axis=1, keepdims=True), 1.0)
    fig, ax = plt.subplots(figsize=(6.5, 0.5 * len(sizes) + 1.6))
    left = np.zeros(len(sizes))
    y = np.arange(len(sizes))
    for k, name in enumerate(size_classes):
        ax.barh(y, shares[:, k], left=left, color=SIZE_COLOURS[k % len(SIZE_COLOURS)], label=name)
        for i in np.flatnonzero(shares[:, k] >= 0.06):
            ax.text(left[i] + shares[i, k] / 2, i, f"{100 * shares[i, k]:.0f}%", ha="center", va="center",
                    fontsize=7, color="white" if k >= 2 else "black")
        left += shares[:, k]
    ax.set_yticks(y, [f"{t} ({int(n)})" for t, n in zip(sizes.index, counts.sum(axis=1), strict=True)],
                  fontsize=8)
    ax.invert_yaxis()
    ax.set_xlim(0, 1)
    ax.set_xlabel("share of companies")
    ax.legend(ncol=len(size_classes), fontsize=7, loc="lower center", bbox_to_anchor=(0.5, 1.0), frameon=False)
    fig.tight_layout()
    return fig


def coverage_figure(coverage: pd.DataFrame, domain: Domain) -> Figure:
    """Actors per value-chain segment and territory, one panel per area; gaps in orange (filled across the
    national border), yellow (filled only by a region of the same country) or red (no actor anywhere)."""
    areas, codes = domain.areas, list(domain.territories.codes)
    n = len(areas)
    cols = min(n, 3)
    rows = int(np.ceil(n / cols))
    fig, axes = plt.subplots(rows, cols, figsize=(3.6 * cols, 2.9 * rows), squeeze=False)
    gap_cmap = ListedColormap(["#ffffff", "#fdae61", "#ffffbf", "#d7191c"])
    for k, ax in enumerate(axes.ravel()):
        if k >= n:
            ax.axis("off")
            continue
        name, segs = areas.names[k], areas.segments[k]
        sub = coverage[coverage["area"] == name]
        actors = sub.pivot(index="segment", columns="territory", values="actors").reindex(index=segs,
                                                                                          columns=codes)
        across, elsewhere = (sub.pivot(index="segment", columns="territory", values=col)
                             .reindex(index=segs, columns=codes).to_numpy(dtype=bool)
                             for col in ("filled_across_border", "filled_elsewhere"))
        values = actors.to_numpy(dtype=float)
        state = np.where(values > 0, 0, np.where(across, 1, np.where(elsewhere, 2, 3)))
        ax.imshow(state, cmap=gap_cmap, vmin=0, vmax=3, aspect="auto")
        _annotate(ax, values, ".0f")
        ax.set_xticks(range(len(codes)), codes, fontsize=7)
        ax.set_yticks(range(len(segs)), [s.replace("_", " ") for s in segs], fontsize=7)
        ax.set_xticks(np.arange(-0.5, len(codes)), minor=True)
        ax.set_yticks(np.arange(-0.5, len(segs)), minor=True)
        ax.grid(which="minor", color="lightgrey", lw=0.5)
        ax.tick_params(which="minor", length=0)
        ax.set_title(areas.labels[k], fontsize=9)
    handles = [plt.Rectangle((0, 0), 1, 1, fc=c, ec="grey") for c in ("#fdae61", "#ffffbf", "#d7191c")]
    fig.legend(handles, ["gap filled across the border", "gap filled in the same country only",
                         "gap of the whole programme"], loc="lower right", fontsize=8, frameon=False)
    fig.suptitle("Value-chain coverage: actors per segment (upstream first) and territory", fontsize=10)
    fig.tight_layout(rect=(0, 0.03, 1, 0.97))
    return fig


def complementarity_figure(matrices: dict[str, np.ndarray], labels: dict[str, str], codes: list[str]) -> Figure:
    """Per area: how the capabilities of each territory (rows) answer the needs of the others (columns)."""
    n = len(matrices)
    cols = min(n, 3)
    rows = int(np.ceil(n / cols))
    fig, axes = plt.subplots(rows, cols, figsize=(3.3 * cols + 1.0, 2.9 * rows + 0.4), squeeze=False,
                             layout="constrained")
    finite = [m[np.isfinite(m)] for m in matrices.values()]
    allv = np.concatenate(finite) if finite and any(f.size for f in finite) else np.array([0.0, 1.0])
    vmin, vmax = float(allv.min()), float(allv.max()) + 1e-9
    im = None
    for ax, (name, m) in zip(axes.ravel(), matrices.items(), strict=False):
        shown = m.copy()
        np.fill_diagonal(shown, np.nan)
        im = ax.imshow(shown, cmap="Greens", vmin=vmin, vmax=vmax, aspect="auto")
        _annotate(ax, shown, ".2f")
        ax.set_xticks(range(len(codes)), codes, fontsize=7)
        ax.set_yticks(range(len(codes)), codes, fontsize=7)
        ax.set_xlabel("needs of", fontsize=7)
        if ax in axes[:, 0]:
            ax.set_ylabel("capabilities of", fontsize=7)
        ax.set_title(labels[name], fontsize=9)
    for ax in axes.ravel()[n:]:
        ax.axis("off")
    if im is not None:
        fig.colorbar(im, ax=axes.ravel().tolist(), shrink=0.8, label="capability x need")
    fig.suptitle("Cross-border complementarity (mean over dimensions of capability x need)", fontsize=10)
    return fig


def needs_figure(by_territory: pd.DataFrame, by_size: pd.DataFrame, labels: dict[str, str]) -> Figure:
    """Mean innovation need per dimension, by territory and by size class (0 = none, 1 = critical)."""
    fig, axes = plt.subplots(1, 2, figsize=(11, 0.42 * len(labels) + 1.8), sharey=True, layout="constrained",
                             width_ratios=[max(by_territory.shape[0], 1), max(by_size.shape[0], 1)])
    for ax, df, title in ((axes[0], by_territory, "by territory"), (axes[1], by_size, "by size class")):
        values = df.to_numpy(dtype=float).T  # dimensions x groups
        im = ax.imshow(values, cmap="OrRd", vmin=0.0, vmax=1.0, aspect="auto")
        _annotate(ax, values, ".2f", dark=values > 0.65)
        ax.set_xticks(range(df.shape[0]), [str(i) for i in df.index], fontsize=8)
        ax.set_yticks(range(df.shape[1]), [labels[d] for d in df.columns], fontsize=8)
        ax.tick_params(axis="y", labelleft=ax is axes[0])
        ax.set_title(f"Mean need {title}", fontsize=9)
    fig.colorbar(im, ax=axes.tolist(), shrink=0.9, label="need (0-1)")
    return fig


def convergence_figure(conv: pd.DataFrame) -> Figure:
    """Convergence score per area and proposed pole, as stacked weighted components, with both readiness rules
    drawn: the score line, and each component under the floor marked and named beside its bar (so a score
    above the line that is "not ready yet" says why)."""
    df = conv.sort_values(["kind", "score"], ascending=[True, True]).reset_index(drop=True)
    fig, ax = plt.subplots(figsize=(9.0, 0.5 * len(df) + 2.0))
    left = np.zeros(len(df))
    y = np.arange(len(df))
    for comp, weight in CONVERGENCE_WEIGHTS.items():
        part = weight * df[comp].to_numpy(dtype=float)
        ax.barh(y, part, left=left, color=COMPONENT_COLOURS.get(comp, "grey"),
                label=f"{comp.replace('_', ' ')} (x{weight:g})")
        weak = df[comp].to_numpy(dtype=float) < READY_FLOOR
        ax.barh(y[weak], part[weak], left=left[weak], fill=False, hatch="///", edgecolor="black", lw=0)
        left += part
    for i, row in df.iterrows():
        weak = [f"{c.replace('_', ' ')} {row[c]:.2f}" for c in CONVERGENCE_WEIGHTS if row[c] < READY_FLOOR]
        verdict = "ready" if row["ready_for_pole"] else "not ready" + (f": {', '.join(weak)} < {READY_FLOOR:g}"
                                                                       if weak else "")
        ax.text(row["score"] + 0.01, i, f"{row['score']:.2f} — {verdict}", va="center", fontsize=8.5)
    ax.axvline(READY, color="black", ls="--", lw=1,
               label=f"ready for a pole: score ≥ {READY:g} and every component ≥ {READY_FLOOR:g}")
    ax.barh([], [], fill=False, hatch="///", edgecolor="black", lw=0,
            label=f"component below {READY_FLOOR:g} (not ready whatever the score)")
    ax.set_yticks(y, [f"{u} ({k})" for u, k in zip(df["unit"], df["kind"], strict=True)], fontsize=9)
    ax.set_xlim(0, 1.6)
    ax.set_xlabel("convergence score (weighted components)", fontsize=10)
    ax.legend(fontsize=8.5, loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=2, frameon=False)
    fig.tight_layout()
    return fig
