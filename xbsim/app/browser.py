"""Headless Chromium for the app's browser test and screenshots: Debian's ``chromium`` driven by Playwright's
Python client through ``executable_path`` (Playwright never downloads a browser of its own here)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

BROWSER_ENV = "XBSIM_CHROMIUM"
CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
#: Flags for a machine without outside network: no first-run screens, no background or update traffic.
LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync",
               "--disable-dev-shm-usage"]


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
