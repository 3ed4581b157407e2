"""Serving the page on 127.0.0.1 with Solara's server (as ``solara run`` does, without its network calls)."""

from __future__ import annotations

import os
import re
import socket
import sys
import threading
import time
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path

from xbsim.app.config import ENV_VAR, encode

HOST = "127.0.0.1"
PAGE_MODULE = "xbsim.app.page"


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


def page_asset() -> str:
    """The npm package (name@version) of Solara's page that this installation loads: its Vuetify 2 app, or its
    Vuetify 3 app with ipyvuetify 3, as named in Solara's page template."""
    import solara.server
    import solara.util

    template = (Path(solara.server.__file__).parent / "templates" / "solara.html.j2").read_text()
    vue3 = solara.util.ipyvuetify_major_version == 3
    names = re.findall(r"(@widgetti/solara-vuetify3?-app@[^/]+)/dist", template)
    return next(n for n in names if ("vuetify3-app" in n) == vue3)


def missing_page_asset() -> str | None:
    """The package of :func:`page_asset` when it is not installed locally (Solara would then fetch it from a
    CDN, which fails offline), else None. The solara-assets package installs the Vuetify 2 app."""
    from solara.server import settings

    asset = page_asset()
    return None if (Path(settings.assets.proxy_cache_dir) / asset / "dist").is_dir() else asset


def serve(overrides: Sequence[str], sock: socket.socket,
          on_ready: Callable[[str], None] | None = None) -> None:
    """Serve the page for ``overrides`` on ``sock`` until interrupted; calls ``on_ready(url)`` once it accepts
    requests."""
    import uvicorn

    port = sock.getsockname()[1]
    url = f"http://{HOST}:{port}"
    _configure_solara(overrides, port)
    warnings.filterwarnings("ignore", message="Cookies with samesite=none require https")  # plain http here
    missing = missing_page_asset()
    if missing:
        print(f"xbsim-app: warning: {missing}, Solara's page, is not installed locally, so the browser needs "
              "the internet to show the app (install solara-assets, with ipyvuetify<2)",
              file=sys.stderr, flush=True)
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
