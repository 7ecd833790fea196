"""Facts about practices and kinds that the search page shows as filters, known at build time."""

from __future__ import annotations

from . import kinds
from .model import Practice
from .registry import Registry


def search_filters(registry: Registry) -> dict[str, list[tuple[str, str, int]]]:
    """The search page's filter options as ``(value, label, count)``, known at build time.

    Rendering them into the page means the browser need not load Pagefind's
    filter index just to fill the menus.
    """
    counts: dict[str, dict[str, int]] = {}
    for practice in registry.practices.values():
        for key, values in practice_facts(registry, practice).items():
            for value in values:
                counts.setdefault(key, {}).setdefault(value, 0)
                counts[key][value] += 1
    counts["tyyppi"] = {kind: count for kind, count in record_kind_counts(registry).items() if count}
    labels = dict(kind.search for kind in kinds.KINDS if kind.search)
    names = {"tyyppi": labels.get, "palveluala": registry.sectors.name, "teema": registry.themes.name, "maakunta": registry.regions.name,
             "organisaatio": lambda i: registry.organisations[i].name if i in registry.organisations else i,
             "vuosi": str}
    out = {}
    for key, name in names.items():
        options = [(value, name(value), count) for value, count in counts.get(key, {}).items()]
        if key == "vuosi":
            options.sort(key=lambda o: o[0], reverse=True)
        elif key == "tyyppi":
            options.sort(key=lambda o: list(labels).index(o[0]))
        else:
            options.sort(key=lambda o: (o[1].casefold(), o[0]))
        out[key] = options
    return out


def record_kind_counts(registry: Registry) -> dict[str, int]:
    """How many searchable pages of each kind (``Kind.search``) the site has, by filter value.

    Pages set their kind in their templates (knowledge_meta, record_meta); practice pages
    through practice_facts.
    """
    return {kind.search[0]: len(registry.of_kind(kind.name)) + kind.search_pages
            for kind in kinds.KINDS if kind.search}


def record_kind_counted() -> dict[str, tuple[str, str]]:
    """How the search's status line counts each kind (``Kind.counted``; else its label), by filter value:
    ``(one, several)`` as in "1 prosessikuvaus", "3 prosessikuvausta"."""
    return {kind.search[0]: kind.counted or (kind.search[1].lower(),) * 2 for kind in kinds.KINDS if kind.search}


def practice_facts(registry: Registry, practice: Practice) -> dict:
    """Filter values Pagefind indexes for a practice (ids; names come from the labels)."""
    kind = kinds.kind("practice")
    return {
        **({} if kind.search_unmarked else {"tyyppi": [kind.search[0]]}),
        "palveluala": list(practice.sectors),
        "teema": list(practice.themes),
        "organisaatio": [practice.organisation],
        "maakunta": [registry.region_of(practice)],
        "vuosi": [str(practice.year)],
    }
