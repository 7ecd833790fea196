"""Figures computed from the records: statistics, top organisations and automatic lists (campaigns: kehto.campaigns).

Nothing here is typed in: every number comes from the registry at build time,
and a property test checks the figures against a direct count over the records.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from .model import ORGANISATION_TYPES, Organisation, Practice
from .registry import Registry

TOP_N = 5


@dataclass(frozen=True)
class Share:
    """One row of a share table: a class, its count and its share of all practices (%)."""

    id: str
    name: str
    count: int
    share: float


@dataclass(frozen=True)
class YearRow:
    """Growth in one year, as the Kunteko report tabulates it."""

    year: int
    total: int  # practices published by the end of the year
    new: int  # published during the year
    per_month: float  # new per month (months so far in the current year)


@dataclass(frozen=True)
class Statistics:
    total: int
    organisations: int  # organisations in the registry
    contributing: int  # organisations with at least one practice
    by_type: list[tuple[str, int, int]]  # (type label, organisations contributing, practices)
    sectors: list[Share]
    themes: list[Share]
    regions: list[Share]
    years: list[YearRow]
    top_organisations: list[tuple[Organisation, int]]
    top_by_year: dict[int, list[tuple[Organisation, int]]] = field(default_factory=dict)
    adoptions: int = 0  # "otettu mallia" records
    adopted: int = 0  # practices adopted at least once
    adopters: int = 0  # organisations that adopted at least one practice
    top_adopted: list[tuple[Practice, int]] = field(default_factory=list)


def _capitalised(label: str) -> str:
    """"kunnallinen yhtiö" as a row heading: "Kunnallinen yhtiö" (the labels are lowercase for running text)."""
    return label[:1].upper() + label[1:]


def _share(count: int, total: int) -> float:
    return round(100 * count / total, 1) if total else 0.0


def top_organisations(registry: Registry, practices: list[Practice] | None = None,
                      n: int = TOP_N) -> list[tuple[Organisation, int]]:
    """The ``n`` organisations with most practices (of ``practices``, default all), ties by name."""
    counts = Counter(p.organisation for p in (registry.newest_first if practices is None else practices))
    ranked = sorted(counts.items(), key=lambda item: (-item[1], registry.organisations[item[0]].name.casefold()))
    return [(registry.organisations[org_id], count) for org_id, count in ranked[:n]]


def growth(registry: Registry, today: date) -> list[YearRow]:
    """One row per year from the first practice to the current year, years without new practices included."""
    by_year = Counter(p.year for p in registry.practices.values())
    if not by_year:
        return []
    rows, total = [], 0
    for year in range(min(by_year), max(max(by_year), today.year) + 1):
        total += by_year[year]
        months = today.month if year == today.year else 12
        rows.append(YearRow(year, total, by_year[year], round(by_year[year] / months, 1)))
    return rows


def statistics(registry: Registry, today: date) -> Statistics:
    """Every figure of the statistics page."""
    practices = list(registry.practices.values())
    total = len(practices)
    org_counts = registry.organisation_counts()
    by_type: dict[str, list[int]] = {}
    for org in registry.organisations.values():
        if org_counts[org.id]:
            row = by_type.setdefault(org.type, [0, 0])
            row[0] += 1
            row[1] += org_counts[org.id]
    type_rows = [(_capitalised(ORGANISATION_TYPES.get(t, t)), orgs, count) for t, (orgs, count) in
                 sorted(by_type.items(), key=lambda item: (-item[1][1], item[0]))]

    def shares(taxonomy, counts: Counter) -> list[Share]:
        rows = [Share(term.id, term.name, counts[term.id], _share(counts[term.id], total))
                for term in taxonomy.items.values()]
        return sorted(rows, key=lambda s: (-s.count, s.name.casefold()))

    regions = Counter(registry.region_of(p) for p in practices)
    years = growth(registry, today)
    adopted = registry.adoption_counts()
    ranked = sorted(adopted, key=lambda pid: (-adopted[pid], registry.practices[pid].title.casefold(), pid))
    return Statistics(
        total=total, organisations=len(registry.organisations), contributing=sum(1 for c in org_counts.values() if c),
        by_type=type_rows, sectors=shares(registry.sectors, registry.sector_counts()),
        themes=shares(registry.themes, registry.theme_counts()), regions=shares(registry.regions, regions),
        years=years, top_organisations=top_organisations(registry),
        top_by_year={row.year: top_organisations(registry, [p for p in practices if p.year == row.year])
                     for row in years if row.new},
        adoptions=len(registry.adoptions), adopted=len(adopted),
        adopters=len({a.organisation for a in registry.adoptions.values()}),
        top_adopted=[(registry.practices[pid], adopted[pid]) for pid in ranked[:TOP_N]],
    )


@dataclass(frozen=True)
class AutoList:
    """A list computed from the records rather than curated."""

    id: str
    title: str
    intro: str
    practices: list[tuple[Practice, str]] = field(default_factory=list)  # (practice, note)
    organisations: list[tuple[Organisation, int]] = field(default_factory=list)


AUTO_LIST_SIZE = 20


def automatic_lists(registry: Registry) -> list[AutoList]:
    """Newest, most adopted, most active organisations, and each theme's most adopted then newest."""
    adopted = registry.adoption_counts()

    def most_adopted(practices: list[Practice]) -> list[tuple[Practice, str]]:
        ranked = sorted(practices, key=lambda p: -adopted[p.id])  # stable: newest first among equals
        return [(p, f"otettu mallia {adopted[p.id]} kertaa" if adopted[p.id] else "")
                for p in ranked[:AUTO_LIST_SIZE]]

    lists = [
        AutoList("uusimmat", "Uusimmat teot", f"Rekisterin {AUTO_LIST_SIZE} viimeksi julkaistua kehittämistekoa.",
                 practices=[(p, "") for p in registry.newest_first[:AUTO_LIST_SIZE]]),
        AutoList("eniten-mallia", "Eniten mallia otetut",
                 "Teot, joista useimmat organisaatiot ovat kertoneet ottaneensa mallia.",
                 practices=[(p, n) for p, n in most_adopted(registry.newest_first) if adopted[p.id]]),
        AutoList("aktiivisimmat-organisaatiot", "Aktiivisimmat organisaatiot",
                 "Organisaatiot, jotka ovat julkaisseet eniten kehittämistekoja.",
                 organisations=top_organisations(registry, n=AUTO_LIST_SIZE)),
    ]
    for theme in registry.themes.items.values():
        members = registry.in_theme(theme.id)
        if members:
            lists.append(AutoList(f"teema-{theme.id}", f"{theme.name}: eniten mallia otetut ja uusimmat",
                                  f"Teeman {theme.name} teot: ensin ne, joista on otettu eniten mallia, sitten uusimmat.",
                                  practices=most_adopted(members)))
    return lists
