"""Where the views sit on SolaraViz's draggable grid, how tall they are, and what of Mesa's page is replaced.

Mesa 3.5 gives every component 10 rows of 30 px (``make_initial_grid_layout``), too short for these figures,
and has no parameter to change it; :func:`install` swaps in a layout for the app's four views and keeps
Mesa's for any other number of components. The views can still be dragged and resized in the page.

:func:`install` also replaces two of Mesa's widgets that a reader of this model cannot use: the
"Information: Time: 0.0" card shows the month and, at the horizon, that the run is finished
(:func:`MonthInfo`); the sliders show their value beside them (:func:`UserInputs`). :data:`PAGE_CSS` hides
Mesa's single "PAGE 0" tab.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import solara
from mesa.visualization import solara_viz
from mesa.visualization.utils import update_counter

ROW_PX, MARGIN_PX = 30, 10  # Solara's GridDraggable: row height and margin
TITLE_PX = 42  # a view's title and padding
#: Heights in px of the pictures (which keep their aspect ratio inside), the funnel and the criteria.
NETWORK_PX, MEMBERSHIP_PX, FUNNEL_PX, CRITERIA_PX = 470, 470, 250, 640


def rows(px: int) -> int:
    """Grid rows needed for ``px`` pixels of content (n rows span n*ROW + (n-1)*MARGIN px)."""
    return math.ceil((px + MARGIN_PX) / (ROW_PX + MARGIN_PX))


def app_layout() -> list[dict[str, Any]]:
    """Network | membership on top, funnel | criteria below (grid of 12 columns)."""
    top = rows(max(NETWORK_PX, MEMBERSHIP_PX) + TITLE_PX)
    cells = [(0, 0, top), (6, 0, top), (0, top, rows(FUNNEL_PX + TITLE_PX)), (6, top, rows(CRITERIA_PX))]
    return [{"i": i, "x": x, "y": y, "w": 6, "h": h, "moved": False} for i, (x, y, h) in enumerate(cells)]


_mesa_layout: Callable[[int], list[dict[str, Any]]] = solara_viz.make_initial_grid_layout


def grid_layout(num_components: int) -> list[dict[str, Any]]:
    """The app's layout for its four views; Mesa's own otherwise."""
    return app_layout() if num_components == 4 else _mesa_layout(num_components)


#: Mesa's tab bar (one page only: "PAGE 0") and legible slider values.
PAGE_CSS = """
.v-tabs { display: none !important; }
.xbsim-slider-value { min-width: 3.2em; text-align: right; font-variant-numeric: tabular-nums; font-weight: 600; }
.xbsim-finished { color: #1b5e20; font-weight: 600; }
"""
SLIDERS = ("SliderInt", "SliderFloat")


@solara.component
def MonthInfo(model: Any) -> None:
    """The Information card: the month, and at the horizon that the run is finished (Play stays disabled)."""
    update_counter.get()
    month, horizon = getattr(model, "month", model.time), getattr(model, "horizon", None)
    if horizon is None:
        solara.Text(f"Step {model.time:g}")
        return
    solara.Text(f"Month {month} of {horizon}", classes=["xbsim-info-month"])
    if not model.running:
        solara.Text("Finished: the horizon is reached. Press Reset to run again.",
                    classes=["xbsim-finished"])


@solara.component
def _Slider(name: str, options: dict[str, Any], on_change: Callable[[str, Any], None]) -> None:
    """A slider with its current value written beside it."""
    value, set_value = solara.use_state(options.get("value"))

    def changed(v: Any) -> None:
        set_value(v)
        on_change(name, v)

    slider = solara.SliderFloat if options["type"] == "SliderFloat" else solara.SliderInt
    with solara.Row(style={"align-items": "center"}, gap="6px", classes=[f"xbsim-control-{name}"]):
        slider(options.get("label", name), value=value, on_value=changed, min=options.get("min"),
               max=options.get("max"), step=options.get("step"))
        shown = f"{value:g}" if isinstance(value, float) else str(value)
        solara.Text(shown, classes=["xbsim-slider-value"])


_mesa_inputs = solara_viz.UserInputs


@solara.component
def UserInputs(user_params: dict[str, Any], on_change: Callable[[str, Any], None] | None = None) -> None:
    """Mesa's controls, the sliders with their values beside them (other controls are Mesa's own)."""
    solara.Style(PAGE_CSS)
    for name, options in user_params.items():
        if isinstance(options, dict) and options.get("type") in SLIDERS and on_change is not None:
            _Slider(name, options, on_change)
        else:
            _mesa_inputs({name: options}, on_change=on_change)


def install() -> None:
    """Make SolaraViz place the views with :func:`grid_layout`, show the month and the finished state instead
    of "Time", and the sliders' values (idempotent)."""
    solara_viz.make_initial_grid_layout = grid_layout
    solara_viz.ShowSteps = MonthInfo
    solara_viz.UserInputs = UserInputs
