"""Newsletter snippets a communications person pastes as is: Markdown, an HTML fragment and plain text.

A list's snippet has its title, intro and practices; a campaign's adds its
dates, hashtags, progress toward the goal, this week's pick and the most
active organisations. Every link is absolute (``site_url``). Contributed text
is escaped for each format: Jinja autoescape in the HTML fragment,
:func:`kehto.markup.markdown_escape` in Markdown; plain text needs none
(``kehto.templating.PLAIN_TEXT``).

The HTML snippet is a fragment (no ``<html>`` or ``<body>``), to paste into a
newsletter tool's HTML block.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from . import urls
from .campaigns import CampaignView
from .model import Practice
from .registry import Registry
from .templating import render_file

NEWSLETTER_SIZE = 30  # entries in a list's snippet; longer lists give their first ones
CAMPAIGN_NEWEST = 10  # newest practices in a campaign's snippet; the page has all
EMBED_SIZE = 5  # practices in an embed: it sits in a small box on someone else's page
# the snippets (kehto.urls.collection_file names) -> template; the page previews them in this order
FORMATS = {"newsletter_md": "newsletter.md.j2", "newsletter_html": "newsletter.html.j2",
           "newsletter_txt": "newsletter.txt.j2"}
# the snippets -> (format's name, copy button)
FORMAT_NAMES = {"newsletter_md": ("Markdown", "Kopioi Markdown-pätkä"),
                "newsletter_html": ("HTML", "Kopioi HTML-pätkä"), "newsletter_txt": ("Teksti", "Kopioi tekstipätkä")}

_BLANK_RUN = re.compile(r"\n{3,}")  # sections left out leave blank lines; one is enough in every format


@dataclass(frozen=True)
class Entry:
    """One practice in a snippet, with its absolute link."""

    practice: Practice
    note: str
    link: str
    organisation: str


def newsletter(registry: Registry, site_url: str, title: str, intro: str, page_path: str,
               entries: list[tuple[Practice, str]], view: CampaignView | None = None,
               today=None) -> dict[str, str]:
    """The snippet in every format (``newsletter_md``, ``newsletter_html``, ``newsletter_txt``) and the
    ``embed`` page (a standalone page for an ``<iframe>``, written as a plain file), by their names in
    :func:`kehto.urls.collection_file`."""
    def entry(practice: Practice, note: str = "") -> Entry:
        return Entry(practice, note, urls.absolute(site_url, urls.practice(practice.id)),
                     registry.organisations[practice.organisation].name)

    pick = None
    if view is not None and today is not None:
        chosen = view.campaign.pick_of_week(today)
        if chosen is not None and chosen.practice in registry.practices:
            pick = (entry(registry.practices[chosen.practice], chosen.note), chosen)
    context = dict(title=title, intro=intro, page_url=urls.absolute(site_url, page_path),
                   entries=[entry(p, note) for p, note in entries], v=view, pick=pick,
                   c=view.campaign if view else None)
    files = {what: _BLANK_RUN.sub("\n\n", render_file(template, **context)) for what, template in FORMATS.items()}
    files["embed"] = render_file("embed.html.j2", **{**context, "entries": context["entries"][:EMBED_SIZE]})
    return files
