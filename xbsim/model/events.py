"""The model's event logs: append-only tables of what happened (meetings and contacts, joins, partnership
formations and dissolutions), owned by the model and filled a whole vector at a time.

Monthly series go through Mesa's DataCollector (reporters read the month's one record); events are many rows
a month, so they are kept here as columns and handed out as DataFrames (``model.events["meetings"].frame()``).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

MEETING_COLUMNS = ("month", "kind", "event", "pole", "company_i", "company_j", "slot", "start_minute", "status",
                   "follow_up", "cross_border", "interregional")
JOIN_COLUMNS = ("month", "pole", "company", "actor_type", "territory", "accompanied_months")
PARTNERSHIP_EVENT_COLUMNS = ("month", "event", "partnership", "company_i", "company_j")
#: The event logs of every model: name -> columns.
EVENT_LOGS: dict[str, tuple[str, ...]] = {"meetings": MEETING_COLUMNS, "joins": JOIN_COLUMNS,
                                          "partnership_events": PARTNERSHIP_EVENT_COLUMNS}


class EventLog:
    """One append-only table with fixed columns."""

    def __init__(self, columns: tuple[str, ...]) -> None:
        self.columns = columns
        self._data: dict[str, list[Any]] = {c: [] for c in columns}

    def add(self, columns: dict[str, Any]) -> None:
        """Append many rows at once: arrays give one row per element, scalars are broadcast to them."""
        arrays = [v for v in columns.values() if isinstance(v, np.ndarray)]
        n = arrays[0].size if arrays else 1
        for col in self.columns:
            value = columns[col]
            self._data[col].extend(value.tolist() if isinstance(value, np.ndarray) else [value] * n)

    def __len__(self) -> int:
        return len(self._data[self.columns[0]])

    def frame(self) -> pd.DataFrame:
        """The rows so far, one column per field, in the order they happened."""
        return pd.DataFrame(self._data, columns=list(self.columns))


def event_logs() -> dict[str, EventLog]:
    """A fresh set of the model's event logs."""
    return {name: EventLog(columns) for name, columns in EVENT_LOGS.items()}
