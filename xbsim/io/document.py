"""A small document model (headings, paragraphs, lists, tables, figures, code) rendered to Markdown and to one
self-contained HTML page (inline CSS, figures embedded as base64 PNG), so a report's two files always say the same
thing. Shared by the convergence report (``xbsim-analyse``) and the experiments report (``xbsim-report``).

Where the reports differ, the renderers take an option: ``cell`` formats table cells (:func:`plain_cell`, the
default, or :func:`fixed_cell`) and ``toc`` gives the HTML headings anchors and a table of contents. Nothing here
reads a clock or draws random numbers, so the same blocks always render to the same text.
"""

from __future__ import annotations

import base64
import html
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class Heading:
    text: str
    level: int = 2


@dataclass(frozen=True)
class Para:
    text: str  # markup: `code` spans, [links](relative href), **bold**


@dataclass(frozen=True)
class Bullets:
    items: Sequence[str]


@dataclass(frozen=True)
class Table:
    df: pd.DataFrame
    caption: str = ""
    index: bool = False  # show the frame's index as its first column(s)


@dataclass(frozen=True)
class Figure:
    """A PNG image: linked from the Markdown as ``href`` (relative to the report), embedded in the HTML."""

    href: str
    caption: str
    png: bytes

    @classmethod
    def from_file(cls, path: Path, caption: str) -> Figure:
        """A figure already written into the report's folder, linked by its file name."""
        return cls(path.name, caption, path.read_bytes())


@dataclass(frozen=True)
class Code:
    text: str
    lang: str = ""


Block = Heading | Para | Bullets | Table | Figure | Code
CellFormat = Callable[[Any], str]


# ---- table cells -----------------------------------------------------------------------------------------


def _missing(v: object) -> bool:
    return v is None or v is pd.NA or (isinstance(v, float | np.floating) and math.isnan(v))


def plain_cell(value: Any) -> str:
    """Numbers as ``{:g}`` (round the table first), missing values as an empty cell."""
    if _missing(value):
        return ""
    if isinstance(value, float | np.floating):
        return f"{value:g}"
    return str(value)


def fixed_cell(v: Any) -> str:
    """Numbers with a precision that follows their size (3 decimals below 10), missing values as "–"."""
    if _missing(v):
        return "–"
    if isinstance(v, float):
        if v.is_integer() and abs(v) >= 2:
            return f"{v:.0f}"
        return f"{v:.3f}" if abs(v) < 10 else f"{v:.1f}" if abs(v) < 1000 else f"{v:.0f}"
    return str(v)


# ---- Markdown --------------------------------------------------------------------------------------------


def markdown_table(df: pd.DataFrame, index: bool = False, cell: CellFormat = plain_cell) -> str:
    """A GitHub-flavoured Markdown table ('|' and line breaks inside cells are escaped)."""
    frame = df.reset_index() if index else df
    esc = [[cell(v).replace("|", "\\|").replace("\n", " ") for v in row]
           for row in frame.itertuples(index=False, name=None)]
    head = [str(c).replace("|", "\\|") for c in frame.columns]
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join("---" for _ in head) + "|"]
    lines += ["| " + " | ".join(r) + " |" for r in esc]
    return "\n".join(lines)


def to_markdown(blocks: Sequence[Block], cell: CellFormat = plain_cell) -> str:
    """The blocks as Markdown; figures are linked, not embedded."""
    out: list[str] = []
    for b in blocks:
        if isinstance(b, Heading):
            out.append(f"{'#' * b.level} {b.text}")
        elif isinstance(b, Para):
            out.append(b.text)
        elif isinstance(b, Bullets):
            out.append("\n".join(f"- {item}" for item in b.items))
        elif isinstance(b, Table):
            out.append((f"*{b.caption}*\n\n" if b.caption else "") + markdown_table(b.df, b.index, cell))
        elif isinstance(b, Figure):
            out.append(f"![{b.caption}]({b.href})\n\n*{b.caption}*")
        elif isinstance(b, Code):
            out.append(f"```{b.lang}\n{b.text.rstrip()}\n```")
    return "\n\n".join(out) + "\n"


# ---- HTML ------------------------------------------------------------------------------------------------


_LINK = re.compile(r"\[([^\]]+)\]\(([^()\s]+)\)")


