"""Where the views sit on SolaraViz's draggable grid, and how tall they are.

Mesa 3.5 gives every component 10 rows of 30 px (``make_initial_grid_layout``), too short for these figures,
and has no parameter to change it; :func:`install` swaps in a layout for the app's four views and keeps
Mesa's for any other number of components. The views can still be dragged and resized in the page.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from mesa.visualization import solara_viz

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


def install() -> None:
    """Make SolaraViz place the views with :func:`grid_layout` (idempotent)."""
    solara_viz.make_initial_grid_layout = grid_layout
