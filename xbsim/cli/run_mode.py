"""One Hydra composition per run: decide run or sweep from the command line when the command line decides it.

Hydra 1.3 composes the whole configuration twice per command: once only to read ``hydra.mode`` (``Hydra.get_mode``)
and once to run. The first composition is a fifth of xbsim's start-up. Hydra reads ``hydra.mode`` from the config
only to let a config file ask for a sweep; no config xbsim ships sets it (tests/test_run_mode.py checks), so with
xbsim's own configs the mode is what the command line says: ``-m``/``--multirun`` a sweep, else one run. That is
exactly what Hydra does when ``get_mode`` finds no mode. When the command line sets ``hydra.mode`` or brings its own
configs (``--config-dir``, ``--config-path``, ``--config-name``), a config may set it, and Hydra's two compositions
are kept.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

# options that bring configs xbsim does not ship, or set the mode: Hydra's own reading of the mode is kept
_OWN_CONFIGS = ("--config-dir", "-cd", "--config-path", "-cp", "--config-name", "-cn")


def mode_from_command_line(argv: Sequence[str]) -> bool:
    """True when the command line alone decides run or sweep (no ``hydra.mode`` override, no user configs)."""
    for arg in argv:
        if arg.lstrip("+~").startswith("hydra.mode"):
            return False
        if arg in _OWN_CONFIGS or arg.startswith(tuple(f"{opt}=" for opt in _OWN_CONFIGS)):
            return False
    return True


@contextmanager
def compose_once(argv: Sequence[str]) -> Iterator[None]:
    """Within the block, Hydra skips its mode-reading composition when the command line decides the mode."""
    if not mode_from_command_line(argv):
        yield
        return
    from hydra._internal.hydra import Hydra

    original = Hydra.get_mode
    Hydra.get_mode = lambda self, config_name, overrides: None  # type: ignore[method-assign]
    try:
        yield
    finally:
        Hydra.get_mode = original  # type: ignore[method-assign]
