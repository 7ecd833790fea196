"""The communications toolkit's pages: statistics, top-lists, campaigns, awards and exports.

Called by :func:`kehto.site.generate`; every page is a template rendered with
figures from :mod:`kehto.stats`, and the exported files come from
:mod:`kehto.export`, the same function ``kehto export`` writes to disk.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Iterator

from . import campaigns, export, share, snippets, stats, urls
from .markup import finnish_date
from .registry import Registry

CAMPAIGN_CARDS = 24  # practices shown on a campaign's landing page; the rest are a click away


@dataclass(frozen=True)
class Chart:
    """One chart of the statistics page: its bars, and the table (and CSV) it is drawn from."""

    id: str  # also the CSV's name: urls.statistics_csv(id)
    caption: str
    header: tuple[str, ...]
    bars: list[tuple[str, float, str]]  # (label, value, value as shown)
    rows: list[list]
    unit: str = "tekoa"
    note: str = ""


def statistics_charts(figures: stats.Statistics, tables: dict) -> list[Chart]:
    """The statistics page's charts, in page order; the adoption chart last (its own section)."""
    def chart(table_id: str, caption: str, header: tuple, bar, **extra) -> Chart:
        rows = tables[table_id][1]
        return Chart(table_id, caption, header, [bar(row) for row in rows], rows, **extra)

    shares = ("Tekoja", "Osuus tekojen määrästä, %")
    share_bar = (lambda row: (row[0], row[1], f"{row[1]} ({row[2]} %)"))
    return [
        chart("aktiivisimmat", "Aktiivisimmat organisaatiot", ("Sija", "Organisaatio", "Tekoja"),
              lambda row: (row[1], row[2], str(row[2]))),
        chart("palvelualat", "Palvelualat", ("Palveluala", *shares), share_bar,
              note="Teko voi koskea useaa palvelualaa tai teemaa, joten osuuksien summa voi olla yli 100 %."),
        chart("teemat", "Teemat", ("Teema", *shares), share_bar),
        chart("maakunnat", "Maakunnat", ("Maakunta", *shares), share_bar),
        chart("kasvu", "Kasvu vuosittain", ("Vuosi", "Tekoja yhteensä vuoden lopussa", "Uusia tekoja vuoden aikana",
                                            "Uusia tekoja kuukaudessa"), lambda row: (str(row[0]), row[1], str(row[1])),
              note="Kuluvan vuoden kuukausikeskiarvo lasketaan tähänastisista kuukausista."),
        chart("organisaatiotyypit", "Tekoja organisaatiotyypeittäin", ("Organisaatiotyyppi", "Organisaatioita", "Tekoja"),
              lambda row: (row[0], row[2], str(row[2]))),
        chart("mallia", "Eniten mallia otetut teot", ("Sija", "Teko", "Organisaatio", "Otettu mallia"),
              lambda row: (row[1], row[3], str(row[3])), unit="kertaa"),
    ]


def campaign_chart(views: list[campaigns.CampaignView]) -> Chart:
    """Every campaign's yield: received during its window, or the report's figure ("lähteen mukaan")."""
    rows = [[v.campaign.title, f"{finnish_date(v.campaign.start)}–{finnish_date(v.campaign.end) if v.campaign.end else ''}",
             "–" if v.count is None else v.count, v.source, v.campaign.goal or "–",
             f"{v.progress:.0f} %" if v.progress is not None else "–"] for v in views]
    bars = [(v.campaign.title, v.count or 0, v.source if v.count is None else
             f"{v.count} / {v.campaign.goal}" if v.campaign.goal else str(v.count)) for v in views]
    return Chart(campaigns.TABLE, "Kampanjoiden tuomat teot", ("Kampanja", "Aika", "Tekoja", "Luvun lähde", "Tavoite",
                                                        "Tavoitteesta"), bars, rows,
                 note="Kampanja laskee teot, jotka rekisteri on vastaanottanut kampanjan aikana (molemmat päivät "
                      "mukaan lukien), vaikka teko olisi tehty aiemmin. Vanhoista kampanjoista ei ole "
                      "vastaanottopäiviä; niiden luku on kampanjan raportista (lähteen mukaan) tai ei tiedossa.")


