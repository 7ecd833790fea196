"""The real intake service for tests: a subprocess on a free port, a real SQLite file, a real bare git remote.

Used by tests/test_intake*.py and bench/intake_load.py (and by the site's end-to-end
test): nothing is mocked between the HTTP client and git.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = Path(__file__).resolve().parent / "examples"
GIT_ENV = {"GIT_AUTHOR_NAME": "test", "GIT_AUTHOR_EMAIL": "test@kehto.invalid",
           "GIT_COMMITTER_NAME": "test", "GIT_COMMITTER_EMAIL": "test@kehto.invalid"}
FAST = {"KEHTO_INTAKE_POLL_SECONDS": "0.2", "KEHTO_INTAKE_SYNC_SECONDS": "1", "KEHTO_INTAKE_LEASE_SECONDS": "3",
        "KEHTO_INTAKE_RETRY_BASE": "0.2", "KEHTO_INTAKE_RETRY_MAX": "1", "KEHTO_INTAKE_RATE_LIMIT": "0"}


def git(*args: str, cwd: Path | None = None, check: bool = True) -> str:
    result = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, env={**os.environ, **GIT_ENV})
    if check and result.returncode != 0:
        raise AssertionError(f"git {' '.join(args)}: {result.stderr}")
    return result.stdout.strip()


def make_remote(base: Path, registry: Path | None = None) -> Path:
    """A bare repository whose main holds ``registry`` (default: tests/examples/registry + schemas)."""
    work = base / "seed"
    if registry is None:
        shutil.copytree(EXAMPLES / "registry", work)
        shutil.copytree(REPO / "schemas", work / "schemas")
    else:
        for name in ("schemas", "data", "practices"):
            shutil.copytree(registry / name, work / name)
    git("init", "--quiet", "--initial-branch=main", str(work))
    git("add", "-A", cwd=work)
    git("commit", "--quiet", "-m", "registry", cwd=work)
    remote = base / "remote.git"
    git("init", "--quiet", "--bare", "--initial-branch=main", str(remote))
    git("push", "--quiet", str(remote), "main", cwd=work)
    shutil.rmtree(work)
    return remote


def intake_branches(remote: Path) -> dict[str, str]:
    out = git("--git-dir", str(remote), "for-each-ref", "--format=%(refname:short) %(objectname)", "refs/heads/intake/")
    return dict(line.split() for line in out.splitlines())


def branch_files(remote: Path, branch: str) -> set[str]:
    """The files a branch changes relative to main."""
    out = git("--git-dir", str(remote), "diff", "--name-only", f"main...{branch}")
    return set(out.splitlines())


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(predicate, timeout: float = 60, what: str = "condition"):
    """Poll until ``predicate()`` is truthy (a deadline for eventual consistency, not a speed assertion)."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)


class Intake:
    """``kehto intake serve`` running in a subprocess."""

    def __init__(self, data: Path, remote: Path | str, env: dict | None = None, port: int | None = None):
        self.data, self.remote, self.port = Path(data), str(remote), port or free_port()
        self.db = self.data / "intake.sqlite3"
        self.env = {**os.environ, **FAST, **(env or {})}
        self.process: subprocess.Popen | None = None
        self.log = self.data / "service.log"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> "Intake":
        self.data.mkdir(parents=True, exist_ok=True)
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "kehto.cli", "intake", "serve", "--port", str(self.port), "--db", str(self.db),
                 "--remote", self.remote], stdout=log, stderr=subprocess.STDOUT, env=self.env, cwd=self.data)
        wait_for(self._healthy, 60, f"the intake service on {self.url}")
        return self

    def _healthy(self) -> bool:
        if self.process.poll() is not None:
            raise AssertionError(f"the service exited:\n{self.log.read_text()}")
        try:
            return self.get("/api/health")[0] == 200
        except OSError:
            return False

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(30)

    def kill(self) -> None:
        """SIGKILL: no shutdown code runs."""
        self.process.kill()
        self.process.wait(30)

    def __enter__(self) -> "Intake":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def request(self, method: str, path: str, body: bytes | None = None, headers: dict | None = None):
        req = urllib.request.Request(self.url + path, data=body, method=method, headers=headers or {})
        try:
            with urllib.request.urlopen(req, timeout=60) as response:
                return response.status, _body(response.read()), _headers(response.headers)
        except urllib.error.HTTPError as exc:
            return exc.code, _body(exc.read()), _headers(exc.headers)

    def get(self, path: str):
        return self.request("GET", path)

    def post(self, body, headers: dict | None = None):
        data = body if isinstance(body, bytes) else json.dumps(body, ensure_ascii=False).encode("utf-8")
        return self.request("POST", "/api/submissions", data, {"Content-Type": "application/json", **(headers or {})})

    def rows(self) -> list[dict]:
        """The submissions table, read straight from the SQLite file."""
        if not self.db.exists():
            return []
        with sqlite3.connect(f"file:{self.db}?mode=ro", uri=True) as conn:
            conn.row_factory = sqlite3.Row
            return [dict(row) for row in conn.execute("SELECT * FROM submissions")]


def _body(raw: bytes):
    try:
        return json.loads(raw or b"null")
    except ValueError:
        return raw.decode("utf-8", "replace")


def _headers(headers) -> dict[str, str]:
    return {key.lower(): value for key, value in headers.items()}


def new_practice(number: int = 1, organisation: str = "esimerkkikaupunki") -> dict:
    """A valid practice for the example registry (a distinct one for each ``number``)."""
    return {"id": f"intake-testi-{number}", "title": f"Vastaanoton testiteko numero {number}",
            "summary": "Testataan, että lähetetty teko päätyy rekisterin haaraksi sellaisenaan.",
            "organisation": organisation, "sectors": ["opetus-ja-kasvatus"], "themes": ["perehdytys"],
            "published": "2024-05-02", "actions": "Kokeiltiin uutta tapaa ja kirjattiin tulokset ylös huolellisesti."}


def new_organisation(org_id: str = "uusi-testikunta") -> dict:
    return {"id": org_id, "name": "Uusi testikunta", "type": "kunta", "region": "uusimaa"}
