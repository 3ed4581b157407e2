"""A screenshot of the app after some months (the README's picture)::

    python -m tests.helpers.screenshot docs/img/app.png --months 20 [HYDRA_OVERRIDE ...]

It starts the real ``xbsim-app``, opens it in headless Chromium (see :mod:`tests.helpers.browser`), clicks Step
``--months`` times and saves the page. Needs Chromium (scripts/install-browser.sh) and Playwright's client.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from tests.helpers.browser import find_chromium, launch, open_app, step
from tests.helpers.launch import AppProcess


def take(out: Path, months: int, overrides: Sequence[str] = (),
         viewport: tuple[int, int] = (1600, 1300)) -> Path:
    """Serve the app, step it ``months`` times in Chromium and save a screenshot to ``out``."""
    from playwright.sync_api import sync_playwright

    browser = find_chromium()
    if browser is None:
        raise RuntimeError("no Chromium found: run scripts/install-browser.sh or set XBSIM_CHROMIUM")
    out.parent.mkdir(parents=True, exist_ok=True)
    with AppProcess(overrides) as app, sync_playwright() as pw, tempfile.TemporaryDirectory() as tmp:
        context = launch(pw, browser, Path(tmp) / "profile", viewport=viewport)
        try:
            page = context.pages[0] if context.pages else context.new_page()
            open_app(page, str(app.url))
            for m in range(1, months + 1):
                step(page, m)
            page.wait_for_timeout(500)  # let the last pictures paint
            page.screenshot(path=str(out))
        finally:
            context.close()
    return out


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m tests.helpers.screenshot",
                                     description="A screenshot of the app after some months.")
    parser.add_argument("out", type=Path)
    parser.add_argument("overrides", nargs="*", metavar="OVERRIDE")
    parser.add_argument("--months", type=int, default=20)
    parser.add_argument("--size", default="1600x1300", help="viewport, WIDTHxHEIGHT")
    args = parser.parse_args(argv)
    width, height = (int(v) for v in args.size.lower().split("x"))
    try:
        print(take(args.out, args.months, args.overrides, (width, height)))
    except RuntimeError as err:
        print(f"screenshot: {err}", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