def comms_pages(render, registry: Registry) -> Iterator:
    """Every page and exported file of the toolkit, one at a time (an exported file is let go once
    handed on; only the newsletter snippets that pages preview are kept)."""
    options = render.options
    today, site_url = options.today, options.site_url
    figures = stats.statistics(registry, today)
    *charts, adopted = statistics_charts(figures, export.statistics_tables(figures, registry))
    automatic = stats.automatic_lists(registry)
    curated = sorted(registry.lists.values(), key=lambda t: (t.published or date.min, t.id), reverse=True)
    views = [campaigns.campaign_view(registry, c, today) for c in campaigns.in_page_order(registry)]
    bases = [urls.top_list(t.id) for t in [*curated, *automatic]] + [urls.campaign(v.campaign.id) for v in views]
    previewed = {urls.collection_file(base, what) for base in bases for what in snippets.FORMATS}
    files = {}
    for path, text in export.iter_export_files(registry, site_url, today, figures, views, automatic):
        if path in previewed:
            files[path] = text
        yield render.file(path, text)
    yield render.page("stats.md.j2", urls.source(urls.section("statistics")), s=figures, charts=charts,
                      adopted=adopted, yields=campaign_chart(views))
    yield render.page("lists.md.j2", urls.source(urls.section("lists")), curated=curated, automatic=automatic)

    def previews(base: str) -> list[tuple[str, str, str, str]]:
        """The snippets a page previews: (path, format name, copy button, text)."""
        found = [(what, urls.collection_file(base, what)) for what in snippets.FORMATS]
        return [(path, *snippets.FORMAT_NAMES[what], files[path]) for what, path in found if path in files]

    for top in curated:
        entries = [(registry.practices[i.practice], i.comment) for i in top.items if i.practice in registry.practices]
        base = urls.top_list(top.id)
        yield render.page("toplist.md.j2", urls.source(base), top.path or None, heading=top.title,
                          intro=top.intro, entries=entries, organisations=[], base=base,
                          snippets=previews(base), top=top)
    for auto in automatic:
        base = urls.top_list(auto.id)
        yield render.page("toplist.md.j2", urls.source(base), heading=auto.title, intro=auto.intro,
                          entries=auto.practices, organisations=auto.organisations, base=base,
                          snippets=previews(base), top=None)
    yield render.page("campaigns.md.j2", urls.source(urls.section("campaigns")), views=views)
    for view in views:
        campaign = view.campaign
        base = urls.campaign(campaign.id)
        awards = [a for a in registry.awards.values() if a.campaign == campaign.id]
        yield render.page("campaign.md.j2", urls.source(base), campaign.path or None, v=view, c=campaign,
                          awards=awards, pick=campaign.pick_of_week(today), base=base, shown=CAMPAIGN_CARDS,
                          snippets=previews(base))
        if len(view.practices) > CAMPAIGN_CARDS:  # the rest on paginated pages, so no page grows with the registry
            yield from render.paginated("listing.md.j2", urls.campaign_practices(campaign.id), view.practices,
                                        heading=campaign.title,
                                        intro=f"Kampanjan aikana vastaanotetut teot ({finnish_date(campaign.start)}"
                                              f"–{finnish_date(campaign.end)}).", kind="campaign",
                                        term=campaign)
    awards = sorted(registry.awards.values(), key=lambda a: (a.date, a.id), reverse=True)
    yield render.page("awards.md.j2", urls.source(urls.section("awards")), awards=awards)
    yield render.page("adopt.md.j2", urls.source(urls.adopt()))
    yield from (render.file(path, image) for path, image in share_images(curated, automatic, views).items())


def campaign_summary(view: campaigns.CampaignView) -> str:
    """One line on a campaign's share image: dates, yield against the goal, hashtags."""
    c = view.campaign
    days = f"{finnish_date(c.start)}–{finnish_date(c.end)}" if c.end else f"{finnish_date(c.start)} alkaen"
    if view.count is None:
        return " · ".join([days, *c.hashtags])
    count = f"{view.count} / {c.goal} tekoa" if c.goal else f"{view.count} {'teko' if view.count == 1 else 'tekoa'}"
    return " · ".join([days, count + (" lähteen mukaan" if view.reported else ""), *c.hashtags])


def share_images(curated: list, automatic: list, views: list[campaigns.CampaignView]) -> dict[str, bytes]:
    """A share image (1200×630 PNG) for every list and campaign, beside its page (``urls.share_image``)."""
    images = {urls.share_image(urls.top_list(top.id)): share.share_image(top.title, top.intro, "Toimituksen lista")
              for top in curated}
    images.update({urls.share_image(urls.top_list(auto.id)): share.share_image(auto.title, auto.intro, "Lista")
                   for auto in automatic})
    images.update({urls.share_image(urls.campaign(v.campaign.id)): share.share_image(
        v.campaign.title, campaign_summary(v), f"Kampanja · {v.status}") for v in views})
    return images

