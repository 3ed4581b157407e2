"""``xbsim-app``: the interactive exploration app (Mesa SolaraViz) on a free port of 127.0.0.1.

    xbsim-app [--port N] [HYDRA_OVERRIDE ...]      e.g.  xbsim-app b2b.events=[3,9] population.n_companies=500

The overrides are those of ``xbsim`` and are checked the same way before the server starts: a bad one is
reported in one line (a bad survey file, as ``xbsim`` reports it) and the command exits with status 2. A port that
cannot be listened on (outside 0..65535, in use, not permitted) exits with status 69, Ctrl-C with 130, one line each.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="xbsim-app",
        description="Explore the xbsim model in the browser (Mesa SolaraViz). Prints the address to open.")
    parser.add_argument("overrides", nargs="*", metavar="OVERRIDE",
                        help="Hydra overrides, as for xbsim (e.g. b2b.events=[3,9] "
                             "population.n_companies=500)")
    parser.add_argument("--port", type=int, default=0,
                        help="port on 127.0.0.1 (default: a free port chosen by the system)")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> None:
    """Check the configuration, bind the port, serve the page and print its address."""
    from xbsim.core.errors import EXIT_INTERRUPTED, EXIT_UNAVAILABLE

    args = parse_args(argv)
    if not 0 <= args.port <= 65535:
        print(f"xbsim-app: cannot listen on port {args.port}: a port is a number in 0..65535 (0: a free port)",
              file=sys.stderr)
        sys.exit(EXIT_UNAVAILABLE)
    try:
        _serve(args)
    except KeyboardInterrupt:
        print("xbsim-app: interrupted", file=sys.stderr)
        sys.exit(EXIT_INTERRUPTED)


def _serve(args: argparse.Namespace) -> None:
    from xbsim.app.config import CONFIG_ERRORS, compose_locked, user_message
    from xbsim.core.errors import EXIT_UNAVAILABLE

    try:
        compose_locked(args.overrides)
        from xbsim.app.appmodel import AppModel

        AppModel(overrides=args.overrides)  # what the page builds first (e.g. reads a survey file)
    except CONFIG_ERRORS as err:
        print(f"xbsim-app: {user_message(err)}", file=sys.stderr)
        sys.exit(2)
    from xbsim.app.server import HOST, bind, serve

    try:
        sock = bind(args.port)
    except OSError as err:
        print(f"xbsim-app: cannot listen on {HOST}:{args.port}: {err.strerror or err}", file=sys.stderr)
        sys.exit(EXIT_UNAVAILABLE)
    serve(args.overrides, sock, on_ready=lambda url: print(f"xbsim app: {url}", flush=True))


if __name__ == "__main__":
    main()
