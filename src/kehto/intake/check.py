"""Checking submitted records in memory with exactly the rules of ``kehto validate``.

This is the one place the service calls validation: :func:`kehto.submit.check_records`,
which checks the submitted records in memory together with the registry's files
(added, or in place of the file a correction changes): references, unique ids,
dates and likely duplicates are checked against the registry as ``kehto validate``
would. Nothing is written.
"""

from __future__ import annotations

import shutil
import threading
from datetime import date
from functools import lru_cache
from pathlib import Path

from .. import kinds, load, references, validate
from ..finnish import Analyser
from ..load import Project, RawRecord
from ..report import Report
from ..submit import check_records, file_name, record_text

# Validation writes the Finnish analysis cache under the project; one check at a time
# (the work is CPU-bound, so a lock costs no throughput under the GIL).
_LOCK = threading.RLock()


def file_path(project: Project, kind: str, record: dict) -> str:
    """Where ``record`` of ``kind`` lives in the repository (a safe name even for a bad id)."""
    return f"{kinds.kind(kind).folder}/{file_name(record, kind, project)}.yml"


def check_files(project: Project, documents: list[tuple[str, dict]], today: date) -> tuple[dict[str, str], Report]:
    """Check ``(kind, record)`` documents together against ``project``.

    Returns the files as they would be committed (``{path: text}``) and the report
    of the problems in those files only (other files' problems are not the
    submitter's to fix).
    """
    with _LOCK:
        theirs, analyser = _snapshot(project.root)
        displays, report = check_records(project, [(record, kind) for kind, record in documents],
                                         replace=True, today=today, theirs=list(theirs), analyser=analyser)
    files = {display: record_text(record, kind) for display, (kind, record) in zip(displays, documents)}
    return files, Report(report.sorted(), len(files))


@lru_cache(maxsize=2)  # the newest snapshot and the one before it (checks in flight)
def _snapshot(root: Path) -> tuple[tuple[RawRecord, ...], Analyser]:
    """A snapshot's records, read and parsed once, and its Finnish analyser. A snapshot is one
    commit unpacked and never changed (:meth:`kehto.intake.gitrepo.Repo.snapshot`), so what was
    read from it stays true; checking does not change the parsed records."""
    return tuple(load.read_all(Project(root))), Analyser(root / ".cache" / "kehto" / "voikko-fi.json")


def warm(project: Project, previous: Project | None = None) -> None:
    """Validate a new snapshot once, so the first submission does not pay for the Finnish analysis cache."""
    cache = Path(".cache") / "kehto" / "voikko-fi.json"
    if previous is not None and (previous.root / cache).is_file() and not (project.root / cache).exists():
        (project.root / cache).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(previous.root / cache, project.root / cache)
    with _LOCK:
        validate.build(project)  # writes the analysis cache the snapshot's analyser then reads
        _snapshot(project.root)


def exists(project: Project, kind: str, record_id: str) -> bool:
    """Whether the registry already has a ``kind`` record with this id."""
    if not references.is_id(record_id):
        return False
    with _LOCK:
        theirs, _ = _snapshot(project.root)
    wanted = file_path(project, kind, {"id": record_id})
    return any(record.display == wanted for record in theirs)


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
