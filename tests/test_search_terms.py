"""What the search index gets beyond the visible text: synonyms, theme names, derivation roots, word list."""

from __future__ import annotations

import json

import pytest

from conftest import REPO
from kehto import cli, search_terms, synonyms, validate
from kehto.finnish import Analyser
from kehto.load import Project


@pytest.fixture(scope="module")
def registry():
    registry, report = validate.build(Project(REPO))
    assert report.ok
    return registry


def test_synonyms_expand_words_and_compounds():
    words = synonyms.synonyms_from({"replaced": [{"from": "esimies", "to": "esihenkilö"}],
                                    "groups": [{"words": ["perehdytys", "perehdyttäminen"]}]})
    # one-way: a text with the new term is found by the old one, compounds included
    assert words.expand({"esihenkilö", "esihenkilötyö", "lähiesihenkilö"}) == {"esimies", "esimiestyö", "lähiesimies"}
    assert words.expand({"esimies"}) == set()  # not the other way round
    # two-way
    assert words.expand({"perehdyttäminen"}) == {"perehdytys"}
    assert words.expand({"perehdytys"}) == {"perehdyttäminen"}
    assert words.expand({"työ", "henkilöstö"}) == set()


def test_derivation_roots_reach_the_index(tmp_path):
    analyser = Analyser(tmp_path / "cache.json")
    assert "perehdyttää" in analyser.word_terms("perehdytys")  # perehdytys < perehdyttää
    assert "kuormittaa" in analyser.word_terms("kuormitus")
    assert {"itseohjautua", "ohjautua"} <= set(analyser.word_terms("itseohjautuvuus"))
    assert "kokeilla" not in analyser.word_terms("kokeilukulttuuri")  # a root of a first part is no root of the word


def test_practice_pages_get_their_theme_names_and_synonyms(registry):
    terms = search_terms.collect(registry, Analyser())
    practice = registry.practices["vantaa-virtuaalinen-esihenkilotuki"]
    hidden = set(terms.by_page[practice.id].split())
    assert "esimies" in hidden and "esimiestyö" in hidden  # the synonym list, compounds followed
    # every practice tagged with a theme has the theme's words, visible or hidden
    for tagged in registry.in_theme("esihenkilotyo-ja-johtaminen"):
        text = " ".join((tagged.title, tagged.summary, tagged.background, tagged.actions, tagged.results,
                         tagged.tips, *tagged.keywords)).lower() + " " + terms.by_page[tagged.id]
        assert "esihenkilötyö" in text and "johtaminen" in text, tagged.id
    # the hidden block never repeats what the page shows
    assert not hidden & {w.lower() for w in practice.title.split()}
    assert "vertaismentorointi" in terms.vocabulary and len(terms.vocabulary) <= search_terms.VOCABULARY_SIZE


def test_without_finnish_analysis_theme_names_still_reach_the_index(registry):
    terms = search_terms.collect(registry, None)
    assert terms.analysed == 0
    practice = registry.in_theme("esihenkilotyo-ja-johtaminen")[0]
    assert "esihenkilötyö" in terms.by_page[practice.id].split() or "esihenkilötyö" in practice.summary.lower()


def test_list_synonyms(capsys):
    assert cli.main(["--root", str(REPO), "list", "synonyms"]) == 0
    out = capsys.readouterr().out
    assert "esimies → esihenkilö\thaku sanalla esimies löytää myös tekstit, joissa on esihenkilö" in out
    assert "perehdytys ↔ perehdyttäminen" in out


def test_site_ships_the_word_list(real_site):
    words = json.loads((real_site / "haku" / "sanat.json").read_text(encoding="utf-8"))
    assert "perehdytys" in words and "vertaismentorointi" in words
    html = (real_site / "teot" / "hyria-verme-perehdytys" / "index.html").read_text(encoding="utf-8")
    assert "tiedosto 002_" not in html and ".txt" not in html  # the source is named by its title only
    assert "Lähde" in html


