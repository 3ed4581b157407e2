"""The SolaraViz page (``solara run xbsim.app.page``): controls, step/play/reset and the four views.

Each browser session gets its own :class:`~xbsim.app.appmodel.AppModel`, built from the command line's
overrides (:data:`xbsim.app.config.ENV_VAR`) and the controls' defaults; SolaraViz re-creates it from the
controls on reset.
"""

from __future__ import annotations

import functools
from typing import Any

import solara
from mesa.visualization import SolaraViz
from solara.server import settings as solara_settings

from xbsim.app import layout
from xbsim.app.appmodel import AppModel
from xbsim.app.config import compose_locked, from_env
from xbsim.app.params import initial_values, model_params
from xbsim.app.views import VIEWS

TITLE = "xbsim: cross-border business poles"
PLAY_INTERVAL_MS = 300

layout.install()
solara_settings.theme.show_banner = False  # "This website runs on Solara" would cover the criteria table


@functools.lru_cache(maxsize=1)
def page_params() -> dict[str, Any]:
    """The controls and fixed parameters for the command line's configuration (composed once per server)."""
    overrides = from_env()
    return model_params(compose_locked(overrides), overrides)


@solara.component
def Page() -> None:
    """One session: its model, and SolaraViz around it."""
    params = page_params()
    model = solara.use_memo(lambda: AppModel(**initial_values(params)), dependencies=[])
    solara.Title("xbsim app")
    SolaraViz(model, components=[(view, 0) for view in VIEWS], model_params=params, name=TITLE,
              play_interval=PLAY_INTERVAL_MS)
