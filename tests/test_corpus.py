"""The hostile-input corpus (tests/corpus/, issue 10): every ordinary mistake is refused in one line naming where,
or handled without losing data; no case ends in a traceback or a silent change.

Classes: survey data silently lost or changed; non-finite and unbounded values; config files written by users;
output folders; faults (interrupt, disk full, unwritable path, bad port). The property-based half of the survey
class is tests/test_survey_corruptions.py.
"""

from __future__ import annotations

import errno
import fcntl
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from omegaconf import OmegaConf

from tests.helpers.cli import exe, run
from tests.helpers.configs import plain
from tests.helpers.scenarios import TINY
from xbsim.core.config import ConfigError, compose, validate
from xbsim.core.config.yaml_check import yaml_problem
from xbsim.core.domain import Domain
from xbsim.core.errors import (
    EXIT_BUSY,
    EXIT_CANNOT_WRITE,
    EXIT_DISK_FULL,
    EXIT_INPUT,
    EXIT_INTERRUPTED,
    EXIT_TERMINATED,
    FolderBusyError,
    OutputFolderError,
)
from xbsim.core.population.survey import read_survey
from xbsim.core.population.survey_errors import SurveyError
from xbsim.study import ownership

CORPUS = Path(__file__).resolve().parent / "corpus"
DOMAIN = Domain.from_config(plain())

# ---- survey data silently lost or changed ---------------------------------------------------------------------
# file, row, column (as the message names it), a fragment of the problem, a fragment of the head line (what was read)
SURVEY_CASES = [
    ("unclosed_quote.csv", 5, "B", "opens a quote that is never closed", ""),
    ("text_after_quote.csv", 5, "B", "has text after its closing quote", ""),
    ("quote_swallows_rows.csv", 3, "C", "runs over lines 3-7 of the file and leaves the row with", ""),
    ("employees_1,000.csv", 3, "'employees' (F)", "'1,000' is ambiguous: it can be read as 1 or 1000", ""),
    ("employees_2.000.csv", 3, "'employees' (F)", "'2.000' is ambiguous: it can be read as 2 or 2000", ""),
    ("mixed_encoding.csv", 6, "B", "is not UTF-8 text while other rows of the file are UTF-8", ""),
    ("lost_separator.csv", 8, "AA", "the row has 26 fields where the header and the other rows have 27", ""),
    ("na_score.csv", 4, "'cap_finance' (J)", "'N/A' is not a number", ""),
    ("na_score.xlsx", 4, "'cap_finance' (J)", "'N/A' is not a number", "(sheet 'survey')"),
    ("error_value.xlsx", 7, "'need_technology' (P)", "'#N/A' is not a number", "(sheet 'survey')"),
    ("formula_without_value.xlsx", 3, "I", "'=B2*0+3' is a formula without a saved value", "(sheet 'survey')"),
    (
        "other_sheet.xlsx",
        None,
        None,
        "the file is empty",
        "(sheet 'Lisez-moi', the first of 2 sheets ('Lisez-moi', 'Données'): none is named 'survey'",
    ),
]


@pytest.mark.parametrize(("name", "row", "column", "problem", "head"), SURVEY_CASES, ids=[c[0] for c in SURVEY_CASES])
def test_survey_corpus_is_refused_naming_row_and_column(
    name: str, row: int | None, column: str | None, problem: str, head: str
) -> None:
    with pytest.raises(SurveyError) as info:
        read_survey(CORPUS / "survey" / name, DOMAIN)
    err = info.value
    first = err.problems[0]
    assert (first.row, first.column) == (row, column), str(err)
    assert problem in str(first) and head in str(err).splitlines()[0]
    assert len(str(err).splitlines()) == len(err.problems) + 1  # one line per problem after the head line


def test_survey_number_with_one_allowed_reading_is_read_so(tmp_path: Path) -> None:
    """'1,500' employees can only mean 1500 (1.5 persons is not a head count): read as 1500, never as 1."""
    from xbsim.core.cells import number_readings
    from xbsim.core.population.survey_parse import parse_number

    assert number_readings("1,500") == (1.5, 1500.0) and number_readings("0,500") == (0.5,)
    assert number_readings("1.234.567") == (1234567.0,) and number_readings("1.2.3") is None
    assert number_readings("1.234,5") == (1234.5,) and number_readings("1,23,4.5") is None
    assert parse_number("1,000") is None and parse_number("3,125") is None and parse_number("3,5") == 3.5
    source = (CORPUS / "survey" / "employees_1,000.csv").read_text(encoding="utf-8")
    path = tmp_path / "s.csv"
    path.write_text(source.replace(";1,000;", ";1,500;"), encoding="utf-8")
    rec = read_survey(path, DOMAIN)
    assert rec.employees[1] == 1500


