"""``xbsim-validate [KEY=VALUE ...]``: run the default programme (or the overridden one) over many seeds and
print, for each validation pattern, its source, target band, the simulated mean with its 95% confidence
interval, and whether the pattern was used for calibration. See docs/validation.md."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="xbsim-validate", description=__doc__.split("\n\n")[0])
    p.add_argument("overrides", nargs="*", help="Hydra overrides of the scenario, e.g. b2b.scope=any")
    p.add_argument("--seeds", type=int, default=20, help="runs, with seeds 0..N-1 (default 20, at least 2)")
    p.add_argument("--workers", type=int, default=1, help="parallel processes (-1: all cores; default 1)")
    p.add_argument("--out", default=None,
                   help="a new or empty directory for validation.csv, validation.md and per_run.csv")
    args = p.parse_args(argv)
    if args.seeds < 2:
        p.error(f"--seeds={args.seeds} is not allowed; allowed: an integer >= 2")
    if args.workers == 0:
        p.error("--workers=0 is not allowed; allowed: a non-zero integer (1 = sequential, -1 = all cores)")
    return args


def main(argv: list[str] | None = None) -> None:
    args = parse(argv)
    from omegaconf import OmegaConf

    from xbsim.core.config import compose
    from xbsim.core.errors import InputError
    from xbsim.study.validation import markdown_table, run_validation, summarise

    out = Path(args.out) if args.out else None
    if out is not None and out.exists() and (not out.is_dir() or any(out.iterdir())):
        print(f"xbsim-validate: --out {out} is not allowed; allowed: a new or empty directory", file=sys.stderr)
        sys.exit(2)
    try:
        cfg = OmegaConf.to_container(compose(args.overrides), resolve=True)
    except (InputError, ValueError) as err:
        print(f"xbsim-validate: {str(err).splitlines()[0]}", file=sys.stderr)
        sys.exit(2)
    except Exception as err:  # Hydra's own override errors
        print(f"xbsim-validate: {str(err).splitlines()[0]}", file=sys.stderr)
        sys.exit(2)
    start = time.perf_counter()
    per_run = run_validation(cfg, list(range(args.seeds)), workers=args.workers)
    summary = summarise(per_run)
    table = markdown_table(summary)
    print(f"xbsim-validate: {args.seeds} runs (seeds 0-{args.seeds - 1}) of the "
          f"{'overridden' if args.overrides else 'default'} scenario in {time.perf_counter() - start:.0f} s")
    print(table)
    viable = [c for c in per_run.columns if c.startswith("viable.")]
    print("P(viable) over these runs: " + ", ".join(f"{c[7:]} {per_run[c].mean():.2f}" for c in viable))
    if out is not None:
        from xbsim.io.atomic import write_csv, write_text

        out.mkdir(parents=True, exist_ok=True)
        write_csv(out / "per_run.csv", per_run)
        write_csv(out / "validation.csv", summary)
        write_text(out / "validation.md", table + "\n")
        print(f"outputs: {out}")
    if not summary["in_target"].all():
        missed = summary.loc[~summary["in_target"], "key"].tolist()
        print(f"outside the target band: {', '.join(missed)}")


if __name__ == "__main__":
    main()
