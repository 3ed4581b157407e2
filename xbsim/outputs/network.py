"""The partnership network figure (network.png) and the app's network view: actors placed by territory,
partnerships as edges, pole members marked. Its cost is linear in the actors drawn (fixed positions, two line
collections, one scatter per marker): no force-directed layout.

Each territory is a disc; the discs sit on a circle in the territories' geographic order (bearing from their
common centre), and every company has a fixed place in its territory's disc (a sunflower spiral by row), so
the picture does not jump from month to month. Nodes are coloured by territory and shaped by pole membership
(members larger, ringed in black); cross-border (different-country) partnerships are dark lines between the
discs, the others (same territory, or two territories of one country) light grey: no line shares a territory's
colour (Okabe-Ito palette).

:func:`territory_map_figure` is the map: the territories at their coordinates (no tiles), the partnerships
between each pair of territories and each pole's members by territory.
"""

from __future__ import annotations

import numpy as np
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Circle

from xbsim.core.config import plain
from xbsim.model import XBSimModel
from xbsim.outputs.figures import TERRITORY_COLOURS
from xbsim.outputs.names import pole_short, territory_name, wrap

POLE_MARKERS = ("s", "^", "D", "v", "P", "X")
MULTI_POLE_MARKER = "*"
DISC_RADIUS = 0.46  # of the distance between neighbouring territory centres (1 for the circle's radius)
GOLDEN_ANGLE = np.pi * (3.0 - np.sqrt(5.0))
CROSS_BORDER_EDGE, SAME_COUNTRY_EDGE = "#303030", "#c4c4c4"


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
        lat = np.array([model.cfg.territories[c].lat for c in codes], dtype=float)
        lon = np.array([model.cfg.territories[c].lon for c in codes], dtype=float)
        centres = territory_centres(lat, lon)
        self.pos, radius = company_positions(model.population.territory, centres)
        self.colours = np.array([TERRITORY_COLOURS[k % len(TERRITORY_COLOURS)] for k in range(len(codes))])

        self.fig = fig = Figure(figsize=size, dpi=dpi)
        ax = fig.add_axes((0.0, 0.17, 1.0, 0.77))
        for k, code in enumerate(codes):
            ax.add_patch(Circle(tuple(centres[k]), radius, facecolor=self.colours[k], alpha=0.07,
                                edgecolor=self.colours[k]))
            label_at = centres[k] * (1 + 1.45 * radius / max(np.linalg.norm(centres[k]), 1e-9))
            ax.text(*label_at, territory_name(model.cfg.territories, code), ha="center", va="center",
                    fontsize=10, fontweight="bold",
                    color=self.colours[k])
        self.edges = {xb: ax.add_collection(LineCollection([], colors=colour, linewidths=width, alpha=0.75,
                                                           zorder=z))
                      for xb, colour, width, z in ((False, SAME_COUNTRY_EDGE, 0.6, 1),
                                                   (True, CROSS_BORDER_EDGE, 0.8, 2))}
        n_poles = len(dom.pole_names)
        kinds = [("o", 12, "none")] + [(POLE_MARKERS[k % 6], 48, "black") for k in range(n_poles)]
        kinds.append((MULTI_POLE_MARKER, 90, "black"))  # 0: no pole; 1..P: that pole only; P + 1: several
        self.nodes = [ax.scatter(np.zeros(0), np.zeros(0), s=size_pt, marker=marker, zorder=3,
                                 edgecolors=edge, linewidths=0.8) for marker, size_pt, edge in kinds]
        self.caption = fig.suptitle("", fontsize=10, y=0.985)
        handles = [Line2D([], [], color=CROSS_BORDER_EDGE, lw=1.2, label="cross-border (two countries)"),
                   Line2D([], [], color=SAME_COUNTRY_EDGE, lw=1.0, label="same country"),
                   Line2D([], [], marker="o", ls="", color="#777777", label="no pole")]
        handles += [Line2D([], [], marker=POLE_MARKERS[k % 6], ls="", mfc="#777777", mec="black", ms=8,
                           label=wrap(f"member: {pole_short(model.cfg.poles, name)}", 44))
                    for k, name in enumerate(dom.pole_names)]
        if n_poles > 1:
            handles.append(Line2D([], [], marker=MULTI_POLE_MARKER, ls="", mfc="#777777", mec="black",
                                  label="several poles"))
        fig.legend(handles=handles, fontsize=8.5, loc="lower center", frameon=False, ncols=2, columnspacing=1.0)
        lo, hi = (centres - 1.7 * radius).min(axis=0), (centres + 1.7 * radius).max(axis=0)
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


