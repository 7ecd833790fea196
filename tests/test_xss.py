"""Contributed text is never trusted: hostile input in every text field comes out inert."""

from __future__ import annotations

import re

import markdown
import pytest

from conftest import build_site
from kehto import yamlwrite
from sitecheck import pages

HOSTILE = {
    "id": "vihamielinen",
    "title": 'Otsikko <script>alert("otsikko")</script> & "lainaus" <img src=x onerror=alert(1)>',
    "summary": 'Tiivistelmä <script>alert(2)</script> jossa "lainausmerkit" ja <b onmouseover=alert(3)>lihava</b>',
    "organisation": "vihamielinen-org",
    "sectors": ["koko-kunta"],
    "themes": ["tyohyvinvointi"],
    "published": "2020-01-01",
    "background": ("<script>alert(4)</script>\n\n[klikkaa](javascript:alert(5))\n\n"
                   '<img src=x onerror="alert(6)">\n\nKappale\n{: onclick="alert(7)" }\n\n'
                   '<a href="data:text/html,<script>alert(8)</script>">data</a>'),
    "actions": ('Toimet <iframe src="https://paha.example"></iframe> '
                '<div style="position:fixed" onmouseover="alert(9)">teksti</div> ja lisää tekstiä tähän.'),
    "results": "[ok](https://esimerkki.fi){: onclick=alert(10) }\n\n<svg onload=alert(11)></svg>",
    "tips": "<style>body{display:none}</style><form action=https://paha.example><input name=x></form> vinkki",
    "contact": {"name": "<b onclick=alert(12)>Nimi</b>", "role": "<script>alert(13)</script>"},
    "links": [{"title": "<script>alert(14)</script>", "url": "https://esimerkki.fi/?q=1"}],
    "keywords": ["<script>alert(15)</script>"],
    "source": {"document": "<script>alert(16)</script>.txt", "title": "<script>alert(17)</script>",
               "note": "<img src=x onerror=alert(18)>"},
}
HOSTILE_ORG = {"id": "vihamielinen-org", "name": '</script><script>alert(19)</script> "kunta"',
               "type": "kunta", "region": "uusimaa", "description": "<script>alert(20)</script>"}

X = '<script>alert("x")</script> <img src=x onerror=alert(1)> & "lainaus"'
MD = "<script>alert(1)</script>\n\n[klikkaa](javascript:alert(2))\n\nKappale\n{: onclick=\"alert(3)\" }"
# Records of every other kind, with hostile text in each text field (the ids must stay ids).
OTHER_KINDS = {
    "data/lists/vihamielinen-lista.yml": {
        "id": "vihamielinen-lista", "title": X, "intro": X, "items": [{"practice": "vihamielinen", "comment": X}]},
    "data/adoptions/vihamielinen-testikunta.yml": {
        "id": "vihamielinen-testikunta", "practice": "vihamielinen", "organisation": "testikunta",
        "date": "2021-01-01", "note": X},
    "data/campaigns/vihamielinen-kampanja.yml": {
        "id": "vihamielinen-kampanja", "title": X, "description": MD, "start": "2019-12-01", "end": "2020-01-31",
        "hashtags": ["#<script>alert(4)</script>"], "goal": 5,
        "reported": {"count": 3, "note": X}, "weekly": [{"week_start": "2019-12-30", "practice": "vihamielinen", "note": X}]},
    "data/awards/vihamielinen-gaala.yml": {
        "id": "vihamielinen-gaala", "title": X, "date": "2020-02-01", "description": X, "campaign": "vihamielinen-kampanja",
        "categories": [{"id": "sarja", "name": X, "description": X}],
        "winners": [{"category": "sarja", "practice": "vihamielinen", "note": X},
                    {"category": "sarja", "organisation": "vihamielinen-org", "note": X}]},
    "data/support-menu.yml": {
        "title": X, "description": MD, "categories": [{"id": "luokka", "name": X, "description": X, "actions": [
            {"title": X, "what": X, "provider": X, "when": X}]}]},
    "data/questions/vihamielinen-pakka.yml": {
        "id": "vihamielinen-pakka", "title": X, "summary": X, "when": MD, "practices": ["vihamielinen"],
        "support_categories": ["luokka"],
        "sections": [{"title": X, "intro": X, "questions": [{"text": X, "follow_up": [X]}]}],
        "source": {"document": X, "title": X, "note": X}},
    "data/processes/vihamielinen-prosessi.yml": {
        "id": "vihamielinen-prosessi", "title": X, "summary": X, "practices": ["vihamielinen"],
        "steps": [{"title": X, "goal": X, "participants": X, "duration": X, "outputs": [X], "details": [X],
                   "question_banks": ["vihamielinen-pakka"], "templates": ["kehittamissuunnitelma"]}],
        "variants": [{"title": X, "text": MD}], "roles": [{"role": X, "tasks": X}],
        "source": {"document": X, "title": X}},
    "data/plans/vihamielinen-suunnitelma.yml": {
        "id": "vihamielinen-suunnitelma", "title": X, "organisation": "vihamielinen-org", "practice": "vihamielinen",
        "period": X[:40], "summary": MD, "rows": [{"target": X, "goal": X, "measure": X, "action": X, "responsible": X,
                                                  "schedule": X[:200], "urgency": 1, "follow_up": X}],
        "source": {"document": X, "title": X}},
}

