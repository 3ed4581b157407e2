"""Outputs of one run: summary.json, tables, figures, the console summary. Written atomically.

The names below are imported on first use (PEP 562), so ``from xbsim.io.atomic import write_json`` in a
light module does not load the model or matplotlib.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

__all__ = ["build_summary", "console_summary", "write_run"]

_LAZY = {"build_summary": "xbsim.outputs.summary", "console_summary": "xbsim.outputs.console",
         "write_run": "xbsim.outputs.run"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'xbsim.outputs' has no attribute {name!r}")
