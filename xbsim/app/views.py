"""The page's views as Solara components: the network, pole membership, the funnel and the criteria table.

Each view re-renders when Mesa's ``update_counter`` moves (a step or a reset). Pictures are cached per model
and redrawn only when what they show changes (the membership chart every month, the network when partnerships
or members change); the funnel and the criteria are HTML. CSS classes ``xbsim-<view>`` name the views for
tests.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable

import ipywidgets
import solara
from matplotlib.figure import Figure
from mesa.visualization.utils import update_counter

from xbsim.app import layout
from xbsim.app.charts import FUNNEL_CSS, funnel_html
from xbsim.app.criteria import CRITERIA_CSS, criteria_html
from xbsim.model import XBSimModel
from xbsim.outputs.figures import MembershipPlot, png_bytes
from xbsim.outputs.network import NetworkPlot, network_signature

VIEW_STYLE = {"padding": "4px 10px", "height": "100%", "overflow": "auto"}


def _figure_view(model: XBSimModel, name: str, title: str, height_px: int, draw: Callable[[], Figure],
                 key: Hashable) -> None:
    """A titled picture, redrawn only when ``model`` or ``key`` changes."""
    image = solara.use_memo(lambda: png_bytes(draw(), fast=True), dependencies=[model, key])
    box = solara.use_memo(  # one Layout widget per view: a dict would make a new widget at every render
        lambda: ipywidgets.Layout(width="100%", height=f"{height_px}px", object_fit="contain"), [height_px])
    with solara.Column(classes=["xbsim-view", f"xbsim-{name}"], gap="2px", style=VIEW_STYLE):
        solara.Text(title, classes=["xbsim-view-title"], style={"font-weight": "600"})
        ipywidgets.Image.element(value=image, format="png", _dom_classes=[f"xbsim-{name}-image"], layout=box)


@solara.component
def NetworkView(model: XBSimModel) -> None:
    """Partnerships between actors, by territory, with pole members marked."""
    update_counter.get()
    plot = solara.use_memo(lambda: NetworkPlot(model), dependencies=[model])
    _figure_view(model, "network", f"Partnership network at month {model.month}", layout.NETWORK_PX,
                 plot.draw, network_signature(model))


@solara.component
def MembershipView(model: XBSimModel) -> None:
    """Each pole's members over time against its critical-mass thresholds."""
    update_counter.get()
    plot = solara.use_memo(lambda: MembershipPlot(model), dependencies=[model])
    _figure_view(model, "membership", "Pole members against critical mass", layout.MEMBERSHIP_PX, plot.draw,
                 model.time)


@solara.component
def FunnelView(model: XBSimModel) -> None:
    """Contacted -> known -> engaged -> met -> partnered -> members, as bars on the scale of all actors."""
    update_counter.get()
    solara.Style(FUNNEL_CSS)
    with solara.Column(classes=["xbsim-view", "xbsim-funnel"], gap="2px", style=VIEW_STYLE):
        solara.Text(f"Programme funnel at month {model.month}", classes=["xbsim-view-title"],
                    style={"font-weight": "600"})
        solara.HTML(tag="div", unsafe_innerHTML=funnel_html(model.funnel()), classes=["xbsim-funnel-body"])


@solara.component
def CriteriaView(model: XBSimModel) -> None:
    """The month, the programme, any control not applied, and each pole's criteria and verdicts."""
    update_counter.get()
    text = solara.use_memo(lambda: criteria_html(model), dependencies=[model, model.time])
    solara.Style(CRITERIA_CSS)
    with solara.Column(classes=["xbsim-view", "xbsim-criteria"], gap="2px", style=VIEW_STYLE):
        solara.Text(f"Month {model.month} of {model.horizon}", classes=["xbsim-month"],
                    style={"font-weight": "700", "font-size": "1.15em"})
        for note in getattr(model, "notes", []):
            solara.Warning(note, classes=["xbsim-note"], dense=True)
        solara.HTML(tag="div", unsafe_innerHTML=text, classes=["xbsim-criteria-body"])


VIEWS = [NetworkView, MembershipView, FunnelView, CriteriaView]