# ---- non-finite and unbounded values --------------------------------------------------------------------------
UNBOUNDED = [
    ("clues.friction_scale=inf", "clues.friction_scale=inf", "a finite number"),
    ("b2b.acceptance_intercept=nan", "b2b.acceptance_intercept=nan", "a finite number"),
    ("workshops.trust_gain=-inf", "workshops.trust_gain=-inf", "a finite number"),
    ("population.n_companies=100000000", "population.n_companies=100000000", "1..10,000,000 (a documented cap)"),
    ("clues.k=100000000", "clues.k=100000000", "at most clues.max_candidates (2000)"),
    ("horizon_months=1000000", "horizon_months=1000000", "at most 1200 months"),
]


@pytest.mark.parametrize(("override", "shown", "allowed"), UNBOUNDED, ids=[c[0] for c in UNBOUNDED])
def test_non_finite_and_unbounded_values_are_refused(override: str, shown: str, allowed: str) -> None:
    with pytest.raises(ConfigError) as info:
        compose([override])
    assert str(info.value).startswith(f"config error: {shown.split('=')[0]}=") and allowed in str(info.value)
    assert "\n" not in str(info.value)


def test_a_run_above_the_available_memory_is_refused_with_its_estimate(monkeypatch: pytest.MonkeyPatch) -> None:
    from xbsim.core.config import resources

    c = plain(["population.n_companies=2000"])
    need, key = resources.memory_estimate(c)
    assert 42 * 2**20 < need < 100 * 2**20  # measured peak: about 42 MB above the interpreter
    monkeypatch.setattr(resources, "available_memory", lambda: need - 1)
    with pytest.raises(ConfigError, match=r"needs about 0\.\d GB of memory \(2,054 actors, clues.k=5\)"):
        validate(c)
    monkeypatch.setattr(resources, "available_memory", lambda: need)
    validate(c)
    big = {**c, "population": {**c["population"], "n_companies": 9_000_000}, "clues": {**c["clues"], "k": 2000}}
    need, key = resources.memory_estimate(big)
    assert key == "clues.k" and need > 400 * 2**30  # 9 M actors x 2,000 clues x 24 bytes


# ---- config files written by users ----------------------------------------------------------------------------
def _with_group(group: str, path: Path) -> dict:
    """The default configuration with one config group replaced by a user's file, as Hydra merges it (onto the
    structured schema, so that a key left out is MISSING)."""
    from xbsim.core.config.schema import XBSimConfig

    base = plain()
    base[group] = {}
    merged = OmegaConf.merge(OmegaConf.structured(XBSimConfig), base, {group: OmegaConf.load(path)})
    return merged


USER_FILES = [
    ("poles", "pole_without_label/poles/no_label.yaml", "poles.industry_energy.label='???'", "this key is required"),
    (
        "territories",
        "territory_without_employment/territories/no_employment.yaml",
        "territories.ES22.employment={}",
        "a territory without employment gets no companies",
    ),
    (
        "territories",
        "total_below_sectors/territories/small_total.yaml",
        "territories.ES22.total_employment=17275.0",
        "at least the sum of territories.ES22.employment (55388)",
    ),
]


@pytest.mark.parametrize(
    ("group", "file", "shown", "allowed"), USER_FILES, ids=[c[1].split("/")[0] for c in USER_FILES]
)
def test_user_config_files_are_checked(group: str, file: str, shown: str, allowed: str) -> None:
    with pytest.raises(ConfigError) as info:
        validate(_with_group(group, CORPUS / "config" / file))
    assert f"config error: {shown} is not allowed" in str(info.value) and allowed in str(info.value)


def test_broken_yaml_is_one_line_with_file_and_line() -> None:
    problem = yaml_problem([CORPUS / "config" / "broken_yaml"])
    assert problem is not None and "\n" not in problem
    assert problem.startswith(f"{CORPUS / 'config' / 'broken_yaml' / 'poles' / 'broken.yaml'}:5:")
    assert yaml_problem([CORPUS / "config" / "pole_without_label"]) is None


