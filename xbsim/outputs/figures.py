"""Figures of one run: pole membership against critical mass, the criteria, the funnel (the partnership network
and the territory map are in :mod:`xbsim.outputs.network`), and :func:`save_figure`, which writes a figure in
every configured format (``figure_format``: png, svg, pdf) at ``figure_dpi``.

Colours are colour-blind safe (Okabe and Ito's palette); territories are named ("Aquitaine (FR61)"), poles by
their label, and every axis says what it measures.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from xbsim.io.atomic import atomic_write  # noqa: E402
from xbsim.model import XBSimModel  # noqa: E402
from xbsim.outputs.names import CRITERION_LABELS, pole_short, territory_name, wrap  # noqa: E402

#: Okabe & Ito (2008), "Color universal design": distinguishable with every common colour-vision deficiency.
OKABE_ITO = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
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


def membership_figure(model: XBSimModel, ts: pd.DataFrame) -> Figure:
    """Members of each pole by month, by territory, with its member threshold, the feasibility month and
    constitution."""
    n = len(model.poles)
    fig, axes = plt.subplots(1, n, figsize=(5.8 * n, 4.4), squeeze=False)
    terr = model.cfg.territories
    for ax, pole in zip(axes[0], model.poles, strict=True):
        months = ts["month"]
        ax.plot(months, ts[f"{pole.name}.members"], color="black", lw=2.2, label="all members")
        for t, code in enumerate(model.domain.territories.codes):
            ax.plot(months, ts[f"{pole.name}.members.{code}"], lw=1.4,
                    color=TERRITORY_COLOURS[t % len(TERRITORY_COLOURS)], label=territory_name(terr, code))
        cm = pole.critical_mass
        ax.axhline(cm.min_members, ls="--", color="#555555", label=f"critical mass ({cm.min_members} members)")
        if cm.min_members_per_territory > 0:
            ax.axhline(cm.min_members_per_territory, ls=":", color="#555555",
                       label=f"minimum per territory ({cm.min_members_per_territory})")
        ax.axvline(model.cfg.feasibility.month, ls="-.", color=OKABE_ITO[3], lw=1.2,
                   label="feasibility study")
        if pole.constituted:
            ax.axvline(pole.constitution_month, color=OKABE_ITO[2], lw=2,
                       label=f"constituted (month {pole.constitution_month})")
        verdict = " then ".join(a.verdict for a in pole.assessments) or "not yet studied"
        ax.set_title(wrap(f"{pole_short(model.cfg.poles, pole.name)} — feasibility: {verdict}", 60),
                     fontsize=11)
        ax.set_xlabel("month of the programme", fontsize=10)
        ax.set_ylabel("pole members (actors)", fontsize=10)
        ax.set_xlim(0, model.horizon)
        ax.tick_params(labelsize=9)
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8.5, loc="upper left")
    fig.tight_layout()
    return fig


def criteria_figure(model: XBSimModel, ts: pd.DataFrame) -> Figure:
    """Each critical-mass criterion over time as a share of its threshold (100% = met), uncapped: the axis
    reaches the highest value drawn."""
    from xbsim.programme.poles import CRITERIA

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