# Patterns that would make any of the above run or leak.
DANGEROUS = [
    re.compile(r"<script>alert", re.I),
    re.compile(r"<(?:img|svg|iframe|form|style|b|div|a)\b[^>]*\son\w+\s*=", re.I),
    re.compile(r"""href\s*=\s*["']?\s*(?:javascript|data):""", re.I),
    re.compile(r"<iframe", re.I),
    re.compile(r"<style>body", re.I),
    re.compile(r"<form action=https://paha", re.I),
]


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    from conftest import make_registry

    base = tmp_path_factory.mktemp("hostile")
    root = make_registry(base / "registry")
    (root / "practices/vihamielinen.yml").write_text(yamlwrite.dump(HOSTILE), encoding="utf-8")
    (root / "data/organisations/vihamielinen-org.yml").write_text(yamlwrite.dump(HOSTILE_ORG), encoding="utf-8")
    for rel, record in OTHER_KINDS.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(yamlwrite.dump(record), encoding="utf-8")
    build_site(root, base / "site")
    return base / "site"


def test_hostile_text_comes_out_inert_on_every_page(hostile_site):
    checked = 0
    for page in pages(hostile_site):
        html = page.read_text(encoding="utf-8")
        for pattern in DANGEROUS:
            match = pattern.search(html)
            assert match is None, f"{page.relative_to(hostile_site)}: {html[max(0, match.start() - 80): match.end() + 80]}"
        checked += 1
    assert checked > 10
    for kind_page in ("listat/vihamielinen-lista/", "kampanjat/vihamielinen-kampanja/", "palkinnot/", "tukivalikko/",
                      "kysymykset/vihamielinen-pakka/", "prosessit/vihamielinen-prosessi/",
                      "pohjat/kehittamissuunnitelma/vihamielinen-suunnitelma/"):
        assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in (hostile_site / kind_page / "index.html").read_text(
            encoding="utf-8"), kind_page  # shown as text, not dropped
    adopter = (hostile_site / "organisaatiot/testikunta/index.html").read_text(encoding="utf-8")
    assert "Otti mallia" in adopter and "alert(&#34;otsikko&#34;)" in adopter


def test_exports_and_snippets_of_hostile_text_are_inert(hostile_site):
    for rel in ("listat/vihamielinen-lista/uutiskirje.html", "kampanjat/vihamielinen-kampanja/uutiskirje.html",
                "kampanjat/vihamielinen-kampanja/uutiskirje.md.txt", "kampanjat/vihamielinen-kampanja/upotus.html",
                "listat/vihamielinen-lista/upotus.html", "syote.xml", "teemat/tyohyvinvointi/syote.xml"):
        text = (hostile_site / rel).read_text(encoding="utf-8")
        if rel.endswith(".md.txt"):
            text = markdown.markdown(text)  # as a newsletter tool renders it
        for pattern in DANGEROUS:
            assert pattern.search(text) is None, rel
    md = (hostile_site / "listat/vihamielinen-lista/uutiskirje.md.txt").read_text(encoding="utf-8")
    assert "<script>" not in md and "\\<script\\>" in md


def test_hostile_text_is_shown_as_text(hostile_site):
    html = (hostile_site / "teot/vihamielinen/index.html").read_text(encoding="utf-8")
    # <title> and <meta description> that Material prints raw carry escaped text
    assert ("<title>Otsikko &lt;script&gt;alert(&#34;otsikko&#34;)&lt;/script&gt; &amp; &#34;lainaus&#34; "
            "&lt;img src=x onerror=alert(1)&gt; - kehto</title>") in html
    assert '<meta name="description" content="Tiivistelmä &lt;script&gt;alert(2)&lt;/script&gt; jossa &#34;lainausmerkit&#34;' in html
    # share tags carry the same text, escaped exactly once
    assert ('<meta property="og:title" content="Otsikko &lt;script&gt;alert(&#34;otsikko&#34;)&lt;/script&gt; &amp; '
            '&#34;lainaus&#34; &lt;img src=x onerror=alert(1)&gt;">') in html
    assert '<meta name="twitter:description" content="Tiivistelmä &lt;script&gt;alert(2)&lt;/script&gt; jossa' in html
    campaign = (hostile_site / "kampanjat/vihamielinen-kampanja/index.html").read_text(encoding="utf-8")
    assert '<meta property="og:title" content="&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;' in campaign
    embed = (hostile_site / "kampanjat/vihamielinen-kampanja/upotus.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in embed and "<script" not in embed
    # the h1 shows the title literally
    assert "&lt;script&gt;alert(&#34;otsikko&#34;)&lt;/script&gt;" in html
    assert "&lt;b onclick=alert(12)&gt;Nimi&lt;/b&gt;" in html
    # Markdown links with unsafe schemes lose their target; safe ones keep it
    assert "klikkaa" in html and 'href="https://esimerkki.fi"' in html


def test_organisation_name_in_the_search_filters_is_escaped(hostile_site):
    html = (hostile_site / "haku/index.html").read_text(encoding="utf-8")
    assert ('data-label="&lt;/script&gt;&lt;script&gt;alert(19)&lt;/script&gt; &#34;kunta&#34;"') in html
