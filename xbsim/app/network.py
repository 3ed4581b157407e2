"""The partnership network view: companies placed by territory, partnerships as edges, pole members marked.

Each territory is a disc; the discs sit on a circle in the territories' geographic order (bearing from their
common centre), and every company has a fixed place in its territory's disc (a sunflower spiral by row), so
the picture does not jump from month to month. Nodes are coloured by territory and shaped by pole membership
(members also ringed in black); cross-border partnerships are red lines between the discs.
"""

from __future__ import annotations

import numpy as np
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Circle

from xbsim.model import XBSimModel
from xbsim.outputs.figures import TERRITORY_COLOURS

POLE_MARKERS = ("s", "^", "D", "v", "P", "X")
MULTI_POLE_MARKER = "*"
DISC_RADIUS = 0.46  # of the distance between neighbouring territory centres (1 for the circle's radius)
GOLDEN_ANGLE = np.pi * (3.0 - np.sqrt(5.0))


def territory_centres(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    """Centres (T, 2) on the unit circle, evenly spaced, in the order and roughly the directions of the
    territories' bearings from their common centre (index order when they share one location)."""
    t = lat.size
    x = (lon - lon.mean()) * np.cos(np.radians(lat.mean()))
    y = lat - lat.mean()
    bearing = np.arctan2(y, x)
    order = np.argsort(bearing, kind="stable") if np.any(np.hypot(x, y) > 1e-9) else np.arange(t)
    step = 2 * np.pi / t
    offset = np.angle(np.exp(1j * (bearing[order] - step * np.arange(t))).mean()) if t > 1 else np.pi / 2
    angles = np.empty(t)
    angles[order] = offset + step * np.arange(t)
    return np.column_stack([np.cos(angles), np.sin(angles)])


def company_positions(territory: np.ndarray, centres: np.ndarray) -> tuple[np.ndarray, float]:
    """Position (N, 2) of every company, a sunflower spiral in its territory's disc, and the discs' radius."""
    t = centres.shape[0]
    pairs = [(a, b) for a in range(t) for b in range(a + 1, t)]
    gap = min(float(np.linalg.norm(centres[a] - centres[b])) for a, b in pairs) if pairs else 2.0
    radius = DISC_RADIUS * gap
    pos = np.zeros((territory.size, 2))
    for k in range(t):
        rows = np.flatnonzero(territory == k)
        i = np.arange(rows.size)
        r = radius * np.sqrt((i + 0.5) / max(rows.size, 1))
        pos[rows] = centres[k] + np.column_stack([r * np.cos(i * GOLDEN_ANGLE), r * np.sin(i * GOLDEN_ANGLE)])
    return pos, radius


def network_caption(model: XBSimModel) -> str:
    """'N active partnerships, X cross-border; M pole members'."""
    ps = model.state.partnerships
    act = ps.active
    members = int(model.state.member.any(axis=1).sum())
    return (f"{int(act.sum())} active partnerships, {int((act & ps.cross_border).sum())} cross-border; "
            f"{members} pole members")


def network_signature(model: XBSimModel) -> tuple[int, ...]:
    """Changes whenever the picture does: partnerships formed or dissolved, pole members."""
    ps = model.state.partnerships
    return len(ps), int(ps.active.sum()), int(model.state.member.sum())


def network_figure(model: XBSimModel, size: tuple[float, float] = (6.5, 5.3), dpi: int = 90) -> Figure:
    """The active partnerships of ``model`` at its current month (companies with a partner or a pole)."""
    pop, st, dom = model.population, model.state, model.domain
    ps = st.partnerships
    codes = dom.territories.codes
    lat = np.array([model.cfg["territories"][c]["lat"] for c in codes], dtype=float)
    lon = np.array([model.cfg["territories"][c]["lon"] for c in codes], dtype=float)
    centres = territory_centres(lat, lon)
    pos, radius = company_positions(pop.territory, centres)

    fig = Figure(figsize=size, dpi=dpi)
    ax = fig.add_axes((0.0, 0.12, 1.0, 0.82))
    colours = [TERRITORY_COLOURS[k % len(TERRITORY_COLOURS)] for k in range(len(codes))]
    for k, code in enumerate(codes):
        ax.add_patch(Circle(tuple(centres[k]), radius, facecolor=colours[k], alpha=0.07,
                            edgecolor=colours[k]))
        label_at = centres[k] * (1 + 1.22 * radius / max(np.linalg.norm(centres[k]), 1e-9))
        ax.text(*label_at, code, ha="center", va="center", fontsize=10, fontweight="bold", color=colours[k])

    act = ps.active
    a, b = ps.i[act], ps.j[act]
    xb = ps.cross_border[act]
    for mask, colour, width, z in ((~xb, "#9a9a9a", 0.6, 1), (xb, "#d62728", 0.9, 2)):
        if mask.any():
            segs = np.stack([pos[a[mask]], pos[b[mask]]], axis=1)
            ax.add_collection(LineCollection(segs, colors=colour, linewidths=width, alpha=0.75, zorder=z))

    member = st.member
    n_poles = member.shape[1]
    shown = np.flatnonzero((ps.degree() > 0) | member.any(axis=1))
    in_poles = member[shown].sum(axis=1)
    for kind in range(-1, n_poles + 1):  # -1: no pole; p: pole p only; n_poles: several poles
        if kind == -1:
            sel, marker, size_pt = in_poles == 0, "o", 16
        elif kind < n_poles:
            sel, marker, size_pt = (in_poles == 1) & member[shown, kind], POLE_MARKERS[kind % 6], 34
        else:
            sel, marker, size_pt = in_poles > 1, MULTI_POLE_MARKER, 60
        rows = shown[sel]
        if rows.size:
            ax.scatter(pos[rows, 0], pos[rows, 1], s=size_pt, marker=marker, zorder=3,
                       c=[colours[t] for t in pop.territory[rows]],
                       edgecolors="black" if kind >= 0 else "none", linewidths=0.8)

    fig.suptitle(network_caption(model), fontsize=10, y=0.985)
    handles = [Line2D([], [], color="#d62728", lw=1.2, label="cross-border partnership"),
               Line2D([], [], color="#9a9a9a", lw=1.0, label="same territory"),
               Line2D([], [], marker="o", ls="", color="#777777", label="no pole")]
    handles += [Line2D([], [], marker=POLE_MARKERS[k % 6], ls="", mfc="#777777", mec="black", label=name)
                for k, name in enumerate(dom.pole_names)]
    if n_poles > 1:
        handles.append(Line2D([], [], marker=MULTI_POLE_MARKER, ls="", mfc="#777777", mec="black",
                              label="several poles"))
    fig.legend(handles=handles, fontsize=7, loc="lower center", frameon=False, ncols=3, columnspacing=1.2)
    lo, hi = (centres - 1.4 * radius).min(axis=0), (centres + 1.4 * radius).max(axis=0)
    ax.set_xlim(lo[0], hi[0])
    ax.set_ylim(lo[1], hi[1])
    ax.set_aspect("equal")
    ax.axis("off")
    return fig
