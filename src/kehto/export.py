"""Exports for reuse: JSON and CSV of practices, Atom feeds, newsletter snippets, statistics tables.

:func:`export_files` returns every exported file as ``{path: text}`` (:func:`iter_export_files`
one at a time); the site build publishes them and ``kehto export`` writes them to a folder, so both give
the same bytes.

CSV choice: UTF-8 with a byte-order mark and ``;`` between fields. The mark
makes Excel read ä and ö correctly; the semicolon is the list separator of
Finnish-locale spreadsheets (the comma is their decimal separator), so the file
opens in columns without an import dialog. LibreOffice and Python's csv module
read it as well.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from typing import Iterable, Iterator

from . import campaigns, markup, stats, urls
from .snippets import CAMPAIGN_NEWEST, NEWSLETTER_SIZE, newsletter
from .templating import render_file
from .urls import absolute
from .model import Practice
from .registry import Registry

BOM = "\ufeff"
FEED_SIZE = 50
PRACTICE_COLUMNS = ("tunniste", "otsikko", "tiivistelmä", "organisaatio", "organisaation_tunniste", "palvelualat",
                    "teemat", "maakunta", "julkaistu", "päivämäärän_tarkkuus", "otettu_mallia", "osoite")


def practice_record(registry: Registry, practice: Practice, site_url: str) -> dict:
    """One practice as exported: ids and names side by side, dates as ISO text."""
    org = registry.organisations[practice.organisation]
    return {
        "id": practice.id, "title": practice.title, "summary": practice.summary,
        "organisation": {"id": org.id, "name": org.name, "type": org.type, "region": org.region},
        "sectors": [{"id": s, "name": registry.sectors.name(s)} for s in practice.sectors],
        "themes": [{"id": t, "name": registry.themes.name(t)} for t in practice.themes],
        "published": practice.published.isoformat(), "published_precision": practice.published_precision,
        "adoptions": len(registry.adoptions_of(practice.id)),
        "url": absolute(site_url, urls.practice(practice.id)),
    }


def practices_json(registry: Registry, site_url: str, practices: Iterable[Practice] | None = None,
                   notes: dict[str, str] | None = None) -> str:
    """Practices as a JSON array (default every practice, newest first); ``notes`` adds a ``note`` per id.

    The text is ``json.dumps(rows, ensure_ascii=False, indent=1)``, written one row at a time: the
    whole array at once would hold every row and every small piece of its text (50 MB at 10 000).
    """
    items = []
    for practice in registry.newest_first if practices is None else practices:
        row = practice_record(registry, practice, site_url)
        if notes is not None:
            row["note"] = notes.get(practice.id, "")
        items.append(json.dumps(row, ensure_ascii=False, indent=1).replace("\n", "\n "))  # one level deeper
    return ("[\n " + ",\n ".join(items) + "\n]" if items else "[]") + "\n"


_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def looks_like_formula(value) -> bool:
    """Whether a spreadsheet would read this cell as a formula: text starting with ``=``, ``+``,
    ``-`` or ``@`` (or a tab or carriage return before one) turns a contributed title into a
    live formula, e.g. ``=HYPERLINK(...)`` (CSV/formula injection)."""
    return isinstance(value, str) and value.startswith(_FORMULA)


def spreadsheet_safe(value):
    """Text a CSV spreadsheet shows as text: formula-like text (:func:`looks_like_formula`)
    gets a leading apostrophe, which spreadsheets read as "this is text"."""
    return "'" + value if looks_like_formula(value) else value


def table_csv(header: Iterable[str], rows: Iterable[Iterable]) -> str:
    """A CSV table as spreadsheets in Finland open it: UTF-8 with BOM, ``;`` separated."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([spreadsheet_safe(cell) for cell in row] for row in rows)
    return BOM + out.getvalue()