def projected(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    """Equirectangular coordinates (km-like units) centred on the territories: x = lon cos(mean lat), y = lat."""
    return np.column_stack([(lon - lon.mean()) * np.cos(np.radians(lat.mean())), lat - lat.mean()])


def territory_map_figure(territories: dict[str, dict], poles: dict[str, dict],
                         members: dict[str, dict[str, float]], links: dict[tuple[str, str], float],
                         title: str, value_format: str = "{:.0f}") -> Figure:
    """The territories at their configured coordinates (a schematic map: no tiles, no downloads), a line for
    the partnerships between each pair of territories (width by count, the count written on it; dark and solid
    across the border, grey and dashed within a country) and, beside each territory, each pole's members there.

    ``members``: pole -> territory code -> members; ``links``: (code, code) -> partnerships (either order).
    """
    codes = list(territories)
    lat = np.array([float(territories[c]["lat"]) for c in codes])
    lon = np.array([float(territories[c]["lon"]) for c in codes])
    xy = projected(lat, lon)
    span = max(float(np.ptp(xy[:, 0])), float(np.ptp(xy[:, 1])), 1e-6)
    fig = Figure(figsize=(7.5, 5.6))
    ax = fig.add_axes((0.02, 0.02, 0.96, 0.88))
    idx = {c: k for k, c in enumerate(codes)}
    pairs = {}
    for (a, b), n in links.items():
        if a in idx and b in idx and a != b:
            key = tuple(sorted((a, b), key=idx.__getitem__))
            pairs[key] = pairs.get(key, 0.0) + float(n)
    top = max(pairs.values(), default=0.0)
    for (a, b), n in pairs.items():
        cross = territories[a].get("country") != territories[b].get("country")
        p, q = xy[idx[a]], xy[idx[b]]
        width = 1.0 + 9.0 * (n / top if top else 0.0)
        ax.plot(*zip(p, q, strict=True), color=CROSS_BORDER_EDGE if cross else "#8a8a8a", lw=width,
                ls="-" if cross else "--", solid_capstyle="round", zorder=1, alpha=0.85)
        mid = (p + q) / 2
        ax.text(*mid, value_format.format(n), ha="center", va="center", fontsize=9, zorder=4,
                bbox={"boxstyle": "round,pad=0.25", "fc": "white", "ec": "#999999", "lw": 0.6})
    names = list(poles)
    for k, code in enumerate(codes):
        colour = TERRITORY_COLOURS[k % len(TERRITORY_COLOURS)]
        ax.scatter(*xy[k], s=900, color=colour, edgecolors="black", linewidths=1, zorder=3)
        lines = [territory_name(territories, code)]
        lines += [f"{wrap(pole_short(poles, p), 30)}: {value_format.format(members.get(p, {}).get(code, 0))} members"
                  for p in names]
        out = xy[k] / max(float(np.linalg.norm(xy[k])), 1e-9)  # away from the territories' common centre
        at = xy[k] + 0.16 * span * out
        ax.text(*at, "\n".join(lines), ha="left" if out[0] > 0.35 else "right" if out[0] < -0.35 else "center",
                va="bottom" if out[1] > 0 else "top", fontsize=8.5, zorder=5, linespacing=1.25,
                bbox={"boxstyle": "round,pad=0.35", "fc": "white", "ec": colour, "lw": 1.2, "alpha": 0.92})
    pad = 0.75 * span
    ax.set_xlim(xy[:, 0].min() - pad, xy[:, 0].max() + pad)
    ax.set_ylim(xy[:, 1].min() - pad, xy[:, 1].max() + pad)
    ax.set_aspect("equal")
    ax.axis("off")
    ax.annotate("N", xy=(0.03, 0.97), xytext=(0.03, 0.87), xycoords="axes fraction", ha="center", fontsize=9,
                arrowprops={"arrowstyle": "-|>", "color": "black"})
    fig.legend(handles=[Line2D([], [], color=CROSS_BORDER_EDGE, lw=3, label="cross-border partnerships"),
                        Line2D([], [], color="#8a8a8a", lw=2, ls="--", label="same-country (interregional)")],
               loc="lower center", ncols=2, fontsize=8.5, frameon=False)
    fig.suptitle(wrap(title, 80), fontsize=11)
    return fig


def run_map_figure(model: XBSimModel) -> Figure:
    """:func:`territory_map_figure` of a run: its active partnerships between territories and its members."""
    from xbsim.outputs.summary import territory_links

    pop, codes = model.population, model.domain.territories.codes
    members = {name: {c: int((model.state.member[:, k] & (pop.territory == t)).sum()) for t, c in enumerate(codes)}
               for k, name in enumerate(model.domain.pole_names)}
    links = {tuple(k.split("-")): v for k, v in territory_links(model).items()}
    c = plain(model.cfg)
    return territory_map_figure(c["territories"], c["poles"], members, links,
                                f"Active partnerships between the territories and pole members at month "
                                f"{model.month}")
