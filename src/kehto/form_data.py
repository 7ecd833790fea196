"""What the submission forms fetch while someone fills them, as small static JSON files.

The registry grows; the form page must not. Instead of one file with every
organisation and every title (1 MB at 10,000 practices), the build writes:

* organisations by the first letter of their name (the form fetches the letters typed),
* titles by their first three letters (duplicate hints for the title typed, across
  organisations, and the adoption form's practice list),

  a prefix with more than :data:`SHARD_MAX` entries being split by its next letter,
* each practice's record as JSON (the correction form starts from it).

The paths are kehto.urls' (:func:`kehto.urls.form_lookup`); the pages hand them to
the browser, and :data:`FOLD` is the folding both sides use to pick a file.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict

from . import urls
from .markup import _FOLD
from .model import Practice
from .registry import Registry

FOLD = {chr(k): v for k, v in _FOLD.items()}
TITLE_KEY = 3  # letters of a title that pick its file (two made files of 80 KB at 10 000 practices)
SHARD_MAX = 100  # entries in one file; a prefix with more is split by its next letter
MAX_LETTERS = 40


def _letters(text: str) -> str:
    return "".join(re.findall(r"[a-z0-9]", text.casefold().translate(_FOLD)))


def shard_key(text: str, length: int = 1) -> str:
    """The file a name or title is in: its first letters, folded (``Äänekoski`` -> ``a``); ``_`` for none."""
    return _letters(text)[:length] or "_"


def record_of(practice: Practice, order: list[str]) -> dict:
    """The practice as its record file holds it (keys in the schema's order), for the correction form."""
    data = {
        "id": practice.id, "title": practice.title, "summary": practice.summary,
        "organisation": practice.organisation, "sectors": list(practice.sectors), "themes": list(practice.themes),
        "support_categories": list(practice.support_categories), "published": practice.published.isoformat(),
        "published_precision": practice.published_precision if practice.published_precision != "day" else None,
        "submitted": practice.submitted.isoformat() if practice.submitted else None,
        "background": practice.background, "actions": practice.actions, "results": practice.results,
        "tips": practice.tips, "keywords": list(practice.keywords),
        "links": [{"title": link.title, "url": link.url} for link in practice.links],
    }
    if practice.contact:
        data["contact"] = {k: v for k, v in vars(practice.contact).items() if v}
    if practice.source:
        data["source"] = {k: v for k, v in vars(practice.source).items() if v}
    present = {k: v for k, v in data.items() if v not in (None, "", [])}
    return {key: present[key] for key in order if key in present}


def _json(data) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def _prefix_files(template: str, entries: list[list], text_of, length: int, files: dict[str, str]) -> None:
    """Entries by the first ``length`` letters of their text; a busier prefix is split by its next
    letter and its file says so (``{"more": true, "items": [entries with no more letters]}``)."""
    groups: dict[str, list] = defaultdict(list)
    for entry in entries:
        groups[shard_key(text_of(entry), length)].append(entry)
    for key, items in groups.items():
        deeper = [e for e in items if len(_letters(text_of(e))) > length]
        if len(items) > SHARD_MAX and deeper and length < MAX_LETTERS:
            files[template.format(key=key)] = _json({"more": True, "items": [e for e in items if e not in deeper]})
            _prefix_files(template, deeper, text_of, length + 1, files)
        else:
            files[template.format(key=key)] = _json(items)


def lookup_files(registry: Registry, order: list[str]) -> dict[str, str]:
    """Every file the forms fetch: site path -> JSON text."""
    files: dict[str, str] = {}
    organisations = [[o.id, o.name] for o in sorted(registry.organisations.values(), key=lambda o: (o.name.casefold(), o.id))]
    _prefix_files(urls.form_lookup("organisations", key="{key}"), organisations, lambda e: e[1], 1, files)
    titles = [[p.title, p.id, p.organisation] for p in registry.newest_first]
    _prefix_files(urls.form_lookup("titles", key="{key}"), titles, lambda e: e[0], TITLE_KEY, files)
    for practice in registry.newest_first:
        files[urls.form_lookup("record", id=practice.id)] = _json(record_of(practice, order))
    return files


def browser_paths(url) -> dict:
    """The paths for the browser, relative to the page (``url`` is the page's link maker)."""
    return {"paths": {name: url(path) for name, path in urls.form_paths().items()}, "fold": FOLD, "title_key": TITLE_KEY}
