"""The linked registry and the views computed from it (indexes, counts, related)."""

from __future__ import annotations

import bisect
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import cached_property

from .comms import Adoption, Award, Campaign, TopList, Winner
from .knowledge import Plan, ProcessGuide, QuestionBank, SupportMenu
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
    lists: dict[str, TopList] = field(default_factory=dict)
    adoptions: dict[str, Adoption] = field(default_factory=dict)
    campaigns: dict[str, Campaign] = field(default_factory=dict)
    awards: dict[str, Award] = field(default_factory=dict)
    support_menu: SupportMenu | None = None
    question_banks: dict[str, QuestionBank] = field(default_factory=dict)
    processes: dict[str, ProcessGuide] = field(default_factory=dict)
    plans: dict[str, Plan] = field(default_factory=dict)
    # Records of kinds (kehto.kinds) that have no field of their own, by kind name.
    extra: dict[str, dict] = field(default_factory=dict)
    _cache: dict = field(default_factory=dict, repr=False)

    def of_kind(self, name: str) -> dict:
        """The records of a kind by id (a single-file kind: ``{"": record}`` when it exists)."""
        from .kinds import kind

        attribute = kind(name).attribute
        records = getattr(self, attribute) if attribute and hasattr(self, attribute) else self.extra.get(name, {})
        if records is None or not isinstance(records, dict):
            return {} if records is None else {"": records}
        return records

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

    def adoptions_of(self, practice_id: str) -> list[Adoption]:
        """Who adopted a practice, earliest first."""
        if "adoptions" not in self._cache:
            index: dict[str, list[Adoption]] = defaultdict(list)
            for adoption in sorted(self.adoptions.values(), key=lambda a: (a.date, a.organisation)):
                index[adoption.practice].append(adoption)
            self._cache["adoptions"] = dict(index)
        return self._cache["adoptions"].get(practice_id, [])

    def adopted_by(self, organisation_id: str) -> list[Adoption]:
        """What an organisation adopted, earliest first."""
        return sorted((a for a in self.adoptions.values() if a.organisation == organisation_id),
                      key=lambda a: (a.date, a.practice))

    def adoption_counts(self) -> Counter:
        """How many organisations adopted each practice (practices with none are left out)."""
        return Counter(a.practice for a in self.adoptions.values())

    def awards_won(self, practice_id: str = "", organisation_id: str = "") -> list[tuple[Award, Winner]]:
        """Awards won by a practice, or by an organisation (itself or through its practices), newest first."""
        out = []
        for award in sorted(self.awards.values(), key=lambda a: (a.date, a.id), reverse=True):
            for winner in award.winners:
                by_practice = winner.practice and self.practices.get(winner.practice)
                if practice_id and winner.practice == practice_id:
                    out.append((award, winner))
                elif organisation_id and (winner.organisation == organisation_id or (
                        by_practice and by_practice.organisation == organisation_id)):
                    out.append((award, winner))
        return out

    def knowledge_for(self, practice: Practice) -> dict[str, list]:
        """Process guides, question banks and plans linked to a practice.

        A guide or bank is linked when it names the practice or shares a
        support-menu category with it; a plan when it names the practice.
        """
        mine = set(practice.support_categories)

        def linked(record) -> bool:
            return practice.id in record.practices or bool(mine.intersection(record.support_categories))

        return {
            "processes": [g for g in self.processes.values() if linked(g)],
            "question_banks": [b for b in self.question_banks.values() if linked(b)],
            "plans": [p for p in self.plans.values() if p.practice == practice.id],
        }

    def knowledge_in_theme(self, theme_id: str) -> dict[str, list]:
        """Process guides and question banks of a theme."""
        return {"processes": [g for g in self.processes.values() if theme_id in g.themes],
                "question_banks": [b for b in self.question_banks.values() if theme_id in b.themes]}

    def knowledge_in_support_category(self, category_id: str) -> dict[str, list]:
        """Process guides and question banks that name a support-menu category."""
        return {"processes": [g for g in self.processes.values() if category_id in g.support_categories],
                "question_banks": [b for b in self.question_banks.values() if category_id in b.support_categories]}

    def practices_in_support_category(self, category_id: str) -> list[Practice]:
        """Practices that name a support-menu category, newest first."""
        return self._index("support_categories").get(category_id, [])
