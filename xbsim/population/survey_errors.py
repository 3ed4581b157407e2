"""Problems found in a survey file, and the error that reports all of them at once.

Every problem names the file, the spreadsheet row (the header is row 1 when it is the first line), the column
(its header text and letter), the value and what is allowed, so that a planner can fix the file without
reading any code.
"""

from __future__ import annotations

from dataclasses import dataclass

from xbsim.errors import InputError


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
    """One problem of a survey file; ``row``/``column`` are None when it concerns the whole file."""

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


class SurveyError(InputError):
    """A survey file that cannot be used; ``str(err)`` lists every problem, one per line."""

    def __init__(self, file: str, problems: list[Problem]) -> None:
        self.file = file
        self.problems = list(problems)
        n = len(self.problems)
        head = (f"survey file {file!r}: {n} problem{'s' if n != 1 else ''} "
                "(rows are spreadsheet rows; nothing was run)")
        super().__init__("\n".join([head, *(f"  {p}" for p in self.problems)]))
