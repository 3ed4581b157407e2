"""Command line of the sensitivity analysis: parameters and budget as options, the base scenario as Hydra
overrides (``population.n_companies=500``, ``experiment=border_friction``, ...)."""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from pathlib import Path

from xbsim.core.errors import InputError, config_error_line
from xbsim.core.logs import quiet_mesa
from xbsim.study.sensitivity.params import DEFAULT_PARAMS, parse_param


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        prog="xbsim-sensitivity",
        description="Sobol' indices (and optionally a Latin hypercube exploration) of pole viability.")
    p.add_argument("overrides", nargs="*", help="Hydra overrides of the base scenario, e.g. population.n_companies=500")
    p.add_argument("--param", action="append", default=None, metavar="KEY=LOW:HIGH[:int]",
                   help=f"a parameter and its range (repeatable; default: {' '.join(DEFAULT_PARAMS)})")
    p.add_argument("--n", type=int, default=64, help="Sobol' base sample, a power of 2 (default 64)")
    p.add_argument("--replications", type=int, default=2, help="runs per design point (default 2)")
    p.add_argument("--lhs", type=int, default=0, help="Latin hypercube points for exploration (default 0: none)")
    p.add_argument("--workers", type=int, default=-1, help="joblib processes (default -1: all cores)")
    p.add_argument("--resamples", type=int, default=999, help="bootstrap resamples (default 999)")
    p.add_argument("--out", type=Path, default=None,
                   help="output folder (default outputs/sensitivity/<date>_<time>)")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> None:

    from xbsim.core.config import compose
    from xbsim.study.provenance import record_command
    from xbsim.study.sensitivity.run import Settings, run_sensitivity

    args = parse(argv)
    record_command(["xbsim-sensitivity", *(sys.argv[1:] if argv is None else argv)])
    quiet_mesa()
    try:
        if args.replications < 1 or args.lhs < 0 or args.resamples < 1:
            raise InputError("sensitivity: --replications and --resamples must be >= 1, --lhs >= 0")
        params = [parse_param(t) for t in (args.param or DEFAULT_PARAMS)]
        keys = [p.key for p in params]
        if len(set(keys)) != len(keys):
            raise InputError(f"sensitivity: a parameter is given twice: {keys}")
        base = compose(args.overrides)
        out = args.out or Path("outputs/sensitivity") / datetime.now().strftime("%Y-%m-%d_%H-%M-%S.%f")
        settings = Settings(params, args.n, args.replications, args.lhs, args.workers,
                            n_resamples=args.resamples, progress=not args.no_progress)
        doc = run_sensitivity(base, settings, out, args.overrides)
    except InputError as err:  # ConfigError included
        print(str(err), file=sys.stderr)
        sys.exit(2)
    except Exception as err:  # noqa: BLE001 - OmegaConf/Hydra errors on a bad key are user errors here
        line = config_error_line(err)
        if line is None:
            raise
        print(f"sensitivity: {line}", file=sys.stderr)
        sys.exit(2)
    print(f"sensitivity: {doc['model_runs']} model runs; Sobol' indices in {out / 'sobol.csv'}, chart "
          f"{out / 'sobol.png'}" + (f", LHS exploration in {out / 'lhs.csv'}" if args.lhs else ""))
    print((out / "sensitivity.md").read_text(encoding="utf-8"))
