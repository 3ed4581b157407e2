"""Atomic file output: write to a temporary file in the same folder, then rename over the target.

A reader (or a crashed run) never sees a half-written file: the target either holds the old content or the
complete new one.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd


def atomic_write(path: str | Path, write: Callable[[Path], None]) -> Path:
    """Call ``write(tmp_path)`` then move the temporary file onto ``path``; returns ``path``."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        write(Path(tmp))
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; give the usual permissions of a new file
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_text(path: str | Path, text: str) -> Path:
    return atomic_write(path, lambda p: p.write_text(text, encoding="utf-8"))


def write_json(path: str | Path, data: Any) -> Path:
    return write_text(path, json.dumps(data, indent=2, ensure_ascii=False, default=_json_default) + "\n")


def write_csv(path: str | Path, df: pd.DataFrame, index: bool = False) -> Path:
    return atomic_write(path, lambda p: df.to_csv(p, index=index, lineterminator="\n"))


def write_parquet(path: str | Path, df: pd.DataFrame) -> Path:
    """A table as parquet (pyarrow), without its index."""
    return atomic_write(path, lambda p: df.to_parquet(p, index=False))


def read_json(path: str | Path) -> Any:
    """A JSON file written by :func:`write_json` (UTF-8)."""
    return json.loads(Path(path).read_text(encoding="utf-8"))


def write_figure(path: str | Path, fig: Any, dpi: int = 110) -> Path:
    """Save a matplotlib figure atomically (PNG, no timestamp metadata, so reruns give identical files)."""
    return atomic_write(path, lambda p: fig.savefig(p, format="png", dpi=dpi, metadata={"Software": None}))


def _json_default(obj: Any) -> Any:
    import numpy as np

    if isinstance(obj, np.integer):
        return int(obj)
    if isinstance(obj, np.floating):
        return float(obj)
    if isinstance(obj, np.bool_):
        return bool(obj)
    if isinstance(obj, np.ndarray):
        return obj.tolist()
    raise TypeError(f"not JSON serialisable: {type(obj).__name__}")
