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