def _links(text: str) -> str:
    """Escape plain text and render its Markdown links ``[text](href)`` (relative links to the report's files)."""
    out, end = [], 0
    for m in _LINK.finditer(text):
        out += [_bold(text[end:m.start()]),
                f'<a href="{html.escape(m.group(2), quote=True)}">{_bold(m.group(1))}</a>']
        end = m.end()
    return "".join(out) + _bold(text[end:])


def _bold(text: str) -> str:
    """Escape plain text and render its ``**bold**`` spans."""
    return re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", html.escape(text))


def _inline(text: str) -> str:
    """Escape ``text`` for HTML and render its `code` spans, ``[links](href)`` and ``**bold**``."""
    parts = re.split(r"`([^`]*)`", text)
    return "".join(f"<code>{html.escape(p)}</code>" if i % 2 else _links(p) for i, p in enumerate(parts))


def _anchor(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


CSS = (
    "body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;max-width:1100px;margin:2em auto;"
    "padding:0 1em;color:#222;line-height:1.45}h1{font-size:1.6em;border-bottom:2px solid #333}"
    "h2{border-bottom:1px solid #ccc;padding-bottom:.2em;margin-top:2em}"
    "table{border-collapse:collapse;margin:.5em 0 1.5em;font-size:.85em}"
    "th,td{border:1px solid #ccc;padding:.25em .5em;overflow-wrap:break-word;text-align:left}"
    "td.n{text-align:right;white-space:nowrap}"
    "th{background:#f3f3f3}caption{caption-side:top;text-align:left;font-style:italic;padding:.3em 0}"
    "code{background:#f3f3f3;padding:0 .2em}pre{background:#f6f6f6;padding:.6em;overflow-x:auto;font-size:.8em}"
    "figure{margin:1em 0 2em}img{max-width:100%}figcaption{font-style:italic;font-size:.9em}nav li{margin:.1em 0}"
)


def _numeric(col: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(col) and not pd.api.types.is_bool_dtype(col)


def html_table(t: Table, cell: CellFormat = plain_cell) -> str:
    """A table; cells of numeric columns are right-aligned (class ``n``)."""
    frame = t.df.reset_index() if t.index else t.df
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in frame.columns)
    opens = ['<td class="n">' if _numeric(frame.iloc[:, j]) else "<td>" for j in range(frame.shape[1])]
    rows = "".join("<tr>" + "".join(f"{o}{html.escape(cell(v))}</td>" for o, v in zip(opens, row, strict=True))
                   + "</tr>" for row in frame.itertuples(index=False, name=None))
    cap = f"<caption>{_inline(t.caption)}</caption>" if t.caption else ""
    return f"<table>{cap}<thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"


def to_html(blocks: Sequence[Block], title: str, cell: CellFormat = plain_cell, toc: bool = False) -> str:
    """The blocks as one self-contained HTML page (inline CSS, figures as base64 PNG). With ``toc``, headings get
    anchors and the level-1 heading is followed by links to the level-2 ones."""
    body: list[str] = []
    sections = [b for b in blocks if isinstance(b, Heading) and b.level == 2] if toc else []
    for b in blocks:
        if isinstance(b, Heading):
            anchor = f' id="{_anchor(b.text)}"' if toc else ""
            body.append(f"<h{b.level}{anchor}>{_inline(b.text)}</h{b.level}>")
            if b.level == 1 and sections:
                body.append("<nav><ul>" + "".join(f'<li><a href="#{_anchor(h.text)}">{_inline(h.text)}</a></li>'
                                                  for h in sections) + "</ul></nav>")
        elif isinstance(b, Para):
            body.append(f"<p>{_inline(b.text)}</p>")
        elif isinstance(b, Bullets):
            body.append("<ul>" + "".join(f"<li>{_inline(i)}</li>" for i in b.items) + "</ul>")
        elif isinstance(b, Table):
            body.append(html_table(b, cell))
        elif isinstance(b, Figure):
            data = base64.b64encode(b.png).decode("ascii")
            body.append(f'<figure><img alt="{html.escape(b.caption)}" src="data:image/png;base64,{data}">'
                        f"<figcaption>{_inline(b.caption)}</figcaption></figure>")
        elif isinstance(b, Code):
            body.append(f"<pre><code>{html.escape(b.text.rstrip())}</code></pre>")
    return (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
            f"<style>{CSS}</style></head><body>\n" + "\n".join(body) + "\n</body></html>\n")
