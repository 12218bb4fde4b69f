"""Headless Chromium helpers for offline-rendering tests (Debian ``chromium``).

Every page is opened as ``file://`` with a dead proxy (``--proxy-server=127.0.0.1:9``), so any
http(s) fetch fails; the Chromium net log lists every request the page itself made
(:attr:`Page.requests`) and the console log shows script errors. A page that renders fully with no
request and no ``net::ERR``/``ERR_PROXY`` works offline.

Usage in a test::

    from browser import load_page, require_chromium, screenshot  # tests/ is on sys.path

    require_chromium()                   # skips with a clear reason when chromium is absent
    page = load_page(path)               # DOM after scripts + console lines
    assert not page.requests and not page.network_errors
    assert page.data_images              # data-URI images (SVG/PNG charts)
    png = screenshot(path, tmp_path / "shot.png")
"""

from __future__ import annotations

import base64
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import pytest

#: Flags from research/stack-notes.md §11.
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--no-default-browser-check",
    "--hide-scrollbars",
    "--mute-audio",
    "--proxy-server=127.0.0.1:9",
    "--proxy-bypass-list=<-loopback>",
    "--virtual-time-budget=8000",
    "--window-size=1000,1300",
)
TIMEOUT = 60
_ERROR = re.compile(r"Uncaught|SyntaxError|ERR_PROXY|net::ERR|Failed to load resource", re.I)
_NETWORK = re.compile(r"ERR_PROXY|net::ERR|Failed to load resource", re.I)
_DATA_IMG = re.compile(
    r"""<img\b[^>]*?\bsrc\s*=\s*["']data:image/(svg\+xml|png|jpeg)(;base64)?,([^"']*)["']""",
    re.I,
)


def chromium_path() -> str | None:
    """Path of the Chromium binary (``/usr/bin/chromium`` or on PATH), or ``None``."""
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None


def require_chromium() -> str:
    """The Chromium binary, or ``pytest.skip`` with the reason (``make test`` installs it)."""
    path = chromium_path()
    if path is None:
        pytest.skip(
            "chromium not installed (make test installs Debian chromium + fonts-liberation)"
        )
    return path


@dataclass
class DataImage:
    """A data-URI image found in a page."""

    kind: str
    size: int
    payload: bytes = field(repr=False)


@dataclass
class Page:
    """A page loaded by headless Chromium."""

    path: Path
    dom: str
    console: list[str]
    requests: list[str] = field(default_factory=list)

    @property
    def errors(self) -> list[str]:
        """Console lines reporting script errors or failed loads."""
        return [line for line in self.console if _ERROR.search(line)]

    @property
    def network_errors(self) -> list[str]:
        """Console lines reporting a failed network request (any fetch at all, offline)."""
        return [line for line in self.console if _NETWORK.search(line)]

    @property
    def data_images(self) -> list[DataImage]:
        """Data-URI ``<img>`` elements of the rendered DOM, decoded."""
        return data_images(self.dom)


def data_images(html_text: str) -> list[DataImage]:
    """Decode every ``<img src="data:image/...">`` of an HTML text."""
    from urllib.parse import unquote_to_bytes

    out = []
    for kind, b64, payload in _DATA_IMG.findall(html_text):
        data = base64.b64decode(payload) if b64 else unquote_to_bytes(payload)
        out.append(DataImage(kind, len(data), data))
    return out


def _run(args: list[str], timeout: int) -> tuple[subprocess.CompletedProcess, list[str]]:
    with tempfile.TemporaryDirectory(prefix="dumpscope-chromium-") as tmp:
        netlog = Path(tmp) / "netlog.json"
        done = subprocess.run(
            [
                require_chromium(),
                *FLAGS,
                f"--user-data-dir={tmp}/profile",
                f"--log-net-log={netlog}",
                *args,
            ],
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        return done, page_requests(netlog)


def page_requests(netlog: Path) -> list[str]:
    """http(s) URLs the page itself requested, from a Chromium net log.

    Chromium's own background traffic (updates, accounts, dictionaries) has the initiator
    ``"not an origin"``; requests made by a ``file://`` page have the opaque origin ``"null"``.
    """
    import json

    try:
        log = json.loads(Path(netlog).read_text("utf-8", errors="replace"))
    except (FileNotFoundError, json.JSONDecodeError):
        text = Path(netlog).read_text("utf-8", errors="replace") if Path(netlog).exists() else ""
        log = json.loads(text.rstrip().rstrip(",") + "]}") if text else {"events": []}
    start = log.get("constants", {}).get("logEventTypes", {}).get("URL_REQUEST_START_JOB")
    urls = []
    for event in log.get("events", []):
        params = event.get("params") or {}
        url = params.get("url", "")
        if event.get("type") != start or not re.match(r"(?i)(https?|wss?|ftp):", url):
            continue
        if params.get("initiator") == "not an origin":
            continue
        urls.append(url)
    return urls


def load_page(path: Path, *, timeout: int = TIMEOUT) -> Page:
    """Open ``path`` (``file://``): DOM after scripts, console log, and network requests."""
    path = Path(path).resolve()
    done, requests = _run(
        ["--dump-dom", "--enable-logging=stderr", "--v=0", path.as_uri()], timeout
    )
    console = [
        line for line in done.stderr.splitlines() if "CONSOLE" in line or _ERROR.search(line)
    ]
    return Page(path, done.stdout, console, requests)


def screenshot(path: Path, png: Path, *, timeout: int = TIMEOUT) -> Path:
    """Render ``path`` to a PNG screenshot; returns ``png`` (raises if none was written)."""
    path = Path(path).resolve()
    png = Path(png).resolve()
    png.parent.mkdir(parents=True, exist_ok=True)
    done, _ = _run([f"--screenshot={png}", path.as_uri()], timeout)
    if not png.is_file() or png.stat().st_size == 0:
        raise AssertionError(f"chromium wrote no screenshot of {path}: {done.stderr[-2000:]}")
    return png
