"""Errors that reach the user as clear messages (never as a traceback)."""

from __future__ import annotations


class InputError(ValueError):
    """Bad user input other than configuration values (e.g. a survey file); ``str(err)`` is user-ready."""
