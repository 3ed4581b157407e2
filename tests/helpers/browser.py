"""Driving the app in headless Chromium, for the browser test and the screenshot: Debian's ``chromium``
through Playwright's Python client and its ``executable_path`` (Playwright never downloads a browser here)."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path
from typing import Any

BROWSER_ENV = "XBSIM_CHROMIUM"
CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
#: Flags for a machine without outside network: no first-run screens, no background or update traffic.
LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync",
               "--disable-dev-shm-usage"]
VIEWS = ("network", "membership", "funnel", "criteria")
IMAGES = ("network", "membership")

_DIGEST_JS = """async (selector) => {
    const img = document.querySelector(selector);
    const data = await (await fetch(img.src)).arrayBuffer();
    const digest = await crypto.subtle.digest('SHA-256', data);
    return Array.from(new Uint8Array(digest)).map(x => x.toString(16).padStart(2, '0')).join('');
}"""


def find_chromium() -> str | None:
    """The browser executable: $XBSIM_CHROMIUM, else the first of :data:`CANDIDATES` on PATH, else None."""
    env = os.environ.get(BROWSER_ENV)
    if env:
        return env if Path(env).is_file() and os.access(env, os.X_OK) else None
    for name in CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


def launch(playwright: Any, executable: str, user_data_dir: Path,
           viewport: tuple[int, int] = (1600, 1150)) -> Any:
    """A headless persistent context (fresh profile in ``user_data_dir``) of the browser at ``executable``."""
    user_data_dir.mkdir(parents=True, exist_ok=True)
    return playwright.chromium.launch_persistent_context(
        str(user_data_dir), executable_path=executable, headless=True, args=LAUNCH_ARGS,
        viewport={"width": viewport[0], "height": viewport[1]}, timeout=60_000)


def open_app(page: Any, url: str, timeout_ms: int = 60_000) -> None:
    """Load the page and wait until every view shows (its pictures loaded)."""
    page.goto(url, timeout=timeout_ms)
    for view in VIEWS:
        page.wait_for_selector(f".xbsim-{view}", state="visible", timeout=timeout_ms)
    for name in IMAGES:
        page.wait_for_function(
            "s => { const i = document.querySelector(s); return i && i.complete && i.naturalWidth > 0; }",
            arg=f".xbsim-{name}-image", timeout=timeout_ms)


def month(page: Any) -> str:
    """The month line of the criteria view, e.g. 'Month 3 of 36'."""
    return page.inner_text(".xbsim-month").strip()


def wait_month(page: Any, number: int, at_least: bool = False, timeout_ms: int = 20_000) -> None:
    """Wait until the page shows month ``number`` (or a later one, with ``at_least``)."""
    page.wait_for_function("([m, later]) => { const e = document.querySelector('.xbsim-month');"
                           " const shown = e ? parseInt(e.textContent.trim().split(' ')[1]) : NaN;"
                           " return later ? shown >= m : shown === m; }",
                           arg=[number, at_least], timeout=timeout_ms, polling=10)


def image_digest(page: Any, name: str) -> str:
    """SHA-256 of the PNG the view ``name`` shows now."""
    return str(page.evaluate(_DIGEST_JS, f".xbsim-{name}-image"))


def wait_image_change(page: Any, name: str, old: str, timeout_s: float = 10.0) -> str:
    """Wait until view ``name`` shows a picture other than the one of digest ``old``; returns the new digest
    (raises TimeoutError when it does not change)."""
    deadline = time.monotonic() + timeout_s
    while True:
        new = image_digest(page, name)
        if new != old:
            return new
        if time.monotonic() > deadline:
            raise TimeoutError(f"the {name} picture did not change within {timeout_s:.0f} s")
        page.wait_for_timeout(50)


def step(page: Any, to_month: int) -> float:
    """Click Step, wait for month ``to_month``; returns the seconds from the click to the new month shown."""
    start = time.perf_counter()
    page.get_by_role("button", name="Step").click()
    wait_month(page, to_month)
    return time.perf_counter() - start
