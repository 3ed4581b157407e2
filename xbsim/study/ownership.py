"""Output folders are owned: one run per folder, one writer at a time, and reports that know what they saw.

- **Owner.** A run records itself in ``.xbsim-owner.json`` (its scenario and configuration digest) before writing
  anything. A folder that holds files of another run (another digest, or files without an owner) is refused in one
  line, unless the run is asked to clear it first (``xbsim --overwrite`` or ``study.overwrite=true``). A folder of
  the same scenario is resumed (finished replications are reused, a finished scenario is skipped).
- **Lock.** While it writes, a run holds an exclusive lock (``fcntl.flock``) on ``.xbsim.lock``; a second process
  that wants the same folder is refused (exit status 75). The kernel drops the lock when the process dies, even by
  kill -9, so a stale lock never blocks a rerun.
- **Reports.** ``report/scenarios.json`` lists the scenarios a report saw (finished, failed, unfinished); a report
  whose list no longer matches the folder is stale, and the end of a run or sweep (and ``xbsim-report``) rewrites it.

The rule is described in docs/experiments.md ("Who owns an output folder").
"""

from __future__ import annotations

import errno
import fcntl
import os
import shutil
import socket
from pathlib import Path
from typing import IO, Any

from xbsim.core.errors import FolderBusyError, OutputFolderError
from xbsim.io.atomic import read_json, write_json

OWNER_FILE = ".xbsim-owner.json"
LOCK_FILE = ".xbsim.lock"
REPORT_MANIFEST = "scenarios.json"
HYDRA_DIR = ".hydra"
_held: dict[Path, IO[str]] = {}  # folders this process holds the lock of -> the open lock file


def _foreign(outdir: Path, own: set[str]) -> list[Path]:
    """Entries of ``outdir`` that are not this run's bookkeeping (owner, lock, and the names in ``own``)."""
    skip = {OWNER_FILE, LOCK_FILE, *own}
    return sorted(p for p in outdir.iterdir() if p.name not in skip)


def owner_of(outdir: Path) -> dict[str, Any] | None:
    try:
        doc = read_json(outdir / OWNER_FILE)
    except (OSError, ValueError):
        return None
    return doc if isinstance(doc, dict) else None


def _same_scenario(outdir: Path, digest: str) -> bool:
    """Whether the folder's files are this scenario's: its owner record, or (a folder written before owner records
    existed) its finished scenario.json."""
    owner = owner_of(outdir)
    if owner is not None:
        return owner.get("config_hash") == digest
    try:
        doc = read_json(outdir / "scenario.json")
    except (OSError, ValueError):
        return False
    return isinstance(doc, dict) and doc.get("config_hash") == digest


def lock(outdir: Path) -> None:
    """Hold the folder's lock for the rest of this process (or until :func:`release`); FolderBusyError if another
    process holds it."""
    outdir = outdir.absolute()
    if outdir in _held:
        return
    outdir.mkdir(parents=True, exist_ok=True)
    f = open(outdir / LOCK_FILE, "a+", encoding="utf-8")  # noqa: SIM115 - held open while the run writes
    try:
        fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        f.seek(0)
        holder = f.read().strip() or "another process"
        f.close()
        raise FolderBusyError(
            f"output folder {outdir} is being written by another xbsim run ({holder}); wait "
            "for it to finish or choose another folder (hydra.run.dir=..., hydra.sweep.dir=...)"
        ) from None
    f.seek(0)
    f.truncate()
    f.write(f"pid {os.getpid()} on {socket.gethostname()}\n")
    f.flush()
    _held[outdir] = f


def release(outdir: Path) -> None:
    f = _held.pop(outdir.absolute(), None)
    if f is not None:
        f.close()  # closing drops the flock


def claim(outdir: Path, scenario: str, digest: str, overwrite: bool, own: set[str] = frozenset()) -> None:
    """Make ``outdir`` this run's: lock it, refuse (or with ``overwrite`` clear) another run's files, record the
    owner. ``own`` names entries this launch wrote already (Hydra's ``.hydra/`` and job log in a sweep job)."""
    outdir = outdir.absolute()
    if outdir.exists() and not outdir.is_dir():
        raise NotADirectoryError(errno.ENOTDIR, "it is a file, not a folder", str(outdir))
    held = outdir in _held
    lock(outdir)
    owner = owner_of(outdir)
    if held and owner is not None and owner.get("config_hash") == digest:
        return  # claimed already by this process (the run's start callback)
    try:
        foreign = _foreign(outdir, set(own) | {HYDRA_DIR, *(p.name for p in outdir.glob("*.log"))})
        if foreign and not _same_scenario(outdir, digest):
            if not overwrite:
                shown = ", ".join(p.name for p in foreign[:3]) + (", ..." if len(foreign) > 3 else "")
                whose = f"scenario {owner.get('scenario')!r}" if owner else "no xbsim owner record"
                raise OutputFolderError(
                    f"output folder {outdir} holds another run's files ({whose}: {shown}); rerun with --overwrite "
                    "(or study.overwrite=true) to clear it first, or choose another folder (hydra.run.dir=...)"
                )
            for p in _foreign(outdir, set(own)):
                shutil.rmtree(p) if p.is_dir() and not p.is_symlink() else p.unlink()
        write_json(
            outdir / OWNER_FILE,
            {"scenario": scenario, "config_hash": digest, "pid": os.getpid(), "host": socket.gethostname()},
        )
    except BaseException:
        if not held:
            release(outdir)
        raise


def report_manifest(col: Any) -> dict[str, Any]:
    """What a report of the collection ``col`` (xbsim.study.collect.Collection) sees: every scenario folder with
    its status and digest (relative to the collection's root)."""
    root = Path(col.root)

    def rel(d: Any) -> str:
        try:
            return Path(d).relative_to(root).as_posix() or "."
        except ValueError:
            return str(d)

    rows = [
        {
            "dir": rel(s.dir),
            "status": "finished",
            "config_hash": s.doc.get("config_hash"),
            "replications": (s.doc.get("replications") or {}).get("n"),
        }
        for s in col.scenarios
    ]
    rows += [{"dir": rel(f.get("dir", "")), "status": "failed", "error": f.get("error")} for f in col.failures]
    rows += [{"dir": rel(d), "status": "unfinished"} for d in col.unfinished]
    return {"scenarios": sorted(rows, key=lambda r: (r["dir"], r["status"]))}


def report_is_stale(root: Path) -> bool:
    """Whether ``root/report`` exists and saw other scenarios than ``root`` holds now (no manifest: stale)."""
    from xbsim.study.collect import REPORT_DIR, collect

    folder = root / REPORT_DIR
    if not folder.is_dir():
        return False
    try:
        seen = read_json(folder / REPORT_MANIFEST)
    except (OSError, ValueError):
        return True
    return seen != report_manifest(collect(root))


def write_recorded_report(col: Any, baseline: str | None = None, replications: bool = False) -> Path:
    """Write the report of ``col`` and, last, the list of scenarios it saw (report/scenarios.json)."""
    from xbsim.study.report import write_report

    out = write_report(col, baseline=baseline, replications=replications)
    write_json(out / REPORT_MANIFEST, report_manifest(col))
    return out


def refresh_stale_report(root: Path) -> Path | None:
    """Rewrite ``root/report`` when it is stale (it predates scenarios that finished, failed or started since);
    returns the report folder when it was rewritten."""
    from xbsim.study.collect import collect

    if not report_is_stale(root):
        return None
    col = collect(root)
    if not col.scenarios:
        return None
    return write_recorded_report(col)