def practices_csv(registry: Registry, site_url: str, practices: Iterable[Practice] | None = None,
                  notes: dict[str, str] | None = None) -> str:
    """Practices as CSV, one row each; several sectors or themes are joined with ", "."""
    rows = []
    for practice in registry.newest_first if practices is None else practices:
        r = practice_record(registry, practice, site_url)
        row = [r["id"], r["title"], r["summary"], r["organisation"]["name"], r["organisation"]["id"],
               ", ".join(s["name"] for s in r["sectors"]), ", ".join(t["name"] for t in r["themes"]),
               registry.regions.name(r["organisation"]["region"]), r["published"], r["published_precision"],
               r["adoptions"], r["url"]]
        if notes is not None:
            row.append(notes.get(practice.id, ""))
        rows.append(row)
    return table_csv(PRACTICE_COLUMNS + (("huomio",) if notes is not None else ()), rows)


def export_schema(site_url: str) -> str:
    """The JSON Schema of the practices export (``urls.export("json")``)."""
    text = {"type": "string"}
    named = {"type": "object", "required": ["id", "name"], "properties": {"id": text, "name": text}}
    schema = {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "$id": absolute(site_url, urls.export("schema")),
        "title": "Kehittämisteot (vienti)",
        "description": "Kaikki rekisterin kehittämisteot, uusin ensin. Koko kuvaus on osoitteessa url.",
        "type": "array",
        "items": {
            "type": "object", "additionalProperties": False,
            "required": ["id", "title", "summary", "organisation", "sectors", "themes", "published",
                         "published_precision", "adoptions", "url"],
            "properties": {
                "id": text, "title": text, "summary": text,
                "organisation": {"type": "object", "required": ["id", "name", "type", "region"],
                                 "properties": {"id": text, "name": text, "type": text, "region": text}},
                "sectors": {"type": "array", "items": named}, "themes": {"type": "array", "items": named},
                "published": {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"},
                "published_precision": {"enum": ["day", "month", "year"]},
                "adoptions": {"type": "integer", "minimum": 0, "description": "Kuinka moni organisaatio otti mallia."},
                "url": text, "note": {"type": "string", "description": "Listan tai kampanjan huomio (vain listoissa)."},
            },
        },
    }
    return json.dumps(schema, ensure_ascii=False, indent=1) + "\n"


def atom_feed(registry: Registry, site_url: str, practices: list[Practice], title: str, feed_path: str,
              page_path: str) -> str:
    """An Atom feed of the newest ``FEED_SIZE`` of ``practices`` (already newest first)."""
    entries = practices[:FEED_SIZE]
    updated = entries[0].published.isoformat() if entries else "2000-01-01"
    return render_file("feed.xml.j2",
        r=registry, title=title, entries=entries, updated=updated, feed_url=absolute(site_url, feed_path),
        page_url=absolute(site_url, page_path), site_url=site_url, absolute=absolute)


def statistics_tables(figures: stats.Statistics, registry: Registry) -> dict[str, tuple[tuple[str, ...], list[list]]]:
    """Each statistics table as ``name: (header, rows)``; the page and its CSV downloads share them."""
    def shares(items: list[stats.Share]) -> list[list]:
        return [[s.name, s.count, f"{s.share:.1f}".replace(".", ",")] for s in items]

    return {
        "palvelualat": (("palveluala", "tekoja", "osuus_%"), shares(figures.sectors)),
        "teemat": (("teema", "tekoja", "osuus_%"), shares(figures.themes)),
        "maakunnat": (("maakunta", "tekoja", "osuus_%"), shares([s for s in figures.regions if s.count])),
        "kasvu": (("vuosi", "tekoja_yhteensä", "uusia_tekoja", "uusia_kuukaudessa"),
                  [[y.year, y.total, y.new, f"{y.per_month:.1f}".replace(".", ",")] for y in figures.years]),
        "organisaatiotyypit": (("organisaatiotyyppi", "organisaatioita", "tekoja"),
                               [list(row) for row in figures.by_type]),
        "aktiivisimmat": (("sija", "organisaatio", "tekoja"),
                          [[i, org.name, count] for i, (org, count) in enumerate(figures.top_organisations, 1)]),
        "mallia": (("sija", "teko", "organisaatio", "otettu_mallia"),
                   [[i, p.title, registry.organisations[p.organisation].name, count]
                    for i, (p, count) in enumerate(figures.top_adopted, 1)]),
    }


def export_files(registry: Registry, site_url: str, today: date, figures: stats.Statistics | None = None,
                 views: list[campaigns.CampaignView] | None = None,
                 automatic: list[stats.AutoList] | None = None) -> dict[str, str]:
    """Every exported file, by path under the site root (:func:`iter_export_files` as a dict)."""
    return dict(iter_export_files(registry, site_url, today, figures, views, automatic))


def iter_export_files(registry: Registry, site_url: str, today: date, figures: stats.Statistics | None = None,
                      views: list[campaigns.CampaignView] | None = None,
                      automatic: list[stats.AutoList] | None = None) -> Iterator[tuple[str, str]]:
    """Every exported file as ``(path under the site root, text)``, one at a time: a build writes
    each and lets it go (the JSON and CSV of every practice are megabytes at 10 000 practices).

    ``figures``, ``views`` and ``automatic`` (the statistics, every campaign's view
    for ``today`` and the automatic lists) are computed here unless the caller
    (the pages, :mod:`kehto.comms_pages`) already has them.
    """
    figures = figures or stats.statistics(registry, today)
    if views is None:
        views = [campaigns.campaign_view(registry, c, today) for c in campaigns.in_page_order(registry)]
    yield urls.export("json"), practices_json(registry, site_url)
    yield urls.export("schema"), export_schema(site_url)
    yield urls.export("csv"), practices_csv(registry, site_url)
    yield urls.feed(), atom_feed(registry, site_url, registry.newest_first, "Uudet kehittämisteot", urls.feed(),
                                 urls.practices())
    for theme in registry.themes.items.values():
        yield urls.theme_feed(theme.id), atom_feed(
            registry, site_url, registry.in_theme(theme.id), f"Uudet kehittämisteot: {theme.name}",
            urls.theme_feed(theme.id), urls.theme(theme.id))
    for name, (header, rows) in statistics_tables(figures, registry).items():
        yield urls.statistics_csv(name), table_csv(header, rows)
    for path, (header, rows) in campaigns.campaign_tables(registry, views).items():
        yield path, table_csv(header, rows)
    for top in registry.lists.values():
        chosen = [(registry.practices[i.practice], i.comment) for i in top.items if i.practice in registry.practices]
        yield from _collection(registry, site_url, urls.top_list(top.id), top.title, top.intro, chosen).items()
    for auto in automatic if automatic is not None else stats.automatic_lists(registry):
        if auto.practices:
            yield from _collection(registry, site_url, urls.top_list(auto.id), auto.title, auto.intro,
                                   auto.practices).items()
    for view in views:
        campaign = view.campaign
        yield from _collection(registry, site_url, urls.campaign(campaign.id), campaign.title,
                               markup.first_sentence(campaign.description), [(p, "") for p in view.practices],
                               view, today).items()


def _collection(registry: Registry, site_url: str, base: str, title: str, intro: str,
                entries: list[tuple[Practice, str]], view: campaigns.CampaignView | None = None,
                today: date | None = None) -> dict[str, str]:
    """A list's or campaign's practices as JSON and CSV, and its newsletter snippets."""
    practices = [p for p, _ in entries]
    notes = {p.id: note for p, note in entries}
    size = NEWSLETTER_SIZE if view is None else CAMPAIGN_NEWEST
    if len(entries) > size:  # a newsletter shows the first ones (ranked or newest); the page has all
        intro = f"{intro} Tässä {size} tekoa kaikkiaan {len(entries)}:stä – kaikki löytyvät sivulta."
        entries = entries[:size]
    files = {urls.collection_file(base, "json"): practices_json(registry, site_url, practices, notes),
             urls.collection_file(base, "csv"): practices_csv(registry, site_url, practices, notes)}
    for what, text in newsletter(registry, site_url, title, intro, base, entries, view, today).items():
        files[urls.collection_file(base, what)] = text
    return files
