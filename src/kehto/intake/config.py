"""The service's settings: command-line options over environment variables over defaults."""

from __future__ import annotations

import os
from dataclasses import dataclass, fields, replace
from pathlib import Path

ENV_PREFIX = "KEHTO_INTAKE_"


@dataclass(frozen=True)
class Config:
    """Everything the intake service and its worker need to know.

    Each field can be set by the environment variable ``KEHTO_INTAKE_<NAME>``
    (for example ``KEHTO_INTAKE_DB``); ``kehto intake serve`` options win.
    """

    db: Path = Path(".intake/intake.sqlite3")  # the one database file; its folder also holds the git clone
    remote: str = ""  # the registry's git remote (URL or path) that receives intake/<receipt> branches
    main_branch: str = "main"
    host: str = "127.0.0.1"
    port: int = 8010
    public_url: str = ""  # the service's address as clients see it (for status_url); default http://host:port
    # CORS: the site's origin(s), comma-separated; default the origin of KEHTO_SITE_URL and the local site
    allow_origin: tuple[str, ...] = ("http://127.0.0.1:8000",)
    github_token: str = ""  # fine-grained token: contents + pull requests write on the one repository
    github_repo: str = ""  # owner/name
    github_api: str = "https://api.github.com"
    max_body: int = 256 * 1024  # bytes; larger requests get 413
    rate_limit: int = 20  # submissions per client per rate_window seconds (0 = off)
    rate_window: int = 600
    altcha_key: str = ""  # HMAC key; when set, every submission must carry a solved ALTCHA challenge
    poll_seconds: float = 2.0  # how often the worker looks for work when idle
    sync_seconds: float = 30.0  # how often it fetches main and checks published / returned
    lease_seconds: float = 120.0  # a claimed submission is retried by another worker after this
    retry_base: float = 2.0  # first retry after about this many seconds, doubling up to retry_max
    retry_max: float = 600.0

    @property
    def data_dir(self) -> Path:
        return self.db.parent

    @property
    def base_url(self) -> str:
        return (self.public_url or f"http://{self.host}:{self.port}").rstrip("/")

    @property
    def forge_enabled(self) -> bool:
        return bool(self.github_token and self.github_repo)


def _convert(kind, raw: str):
    if kind is Path:
        return Path(raw)
    if kind is bool:
        return raw.strip().lower() in ("1", "true", "yes", "on", "kylla")
    if kind is tuple:
        return tuple(part.strip().rstrip("/") for part in raw.split(",") if part.strip())
    return kind(raw)


_TYPES = {"Path": Path, "str": str, "int": int, "float": float, "bool": bool, "tuple[str, ...]": tuple}


def from_env(environ: dict | None = None, **overrides) -> Config:
    """A :class:`Config` from ``KEHTO_INTAKE_*`` variables, then ``overrides`` (None = not given)."""
    environ = os.environ if environ is None else environ
    values = {}
    for item in fields(Config):
        raw = environ.get(ENV_PREFIX + item.name.upper())
        if raw is not None and raw != "":
            values[item.name] = _convert(_TYPES[str(item.type)], raw)
    site = environ.get("KEHTO_SITE_URL", "")
    if "allow_origin" not in values and site.startswith(("http://", "https://")):
        origin = "/".join(site.split("/", 3)[:3])  # scheme://host[:port] of the site's address
        values["allow_origin"] = tuple(dict.fromkeys((origin, *Config.allow_origin)))
    values.update({key: value for key, value in overrides.items() if value is not None})
    return replace(Config(), **values)


__all__ = ["Config", "from_env"]
