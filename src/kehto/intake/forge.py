"""GitHub's REST API, only the calls the intake needs (stdlib HTTP, no client library).

The token needs no more than *Contents: read and write* and *Pull requests: read
and write* on the one registry repository (a fine-grained personal access token
or a GitHub App installation). The service never merges: it lists pull requests
by head branch, opens one, and reads whether it was merged or closed.

Tests run these calls against a local HTTP server that speaks the same endpoints
(GitHub cannot be reached from CI); see ``tests/fake_github.py``.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass


class ForgeError(Exception):
    """The forge could not be reached or refused the call (retried with backoff)."""


@dataclass(frozen=True)
class PullRequest:
    number: int
    url: str  # the page people open (html_url)
    state: str  # open | closed
    merged: bool


class GitHub:
    """Calls to ``api`` (https://api.github.com or a test server) for ``repo`` (owner/name)."""

    def __init__(self, api: str, repo: str, token: str, timeout: float = 20):
        self.api, self.repo, self.token, self.timeout = api.rstrip("/"), repo, token, timeout
        self.owner = repo.split("/", 1)[0]

    def _call(self, method: str, path: str, body: dict | None = None, query: dict | None = None):
        url = f"{self.api}/repos/{self.repo}{path}" + (f"?{urllib.parse.urlencode(query)}" if query else "")
        request = urllib.request.Request(url, method=method, data=json.dumps(body).encode() if body else None, headers={
            "Accept": "application/vnd.github+json", "Authorization": f"Bearer {self.token}",
            "X-GitHub-Api-Version": "2022-11-28", "User-Agent": "kehto-intake",
            **({"Content-Type": "application/json"} if body else {})})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return json.loads(response.read().decode("utf-8") or "null")
        except urllib.error.HTTPError as exc:
            raise ForgeError(f"{method} {path}: HTTP {exc.code} {exc.read()[:300].decode('utf-8', 'replace')}") from None
        except (urllib.error.URLError, OSError, ValueError) as exc:
            raise ForgeError(f"{method} {path}: {exc}") from None

    @staticmethod
    def _pull(data: dict) -> PullRequest:
        return PullRequest(int(data["number"]), str(data.get("html_url") or ""), str(data.get("state")),
                           bool(data.get("merged_at")))

    def find_pull(self, branch: str) -> PullRequest | None:
        """The pull request (open or closed) whose head is ``branch`` of this repository, if any."""
        found = self._call("GET", "/pulls", query={"head": f"{self.owner}:{branch}", "state": "all"})
        return self._pull(found[0]) if found else None

    def open_pull(self, branch: str, base: str, title: str, body: str) -> PullRequest:
        return self._pull(self._call("POST", "/pulls", {"title": title, "head": branch, "base": base, "body": body,
                                                       "maintainer_can_modify": True}))

    def get_pull(self, number: int) -> PullRequest:
        return self._pull(self._call("GET", f"/pulls/{number}"))

    def last_comment(self, number: int) -> str | None:
        """The newest comment on the pull request: the editor's word when it was closed."""
        comments = self._call("GET", f"/issues/{number}/comments", query={"per_page": 100})
        return str(comments[-1].get("body") or "") or None if comments else None
