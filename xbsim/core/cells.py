"""What people type in spreadsheet cells, read without guessing: numbers with decimal and thousands separators.

Shared by every reader of user tables (survey files, monitoring data). A cell like ``1,000`` or ``2.000`` has two
readings (a thousands separator, or a decimal one); :func:`number_readings` returns both, and the reader keeps the
ones its column allows: one left is the value, two left is an ambiguity the user must resolve, none is out of range.
"""

from __future__ import annotations

import math
import re

SPACES = (" ", "\u00a0", "\u202f", "\u2009")  # spaces used as thousands separators (incl. no-break and thin ones)
PLAIN = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d{1,3})?")
_AMBIGUOUS = re.compile(r"([+-]?)([1-9]\d{0,2})[.,](\d{3})")  # 1,000  2.000  -12,500: thousands or decimals
_GROUPED = re.compile(r"[+-]?[1-9]\d{0,2}(?:(?P<t>[.,])\d{3})(?:(?P=t)\d{3})*")  # 1,234,567  1.234.567


def _finite(values: tuple[float, ...]) -> tuple[float, ...] | None:
    kept = tuple(dict.fromkeys(v for v in values if math.isfinite(v)))
    return kept or None


def number_readings(text: str) -> tuple[float, ...] | None:
    """Every finite number ``text`` can mean, or None when it is not a number.

    Accepted: a decimal point or comma (``3,5``), Excel's leading apostrophe (``'12``), spaces between digit groups
    (``1 234``), both separators with well-formed groups (``1.234,5``, ``1,234.5``), repeated thousands separators
    (``1,234,567``), an exponent (``1e3``). A single ``,`` or ``.`` followed by exactly three digits (``1,000``) has
    two readings (1000 and 1.0)."""
    s = text.strip().lstrip("'")
    for space in SPACES:
        s = s.replace(space, "")
    if not s:
        return None
    comma, dot = s.count(","), s.count(".")
    if comma and dot:  # the later one is the decimal separator, the other one separates groups of three digits
        dec, sep = (",", ".") if s.rfind(",") > s.rfind(".") else (".", ",")
        if s.count(dec) != 1:
            return None
        whole, frac = s.split(dec)
        if not (_GROUPED.fullmatch(whole) and frac.isdigit()):
            return None
        return _finite((float(f"{whole.replace(sep, '')}.{frac}"),))
    if comma + dot == 1:
        if m := _AMBIGUOUS.fullmatch(s):
            sign, whole, frac = m.groups()
            return _finite((float(f"{sign}{whole}.{frac}"), float(f"{sign}{whole}{frac}")))
        s = s.replace(",", ".")
    elif comma + dot > 1:
        return _finite((float(re.sub(r"[.,]", "", s)),)) if _GROUPED.fullmatch(s) else None
    return _finite((float(s),)) if PLAIN.fullmatch(s) else None


def ambiguity(text: str, readings: tuple[float, ...]) -> str:
    """The problem text of a cell with several allowed readings."""
    shown = " or ".join(f"{x:g}" for x in readings)
    return f"is ambiguous: it can be read as {shown} (thousands or decimal separator)"
