"""Real Chromium for browser tests: Debian's ``chromium`` driven by Playwright.

Playwright never downloads a browser here; it launches the system binary.
Outside CI a missing browser skips the browser tests; in CI (``CI=true``) it fails them.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from contextlib import contextmanager
from pathlib import Path

import pytest

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
# Chromium 156 (Debian's, headless) opens two omnibox-popup WebUI pages
# (chrome://omnibox-popup.top-chrome/) for every new browser context, in a renderer of their own.
# They load while the page under test loads, on the same two cores: a fresh context and one search
# page load used 1.14 CPU-seconds with them, 0.62 without. A browser a person already has open
# built them long before; without them the page itself is measured. Chromium keeps only the last
# --disable-features it is given, and Playwright passes one of its own: these are added to that
# one (launch_args), not passed beside it.
OMNIBOX_POPUPS = ["WebUIOmniboxPopup", "WebUIOmniboxAimPopup", "WebUIOmniboxFullPopup"]


def chromium_path() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


def require_chromium() -> str:
    path = chromium_path()
    if path:
        return path
    if os.environ.get("CI"):
        pytest.fail("Chromium puuttuu: CI:ssä selaintestit eivät saa ohittua (asenna Debianin chromium-paketti).")
    pytest.skip("Chromium is not installed (apt-get install chromium)")


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map,
                      ".js": "text/javascript", ".mjs": "text/javascript", ".wasm": "application/wasm",
                      ".json": "application/json", ".pf_meta": "application/octet-stream"}

    def log_message(self, *args):  # keep test output clean
        pass


@contextmanager
def serve(directory: Path):
    """Serve a built site on 127.0.0.1 with a free port; yields the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def browser_command_lines() -> list[list[str]]:
    """The command lines of the Chromium browser processes this process started (Linux: /proc)."""
    children: dict[int, list[int]] = {}
    if not Path("/proc").is_dir():
        return []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except (OSError, ValueError):
            continue
        children.setdefault(int(stat[stat.rindex(")") + 2:].split()[1]), []).append(int(entry.name))
    lines, todo = [], [os.getpid()]
    while todo:
        for child in children.get(todo.pop(), []):
            todo.append(child)
            try:
                argv = Path(f"/proc/{child}/cmdline").read_bytes().decode(errors="replace").split("\0")
            except OSError:
                continue
            if any(a.startswith("--remote-debugging-pipe") for a in argv) and not any(a.startswith("--type=") for a in argv):
                lines.append(argv)
    return lines


_LAUNCH_ARGS: list[str] = []


def launch_args(playwright, executable: str) -> list[str]:
    """CHROMIUM_ARGS, and Playwright's own --disable-features with OMNIBOX_POPUPS added, read once
    from the command line of a first browser (Playwright's list changes between its versions)."""
    if not _LAUNCH_ARGS:
        probe = playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        try:
            theirs = [a.split("=", 1)[1] for line in browser_command_lines() for a in line
                      if a.startswith("--disable-features=")]
        finally:
            probe.close()
        # (where Playwright's list cannot be read, nothing is added: the popups stay, and the test
        # of the test browser says so, rather than Playwright's list being switched off)
        added = [f"--disable-features={','.join([theirs[-1], *OMNIBOX_POPUPS])}"] if theirs else []
        _LAUNCH_ARGS.extend([*CHROMIUM_ARGS, *added])
    return _LAUNCH_ARGS


@contextmanager
def browser():
    """A headless Chromium browser (Playwright), closed afterwards."""
    executable = require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=executable, headless=True,
                                              args=launch_args(playwright, executable))
        try:
            yield instance
        finally:
            instance.close()


@contextmanager
def open_site(site: Path, **context_options):
    """Serve a built site and open one Finnish-locale page on it.

    Yields ``(base_url, page, errors)``; ``errors`` collects uncaught page errors.
    """
    with serve(site) as base, browser() as chromium:
        context = chromium.new_context(**{"locale": "fi-FI", "timezone_id": "Europe/Helsinki", **context_options})
        page = context.new_page()
        try:
            yield base, page, page_errors(page)
        finally:
            context.close()


def page_errors(page) -> list[str]:
    """The uncaught errors of ``page``, collected from now on."""
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


@contextmanager
def another_page(context):
    """A new page in ``context`` beside the others, closed afterwards. Yields ``(page, errors)``."""
    page = context.new_page()
    try:
        yield page, page_errors(page)
    finally:
        page.close()
