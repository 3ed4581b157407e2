"""Two OmegaConf resolvers for collision-free output directories, used in ``xbsim/configs/hydra/default.yaml``.

- ``${xbsim.pid:}`` is the launching process id (cached, so every job of a sweep sees the launcher's value):
  with the microsecond timestamp it keeps two sweeps started at the same moment in distinct directories.
- ``${xbsim.jobdir:${hydra.job.override_dirname}}`` names a sweep job's directory after its overrides, so the
  same scenario always lands in the same directory of a sweep (what lets a rerun skip it) and two different
  scenarios never share one.
"""

from __future__ import annotations

import hashlib
import os
import re
from typing import Any

from omegaconf import OmegaConf

MAX_DIR_CHARS = 120
_UNSAFE = re.compile(r"[^A-Za-z0-9._=,+\-\[\]]")


def register_resolvers() -> None:
    """Register the resolvers (idempotent; needed wherever Hydra resolves ``hydra.run/sweep``)."""
    if not OmegaConf.has_resolver("xbsim.pid"):
        OmegaConf.register_new_resolver("xbsim.pid", lambda: str(os.getpid()), use_cache=True)
    if not OmegaConf.has_resolver("xbsim.jobdir"):
        OmegaConf.register_new_resolver("xbsim.jobdir", job_dirname)


def job_dirname(override_dirname: Any = "") -> str:
    """A safe, unique directory name for a job's override set ("default" when there is none).

    Characters other than letters, digits and ``._=,+-[]`` become ``_``; a name that had to change, or that is too
    long, gets a digest of the exact override set, so that distinct override sets never share a directory.
    """
    text = "" if override_dirname is None else str(override_dirname)
    if not text:
        return "default"
    safe = _UNSAFE.sub("_", text)
    if safe == text and len(text) <= MAX_DIR_CHARS:
        return text
    digest = hashlib.sha1(text.encode("utf-8")).hexdigest()[:10]
    return f"{safe[:MAX_DIR_CHARS - 11]}-{digest}"
