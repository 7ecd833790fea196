"""Newsletter snippets a communications person pastes as is: Markdown, an HTML fragment and plain text.

A list's snippet has its title, intro and practices; a campaign's adds its
dates, hashtags, progress toward the goal, this week's pick and the most
active organisations. Every link is absolute (``site_url``). Contributed text
is escaped for each format: Jinja autoescape in the HTML fragment,
:func:`markdown_escape` in Markdown; plain text needs none.

The HTML snippet is a fragment (no ``<html>`` or ``<body>``), to paste into a
newsletter tool's HTML block.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from . import markup
from .campaigns import CampaignView
from .model import Practice
from .registry import Registry

NEWSLETTER_SIZE = 30  # entries in a list's snippet; longer lists give their first ones
CAMPAIGN_NEWEST = 10  # newest practices in a campaign's snippet; the page has all
EMBED_SIZE = 5  # practices in an embed: it sits in a small box on someone else's page
EMBED = "upotus.html"
# file name -> template; the page previews them in this order
FORMATS = {"uutiskirje.md.txt": "newsletter.md.j2", "uutiskirje.html": "newsletter.html.j2",
           "uutiskirje.txt": "newsletter.txt.j2"}
# file name -> (format's name, copy button)
FORMAT_NAMES = {"uutiskirje.md.txt": ("Markdown", "Kopioi Markdown-pätkä"),
                "uutiskirje.html": ("HTML", "Kopioi HTML-pätkä"), "uutiskirje.txt": ("Teksti", "Kopioi tekstipätkä")}

_BLANK_RUN = re.compile(r"\n{3,}")  # sections left out leave blank lines; one is enough in every format
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|<>~])")


def markdown_escape(text: str) -> str:
    """Text that Markdown shows as written (contributed titles may contain * or [ ])."""
    return _MD_SPECIAL.sub(r"\\\1", text)


def absolute(site_url: str, path: str) -> str:
    return site_url.rstrip("/") + "/" + path.lstrip("/")


def environment() -> Environment:
    """The snippets' and exports' Jinja environment: HTML and XML autoescaped, Markdown and text not."""
    env = Environment(loader=PackageLoader("kehto", "templates"), undefined=StrictUndefined, trim_blocks=True,
                      lstrip_blocks=True, keep_trailing_newline=True,
                      autoescape=select_autoescape(["xml.j2", "html.j2"], default_for_string=False))
    env.filters["fidate"] = markup.finnish_date
    env.filters["mdescape"] = markdown_escape
    return env


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
    """The snippet in every format, by file name (``uutiskirje.md.txt``, ``.html``, ``.txt``), and the
    embed page (``upotus.html``: a standalone page for an ``<iframe>``, written as a plain file)."""
    def entry(practice: Practice, note: str = "") -> Entry:
        return Entry(practice, note, absolute(site_url, f"teot/{practice.id}/"),
                     registry.organisations[practice.organisation].name)

    pick = None
    if view is not None and today is not None:
        chosen = view.campaign.pick_of_week(today)
        if chosen is not None and chosen.practice in registry.practices:
            pick = (entry(registry.practices[chosen.practice], chosen.note), chosen)
    context = dict(title=title, intro=intro, page_url=absolute(site_url, page_path),
                   entries=[entry(p, note) for p, note in entries], v=view, pick=pick,
                   c=view.campaign if view else None)
    env = environment()
    files = {name: _BLANK_RUN.sub("\n\n", env.get_template(template).render(**context))
             for name, template in FORMATS.items()}
    files[EMBED] = env.get_template("embed.html.j2").render(**{**context, "entries": context["entries"][:EMBED_SIZE]})
    return files