CLI_FILES = [
    ("broken_yaml", "poles=broken", "xbsim: YAML error: ", "broken.yaml:5:"),
    ("pole_without_label", "poles=no_label", "config error: poles.industry_energy.label='???'", "required"),
    (
        "territory_without_employment",
        "territories=no_employment",
        "config error: territories.ES22.employment={}",
        "no companies",
    ),
    ("total_below_sectors", "territories=small_total", "config error: territories.ES22.total_employment=", "sum"),
]


@pytest.mark.parametrize(("folder", "choice", "start", "fragment"), CLI_FILES, ids=[c[0] for c in CLI_FILES])
def test_user_config_files_through_xbsim_end_in_one_line_and_leave_nothing(
    tmp_path: Path, folder: str, choice: str, start: str, fragment: str
) -> None:
    res = run(
        ["--config-dir", str(CORPUS / "config" / folder), choice, f"hydra.run.dir={tmp_path / 'run'}", *TINY],
        cwd=tmp_path,
    )
    assert res.returncode == EXIT_INPUT, res.stderr
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(start) and fragment in lines[0], res.stderr
    assert not (tmp_path / "run").exists()  # refused before Hydra creates the run folder (no .hydra/ left)


# ---- output folders ---------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def finished_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("owned") / "run"
    res = run([f"hydra.run.dir={out}", *TINY], cwd=out.parent)
    assert res.returncode == 0, res.stderr
    return out


def test_a_folder_of_another_run_is_refused_and_left_intact(finished_run: Path, tmp_path: Path) -> None:
    def files() -> dict[str, int]:
        return {p.name: p.stat().st_mtime_ns for p in finished_run.rglob("*") if p.name != ownership.LOCK_FILE}

    before = files()
    res = run([f"hydra.run.dir={finished_run}", *TINY, "seed=7"], cwd=tmp_path)
    assert res.returncode == EXIT_INPUT
    line = res.stderr.strip()
    assert "\n" not in line and line.startswith(f"output folder {finished_run} holds another run's files")
    assert "--overwrite" in line
    assert files() == before  # .hydra/ included


def test_the_same_scenario_again_is_skipped(finished_run: Path, tmp_path: Path) -> None:
    res = run([f"hydra.run.dir={finished_run}", *TINY], cwd=tmp_path)
    assert res.returncode == 0 and "already finished" in res.stdout


