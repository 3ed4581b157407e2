"""Errors that reach the user as clear messages (never as a traceback), and the exit status of each kind of fault.

Reusable by every reader of user tables (survey files, monitoring data...): :class:`Problem` names the file, the
spreadsheet row, the column, the value and what is allowed; :class:`TableError` reports every problem of a file,
one per line. :func:`fault` turns an interrupt, a full disk or an unwritable path into one line and its exit status.
"""

from __future__ import annotations

import errno
from dataclasses import dataclass

#: Exit statuses of every xbsim command (docs/experiments.md, "Exit statuses"); 0 is success, 1 a failed scenario
#: of a sweep (or a Hydra usage error), 128 + N death by signal N as the shell reports it.
EXIT_INPUT = 2  # bad input: configuration value, survey file, YAML file, usage; an output folder owned by another run
EXIT_UNAVAILABLE = 69  # the app cannot listen on the port (out of range, in use, not permitted)
EXIT_CANNOT_WRITE = 73  # the output path cannot be written (read-only, a file where a folder is needed, permissions)
EXIT_DISK_FULL = 74  # no space (or quota) left on the device while writing outputs
EXIT_BUSY = 75  # another xbsim process is writing the same output folder (try again when it has finished)
EXIT_INTERRUPTED = 130  # Ctrl-C (SIGINT); the partial run is left unfinished (no scenario.json), as after kill -9
EXIT_TERMINATED = 143  # SIGTERM

DISK_FULL_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT})
CANNOT_WRITE_ERRNOS = frozenset(
    {errno.EROFS, errno.EACCES, errno.EPERM, errno.ENOTDIR, errno.EEXIST, errno.EISDIR, errno.ENAMETOOLONG}
)


class InputError(ValueError):
    """Bad user input other than configuration values (e.g. a survey file); ``str(err)`` is user-ready."""


class OutputFolderError(InputError):
    """An output folder that this run may not write (it holds another run's files); ``str(err)`` is one line."""


class FolderBusyError(OutputFolderError):
    """Another live xbsim process holds the lock of the output folder."""


class Refused(BaseException):  # noqa: N818 - a carrier, not an error of its own
    """Carries an :class:`InputError` or a fault out of a Hydra callback, whose ``Exception``s Hydra turns into
    warnings."""

    def __init__(self, error: Exception) -> None:
        super().__init__(str(error))
        self.error = error


def column_letter(index: int) -> str:
    """Spreadsheet letter of a 0-based column index (0 -> A, 25 -> Z, 26 -> AA)."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(ord("A") + rem) + letters
    return letters


@dataclass(frozen=True)
class Problem:
    """One problem of a user table; ``row``/``column`` are None when it concerns the whole file."""

    file: str
    row: int | None
    column: str | None
    value: str | None
    problem: str
    allowed: str

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column {self.column}")
        what = self.problem if self.value is None else f"{self.value!r} {self.problem}"
        return f"{', '.join(where)}: {what}; allowed: {self.allowed}"


class TableError(InputError):
    """A user table that cannot be used; ``str(err)`` lists every problem, one per line, after a head line.

    ``what`` names the kind of file ("survey file", "monitoring file"); ``note`` says what was read (e.g. which
    sheet of a workbook, and why)."""

    what = "data file"

    def __init__(self, file: str, problems: list[Problem], note: str = "") -> None:
        self.file = file
        self.problems = list(problems)
        self.note = note
        n = len(self.problems)
        read = f" ({note})" if note else ""
        head = (
            f"{self.what} {file!r}{read}: {n} problem{'s' if n != 1 else ''} "
            "(rows are spreadsheet rows; nothing was run)"
        )
        super().__init__("\n".join([head, *(f"  {p}" for p in self.problems)]))


def fault(err: BaseException, where: str = "") -> tuple[int, str] | None:
    """(exit status, one line) for an interrupt, a full disk or an unwritable path; None for anything else.

    ``where`` names the output folder for the interrupt message ("the partial run in DIR is unfinished")."""
    if isinstance(err, KeyboardInterrupt):
        left = f"; the partial run in {where} is left unfinished (no scenario.json)" if where else ""
        return EXIT_INTERRUPTED, f"interrupted{left}"
    if isinstance(err, OSError) and err.errno in DISK_FULL_ERRNOS:
        name = f" writing {err.filename}" if err.filename else ""
        return EXIT_DISK_FULL, f"no space left on the device{name} ({err.strerror}); free some space and rerun"
    if isinstance(err, OSError) and err.errno in CANNOT_WRITE_ERRNOS:
        name = f" {err.filename!s}" if err.filename else ""
        return EXIT_CANNOT_WRITE, (
            f"cannot write the output path{name}: {err.strerror}; choose a writable folder "
            "(hydra.run.dir=..., hydra.sweep.dir=...)"
        )
    return None


def fault_in_chain(err: BaseException) -> tuple[int, str] | None:
    """:func:`fault` of ``err`` or of the first exception it was raised from (Hydra wraps some errors)."""
    seen: set[int] = set()
    e: BaseException | None = err
    while e is not None and id(e) not in seen:
        seen.add(id(e))
        found = fault(e)
        if found is not None:
            return found
        e = e.__cause__ or e.__context__
    return None


def config_error_line(err: BaseException) -> str | None:
    """One line for a Hydra or OmegaConf error (a bad override, an unknown key, a wrong type): its message with
    whitespace collapsed, then its cause's when the message does not already hold it; None for any other error.
    The commands and the app print it with their own prefix, never Hydra's traceback."""
    from hydra.errors import HydraException
    from omegaconf.errors import OmegaConfBaseException

    if not isinstance(err, HydraException | OmegaConfBaseException):
        return None
    text = " ".join(str(err).split()) or type(err).__name__
    cause = " ".join(str(err.__cause__).split()) if err.__cause__ is not None else ""
    if cause and cause not in text:
        text = f"{text.rstrip('.')}: {cause}"
    return text
