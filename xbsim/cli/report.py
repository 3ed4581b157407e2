"""``xbsim-report DIR``: collect the scenarios of a run or sweep directory and write DIR/report/ (results.csv,
report.md, a self-contained report.html and the figures). Failed scenarios are listed, not fatal. ``--tables``
adds all_replications.csv|.parquet: every scenario's replications in one tidy table. report/scenarios.json lists the
scenarios the report saw; a folder without any run is refused, and a fault (interrupt, full disk, unwritable report
folder) ends in one line with its exit status (docs/experiments.md)."""

from __future__ import annotations

import argparse
import sys

from xbsim.core.errors import EXIT_INPUT, InputError, fault


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="xbsim-report", description=__doc__.split("\n\n")[0])
    p.add_argument("dir", help="a run directory (outputs/...) or a sweep directory (multirun/...)")
    p.add_argument("--baseline", default=None,
                   help="the scenario the others are compared with, as key=value[,key=value] "
                        "(default: the one with the default programme's values)")
    p.add_argument("--tables", action="store_true",
                   help="also write report/all_replications.csv and .parquet: one row per scenario x replication "
                        "x pole, with the scenario id and the swept parameters as columns")
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = parse(argv)
    from pathlib import Path

    from xbsim.study.collect import collect
    from xbsim.study.ownership import report_is_stale, write_recorded_report

    try:
        col = collect(args.dir)
        if not (col.scenarios or col.failures or col.unfinished):
            raise InputError(f"{args.dir} holds no run or sweep (no scenario.json, failed.json or Hydra job folder "
                             "below it); give the folder that xbsim printed (outputs/... or multirun/...)")
        stale = report_is_stale(Path(args.dir))
        out = write_recorded_report(col, baseline=args.baseline, replications=args.tables)
    except (InputError, ValueError) as err:
        print(f"xbsim-report: {err}", file=sys.stderr)
        sys.exit(EXIT_INPUT)
    except BaseException as err:
        found = fault(err)
        if found is None or isinstance(err, SystemExit):
            raise
        print(f"xbsim-report: {found[1]}", file=sys.stderr)
        sys.exit(found[0])
    if stale:
        print("xbsim-report: the previous report predated the folder's current scenarios: rewritten")
    print(f"xbsim-report: {len(col.scenarios)} scenario(s) finished, {len(col.failures)} failed, "
          f"{len(col.unfinished)} unfinished")
    for f in col.failures:
        print(f"  failed: {f.get('scenario')}: {f.get('error')}")
    for d in col.unfinished:
        print(f"  unfinished: {d}")
    print(f"report: {out / 'report.html'} (and report.md, results.csv, figures)")
    if args.tables:
        print(f"replications: {out / 'all_replications.csv'} (and .parquet)")


if __name__ == "__main__":
    main()
