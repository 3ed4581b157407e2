"""The monitoring-data format: round trip, template, and a bad file's precise messages."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from xbsim.calibration.monitoring import INDICATORS, MonitoringError, read_monitoring, write_monitoring, write_template


def frame(months: int = 3) -> pd.DataFrame:
    idx = pd.RangeIndex(1, months + 1, name="month")
    return pd.DataFrame({ind: [k + m for m in idx] for k, ind in enumerate(INDICATORS)}, index=idx)


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_round_trip(tmp_path: Path, suffix: str) -> None:
    path = write_monitoring(tmp_path / f"m{suffix}", frame())
    back = read_monitoring(path)
    assert (back.to_numpy() == frame().to_numpy()).all()
    assert list(back.columns) == list(INDICATORS) and list(back.index) == [1, 2, 3]


def test_template_has_every_month_and_indicator(tmp_path: Path) -> None:
    path = write_template(tmp_path / "t.csv", 4)
    text = path.read_text(encoding="utf-8").splitlines()
    assert text[0] == "month,indicator,value,note" and len(text) == 1 + 4 * len(INDICATORS)
    back = read_monitoring(path)
    assert back.shape == (4, len(INDICATORS)) and int(back.to_numpy().sum()) == 0


def test_bad_file_lists_every_problem(tmp_path: Path) -> None:
    rows = ["month;indicator;value;colour"]
    rows += [f"{m};{ind};1;" for m in (1, 2) for ind in INDICATORS if (m, ind) != (2, "follow_ups")]
    rows += [
        "0;surveys_returned;3;",
        "x;surveys_returned;3;",
        "3;surveys;3;",
        "1;b2b_meetings_held;-3;",
        "1;partnerships_signed;2.5;",
        "1;follow_ups;1,000;",
        "1;surveys_returned;4;",
        "40;surveys_returned;1;",
    ]
    path = tmp_path / "bad.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    with pytest.raises(MonitoringError) as info:
        read_monitoring(path, horizon=36)
    msg = str(info.value).splitlines()
    f = str(path)
    assert msg[0] == f"monitoring file {f!r}: 10 problems (rows are spreadsheet rows; nothing was run)"
    assert msg[1:] == [
        f"  {f}, row 1, column D: 'colour' is not a column of the format; allowed: month, indicator, value, note",
        f"  {f}, row 13, column A (month): '0' is not a month of the programme; allowed: a whole number from 1 to 36",
        f"  {f}, row 14, column A (month): 'x' is not a month of the programme; allowed: a whole number from 1 to 36",
        f"  {f}, row 15, column B (indicator): 'surveys' is not an indicator; allowed: " + ", ".join(INDICATORS),
        f"  {f}, row 16, column C (value): '-3' is not a count; allowed: a whole number >= 0 (the count of that month)",
        f"  {f}, row 17, column C (value): '2.5' is not a count; allowed: a whole number >= 0 (the count of that "
        "month)",
        f"  {f}, row 18, column C (value): '1,000' is not a count; allowed: a whole number >= 0 (the count of that "
        "month)",
        f"  {f}, row 19, column B (indicator): 'surveys_returned' is given twice for month 1 (first in row 2); "
        "allowed: one row per month and indicator",
        f"  {f}, row 20, column A (month): '40' is not a month of the programme; allowed: a whole number from 1 to 36",
        f"  {f}: missing rows: follow_ups in month 2; allowed: every indicator for every month from 1 to the last "
        "observed month (2)",
    ]


def test_missing_column_empty_and_absent_files(tmp_path: Path) -> None:
    (tmp_path / "nocol.csv").write_text("month,value\n1,3\n", encoding="utf-8")
    with pytest.raises(
        MonitoringError,
        match=r"the header lacks the column\(s\) indicator; allowed: a header with "
        "month, indicator and value",
    ):
        read_monitoring(tmp_path / "nocol.csv")
    (tmp_path / "empty.csv").write_text("\n", encoding="utf-8")
    with pytest.raises(MonitoringError, match="the file is empty"):
        read_monitoring(tmp_path / "empty.csv")
    with pytest.raises(MonitoringError, match="the file does not exist"):
        read_monitoring(tmp_path / "absent.csv")
    with pytest.raises(Exception, match=r"the extension '.txt' is not allowed; allowed: .csv or .xlsx"):
        write_monitoring(tmp_path / "m.txt", frame())


def test_shipped_example_is_valid() -> None:
    from xbsim.data import make_monitoring_example as ex

    data = read_monitoring(Path(ex.__file__).with_name("monitoring_example.csv"), horizon=36)
    assert list(data.index) == list(range(1, ex.MONTHS + 1))
    assert data["b2b_meetings_held"].loc[[6, 12]].gt(0).all() and data["b2b_meetings_held"].drop([6, 12]).eq(0).all()