def test_overwrite_clears_the_old_run_first(tmp_path: Path) -> None:
    out = tmp_path / "run"
    (out / "rep-002").mkdir(parents=True)
    (out / "old.png").write_bytes(b"old")
    res = run([f"hydra.run.dir={out}", *TINY], cwd=tmp_path)
    assert res.returncode == EXIT_INPUT and "no xbsim owner record: old.png, rep-002" in res.stderr
    res = run([f"hydra.run.dir={out}", *TINY, "--overwrite"], cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    assert not (out / "rep-002").exists() and not (out / "old.png").exists() and (out / "scenario.json").is_file()
    doc = json.loads((out / "scenario.json").read_text())
    assert ownership.owner_of(out)["scenario"] == doc["scenario"] != "default"
    assert ownership.owner_of(out)["config_hash"] == doc["config_hash"]


def test_a_second_writer_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "busy"
    out.mkdir()
    with open(out / ownership.LOCK_FILE, "a+") as held:  # another process writing the folder
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
        held.write("pid 1 on elsewhere\n")
        held.flush()
        with pytest.raises(FolderBusyError, match="being written by another xbsim run"):
            ownership.claim(out, "default", "abc", overwrite=False)
        res = run([f"hydra.run.dir={out}", *TINY], cwd=tmp_path)
    assert res.returncode == EXIT_BUSY and "\n" not in res.stderr.strip() and "pid 1 on elsewhere" in res.stderr
    assert sorted(p.name for p in out.iterdir()) == [ownership.LOCK_FILE]  # nothing written
    ownership.claim(out, "default", "abc", overwrite=False)  # the lock is free again: claimed
    ownership.release(out)


def test_claim_refuses_foreign_files_and_resumes_its_own(tmp_path: Path) -> None:
    out = tmp_path / "d"
    ownership.claim(out, "s", "h1", overwrite=False)
    (out / "rep-000").mkdir()
    ownership.release(out)
    ownership.claim(out, "s", "h1", overwrite=False)  # the same scenario resumes
    ownership.release(out)
    with pytest.raises(OutputFolderError, match="scenario 's'"):
        ownership.claim(out, "t", "h2", overwrite=False)
    ownership.claim(out, "t", "h2", overwrite=True)
    assert not (out / "rep-000").exists()
    ownership.release(out)


def test_a_stale_report_is_refreshed_and_an_empty_folder_refused(finished_run: Path, tmp_path: Path) -> None:
    res = run([str(finished_run)], cwd=tmp_path, command="xbsim-report")
    assert res.returncode == 0, res.stderr
    assert not ownership.report_is_stale(finished_run)
    seen = (finished_run / "report" / ownership.REPORT_MANIFEST).read_text()
    assert '"status": "finished"' in seen
    job = finished_run / "later" / ".hydra"  # a job started after the report (e.g. the sweep resumed)
    job.mkdir(parents=True)
    try:
        assert ownership.report_is_stale(finished_run)
        res = run([str(finished_run)], cwd=tmp_path, command="xbsim-report")
        assert res.returncode == 0 and "the previous report predated the folder's current scenarios" in res.stdout
        assert not ownership.report_is_stale(finished_run)
        (finished_run / "report" / ownership.REPORT_MANIFEST).unlink()  # a report of an older xbsim: stale
        assert ownership.refresh_stale_report(finished_run) is not None
        assert (
            not ownership.report_is_stale(finished_run)
            and '"unfinished"' in (finished_run / "report" / ownership.REPORT_MANIFEST).read_text()
        )
    finally:
        job.rmdir()
        job.parent.rmdir()
    empty = tmp_path / "empty"
    empty.mkdir()
    res = run([str(empty)], cwd=tmp_path, command="xbsim-report")
    assert res.returncode == EXIT_INPUT and "holds no run or sweep" in res.stderr and not (empty / "report").exists()


def test_a_sweep_job_folder_of_another_scenario_stops_the_sweep_in_one_line(tmp_path: Path) -> None:
    sweep = tmp_path / "sweep"
    res = run(["-m", f"hydra.sweep.dir={sweep}", *TINY, "seed=1,2"], cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    job = sorted(p for p in sweep.iterdir() if p.is_dir())[-1]  # one scenario's job folder
    ownership.write_json(job / ownership.OWNER_FILE, {"scenario": "another", "config_hash": "another"})
    res = run(["-m", f"hydra.sweep.dir={sweep}", *TINY, "seed=1,2"], cwd=tmp_path)
    assert res.returncode == EXIT_INPUT
    assert res.stderr.strip().splitlines()[-1].startswith(f"output folder {job} holds another run's files")
    assert "Traceback" not in res.stderr and (job / "scenario.json").is_file()


# ---- faults -----------------------------------------------------------------------------------------------------
PATCHED = """
import errno, sys
import xbsim.io.atomic as atomic
def broken(path, write):
    raise OSError(errno.{code}, "{text}", str(path))
atomic.atomic_write = broken
import xbsim.outputs.run, xbsim.study.scenario, xbsim.io.atomic
for m in (xbsim.study.scenario,):
    m.atomic_write = broken
xbsim.io.atomic.write_text = lambda p, t: broken(p, None)
xbsim.io.atomic.write_csv = lambda p, df, index=False: broken(p, None)
xbsim.io.atomic.write_json = lambda p, d: broken(p, None)
import xbsim.outputs.run as r
r.write_csv = xbsim.io.atomic.write_csv
r.write_text = xbsim.io.atomic.write_text
r.write_json = xbsim.io.atomic.write_json
sys.argv = ["xbsim", *sys.argv[1:]]
from xbsim.cli.main import main
main()
"""


@pytest.mark.parametrize(
    ("code", "text", "status", "line"),
    [
        ("ENOSPC", "No space left on device", EXIT_DISK_FULL, "xbsim: no space left on the device writing "),
        ("EROFS", "Read-only file system", EXIT_CANNOT_WRITE, "xbsim: cannot write the output path "),
    ],
    ids=["disk full", "read-only"],
)
def test_disk_full_and_read_only_end_in_one_line(tmp_path: Path, code: str, text: str, status: int, line: str) -> None:
    res = run(
        ["-c", PATCHED.format(code=code, text=text), f"hydra.run.dir={tmp_path / 'run'}", *TINY],
        cwd=tmp_path,
        prefix=[sys.executable],
    )
    assert res.returncode == status, res.stderr
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(line) and "Traceback" not in res.stderr
    assert not (tmp_path / "run" / "scenario.json").exists()  # unfinished


@pytest.mark.parametrize("shape", ["file", "under a file"])
def test_a_file_shaped_output_path_ends_in_one_line(tmp_path: Path, shape: str) -> None:
    (tmp_path / "f").write_text("a file")
    target = tmp_path / "f" if shape == "file" else tmp_path / "f" / "run"
    res = run([f"hydra.run.dir={target}", *TINY], cwd=tmp_path)
    assert res.returncode == EXIT_CANNOT_WRITE
    assert res.stderr.startswith(f"xbsim: cannot write the output path {target}") and res.stderr.count("\n") == 1


@pytest.mark.parametrize(
    ("sig", "status", "word"),
    [(signal.SIGINT, EXIT_INTERRUPTED, "interrupted"), (signal.SIGTERM, EXIT_TERMINATED, "terminated (SIGTERM)")],
    ids=["ctrl-c", "sigterm"],
)
def test_an_interrupt_ends_in_one_line_and_leaves_the_run_unfinished(
    tmp_path: Path, sig: int, status: int, word: str
) -> None:
    from xbsim.study.collect import collect

    out = tmp_path / "run"
    env = {**os.environ, "HYDRA_FULL_ERROR": "0"}
    proc = subprocess.Popen(
        [
            exe("xbsim"),
            f"hydra.run.dir={out}",
            *TINY,
            "replications=200",
            "study.replication_files=summary",
            "study.progress=false",
        ],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        # as from a terminal: a suite started in the background (cmd &) inherits SIGINT ignored, and so would xbsim
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),  # noqa: PLW1509 - no threads in the child
    )
    deadline = time.monotonic() + 180  # a loaded CI machine (xdist, Ray tests alongside) starts slowly
    while not (out / "rep-001" / "summary.json").exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert (out / "rep-001" / "summary.json").exists(), "the run did not start within the deadline"
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == status, err
    assert err == f"xbsim: {word}; the partial run in {out} is left unfinished (no scenario.json)\n"
    assert not (out / "scenario.json").exists() and not (out / "failed.json").exists()
    assert collect(out).unfinished == [out]
    res = run([f"hydra.run.dir={out}", *TINY, "replications=3", "study.replication_files=summary"], cwd=tmp_path)
    assert res.returncode == EXIT_INPUT  # another scenario (3 replications, not 200): the folder is not its own


def test_fault_classifier_maps_errnos() -> None:
    from xbsim.core.errors import fault

    assert fault(OSError(errno.EDQUOT, "Disk quota exceeded"))[0] == EXIT_DISK_FULL
    assert fault(PermissionError(errno.EACCES, "Permission denied", "/x"))[0] == EXIT_CANNOT_WRITE
    assert fault(OSError(errno.EIO, "I/O error")) is None and fault(ValueError("x")) is None
    assert fault(KeyboardInterrupt())[0] == EXIT_INTERRUPTED


@pytest.mark.parametrize(
    ("error", "status", "start"),
    [
        (
            OSError(errno.ENOSPC, "No space left on device", "r/report/results.csv"),
            EXIT_DISK_FULL,
            "xbsim-report: no space left on the device writing r/report/results.csv",
        ),
        (
            PermissionError(errno.EACCES, "Permission denied", "r/report"),
            EXIT_CANNOT_WRITE,
            "xbsim-report: cannot write the output path r/report: Permission denied",
        ),
        (KeyboardInterrupt(), EXIT_INTERRUPTED, "xbsim-report: interrupted"),
    ],
    ids=["disk full", "unwritable", "ctrl-c"],
)
def test_report_faults_end_in_one_line(
    finished_run: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    error: BaseException,
    status: int,
    start: str,
) -> None:
    from xbsim.cli import report

    def broken(*args: object, **kwargs: object) -> None:
        raise error

    monkeypatch.setattr(ownership, "write_recorded_report", broken)
    with pytest.raises(SystemExit) as info:
        report.main([str(finished_run)])
    err = capsys.readouterr().err
    assert info.value.code == status and err.startswith(start) and err.count("\n") == 1
