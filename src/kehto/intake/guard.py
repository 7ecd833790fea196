"""Abuse limits that need memory between requests: per-client rate limit and ALTCHA proof-of-work.

Both live in the server process (one process by design; see the README). The
rate limit is a sliding window per client address; behind a reverse proxy the
address comes from ``X-Forwarded-For`` as uvicorn's ``--forwarded-allow-ips`` allows.
"""

from __future__ import annotations

import base64
import hashlib
import json
import math
import secrets
import threading
import time
from collections import deque
from datetime import datetime, timedelta, timezone
from pathlib import Path


class RateLimit:
    """At most ``limit`` requests per ``window`` seconds per client key (``limit`` 0 = no limit)."""

    def __init__(self, limit: int, window: float):
        self.limit, self.window = limit, window
        self._hits: dict[str, deque] = {}
        self._lock = threading.Lock()

    def hit(self, key: str, now: float | None = None) -> int:
        """Count a request; 0 when allowed, else the seconds to wait (for ``Retry-After``)."""
        if not self.limit:
            return 0
        now = time.monotonic() if now is None else now
        with self._lock:
            hits = self._hits.setdefault(key, deque())
            while hits and hits[0] <= now - self.window:
                hits.popleft()
            if len(hits) >= self.limit:
                return max(1, math.ceil(hits[0] + self.window - now))
            hits.append(now)
            if len(self._hits) > 100_000:  # forget idle clients rather than grow without bound
                self._hits = {k: v for k, v in self._hits.items() if v and v[-1] > now - self.window}
            return 0


def client_salt(data_dir: Path) -> bytes:
    """A per-installation secret, so stored client hashes cannot be matched to addresses elsewhere."""
    path = Path(data_dir) / "client-salt"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(secrets.token_bytes(32))
        path.chmod(0o600)
    return path.read_bytes()


def client_hash(salt: bytes, address: str) -> str:
    return hashlib.sha256(salt + address.encode("utf-8")).hexdigest()[:32]


class ProofOfWork:
    """ALTCHA challenges signed with ``key``; each solution is accepted once while it is valid."""

    def __init__(self, key: str, max_number: int = 100_000, lifetime: int = 600):
        self.key, self.max_number, self.lifetime = key, max_number, lifetime
        self._used: dict[str, float] = {}
        self._lock = threading.Lock()

    def challenge(self) -> dict:
        import altcha

        expires = datetime.now(timezone.utc) + timedelta(seconds=self.lifetime)
        made = altcha.create_challenge_v1(hmac_key=self.key, max_number=self.max_number, expires=expires)
        return {"algorithm": made.algorithm, "challenge": made.challenge, "maxnumber": made.max_number,
                "salt": made.salt, "signature": made.signature}

    def verify(self, payload: str) -> bool:
        import altcha

        try:
            ok, _ = altcha.verify_solution_v1(payload, self.key, check_expires=True)
            challenge = str(json.loads(base64.b64decode(payload))["challenge"]) if ok else ""
        except Exception:  # a malformed payload is simply not a solution
            return False
        now = time.monotonic()
        with self._lock:
            self._used = {k: t for k, t in self._used.items() if t > now}
            if not ok or challenge in self._used:  # each challenge once, however the payload is encoded
                return False
            self._used[challenge] = now + self.lifetime
        return True