def test_hidden_words_leave_out_what_pagefind_indexes_already(registry):
    # Pagefind indexes a word by its Snowball stem: a base form with the stem of a visible word
    # would only add a position to the posting list of that word (bytes in every search using it).
    terms = search_terms.collect(registry, Analyser())
    stem = search_terms.PagefindStems()
    for practice in registry.practices.values():
        text = " ".join((practice.title, practice.summary, practice.background, practice.actions, practice.results,
                         practice.tips, *practice.keywords))
        visible = {stem(w.lower()) for w in search_terms._WORD.findall(text)}
        hidden = terms.by_page[practice.id].split()
        assert len(hidden) == len(set(hidden)), practice.id  # each word once
        assert not [w for w in hidden if "-" not in w and stem(w) in visible], practice.id
    # "kehittäjien" and "työntekijöiden" show; their base forms have the same stems ("kehittaj",
    # "tyontekij"); "perehdytys" has not the stem of "perehdytyksen" ("perehdytyks")
    collector = search_terms._Collector(Analyser(), None)
    hidden = collector.extra("Uusien työntekijöiden perehdytyksen malli kehittäjien kanssa", []).split()
    assert "kehittäjä" not in hidden and "työntekijä" not in hidden and "perehdytys" in hidden


def _search_bytes():
    import importlib.util

    spec = importlib.util.spec_from_file_location("search_bytes", REPO / "bench" / "search_bytes.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_pagefind_finds_pages_by_the_words_left_out(real_site, registry):
    # Each word left out of a practice's hidden block is in the real index under the stem computed
    # here, with that practice's page among its pages: Pagefind stems as kehto.search_terms does.
    # A stemmer that differed would fail this.
    index = _search_bytes()
    postings, urls = index.postings(real_site), index.page_urls(real_site)
    page_of = {url: number for number, url in enumerate(urls)}
    collector = search_terms._Collector(Analyser(), registry.of_kind("synonyms").get(""))
    stem = search_terms.PagefindStems()
    checked = 0
    for practice in registry.practices.values():
        text = " ".join((practice.title, practice.summary, practice.background, practice.actions, practice.results,
                         practice.tips, *practice.keywords))
        names = [registry.themes.name(t) for t in practice.themes] + [registry.sectors.name(s) for s in practice.sectors]
        left_out = collector.terms(text, names)[0] - set(collector.extra(text, names).split())
        number = page_of[f"/teot/{practice.id}/"]
        for word in left_out:
            assert number in postings.get(stem(word), ()), (practice.id, word, stem(word))
            checked += 1
    assert checked > 500


def test_a_memo_gives_the_same_words_and_analyses_only_the_pages_that_changed(registry):
    """`make serve` keeps a TermsMemo: after an edit only the edited page is analysed again, and every
    page's words and the word list are what a fresh collection gives."""
    import dataclasses

    memo = search_terms.TermsMemo()
    first = search_terms.collect(registry, Analyser(), memo)
    practice = next(iter(registry.practices.values()))
    edited = dataclasses.replace(practice, summary=practice.summary + " Työnohjaus ja vertaistuki.")
    changed = dataclasses.replace(registry, practices={**registry.practices, practice.id: edited})
    analysed = []
    original = search_terms._Collector.terms
    search_terms._Collector.terms = lambda self, text, names: analysed.append(text) or original(self, text, names)
    try:
        again = search_terms.collect(changed, Analyser(), memo)
    finally:
        search_terms._Collector.terms = original
    fresh = search_terms.collect(changed, Analyser())
    assert again.by_page == fresh.by_page and again.vocabulary == fresh.vocabulary
    assert len(analysed) == 1 and "Työnohjaus ja vertaistuki" in analysed[0]
    assert again.by_page[practice.id] != first.by_page[practice.id]
    assert len(memo.pages) == len(fresh.by_page)  # the memo holds only the last call's pages
