"""Regenerating only the pages an edit changed (``make serve``).

A :class:`PageMemo` remembers, for every page rendered from a template, what
it was rendered from: the template, the record to edit, the context values the
caller passed, and whether the template read practices from the registry
beyond them (``r.practices``, ``r.newest_first``, counts...). The next
generation reuses a page when

* nothing but practices changed in the registry and the site options (any other
  record, a taxonomy, the date or an option: every page is rendered again),
* its context is equal to last time's (a practice page's practice, its related
  practices, its search words; a listing's chunk of practices; a count), and
* it read no practice through the registry, or no practice changed.

Templates reach the registry only through ``r``; during a render ``r`` is a
:class:`_Reads` proxy that notes which of its members the template used.
Whether a member can show a practice is decided by :data:`PRACTICE_FREE`: a
member not named there counts as reading every practice, so a new registry
method errs on the side of rendering again. The result equals a full
generation byte for byte (tests/test_incremental.py checks it after edits).
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from .registry import Registry

# Registry members that show no practice (a practice reached through them is looked up by the
# template with ``r.practices``, which is tracked).
PRACTICE_FREE = frozenset({
    "organisations", "sectors", "themes", "regions", "lists", "adoptions", "campaigns", "awards",
    "support_menu", "question_banks", "processes", "plans", "extra", "adopted_by", "adoption_counts",
    "knowledge_in_theme", "knowledge_in_support_category", "knowledge_for", "region_of",
})
_OTHER_FIELDS = tuple(f.name for f in fields(Registry) if f.name not in ("practices", "_cache"))


class _Reads:
    """The registry as a template sees it, noting whether the template read practices through it."""

    __slots__ = ("_registry", "wide")

    def __init__(self, registry: Registry):
        self._registry = registry
        self.wide = False  # read a member that can show practices

    def __getattr__(self, name: str):
        if name not in PRACTICE_FREE:
            self.wide = True
        return getattr(self._registry, name)


@dataclass
class _Entry:
    template: str
    edit_path: str | None
    context: dict
    wide: bool
    page: object  # a kehto.site.GeneratedPage


def _same(first, second) -> bool:
    try:
        return bool(first == second)
    except Exception:  # noqa: BLE001 - a value that cannot be compared is never "the same"
        return False


class PageMemo:
    """The pages of the last generation and what they were rendered from."""

    def __init__(self) -> None:
        self._pages: dict[str, _Entry] = {}
        self._state: tuple | None = None
        self._practices: dict | None = None
        self._changed: set[str] | None = None  # practice ids changed since the last generation; None: unknown
        self._seen: set[str] = set()  # pages of the current generation
        self.rendered = self.reused = 0

    def begin(self, registry: Registry, options) -> None:
        """Start a generation of ``registry`` with ``options`` (a :class:`kehto.site.SiteOptions`)."""
        terms = options.search_terms or {}
        state = (tuple(getattr(registry, name) for name in _OTHER_FIELDS), options, options.practice_schema,
                 {k: v for k, v in terms.items() if "/" in k})  # other kinds' search words
        # Only pages of the last generation can be reused: ``_changed`` compares with it alone.
        self._pages = {uri: self._pages[uri] for uri in self._seen}
        self._seen = set()
        if self._state is None or not _same(state, self._state):
            self._pages.clear()
            self._practices = None
        self._state = state
        old, new = self._practices, registry.practices
        self._changed = None if old is None else {i for i in old.keys() | new.keys() if not _same(old.get(i), new.get(i))}
        self._practices = dict(new)
        self.rendered = self.reused = 0

    def reads(self, registry: Registry) -> _Reads:
        return _Reads(registry)

    def get(self, src_uri: str, template: str, edit_path: str | None, context: dict):
        """The page rendered last time, when nothing it was made from changed; else None."""
        entry = self._pages.get(src_uri)
        if entry is None or entry.template != template or entry.edit_path != edit_path:
            return None
        if entry.wide and (self._changed is None or self._changed):
            return None
        if not _same(entry.context, context):
            return None
        self.reused += 1
        self._seen.add(src_uri)
        return entry.page

    def put(self, src_uri: str, template: str, edit_path: str | None, context: dict, reads: _Reads, page) -> None:
        self.rendered += 1
        self._seen.add(src_uri)
        self._pages[src_uri] = _Entry(template, edit_path, context, reads.wide, page)
