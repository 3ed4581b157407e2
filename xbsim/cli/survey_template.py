"""``xbsim-survey-template PATH [OVERRIDE ...]``: write an empty survey template for the configured domain.

The territories, areas, segments and dimensions come from the composed configuration (``xbsim/configs/``), so
Hydra-style overrides give the template of another scenario, e.g. ``territories=my_region``. The format
follows PATH's extension (.xlsx or .csv); see :mod:`xbsim.io.survey_template`.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from omegaconf import OmegaConf

from xbsim.core.errors import InputError


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="xbsim-survey-template",
        description="Write an empty xbsim survey template (.xlsx or .csv) with its data dictionary.")
    parser.add_argument("path", help="the file to write, ending in .xlsx or .csv")
    parser.add_argument("overrides", nargs="*", help="Hydra overrides of the configuration, e.g. seed=1")
    parser.add_argument("-f", "--force", action="store_true", help="overwrite existing files")
    return parser.parse_args(argv)


def run(argv: list[str] | None = None) -> list[Path]:
    """Compose the configuration, then write the template; raises InputError on bad arguments."""
    from xbsim.core.config import compose
    from xbsim.core.domain import Domain
    from xbsim.core.errors import config_error_line
    from xbsim.core.population.survey import resolve
    from xbsim.io.survey_template import FORMATS, companion_path, write_template

    args = parse_args(argv)
    path = resolve(args.path)
    if path.suffix.lower() not in FORMATS:
        raise InputError(f"xbsim-survey-template: {args.path!r} is not allowed; allowed: a path ending in "
                         f"{' or '.join(FORMATS)}")
    targets = [path] + ([companion_path(path)] if path.suffix.lower() == ".csv" else [])
    existing = [str(p) for p in targets if p.exists()]
    if existing and not args.force:
        verb = "exists" if len(existing) == 1 else "exist"
        raise InputError(f"xbsim-survey-template: {', '.join(existing)} already {verb}; allowed: a new path, "
                         "or --force to overwrite")
    if not path.parent.is_dir():
        raise InputError(f"xbsim-survey-template: folder {str(path.parent)!r} does not exist; allowed: a path "
                         "in an existing folder")
    try:
        cfg = compose(args.overrides)
    except Exception as err:
        line = config_error_line(err)
        if line is None:
            raise
        raise InputError(f"xbsim-survey-template: bad override {line.removeprefix('Error merging override ')}") \
            from None
    domain = Domain.from_config(OmegaConf.to_container(cfg, resolve=True))
    return write_template(path, domain)


def main(argv: list[str] | None = None) -> None:
    try:
        written = run(argv)
    except InputError as err:
        print(str(err), file=sys.stderr)
        sys.exit(2)
    for p in written:
        print(f"wrote {p}")


if __name__ == "__main__":
    main()
