"""Contributed text made safe for HTML, and small text helpers for pages.

Contributed Markdown is rendered with Python-Markdown and then cleaned with
nh3 (the ammonia sanitiser): raw ``<script>``, ``on*=`` attributes, ``style``
and ``javascript:``/``data:`` links never reach a page. Plain text fields are
escaped by the templates (Jinja autoescape); text that goes into page meta
(titles, descriptions) is escaped here because Material prints meta raw.
"""

from __future__ import annotations

import html
import json
import re
from datetime import date
from urllib.parse import quote

import markdown
import nh3
from markupsafe import Markup, escape

_ALLOWED_TAGS = {
    "p", "br", "strong", "em", "b", "i", "ul", "ol", "li", "blockquote", "code", "pre",
    "a", "h3", "h4", "h5", "h6", "hr", "table", "thead", "tbody", "tr", "th", "td", "abbr",
}
_ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "th": {"align"}, "td": {"align"}}
_URL_SCHEMES = {"http", "https", "mailto"}
_HEADING = re.compile(r"<(/?)h([1-6])>")


# Anything Markdown could read as markup: only text without these is "plain paragraphs".
_MARKUP = re.compile(r"[\\`*_\[\]<>#|!&=~:{}\r\x0b\x0c\x1c-\x1f\x85\u2028\u2029]"  # markup, odd line breaks
                     r"|^[ \t]*(?:[-+*]|\d+[.)])"  # list items, rules
                     r"|^[^\S\n]|[^\S\n]$",  # leading or trailing white space of any kind on a line
                     re.M)


class MarkdownRenderer:
    """Renders contributed Markdown to sanitised HTML; one instance per build."""

    def __init__(self) -> None:
        # No attr_list (it accepts on*= attributes) and no raw-HTML extensions.
        self._md = markdown.Markdown(extensions=["sane_lists", "tables"], output_format="html")

    def __call__(self, text: str) -> Markup:
        if not text or not text.strip():
            return Markup("")
        if not _MARKUP.search(text):
            return plain_paragraphs(text)
        return self.full(text)

    def full(self, text: str) -> Markup:
        """Python-Markdown, then nh3: the path for any text that may hold markup."""
        html = self._md.reset().convert(text)
        clean = nh3.clean(
            html,
            tags=_ALLOWED_TAGS | {"h1", "h2"},
            attributes=_ALLOWED_ATTRIBUTES,
            url_schemes=_URL_SCHEMES,
            link_rel="noopener noreferrer nofollow",
            strip_comments=True,
        )
        # A contributor's headings sit below the page's own h1 and section h2s.
        clean = _HEADING.sub(lambda m: f"<{m[1]}h{min(6, int(m[2]) + 2)}>", clean)
        # Blank lines inside would end the raw-HTML block of the generated page.
        return Markup(re.sub(r"\n\s*\n", "\n", clean))


def plain_paragraphs(text: str) -> Markup:
    """What Markdown makes of text with no markup: paragraphs split at blank lines.

    Most contributed fields are plain prose; rendering them directly is much
    faster than a Markdown pass and gives the same HTML (a property test checks it).
    """
    paragraphs = [p.strip("\n") for p in re.split(r"\n[ \t]*\n", text.strip("\n"))]
    # Escaped as html5ever (nh3) serialises text: &, <, > and the no-break space.
    return Markup("\n".join(f"<p>{html.escape(p, quote=False).replace(chr(0xA0), '&nbsp;')}</p>"
                            for p in paragraphs if p.strip()))


def meta_text(text: str) -> str:
    """Text for page meta that Material prints unescaped: escaped, one line."""
    return str(escape(" ".join(text.split())))


_FINNISH_MONTHS = ["tammikuu", "helmikuu", "maaliskuu", "huhtikuu", "toukokuu", "kesäkuu",
                   "heinäkuu", "elokuu", "syyskuu", "lokakuu", "marraskuu", "joulukuu"]


def finnish_date(day: date, precision: str = "day") -> str:
    """``18.5.2020``; ``toukokuu 2020`` or ``2020`` when the source gives less."""
    if precision == "year":
        return str(day.year)
    if precision == "month":
        return f"{_FINNISH_MONTHS[day.month - 1]} {day.year}"
    return f"{day.day}.{day.month}.{day.year}"


# The one folding table: letters of Finnish text reduced to a-z for ids and comparisons.
_FOLD = str.maketrans({"ä": "a", "ö": "o", "å": "a", "é": "e", "ü": "u", "š": "s", "ž": "z"})


def fold(text: str) -> str:
    """``text`` in lowercase with Finnish letters folded to a-z (ä → a, š → s)."""
    return text.casefold().translate(_FOLD)


def propose_id(title: str, limit: int) -> str:
    """An id proposed from a title: Finnish letters folded, words joined by hyphens, at most
    ``limit`` characters (the schema's ``maxLength`` of ``id``: :func:`kehto.schemas.id_max_length`)."""
    words = re.findall(r"[a-z0-9]+", title.casefold().translate(_FOLD))
    out = ""
    for word in words:
        candidate = f"{out}-{word}" if out else word
        if len(candidate) > limit:
            break
        out = candidate
    return out


def mailto(address: str) -> str:
    """A ``mailto:`` link to one address and nothing else: characters that would start
    header fields (``?``, ``&``, ``=``) or end the address are percent-encoded."""
    return "mailto:" + quote(address, safe="@.+-_")


def relative_url(target: str, current: str) -> str:
    """A link from page URL ``current`` to ``target``, both site-root-relative (``a/b/``).

    Every kehto page URL is a directory URL, so the way up is one ``../`` per
    folder of ``current``; this runs for every link of every page.
    """
    if target.startswith(("http://", "https://", "mailto:", "#")):
        return target
    up = "../" * current.count("/")
    return (up + target) or "./"


def first_sentence(text: str, limit: int = 300) -> str:
    """The first sentence of a text (Markdown marks dropped), for one-line summaries."""
    plain = " ".join(re.sub(r"[*_`#>\[\]]", "", text).split())
    match = re.match(r"(.+?[.!?])(\s|$)", plain)
    sentence = match.group(1) if match else plain
    return sentence if len(sentence) <= limit else sentence[: limit - 1].rstrip() + "…"


def preformatted(text: str) -> Markup:
    """Escaped text for a ``<pre>`` whose blank lines survive the page's compaction (no empty lines)."""
    escaped = str(escape(text))
    while "\n\n" in escaped:
        escaped = escaped.replace("\n\n", "\n&#10;")
    return Markup(escaped)


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|<>~])")


def markdown_escape(text: str) -> str:
    """Text that Markdown shows as written (contributed titles may contain * or [ ])."""
    return _MD_SPECIAL.sub(r"\\\1", text)


def script_json(data) -> Markup:
    """JSON that is safe inside an inline ``<script>`` element."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))
