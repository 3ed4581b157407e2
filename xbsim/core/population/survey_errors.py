"""Problems found in a survey file, and the error that reports all of them at once.

Every problem names the file, the spreadsheet row (the header is row 1 when it is the first line), the column
(its header text and letter), the value and what is allowed, so that a planner can fix the file without
reading any code. The generic parts (:class:`~xbsim.core.errors.Problem`,
:class:`~xbsim.core.errors.TableError`) live in
:mod:`xbsim.core.errors` for the other readers of user tables.
"""

from __future__ import annotations

from xbsim.core.errors import Problem, TableError, column_letter


class SurveyError(TableError):
    """A survey file that cannot be used; ``str(err)`` lists every problem, one per line."""

    what = "survey file"


__all__ = ["Problem", "SurveyError", "column_letter"]
