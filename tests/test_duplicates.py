"""The likely-duplicate check asks Voikko only about titles that could match, and its cheap bounds
are the ones difflib would compute."""

from __future__ import annotations

import difflib
import json
from collections import Counter
from datetime import date
from pathlib import Path

import yaml
from hypothesis import given
from hypothesis import strategies as st

from kehto import duplicates, finnish
from kehto.model import Practice, Taxonomy
from kehto.registry import Registry

PAIRS = yaml.safe_load((Path(__file__).resolve().parent.parent / "bench" / "duplicate_pairs.yml").read_text(encoding="utf-8"))


class _Counting(finnish.Analyser):
    """The real analyser, noting which titles it was asked about."""

    def __init__(self):
        super().__init__()
        self.asked: list[str] = []

    def title_key(self, title: str) -> frozenset[str]:
        self.asked.append(title)
        return super().title_key(title)


def _registry(titles: list[str]) -> Registry:
    practices = {f"teko-{i}": Practice(id=f"teko-{i}", title=title, summary="", organisation="kunta",
                                       sectors=(), themes=(), published=date(2020, 1, 1), actions="",
                                       path=f"practices/teko-{i}.yml")
                 for i, title in enumerate(titles)}
    return Registry(practices=practices, organisations={}, sectors=Taxonomy("sectors", "s"),
                    themes=Taxonomy("themes", "t"), regions=Taxonomy("regions", "r"))


def test_voikko_is_asked_only_about_titles_that_could_match():
    analyser = _Counting()
    titles = ["Vertaismentorointi uusille opettajille", "Uusien opettajien vertaismentorointi",
              "Kotihoidon kesälomien suunnittelu", "Kirjaston avoimet ovet", "Etätyön pelisäännöt"]
    warnings = list(duplicates.likely_duplicates(_registry(titles), analyser=analyser))
    assert [w.path for w in warnings] == ["practices/teko-1.yml"]  # the same practice, other inflections
    assert sorted(analyser.asked) == sorted(titles[:2])  # the three others share no word beginning


def test_every_true_pair_of_the_measured_set_is_compared():
    for pair in PAIRS:
        first, second = finnish.title_words(pair["a"]), finnish.title_words(pair["b"])
        could = duplicates._could_match(duplicates._prefixes(first), duplicates._prefixes(second),
                                        (len(first), len(second)))
        assert could or not pair["same"], pair


@given(st.text("abcdeäö 01", max_size=40), st.text("abcdeäö 01", max_size=40))
def test_the_letter_bound_is_difflibs_quick_ratio(first, second):
    matcher = difflib.SequenceMatcher(None, first, second, autojunk=False)
    common = duplicates._common(Counter(first), Counter(second))
    assert common == round(matcher.quick_ratio() * (len(first) + len(second)) / 2)


def test_the_words_given_to_the_helper_are_those_voikko_is_asked_about():
    titles = ["Vertaismentorointi uusille opettajille", "Uusien opettajien vertaismentorointi",
              "Kotihoidon kesälomien suunnittelu", "Kirjaston avoimet ovet", "Etätyön pelisäännöt"]
    analyser = _Counting()
    list(duplicates.likely_duplicates(_registry(titles), analyser=analyser))
    asked = set().union(*(finnish.title_words(t) for t in analyser.asked))
    triples = [(f"teko-{i}", "kunta", t) for i, t in enumerate(titles)] + [("teko-9", "muu", titles[1])]
    assert duplicates.words_to_analyse(triples) == asked


def test_validate_with_the_helper_process_warns_the_same_and_keeps_its_analyses(registry_dir):
    """`kehto validate` analyses title words in a forked helper while it checks the records: the same
    warnings as without it, the analyses made there (not here) and saved in the cache."""
    from kehto import validate
    from kehto.load import Project

    path = registry_dir / "practices" / "perehdytyskansio.yml"
    text = path.read_text(encoding="utf-8")
    title = next(line for line in text.splitlines() if line.startswith("title:"))
    (registry_dir / "practices" / "perehdytyskansio-2.yml").write_text(
        text.replace("id: perehdytyskansio", "id: perehdytyskansio-2").replace(
            title, "title: Perehdytyskansiot uusille työntekijöille ja kansion perehdytys"), encoding="utf-8")
    path.write_text(text.replace(title, "title: Uusien työntekijöiden perehdytyskansio ja perehdytys"),
                    encoding="utf-8")
    cache = registry_dir / ".cache" / "kehto" / "voikko-fi.json"
    reports = {}
    for helper in (False, True):
        cache.unlink(missing_ok=True)
        loaded = []
        original = finnish.Analyser._analyser
        finnish.Analyser._analyser = lambda self: loaded.append(1) or original(self)  # counts loads here
        try:
            _, report = validate.build(Project(registry_dir), parallel=helper)
        finally:
            finnish.Analyser._analyser = original
        reports[helper] = [p.as_text() for p in report.warnings]
        assert bool(loaded) is not helper  # with the helper, Voikko ran only in the other process
        assert "perehdytyskansio" in json.loads(cache.read_text(encoding="utf-8"))["words"]
    assert reports[True] == reports[False] and any("kaksoiskappale" in w for w in reports[True])
