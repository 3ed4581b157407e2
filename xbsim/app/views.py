"""The page's views as Solara components: the network, pole membership, the funnel and the criteria table.

Each view redraws when Mesa's ``update_counter`` moves (a step or a reset) and caches its picture per model
and month, so moving a control does not redraw it. CSS classes ``xbsim-<view>`` name them for tests.
"""

from __future__ import annotations

import io
from collections.abc import Callable

import solara
from matplotlib.figure import Figure
from mesa.visualization.utils import update_counter

from xbsim.app.charts import funnel_figure, membership_figure
from xbsim.app.criteria import criteria_markdown
from xbsim.app.network import network_figure
from xbsim.model import XBSimModel


def png(fig: Figure) -> bytes:
    """The figure as PNG bytes."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    return buf.getvalue()


def _figure_view(model: XBSimModel, name: str, title: str, draw: Callable[[XBSimModel], Figure]) -> None:
    image = solara.use_memo(lambda: png(draw(model)), dependencies=[model, model.time])
    with solara.Column(classes=["xbsim-view", f"xbsim-{name}"], gap="4px", style={"padding": "4px 8px"}):
        solara.Text(title, classes=["xbsim-view-title"], style={"font-weight": "600"})
        solara.Image(image, width="100%", classes=[f"xbsim-{name}-image"])


@solara.component
def NetworkView(model: XBSimModel) -> None:
    """Partnerships between companies, by territory, with pole members marked."""
    update_counter.get()
    _figure_view(model, "network", "Partnership network", network_figure)


@solara.component
def MembershipView(model: XBSimModel) -> None:
    """Each pole's members over time against its critical-mass thresholds."""
    update_counter.get()
    _figure_view(model, "membership", "Pole members against critical mass", membership_figure)


@solara.component
def FunnelView(model: XBSimModel) -> None:
    """Surveyed -> engaged -> met -> partnered -> members."""
    update_counter.get()
    _figure_view(model, "funnel", f"Programme funnel at month {model.month}", lambda m: funnel_figure(m.funnel()))


@solara.component
def CriteriaView(model: XBSimModel) -> None:
    """The month, the programme, any control not applied, and each pole's criteria and verdicts."""
    update_counter.get()
    text = solara.use_memo(lambda: criteria_markdown(model), dependencies=[model, model.time])
    with solara.Column(classes=["xbsim-view", "xbsim-criteria"], gap="4px", style={"padding": "4px 8px"}):
        for note in getattr(model, "notes", []):
            solara.Warning(note, classes=["xbsim-note"], dense=True)
        solara.Text(f"Month {model.month} of {model.horizon}", classes=["xbsim-month"],
                    style={"font-weight": "700", "font-size": "1.1em"})
        solara.Markdown(text, style={"font-size": "0.85em"})


VIEWS = [NetworkView, MembershipView, FunnelView, CriteriaView]
