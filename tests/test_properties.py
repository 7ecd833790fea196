"""Property tests: arbitrary Unicode in any text field renders, and comes out escaped."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kehto import markup, site, validate
from kehto.load import Project

_text = st.text(st.characters(exclude_categories=("Cs", "Cc")), min_size=1, max_size=120)
_markdownish = st.lists(st.sampled_from(list("<>&\"'`*_[]()!#-=\n:/abcäö {}") + [
    "javascript:", "<script>", "onerror=", "<img src=x ", "](", "{: onclick=", "data:", "<a href="]),
    max_size=60).map("".join)


@settings(max_examples=200, deadline=None)
@given(_text)
def test_meta_text_is_escaped_and_round_trips(text):
    escaped = markup.meta_text(text)
    assert "<" not in escaped and ">" not in escaped and '"' not in escaped
    assert html.unescape(escaped) == " ".join(text.split())


@settings(max_examples=300, deadline=None)
@given(_markdownish)
def test_markdown_output_has_no_active_content(text):
    out = str(markup.MarkdownRenderer()(text))
    checker = _ActiveContent()
    checker.feed(out)
    assert checker.found == [], out
    assert "\n\n" not in out


class _ActiveContent(HTMLParser):
    """Collects tags outside the allowed set, event handlers, styles and unsafe link targets."""

    SAFE_TAGS = {"p", "br", "strong", "em", "b", "i", "ul", "ol", "li", "blockquote", "code", "pre", "a",
                 "h3", "h4", "h5", "h6", "hr", "table", "thead", "tbody", "tr", "th", "td", "abbr"}

    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        if tag not in self.SAFE_TAGS:
            self.found.append(tag)
        for name, value in attrs:
            if name.startswith("on") or name == "style":
                self.found.append(name)
            if name in ("href", "src") and value and re.match(r"^\s*[a-z][a-z0-9+.-]*:", value, re.I):
                if not re.match(r"^(https?|mailto):", value, re.I):
                    self.found.append(value)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(title=_text.filter(lambda t: len(t.strip()) >= 5), summary=_text)
def test_practice_page_renders_any_title(registry_dir, title, summary):
    registry, _ = validate.build(Project(registry_dir))
    practice = registry.practices["perehdytyskansio"]
    practice.title, practice.summary = title.strip(), summary
    page = next(p for p in site.generate(registry) if p.src_uri == "teot/perehdytyskansio/index.md")
    body = page.content.split("\n---\n", 1)[1]
    heading = re.search(r'<h1 data-pagefind-meta="title">(.*?)</h1>', body, re.S).group(1)
    assert "<" not in heading and html.unescape(heading) == title.strip()


_plain = st.lists(st.one_of(st.text(st.characters(exclude_categories=("Cs", "Cc")), max_size=80),
                            st.sampled_from(["\n", "\n\n", " \n", "\n \n", "", "  ", "-", "---", "1.", "2)", "*", "+",
                                             "    ", "a\n===", "x  \ny", "http://a.fi", "'", '"', "--"])),
                  max_size=8).map("".join)


@settings(max_examples=500, deadline=None)
@given(_plain)
def test_plain_paragraph_fast_path_equals_markdown(text):
    """Whenever the fast path is taken, it gives exactly what Markdown + nh3 would."""
    renderer = markup.MarkdownRenderer()
    if text.strip() and not markup._MARKUP.search(text):
        assert str(markup.plain_paragraphs(text)) == str(renderer.full(text))


def test_relative_urls():
    assert markup.relative_url("teemat/x/", "teot/y/") == "../../teemat/x/"
    assert markup.relative_url("teot/", "") == "teot/"
    assert markup.relative_url("", "teot/sivu/2/") == "../../../"
    assert markup.relative_url("", "") == "./"
    assert markup.relative_url("https://x.fi/", "a/") == "https://x.fi/"


def test_fast_path_matches_markdown_on_the_bundled_content():
    from conftest import REPO

    registry, _ = validate.build(Project(REPO))
    renderer = markup.MarkdownRenderer()
    fast = 0
    for practice in registry.practices.values():
        for text in (practice.background, practice.actions, practice.results, practice.tips):
            if text and not markup._MARKUP.search(text):
                fast += 1
                assert str(markup.plain_paragraphs(text)) == str(renderer.full(text))
    assert fast > 50  # most real fields are plain prose
