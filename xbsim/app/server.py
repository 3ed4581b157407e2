"""Serving the page on 127.0.0.1 with Solara's server (as ``solara run`` does, without its network calls)."""

from __future__ import annotations

import os
import socket
import sys
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from xbsim.app.overrides import ENV_VAR, encode

HOST = "127.0.0.1"
PAGE_MODULE = "xbsim.app.page"
OFFLINE_ASSET = "@widgetti/solara-vuetify-app@10.1.1/dist"  # Solara's page; solara-assets ships it


def bind(port: int = 0) -> socket.socket:
    """A listening TCP socket on 127.0.0.1 (``port`` 0: a free port chosen by the system)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((HOST, port))
    except OSError:
        sock.close()
        raise
    sock.listen(128)
    sock.set_inheritable(True)
    return sock


def _configure_solara(overrides: Sequence[str], port: int) -> None:
    """Environment and settings read by Solara and by the page; before Solara's server module is imported."""
    os.environ[ENV_VAR] = encode(overrides)
    os.environ["SOLARA_APP"] = PAGE_MODULE
    os.environ["SERVER_NAME"] = HOST
    os.environ["SERVER_PORT"] = str(port)
    os.environ.setdefault("SOLARA_TELEMETRY_MIXPANEL_ENABLE", "false")  # no outside calls
    os.environ.setdefault("SOLARA_THEME_VARIANT", "light")
    from solara.server import settings

    settings.main.mode = "production"
    settings.telemetry.mixpanel_enable = False


def offline_assets_missing() -> bool:
    """True when Solara would fetch its page from a CDN (the solara-assets package is not installed)."""
    from solara.server import settings

    return not (Path(settings.assets.proxy_cache_dir) / OFFLINE_ASSET).is_dir()


def serve(overrides: Sequence[str], sock: socket.socket,
          on_ready: Callable[[str], None] | None = None) -> None:
    """Serve the page for ``overrides`` on ``sock`` until interrupted; calls ``on_ready(url)`` once it accepts
    requests."""
    import uvicorn

    port = sock.getsockname()[1]
    url = f"http://{HOST}:{port}"
    _configure_solara(overrides, port)
    if offline_assets_missing():
        print("xbsim-app: warning: Solara's page assets are not installed (pip install solara-assets); the "
              "browser will try to fetch them from the internet", file=sys.stderr, flush=True)
    config = uvicorn.Config("solara.server.starlette:app", host=HOST, port=port, log_level="warning",
                            access_log=False, timeout_graceful_shutdown=2, ws_ping_interval=None)
    server = uvicorn.Server(config)

    def announce() -> None:
        while not server.started and not server.should_exit:
            time.sleep(0.05)
        if server.started and on_ready is not None:
            on_ready(url)

    threading.Thread(target=announce, name="xbsim-app-ready", daemon=True).start()
    server.run(sockets=[sock])
