"""What a serving process (``make serve``) keeps between rebuilds, so that an edit costs what it changed.

A :class:`Session` holds, for one project, every record file as last read (re-read
only when its size or modification time changes), the Finnish analyser with its
cache in memory, and a :class:`~kehto.incremental.PageMemo` of the pages of the
last generation. Checking still runs the rules that span records (references,
unique ids, likely duplicates) over all records, on documents already parsed;
generation renders again only the pages whose sources changed. The site engine's
adapter (``hooks/kehto_hooks.py``) keeps one session per project root.
"""

from __future__ import annotations

from pathlib import Path

from . import engine, load, search_terms, site, validate
from .finnish import Analyser
from .incremental import PageMemo
from .load import Project, RawRecord
from .registry import Registry
from .report import Report
from .settings import Settings


class Session:
    """One project's records, analyser and pages, kept between rebuilds."""

    def __init__(self, root: Path):
        self.project = Project(root)
        self._records: dict[str, tuple[tuple, RawRecord]] = {}  # display path -> (file stamp, record)
        self._analyser: Analyser | None = None
        self.memo = PageMemo()
        self.terms = search_terms.TermsMemo()  # the search words of each page, found by the last generation
        self.written: dict = {}  # page path -> the page last written as a file (kehto.engine.sync_pages)
        self.reread = 0  # files read by the last check

    @property
    def analyser(self) -> Analyser:
        if self._analyser is None:
            self._analyser = Analyser(self.project.root / ".cache" / "kehto" / "voikko-fi.json")
        return self._analyser

    def records(self) -> list[RawRecord]:
        """Every record of the project; a file is parsed again only when it changed."""
        current: dict[str, tuple[tuple, RawRecord]] = {}
        self.reread = 0
        for kind, path, display in self.project.record_files():
            try:
                info = path.stat()
                stamp: tuple | None = (kind, info.st_mtime_ns, info.st_size, info.st_ino)
            except OSError:
                stamp = None  # missing or unreadable: read() says why, every time
            known = self._records.get(display)
            if stamp is not None and known is not None and known[0] == stamp:
                current[display] = known
                continue
            self.reread += 1
            current[display] = (stamp, load.read(self.project, kind, path, display))
        self._records = current
        return [record for _, record in current.values()]

    def check(self, finnish_titles: bool = True) -> tuple[Registry, Report]:
        """:func:`kehto.validate.check` of the current records (the Finnish analysis kept in memory)."""
        analyser = self.analyser if finnish_titles else None
        result = validate.check(self.records(), str(self.project.schema_dir), analyser=analyser)
        if analyser is not None:
            analyser.save()
        return result

    def pages(self, config: dict, settings: Settings, registry: Registry) -> tuple[list[site.GeneratedPage], site.SiteOptions]:
        """Every generated page and the options they were made with; pages whose sources did not
        change since the last call are reused (the same objects as then)."""
        analyser = self.analyser if settings.finnish_search else None
        options = engine.site_options(config, settings, registry, self.project.root, analyser=analyser,
                                      terms_memo=self.terms)
        if analyser is not None:
            analyser.save()
        return site.generate(registry, options, memo=self.memo), options


_SESSIONS: dict[Path, Session] = {}


def session(root: Path) -> Session:
    """The session of the project at ``root`` (created on first use)."""
    root = root.resolve()
    if root not in _SESSIONS:
        _SESSIONS[root] = Session(root)
    return _SESSIONS[root]


def forget(root: Path) -> None:
    """Drop the session of ``root`` (a one-off build: nothing is kept for later)."""
    _SESSIONS.pop(root.resolve(), None)
