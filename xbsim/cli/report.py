"""``xbsim-report DIR``: collect the scenarios of a run or sweep directory and write DIR/report/ (results.csv,
report.md, a self-contained report.html and the figures). Failed scenarios are listed, not fatal. ``--tables``
adds all_replications.csv|.parquet: every scenario's replications in one tidy table."""

from __future__ import annotations

import argparse
import sys

from xbsim.errors import InputError


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
    from xbsim.study.collect import collect
    from xbsim.study.report import write_report

    try:
        col = collect(args.dir)
        out = write_report(col, baseline=args.baseline, replications=args.tables)
    except (InputError, ValueError) as err:
        print(f"xbsim-report: {err}", file=sys.stderr)
        sys.exit(2)
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
