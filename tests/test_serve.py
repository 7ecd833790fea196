"""`mkdocs serve` (make serve) tells the truth: a broken record is shown in the browser, a fixed or
edited record updates the site, and no request hangs."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urljoin

import pytest

from conftest import REPO, make_registry

WAIT = 120  # seconds: a generous limit for a shared machine, not a speed requirement


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=WAIT) as response:  # a request that hangs fails here
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8")


def _until(url: str, text: str, process) -> tuple[int, str]:
    deadline = time.monotonic() + WAIT
    status, body = 0, ""
    while time.monotonic() < deadline:
        assert process.poll() is None, "mkdocs serve stopped"
        try:
            status, body = _get(url)
            if text in body:
                return status, body
        except (urllib.error.URLError, ConnectionError):
            pass
        time.sleep(0.5)
    raise AssertionError(f"{url} never showed {text!r}; last answer {status}: {body[:500]}")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = make_registry(tmp_path / "registry")
    for folder in ("content", "overrides", "hooks"):
        shutil.copytree(REPO / folder, root / folder)
    text = (REPO / "mkdocs.yml").read_text(encoding="utf-8").replace("    search: true", "    search: false")
    (root / "mkdocs.yml").write_text(text.replace("  - src/kehto/templates\n", ""), encoding="utf-8")
    return root


def test_serve_shows_record_problems_and_recovers(project):
    record = project / "practices/perehdytyskansio.yml"
    good = record.read_text(encoding="utf-8")
    record.write_text(good.replace("themes: [perehdytys]", "themes: [perehdytyss]"), encoding="utf-8")
    port = _free_port()
    base = f"http://127.0.0.1:{port}/"
    command = [sys.executable, "-m", "mkdocs", "serve", "--no-strict", "--dirty", "-f", str(project / "mkdocs.yml"), "-a", f"127.0.0.1:{port}"]
    process = subprocess.Popen(command, env=dict(os.environ, NO_MKDOCS_2_WARNING="1"), stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    try:
        status, home = _until(base, "Rekisterissä on virheitä", process)
        assert status == 200
        assert "practices/perehdytyskansio.yml:6:10" in home and "perehdytyss" in home
        status, record_page = _get(base + "teot/perehdytyskansio/")
        assert status == 404 and "perehdytyss" in record_page  # every address shows the problems
        styles = re.findall(r'<link rel="stylesheet" href="([^"]+)"', record_page)
        assert styles and all(_get(urljoin(base + "teot/perehdytyskansio/", href))[0] == 200 for href in styles)
        record.write_text(good, encoding="utf-8")  # fixed: the site comes back
        _until(base + "teot/perehdytyskansio/", "Sähköinen perehdytyskansio", process)
        record.write_text(good.replace("title: Sähköinen", "title: Päivitetty sähköinen"), encoding="utf-8")
        _until(base + "teot/perehdytyskansio/", "Päivitetty sähköinen perehdytyskansio", process)  # edits regenerate
        _until(base + "teot/", "Päivitetty sähköinen perehdytyskansio", process)  # and the lists that show it
        record.write_text(good.replace("themes: [perehdytys]", "themes: [perehdytyss]"), encoding="utf-8")
        status, record_page = _until(base + "teot/perehdytyskansio/", "perehdytyss", process)  # broken again
        assert status == 404  # the page built before is not served while the record is broken
    finally:
        process.terminate()
        process.wait(timeout=30)
