"""The partnership network figure (network.png) and the app's network view: actors placed by territory,
partnerships as edges, pole members marked. Its cost is linear in the actors drawn (fixed positions, two line
collections, one scatter per marker): no force-directed layout.

Each territory is a disc; the discs sit on a circle in the territories' geographic order (bearing from their
common centre), and every company has a fixed place in its territory's disc (a sunflower spiral by row), so
the picture does not jump from month to month. Nodes are coloured by territory and shaped by pole membership
(members also ringed in black); cross-border (different-country) partnerships are red lines between the discs,
the others (same territory, or two territories of one country) grey.
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
    """Position (N, 2) of every actor, a sunflower spiral in its territory's disc, and the discs' radius."""
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


class NetworkPlot:
    """The active partnerships of a model (actors with a partner or a pole). The discs, labels and legend
    are drawn once per model; each month only the edges, the nodes and the caption are updated."""

    def __init__(self, model: XBSimModel, size: tuple[float, float] = (6.5, 5.3), dpi: int = 90) -> None:
        self.model = model
        dom = model.domain
        codes = dom.territories.codes
        lat = np.array([model.cfg["territories"][c]["lat"] for c in codes], dtype=float)
        lon = np.array([model.cfg["territories"][c]["lon"] for c in codes], dtype=float)
        centres = territory_centres(lat, lon)
        self.pos, radius = company_positions(model.population.territory, centres)
        self.colours = np.array([TERRITORY_COLOURS[k % len(TERRITORY_COLOURS)] for k in range(len(codes))])

        self.fig = fig = Figure(figsize=size, dpi=dpi)
        ax = fig.add_axes((0.0, 0.12, 1.0, 0.82))
        for k, code in enumerate(codes):
            ax.add_patch(Circle(tuple(centres[k]), radius, facecolor=self.colours[k], alpha=0.07,
                                edgecolor=self.colours[k]))
            label_at = centres[k] * (1 + 1.22 * radius / max(np.linalg.norm(centres[k]), 1e-9))
            ax.text(*label_at, code, ha="center", va="center", fontsize=10, fontweight="bold",
                    color=self.colours[k])
        self.edges = {xb: ax.add_collection(LineCollection([], colors=colour, linewidths=width, alpha=0.75,
                                                           zorder=z))
                      for xb, colour, width, z in ((False, "#9a9a9a", 0.6, 1), (True, "#d62728", 0.9, 2))}
        n_poles = len(dom.pole_names)
        kinds = [("o", 16, "none")] + [(POLE_MARKERS[k % 6], 34, "black") for k in range(n_poles)]
        kinds.append((MULTI_POLE_MARKER, 60, "black"))  # 0: no pole; 1..P: that pole only; P + 1: several
        self.nodes = [ax.scatter(np.zeros(0), np.zeros(0), s=size_pt, marker=marker, zorder=3,
                                 edgecolors=edge, linewidths=0.8) for marker, size_pt, edge in kinds]
        self.caption = fig.suptitle("", fontsize=10, y=0.985)
        handles = [Line2D([], [], color="#d62728", lw=1.2, label="cross-border (two countries)"),
                   Line2D([], [], color="#9a9a9a", lw=1.0, label="same country"),
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

    def draw(self) -> Figure:
        """The figure at the model's current month."""
        model, pos = self.model, self.pos
        st = model.state
        ps = st.partnerships
        act = ps.active
        a, b, xb = ps.i[act], ps.j[act], ps.cross_border[act]
        for cross, collection in self.edges.items():
            sel = xb == cross
            collection.set_segments(np.stack([pos[a[sel]], pos[b[sel]]], axis=1))
        member = st.member
        n_poles = member.shape[1]
        shown = np.flatnonzero((ps.degree() > 0) | member.any(axis=1))
        in_poles = member[shown].sum(axis=1)
        for kind, nodes in enumerate(self.nodes):  # 0: no pole; 1..P: that pole only; P + 1: several
            if kind == 0:
                sel = in_poles == 0
            elif kind <= n_poles:
                sel = (in_poles == 1) & member[shown, kind - 1]
            else:
                sel = in_poles > 1
            rows = shown[sel]
            nodes.set_offsets(pos[rows] if rows.size else np.zeros((0, 2)))
            nodes.set_facecolors(self.colours[model.population.territory[rows]])
        self.caption.set_text(network_caption(model))
        return self.fig


def network_figure(model: XBSimModel) -> Figure:
    """A new :class:`NetworkPlot` of ``model``, drawn."""
    return NetworkPlot(model).draw()
