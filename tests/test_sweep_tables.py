"""Tidy sweep data: every per-replication table of a sweep's scenarios carries the scenario id and the swept
parameters, load_sweep concatenates them (one row per scenario x replication x pole), and results.csv keeps every
swept parameter's column, with failed and unfinished scenarios as rows of their own."""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd
import pytest

from tests.helpers.cli import CRASH, run
from tests.helpers.outputs import read_json, scenario_dirs
from tests.helpers.scenarios import TINY
from xbsim.study.collect import collect, load_sweep, swept_parameters
from xbsim.study.hydra_support import sweep_keys, swept_values

MEETINGS, CAPACITY = "b2b.max_meetings_per_participant", "accompaniment.capacity"
POLES = {"industry_energy", "agrifood_health"}
TABLES = ("replications_poles", "replications")


def report(directory: Path, *extra: str) -> None:
    res = run([str(directory), *extra], cwd=directory.parent, command="xbsim-report")
    assert res.returncode == 0, res.stderr


@pytest.fixture(scope="module")
def grid(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 2 x 2 sweep of TINY, 2 replications per scenario (~5 s)."""
    tmp = tmp_path_factory.mktemp("tables")
    out = tmp / "sw"
    res = run(["-m", f"hydra.sweep.dir={out}", *TINY, "replications=2", f"{MEETINGS}=2,8", f"{CAPACITY}=5,10"],
              cwd=tmp)
    assert res.returncode == 0, res.stderr
    return out


@pytest.mark.slow
def test_every_replication_table_has_the_scenario_and_swept_columns(grid: Path) -> None:
    dirs = scenario_dirs(grid)
    assert len(dirs) == 4
    seen = set()
    for d in dirs:
        doc = read_json(d / "scenario.json")
        assert doc["swept_parameters"] == {MEETINGS: doc["parameters"][MEETINGS], CAPACITY: doc["parameters"][CAPACITY]}
        seen.add((doc["parameters"][MEETINGS], doc["parameters"][CAPACITY]))
        for stem in TABLES:
            for df in (pd.read_csv(d / f"{stem}.csv"), pd.read_parquet(d / f"{stem}.parquet")):
                assert list(df.columns[:3]) == ["scenario", MEETINGS, CAPACITY], stem
                assert len(df) == (4 if stem == "replications_poles" else 2)
                assert (df["scenario"] == doc["scenario"]).all()
                assert (df[MEETINGS] == doc["parameters"][MEETINGS]).all()
                assert (df[CAPACITY] == doc["parameters"][CAPACITY]).all()
                assert pd.api.types.is_integer_dtype(df[MEETINGS]) and pd.api.types.is_integer_dtype(df[CAPACITY])
    assert seen == {(2, 5), (2, 10), (8, 5), (8, 10)}


@pytest.mark.slow
def test_load_sweep_concatenates_the_tables(grid: Path) -> None:
    df = load_sweep(grid)
    assert len(df) == 4 * 2 * 2  # scenarios x replications x poles
    assert list(df.columns[:3]) == ["scenario", MEETINGS, CAPACITY]
    assert not df.duplicated(["scenario", "replication", "pole"]).any()
    assert set(df["pole"]) == POLES and set(df["replication"]) == {0, 1}
    assert set(map(tuple, df[[MEETINGS, CAPACITY]].drop_duplicates().to_numpy().tolist())) == {
        (2, 5), (2, 10), (8, 5), (8, 10)}
    assert {"viable", "constitution_month", "members", "members_FR61", "funnel_known", "b2b_held",
            "partnerships_formed"} <= set(df.columns)
    for d in scenario_dirs(grid):  # the same rows as each scenario's own tables
        poles = pd.read_parquet(d / "replications_poles.parquet")
        runs = pd.read_parquet(d / "replications.parquet")
        mine = df[df["scenario"] == read_json(d / "scenario.json")["scenario"]].reset_index(drop=True)
        pd.testing.assert_frame_equal(mine[list(poles.columns)], poles)
        merged = mine.drop_duplicates("replication").set_index("replication")
        assert (merged.loc[runs["replication"], "b2b_held"].to_numpy() == runs["b2b_held"].to_numpy()).all()
    # xbsim-report --tables writes the same table
    report(grid, "--tables")
    pd.testing.assert_frame_equal(pd.read_parquet(grid / "report" / "all_replications.parquet"), df)
    assert len(pd.read_csv(grid / "report" / "all_replications.csv")) == 16
    results = pd.read_csv(grid / "report" / "results.csv")
    assert len(results) == 8 and set(results["status"]) == {"finished"} and results["error"].isna().all()


def test_failed_value_keeps_its_column_in_results(tmp_path: Path) -> None:
    out = tmp_path / "sw"
    res = run(["-m", f"hydra.sweep.dir={out}", *TINY, "replications=2", f"{MEETINGS}=4,12"], cwd=tmp_path)
    assert res.returncode == 1 and "1 failed" in res.stdout  # 12 is refused by the job: more than b2b.slots
    assert len(scenario_dirs(out)) == 1
    # the only finished scenario's tables still carry the swept parameter (the sweep's record says it is swept)
    assert list(pd.read_csv(scenario_dirs(out)[0] / "replications_poles.csv").columns[:2]) == ["scenario", MEETINGS]
    assert swept_parameters(collect(out))[0] == [MEETINGS]
    report(out)
    results = pd.read_csv(out / "report" / "results.csv")
    assert MEETINGS in results.columns and len(results) == 4
    ok, failed = results[results["status"] == "finished"], results[results["status"] == "failed"]
    assert set(ok[MEETINGS]) == {4} and set(failed[MEETINGS]) == {12}
    assert set(failed["pole"]) == set(ok["pole"]) == POLES
    assert failed["error"].str.contains("at most b2b.slots").all() and ok["error"].isna().all()
    assert failed[["n", "viable", "p_viable", "ci_low", "ci_high"]].isna().all().all()
    assert set(ok["n"]) == {2}
    assert pd.read_csv(out / "report" / "failed.csv")[MEETINGS].tolist() == [12]
    df = load_sweep(out)
    assert len(df) == 4 and set(df[MEETINGS]) == {4}  # failed scenarios have no replications


@pytest.mark.slow
def test_crashed_and_unfinished_scenarios_are_rows_of_results(tmp_path: Path) -> None:
    out = tmp_path / "sw"
    res = run(["-m", f"hydra.sweep.dir={out}", *TINY, "replications=2", f"{CAPACITY}=5,7,9"], cwd=tmp_path,
              prefix=[sys.executable, "-c", CRASH])  # capacity 7 raises inside the model
    assert res.returncode == 1, res.stderr
    nine = next(d for d in scenario_dirs(out) if read_json(d / "scenario.json")["parameters"][CAPACITY] == 9)
    (nine / "scenario.json").unlink()  # as if the job had been killed
    report(out)
    results = pd.read_csv(out / "report" / "results.csv")
    status = results.drop_duplicates(CAPACITY).set_index(CAPACITY)["status"].to_dict()
    assert status == {5: "finished", 7: "failed", 9: "unfinished"}
    assert len(results) == 6 and results.groupby(CAPACITY)["pole"].apply(set).map(POLES.__eq__).all()
    crashed = results[results[CAPACITY] == 7]
    assert crashed["error"].str.contains("simulated crash").all() and crashed["p_viable"].isna().all()
    assert results.loc[results[CAPACITY] == 9, "scenario"].iloc[0] == pd.read_csv(
        nine / "replications_poles.csv")["scenario"].iloc[0]  # the same key as the job gave it


def test_single_runs_of_a_sweep_are_loaded_from_their_summaries(tmp_path: Path) -> None:
    out = tmp_path / "sw"
    res = run(["-m", f"hydra.sweep.dir={out}", *TINY, f"{CAPACITY}=5,10"], cwd=tmp_path)  # replications=1
    assert res.returncode == 0, res.stderr
    df = load_sweep(out)
    assert len(df) == 2 * 1 * 2 and set(df[CAPACITY]) == {5, 10} and set(df["replication"]) == {0}
    assert df.groupby(CAPACITY)["pole"].apply(set).map(POLES.__eq__).all()
    assert {"viable", "members", "funnel_known", "b2b_held"} <= set(df.columns)
    for d in scenario_dirs(out):
        assert read_json(d / "scenario.json")["swept_parameters"][CAPACITY] in (5, 10)


def test_swept_keys_and_typed_values() -> None:
    hydra = {"sweeper": {"params": {"study.vars.min_members": "10,15"}},
             "overrides": {"task": ["+experiment=x", "seed=1", "b2b.events=[6,12]", "joining.cost=0.5,1",
                                    "accompaniment.capacity=range(5,20,5)", "feasibility.month=choice(12,15)"]}}
    assert sweep_keys(hydra) == ["study.vars.min_members", "joining.cost", "accompaniment.capacity",
                                 "feasibility.month"]
    assert sweep_keys(None) == [] and sweep_keys({"overrides": {"task": ["a=(", "b=1,2"]}}) == ["b"]
    cfg = {"joining": {"cost": 1.0}, "b2b": {"events": [6, 12]}, "poles": {"a": {}}, "x": None}
    params = {"joining.cost": 1, "b2b.events": "[6,12]", "poles": "default", "x": None, "y": 3}
    values = swept_values(cfg, ["joining.cost", "b2b.events", "poles", "x", "y", "z"], params)
    assert values == {"joining.cost": 1.0, "b2b.events": "[6,12]", "poles": "default", "x": None, "y": 3}
    assert isinstance(values["joining.cost"], float)  # typed as the schema types it, not as it was written
