"""The linked registry and the views computed from it (indexes, counts, related)."""

from __future__ import annotations

import bisect
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import cached_property

from .model import Organisation, Practice, Taxonomy

RELATED_WINDOW = 40  # neighbours by date examined per shared theme, to stay linear at scale


@dataclass
class Registry:
    """All valid records, linked by id. Build it with :func:`kehto.validate.build`."""

    practices: dict[str, Practice]
    organisations: dict[str, Organisation]
    sectors: Taxonomy
    themes: Taxonomy
    regions: Taxonomy
    _cache: dict = field(default_factory=dict, repr=False)

    @cached_property
    def newest_first(self) -> list[Practice]:
        """Every practice, newest first; ties by title so the order is stable."""
        return sorted(self.practices.values(), key=lambda p: (-p.published.toordinal(), p.title.casefold(), p.id))

    @cached_property
    def _rank(self) -> dict[str, int]:
        return {p.id: i for i, p in enumerate(self.newest_first)}

    def _index(self, attribute: str) -> dict[str, list[Practice]]:
        if attribute not in self._cache:
            index: dict[str, list[Practice]] = defaultdict(list)
            for practice in self.newest_first:
                values = getattr(practice, attribute)
                for value in (values if isinstance(values, tuple) else (values,)):
                    index[value].append(practice)
            self._cache[attribute] = dict(index)
        return self._cache[attribute]

    def in_sector(self, sector_id: str) -> list[Practice]:
        """Practices of a service sector, newest first."""
        return self._index("sectors").get(sector_id, [])

    def in_theme(self, theme_id: str) -> list[Practice]:
        """Practices of a theme, newest first."""
        return self._index("themes").get(theme_id, [])

    def of_organisation(self, organisation_id: str) -> list[Practice]:
        """Practices of an organisation, newest first."""
        return self._index("organisation").get(organisation_id, [])

    def region_of(self, practice: Practice) -> str:
        """The region (maakunta) id of the organisation behind a practice."""
        org = self.organisations.get(practice.organisation)
        return org.region if org else ""

    def sector_counts(self) -> Counter:
        return Counter({s: len(self.in_sector(s)) for s in self.sectors.items})

    def theme_counts(self) -> Counter:
        return Counter({t: len(self.in_theme(t)) for t in self.themes.items})

    def organisation_counts(self) -> Counter:
        return Counter({o: len(self.of_organisation(o)) for o in self.organisations})

    def contributing_organisations(self) -> list[Organisation]:
        """Organisations with at least one practice, most practices first, then by name."""
        counts = self.organisation_counts()
        active = [o for o in self.organisations.values() if counts[o.id]]
        return sorted(active, key=lambda o: (-counts[o.id], o.name.casefold()))

    def _theme_ranks(self, theme: str) -> list[int]:
        key = ("ranks", theme)
        if key not in self._cache:
            self._cache[key] = [self._rank[p.id] for p in self.in_theme(theme)]
        return self._cache[key]

    def related(self, practice: Practice, limit: int = 5) -> list[Practice]:
        """Practices that share the organisation or themes, best match first.

        Scores: same organisation 3, each shared theme 2, each shared sector 1.
        For each shared theme only the practices nearest in date are considered,
        so the cost per practice stays bounded however large a theme grows.
        """
        scores: Counter = Counter()
        for other in self.of_organisation(practice.organisation):
            scores[other.id] += 3
        rank = self._rank[practice.id]
        for theme in practice.themes:
            bucket = self.in_theme(theme)
            if len(bucket) <= 2 * RELATED_WINDOW:
                window = bucket
            else:
                at = bisect.bisect_left(self._theme_ranks(theme), rank)
                window = bucket[max(0, at - RELATED_WINDOW): at + RELATED_WINDOW]
            for other in window:
                scores[other.id] += 2
        scores.pop(practice.id, None)
        mine = set(practice.sectors)
        ranked = sorted(
            scores,
            key=lambda pid: (-(scores[pid] + len(mine.intersection(self.practices[pid].sectors))),
                             self._rank[pid]),
        )
        return [self.practices[pid] for pid in ranked[:limit]]
