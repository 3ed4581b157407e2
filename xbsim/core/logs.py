"""Logging defaults of xbsim's commands and app."""

from __future__ import annotations

import logging


def quiet_mesa() -> None:
    """Keep Mesa's logger to warnings: it logs every step at INFO, which would flood a command's log and its
    console (called by the commands and the app; a notebook keeps whatever level it sets)."""
    logging.getLogger("MESA").setLevel(logging.WARNING)
