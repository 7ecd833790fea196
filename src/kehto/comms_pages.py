"""The communications toolkit's pages: statistics, top-lists, campaigns, awards and exports.

Called by :func:`kehto.site.generate`; every page is a template rendered with
figures from :mod:`kehto.stats`, and the exported files come from
:mod:`kehto.export`, the same function ``kehto export`` writes to disk.
"""

from __future__ import annotations

from datetime import date

from . import export, stats
from .markup import finnish_date
from .registry import Registry

CAMPAIGN_CARDS = 24  # practices shown on a campaign's landing page; the rest are a click away


def comms_pages(render, registry: Registry) -> list:
    """Every page and exported file of the toolkit."""
    options = render.options
    today, site_url = options.today, options.site_url
    figures = stats.statistics(registry, today)
    pages = [render.page("stats.md.j2", "tilastot/index.md", s=figures,
                         tables=export.statistics_tables(figures, registry))]
    automatic = stats.automatic_lists(registry)
    curated = sorted(registry.lists.values(), key=lambda t: (t.published or date.min, t.id), reverse=True)
    pages.append(render.page("lists.md.j2", "listat/index.md", curated=curated, automatic=automatic))
    snippets = export.export_files(registry, site_url, today)
    for top in curated:
        entries = [(registry.practices[i.practice], i.comment) for i in top.items if i.practice in registry.practices]
        pages.append(render.page("toplist.md.j2", f"listat/{top.id}/index.md", top.path or None, heading=top.title,
                                 intro=top.intro, entries=entries, organisations=[], base=f"listat/{top.id}/",
                                 snippet=snippets[f"listat/{top.id}/uutiskirje.md.txt"], top=top))
    for auto in automatic:
        base = f"listat/{auto.id}/"
        pages.append(render.page("toplist.md.j2", base + "index.md", heading=auto.title, intro=auto.intro,
                                 entries=auto.practices, organisations=auto.organisations, base=base,
                                 snippet=snippets.get(base + "uutiskirje.md.txt", ""), top=None))
    views = [stats.campaign_view(registry, c, today)
             for c in sorted(registry.campaigns.values(), key=lambda c: (c.start, c.id), reverse=True)]
    pages.append(render.page("campaigns.md.j2", "kampanjat/index.md", views=views))
    for view in views:
        campaign = view.campaign
        base = f"kampanjat/{campaign.id}/"
        awards = [a for a in registry.awards.values() if a.campaign == campaign.id]
        pages.append(render.page("campaign.md.j2", base + "index.md", campaign.path or None, v=view, c=campaign,
                                 awards=awards, pick=campaign.pick_of_week(today), base=base, shown=CAMPAIGN_CARDS,
                                 snippet=snippets[base + "uutiskirje.md.txt"]))
        if len(view.practices) > CAMPAIGN_CARDS:  # the rest on paginated pages, so no page grows with the registry
            pages.extend(render.paginated("listing.md.j2", base + "teot/", view.practices, heading=campaign.title,
                                          intro=f"Kampanjan aikana julkaistut teot ({finnish_date(campaign.start)}"
                                                f"–{finnish_date(campaign.end)}).", kind="campaign",
                                          term=campaign))
    awards = sorted(registry.awards.values(), key=lambda a: (a.date, a.id), reverse=True)
    pages.append(render.page("awards.md.j2", "palkinnot/index.md", awards=awards))
    pages.append(render.page("adopt.md.j2", "lisaa/mallia/index.md"))
    pages.extend(render.file(path, text) for path, text in snippets.items())
    return pages

