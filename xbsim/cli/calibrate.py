"""``xbsim-calibrate DATA [KEY=VALUE ...]``: calibrate the model to a programme's monitoring data (rejection ABC), then
forecast every pole's viability to the horizon for the programme as planned and for each configured action.

``xbsim-calibrate --template FILE --months N`` writes an empty monitoring file instead. Settings (priors, ABC,
forecast actions) come from ``xbsim/configs/calibrate.yaml`` or ``--settings FILE``; ``KEY=VALUE`` overrides
them (e.g. ``abc.simulations=3000``). See docs/calibration.md.
"""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from pathlib import Path


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="xbsim-calibrate", description=__doc__.split("\n\n")[0])
    p.add_argument("data", nargs="?", help="the monitoring file (.csv or .xlsx)")
    p.add_argument("overrides", nargs="*", help="overrides of the calibration settings, e.g. abc.simulations=3000")
    p.add_argument("--settings", default=None, help="a calibration settings YAML (default: the shipped one)")
    p.add_argument(
        "--out", default=None, help="a new or empty output directory (default: outputs/calibration/<date>/<time>)"
    )
    p.add_argument("--workers", type=int, default=None, help="processes for the simulations (overrides abc.workers)")
    p.add_argument("--quiet", action="store_true", help="no progress messages")
    p.add_argument("--template", default=None, metavar="FILE", help="write an empty monitoring file and stop")
    p.add_argument("--months", type=int, default=12, help="months of the template (default 12)")
    args = p.parse_args(argv)
    if args.template is None and args.data is None:
        p.error("DATA is required; allowed: a monitoring file, or --template FILE to write one")
    if args.workers == 0:
        p.error("--workers=0 is not allowed; allowed: a non-zero integer (1 = sequential, -1 = all cores)")
    return args


def main(argv: list[str] | None = None) -> None:
    args = parse(argv)
    from xbsim.core.errors import InputError

    def fail(err: BaseException) -> None:
        print(f"xbsim-calibrate: {err}", file=sys.stderr)
        sys.exit(2)

    if args.template is not None:
        from xbsim.calibration.monitoring import write_template

        try:
            print(f"template: {write_template(args.template, args.months)}")
        except InputError as err:
            fail(err)
        return
    from xbsim.calibration.run import run
    from xbsim.calibration.settings import load

    overrides = list(args.overrides) + ([f"abc.workers={args.workers}"] if args.workers is not None else [])
    out = Path(args.out) if args.out else Path("outputs/calibration") / datetime.now().strftime("%Y-%m-%d/%H-%M-%S.%f")
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        fail(InputError(f"--out {out} is not allowed; allowed: a new or empty directory"))
    try:
        settings = load(args.settings, overrides)
        progress = None if args.quiet else (lambda msg: print(f"xbsim-calibrate: {msg}", file=sys.stderr))
        info = run(args.data, settings, out, progress)
    except InputError as err:
        fail(err)
    f = info["forecast"]
    print(
        f"xbsim-calibrate: {info['observed_months']} observed months, {info['simulations']} simulations, "
        f"{info['accepted']} accepted, {info['seconds']:.0f} s"
    )
    print(
        info["posterior"]
        .interval(float(settings["forecast"]["credible_level"]))
        .to_string(index=False, float_format=lambda x: f"{x:.3f}")
    )
    print(
        f[["action", "pole", "p_viable", "p_viable_low", "p_viable_high", "months_median"]].to_string(
            index=False, float_format=lambda x: f"{x:.2f}"
        )
    )
    print(f"outputs: {out} (report section: {out / 'calibration.md'})")


if __name__ == "__main__":
    main()
