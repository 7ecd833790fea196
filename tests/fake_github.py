"""A local HTTP server speaking the few GitHub REST endpoints the intake service calls.

GitHub cannot be reached from CI, so the forge calls are tested against this:
``GET/POST /repos/{owner}/{repo}/pulls``, ``GET /repos/{owner}/{repo}/pulls/{n}``,
``GET /repos/{owner}/{repo}/issues/{n}/comments``, answered as GitHub documents them
(list filtered by ``head=owner:branch`` and ``state``; 422 for a second pull request
from the same head). It can fail on purpose: ``down`` answers 502, ``lose_next_create``
opens the pull request but drops the connection before answering.
"""

from __future__ import annotations

import json
import re
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class FakeGitHub:
    def __init__(self, repo: str = "kehto/rekisteri", token: str = "test-token"):
        self.repo, self.token = repo, token
        self.pulls: list[dict] = []
        self.comments: dict[int, list[dict]] = {}
        self.calls: list[tuple[str, str]] = []
        self.down = False
        self.lose_next_create = False
        self.lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self) -> "FakeGitHub":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()

    def close(self, number: int, merged: bool, comment: str | None = None) -> None:
        """The editors' decision on a pull request."""
        with self.lock:
            pull = next(p for p in self.pulls if p["number"] == number)
            pull.update(state="closed", merged_at="2026-01-01T00:00:00Z" if merged else None)
            if comment:
                self.comments.setdefault(number, []).append({"body": comment})

    def _handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _send(self, status: int, body) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _route(self, method: str):
                url = urllib.parse.urlsplit(self.path)
                fake.calls.append((method, url.path))
                if fake.down:
                    return self._send(502, {"message": "Server Error"})
                if self.headers.get("Authorization") != f"Bearer {fake.token}":
                    return self._send(401, {"message": "Bad credentials"})
                base = f"/repos/{fake.repo}"
                query = dict(urllib.parse.parse_qsl(url.query))
                with fake.lock:
                    if method == "GET" and url.path == f"{base}/pulls":
                        owner, _, branch = query.get("head", ":").partition(":")
                        found = [p for p in fake.pulls if p["head"]["ref"] == branch and owner == fake.repo.split("/")[0]
                                 and query.get("state", "open") in ("all", p["state"])]
                        return self._send(200, found)
                    if method == "POST" and url.path == f"{base}/pulls":
                        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                        if any(p["head"]["ref"] == body["head"] and p["state"] == "open" for p in fake.pulls):
                            return self._send(422, {"message": "Validation Failed",
                                                    "errors": [{"message": "A pull request already exists"}]})
                        number = len(fake.pulls) + 1
                        pull = {"number": number, "html_url": f"https://github.com/{fake.repo}/pull/{number}",
                                "state": "open", "merged_at": None, "title": body["title"], "body": body["body"],
                                "head": {"ref": body["head"]}, "base": {"ref": body["base"]}}
                        fake.pulls.append(pull)
                        if fake.lose_next_create:
                            fake.lose_next_create = False
                            self.close_connection = True
                            return None  # created, but the answer never arrives
                        return self._send(201, pull)
                    match = re.fullmatch(rf"{base}/pulls/(\d+)", url.path)
                    if method == "GET" and match:
                        found = [p for p in fake.pulls if p["number"] == int(match.group(1))]
                        return self._send(200, found[0]) if found else self._send(404, {"message": "Not Found"})
                    match = re.fullmatch(rf"{base}/issues/(\d+)/comments", url.path)
                    if method == "GET" and match:
                        return self._send(200, fake.comments.get(int(match.group(1)), []))
                return self._send(404, {"message": "Not Found"})

            def do_GET(self):
                self._route("GET")

            def do_POST(self):
                self._route("POST")

        return Handler
