"""What Pagefind indexes for a page beyond its visible text, and the search's word list.

Every practice page, and every page of a kind with ``search_text`` in
:mod:`kehto.kinds`, gets a hidden block of extra words (see the
``search_terms`` macro): the base forms, compound parts and derivation roots of
its words (:mod:`kehto.finnish`), the names of its themes and service sectors
(so "esihenkilötyö" finds every practice tagged with that theme, whatever its
text says), and the words the synonym list (:mod:`kehto.synonyms`) says should
find it. Excerpts are never taken from the block (``kehto-search.js``).

The same pass counts the words of the whole site: the most common ones become
the small word list the browser uses to suggest a correction for a misspelt
query ("Tarkoititko: vertaismentorointi?").

Pagefind indexes every word by its Snowball stem (after folding ä, ö, å): a hidden word
with the same stem as a word of the visible text finds the page through that word already,
and would only add to that word's posting list (bytes in every search that loads it). Such
words are left out.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import snowballstemmer

from . import kinds
from .finnish import MIN_LENGTH, Analyser
from .registry import Registry
from .synonyms import Synonyms

_WORD = re.compile(r"[A-Za-zÅÄÖåäöÉéÜü]+(?:-[A-Za-zÅÄÖåäöÉéÜü]+)*")
VOCABULARY_SIZE = 4000  # most common words in the suggestion list: enough for a registry's own terms
SUGGEST_MIN_LENGTH = 5  # shorter words are rarely misspelt into something unfindable


@dataclass
class SearchTerms:
    """Extra words by page (practice id, or another kind's page path, which has a ``/``), and the word list."""

    by_page: dict[str, str]
    vocabulary: list[str]  # most common first
    analysed: int = 0  # words Voikko analysed afresh (not from the cache)


class PagefindStems:
    """The key Pagefind indexes a Finnish word by: lower case, ä ö å folded to a o a, then Snowball's
    Finnish stemmer (as Pagefind's). Cached: a registry has a few thousand distinct words."""

    def __init__(self):
        self._stemmer = snowballstemmer.stemmer("finnish")
        self._stems: dict[str, str] = {}

    def __call__(self, word: str) -> str:
        stem = self._stems.get(word)
        if stem is None:
            folded = "".join(c for c in unicodedata.normalize("NFD", word.lower()) if not unicodedata.combining(c))
            stem = self._stems[word] = self._stemmer.stemWord(folded)
        return stem


class TermsMemo:
    """What :func:`collect` found for each page, kept between calls (``make serve``): a page whose
    text and taxonomy names did not change is not analysed again while the synonym list stays the
    same. Holds only the pages of the last call."""

    def __init__(self):
        self.synonyms: Synonyms | None = None
        self.analysing: bool | None = None
        self.pages: dict[tuple, tuple[str, frozenset[str]]] = {}
        self.stem = PagefindStems()

    def for_(self, synonyms: Synonyms | None, analysing: bool) -> "TermsMemo":
        """This memo, emptied when the synonym list or the use of the analyser changed since the last call."""
        if (self.synonyms, self.analysing) != (synonyms, analysing):
            self.synonyms, self.analysing, self.pages = synonyms, analysing, {}
        return self


class _Collector:
    def __init__(self, analyser: Analyser | None, synonyms: Synonyms | None, memo: TermsMemo | None = None):
        self.analyser, self.synonyms = analyser, synonyms
        self.counts: Counter[str] = Counter()  # in how many pages a word (or its base form) occurs
        self.memo = (memo or TermsMemo()).for_(synonyms, analyser is not None)
        self.stem = self.memo.stem
        self.used: dict[tuple, tuple[str, frozenset[str]]] = {}

    def extra(self, text: str, names: list[str]) -> str:
        """The hidden words of a page with visible ``text`` and the (invisible) taxonomy ``names``."""
        key = (text, tuple(names))
        found = self.memo.pages.get(key)
        if found is None:
            terms, counted = self.terms(text, names)
            # every word with the stem of a visible word is indexed already
            visible_stems = {self.stem(w) for w in _WORD.findall(text)}  # short words too: Pagefind has them
            found = (" ".join(sorted(w for w in terms if "-" in w or self.stem(w) not in visible_stems)), counted)
        self.used[key] = found
        self.counts.update(found[1])
        return found[0]

    def terms(self, text: str, names: list[str]) -> tuple[set[str], frozenset[str]]:
        """The words that should find a page, beyond the words of its ``text``, and the words it
        counts for the word list."""
        visible = {w.lower() for w in _WORD.findall(text) if len(w) >= 3}
        hidden = {w.lower() for name in names for w in _WORD.findall(name) if len(w) >= 3}
        terms = set(hidden)
        if self.analyser is not None:
            for word in visible | hidden:
                if len(word) >= MIN_LENGTH:
                    terms.update(self.analyser.word_terms(word))
                    terms.add(self.analyser.base_form(word))
        if self.synonyms is not None:
            terms |= self.synonyms.expand(terms | visible)
        counted = frozenset(w for w in terms | visible if len(w) >= SUGGEST_MIN_LENGTH and "-" not in w)
        return terms - visible, counted  # visible words are indexed already


def collect(registry: Registry, analyser: Analyser | None, memo: TermsMemo | None = None) -> SearchTerms:
    """Extra words of every practice page and every page of a kind with ``search_text``, and the word
    list. With a ``memo`` (kept by the caller) unchanged pages are not analysed again."""
    collector = _Collector(analyser, registry.of_kind("synonyms").get(""), memo)
    by_page = {}
    for practice in registry.practices.values():
        text = " ".join((practice.title, practice.summary, practice.background, practice.actions,
                         practice.results, practice.tips, " ".join(practice.keywords)))
        names = [registry.themes.name(t) for t in practice.themes] + [registry.sectors.name(s) for s in practice.sectors]
        by_page[practice.id] = collector.extra(text, names)
    for kind in kinds.KINDS:
        if kind.search_text is not None:
            for record_id, record in registry.of_kind(kind.name).items():
                themes = [registry.themes.name(t) for t in getattr(record, "themes", ())]
                by_page[kind.url(record_id)] = collector.extra(" ".join(kind.search_text(record)), themes)
    collector.memo.pages = collector.used
    vocabulary = [word for word, _ in sorted(collector.counts.items(), key=lambda item: (-item[1], item[0]))]
    return SearchTerms(by_page, vocabulary[:VOCABULARY_SIZE], analyser.analysed if analyser else 0)


def search_terms(registry: Registry, root: Path, finnish: bool = True) -> SearchTerms:
    """:func:`collect` with the Finnish analysis cached under ``root`` (none when ``finnish`` is off)."""
    analyser = Analyser(root / ".cache" / "kehto" / "voikko-fi.json") if finnish else None
    result = collect(registry, analyser)
    if analyser is not None:
        analyser.save()
    return result
