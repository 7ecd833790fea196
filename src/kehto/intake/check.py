"""Checking submitted records in memory with exactly the rules of ``kehto validate``.

This is the one place the service calls validation, so that the in-memory
``check(documents)`` of the core can replace it without touching anything else.
Today it writes the submitted files into a temporary folder and validates the
whole registry with those files laid over it (added, or in place of the file a
correction changes): references, unique ids, dates and likely duplicates are
checked against the registry as ``kehto validate`` would.
"""

from __future__ import annotations

import shutil
import tempfile
import threading
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path

from .. import validate
from ..load import KIND, Project
from ..markup import propose_id
from ..report import Problem, Report
from ..submit import record_text

# Validation writes the Finnish analysis cache under the project; one check at a time
# (the work is CPU-bound, so a lock costs no throughput under the GIL).
_LOCK = threading.Lock()


@dataclass(frozen=True)
class _Overlay(Project):
    """A project whose record files are the repository's with some files added or replaced."""

    overlay: tuple[tuple[str, Path, str], ...] = ()

    def record_files(self) -> list[tuple[str, Path, str]]:
        own = {display: item for item in self.overlay for display in (item[2],)}
        files = [own.pop(display, (kind, path, display)) for kind, path, display in super().record_files()]
        return files + list(own.values())


def file_path(kind: str, record: dict) -> str:
    """Where ``record`` of ``kind`` lives in the repository (a safe name even for a bad id)."""
    record_id = record.get("id") if isinstance(record.get("id"), str) else ""
    return f"{KIND[kind].folder}/{propose_id(record_id) or 'uusi'}.yml"


def check_files(project: Project, documents: list[tuple[str, dict]], today: date) -> tuple[dict[str, str], Report]:
    """Check ``(kind, record)`` documents together against ``project``.

    Returns the files as they would be committed (``{path: text}``) and the report
    of the problems in those files only (other files' problems are not the
    submitter's to fix).
    """
    files = {file_path(kind, record): (kind, record_text(record, kind)) for kind, record in documents}
    with tempfile.TemporaryDirectory(prefix="kehto-intake-") as folder, _LOCK:
        overlay = []
        for display, (kind, text) in files.items():
            path = Path(folder) / display
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            overlay.append((kind, path, display))
        _, report = validate.build(_Overlay(project.root, tuple(overlay)), today=today)
    own = report.only(set(files))
    problems = [Problem(p.path, p.line, p.column, p.field, p.message, p.hint, p.severity) for p in own.sorted()]
    return {display: text for display, (_, text) in files.items()}, Report(problems, len(files))


def warm(project: Project, previous: Project | None = None) -> None:
    """Validate a new snapshot once, so the first submission does not pay for the Finnish analysis cache."""
    cache = Path(".cache") / "kehto" / "voikko-fi.json"
    if previous is not None and (previous.root / cache).is_file() and not (project.root / cache).exists():
        (project.root / cache).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(previous.root / cache, project.root / cache)
    with _LOCK:
        validate.build(project)


def exists(project: Project, kind: str, record_id: str) -> bool:
    """Whether the registry already has a ``kind`` record with this id."""
    return (project.root / KIND[kind].folder / f"{record_id}.yml").is_file()


def helsinki_date(moment: datetime) -> date:
    """The calendar day in Finland at ``moment`` (records' dates are Finnish days)."""
    try:
        from zoneinfo import ZoneInfo

        return moment.astimezone(ZoneInfo("Europe/Helsinki")).date()
    except (ImportError, KeyError, OSError):  # no time zone data installed: UTC is at most a day off
        return moment.date()


@lru_cache(maxsize=4)
def _organisation_index(root: Path) -> tuple[tuple[str, str, str], ...]:
    with _LOCK:
        registry, _ = validate.build(Project(root), finnish_titles=False)
    return tuple(sorted((o.id, o.name, o.name.casefold()) for o in registry.organisations.values()))


def organisations(project: Project, prefix: str, limit: int = 20) -> list[dict]:
    """Organisations whose id or a word of whose name starts with ``prefix`` (for the form at scale)."""
    wanted = prefix.casefold()
    found = [{"id": org_id, "name": name} for org_id, name, folded in _organisation_index(project.root)
             if org_id.startswith(wanted) or any(word.startswith(wanted) for word in folded.split())]
    return found[:limit]
