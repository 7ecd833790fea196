"""Reading a built site: its pages, its links and what they point at."""

from __future__ import annotations

import posixpath
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        if tag == "a" and attrs.get("name"):
            self.ids.add(attrs["name"])
        for key in ("href", "src"):
            if attrs.get(key) and not (tag == "link" and attrs.get("rel") in ("canonical",)):
                self.links.append(attrs[key])


def parse(path: Path) -> _Collector:
    collector = _Collector()
    collector.feed(path.read_text(encoding="utf-8"))
    return collector


def pages(site: Path) -> list[Path]:
    """Every HTML document of a site; HTML fragments offered as downloads (newsletter snippets) are not pages."""
    return sorted(p for p in site.rglob("*.html") if p.name != "uutiskirje.html")


def broken_links(site: Path) -> list[str]:
    """Internal links (and #anchors) of every page that lead nowhere."""
    parsed = {page: parse(page) for page in pages(site)}
    broken = []
    for page, collector in parsed.items():
        page_dir = page.parent.relative_to(site).as_posix()
        for link in collector.links:
            parts = urlsplit(link)
            if parts.scheme or parts.netloc or link.startswith(("mailto:", "data:")):
                continue
            target_path = unquote(parts.path)
            if not target_path:
                target = page
            else:
                base = "" if target_path.startswith("/") else page_dir
                joined = posixpath.normpath(posixpath.join(base, target_path.lstrip("/")))
                target = site / joined
                if target_path.endswith("/") or target.is_dir():
                    target = target / "index.html"
            if not target.exists():
                broken.append(f"{page.relative_to(site)} -> {link}")
                continue
            if parts.fragment and target.suffix == ".html":
                ids = parsed[target].ids if target in parsed else parse(target).ids
                if parts.fragment not in ids:
                    broken.append(f"{page.relative_to(site)} -> {link} (ankkuri puuttuu)")
    return broken
