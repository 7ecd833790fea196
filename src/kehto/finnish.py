"""Finnish morphology for search: base forms and compound parts of the words of a page.

Pagefind stems Finnish, but it splits compounds only at punctuation and matches
by word prefix, so "suunnitelma" never reaches "varhaiskasvatussuunnitelma" and
"hyvinvointi" never reaches "työhyvinvoinnin". At build time kehto analyses each
page's words with Voikko (``pyvoikko``: pure Python, ships its dictionary) and
adds the base forms of the words and of every compound part to what Pagefind
indexes for the page. (A search typed without ä and ö needs no help: Pagefind
folds diacritics itself.) pyvoikko runs on ``kfst``, which uses the native
``kfst-rs`` back-end when installed (a dependency: about 9x faster per word).

Analyses are cached in a JSON file keyed by word, so a rebuild of unchanged
content does not pay again. The whole feature is a setting
(``extra.kehto.finnish_search``) for sites in other languages. Which text of
which page is analysed, and what else a page gets, is :mod:`kehto.search_terms`.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import re
from pathlib import Path
from typing import Iterable


_WORD = re.compile(r"[A-Za-zÅÄÖåäöÉéÜü]+")
MIN_LENGTH = 4  # shorter words are mostly function words; compound parts may be 3 ("työ")
CACHE_VERSION = 7  # bump whenever word_terms() changes what it returns
# Voikko's FST output names the word a derived word comes from: "[Lt][Xp]perehdyttää[X]perehdyt[Ln][Xj]ys..."
# (perehdytys < perehdyttää); [Xj] marks the derivational suffix.
_DERIVED_FROM = re.compile(r"\[Xp\]([^\[]+)\[X\][^\[]*(?:\[(?!Xp|Bc)[A-Za-z0-9]+\][^\[]*)*?\[Xj\]")


class Unavailable(RuntimeError):
    """No Finnish analyser is installed."""


def title_words(title: str) -> set[str]:
    """The lowercase words of a title that the duplicate check compares (three letters or more)."""
    return {w.lower() for w in _WORD.findall(title) if len(w) >= 3}


class Analyser:
    """Base forms and compound parts of Finnish words, with a persistent cache."""

    def __init__(self, cache_file: Path | None = None):
        self._voikko = None  # imported on the first cache miss: loading the dictionary takes a second
        self.cache_file = cache_file
        self.cache: dict[str, list[str]] = {}  # word -> search terms
        self.bases: dict[str, str] = {}  # word -> its (first) base form
        self.analysed = 0  # words analysed in this run (cache misses)
        self._helper = None  # a forked process with Voikko loaded (start_helper)
        self._pending = None  # the words it is analysing (prefetch)
        if cache_file and cache_file.exists():
            try:
                data = json.loads(cache_file.read_text(encoding="utf-8"))
                if data.get("version") == CACHE_VERSION:
                    self.cache, self.bases = data["words"], data["bases"]
            except (OSError, ValueError, KeyError):
                self.cache, self.bases = {}, {}

    def start_helper(self) -> None:
        """Load Voikko now in a forked process (about a second), while this one goes on reading;
        words given to :meth:`prefetch` are then analysed there. Nothing happens where processes
        cannot be forked or there is one core."""
        if self._helper is None and (os.cpu_count() or 1) > 1 and "fork" in multiprocessing.get_all_start_methods():
            self._helper = multiprocessing.get_context("fork").Pool(1, _load_voikko)

    def prefetch(self, words: Iterable[str]) -> None:
        """Analyse the ``words`` not in the cache in the helper process (:meth:`start_helper`); their
        analyses join the cache at the first miss, as if made here."""
        missing = sorted({w for w in words if w not in self.cache})
        if self._helper is not None and self._pending is None and missing:
            self._pending = self._helper.apply_async(_analyse, (missing,))

    def close(self) -> None:
        """Take in what the helper analysed, and end it."""
        if self._pending is not None:
            cache, bases = self._pending.get()
            self._pending = None
            self.analysed += sum(1 for word in cache if word not in self.cache)
            self.cache.update(cache)
            self.bases.update(bases)
        if self._helper is not None:
            self._helper.close()
            self._helper.join()
            self._helper = None

    def word_terms(self, word: str) -> list[str]:
        """Search terms for one lowercase word: base forms, compound parts, folded forms."""
        cached = self.cache.get(word)
        if cached is not None:
            return cached
        if self._helper is not None:  # the helper may have analysed it
            self.close()
            return self.word_terms(word)
        self.analysed += 1
        terms: set[str] = set()
        # The analysers' back-ends (kfst-rs, pure-Python kfst) return the same analyses in
        # different orders: sort them so the "first" base form does not depend on the back-end.
        # Fewest compound parts first: "aktiivisuutta" is "aktiivisuus" before "aktiivi+suu".
        analyses = sorted(self._analyser().analyse(word),
                          key=lambda a: (len(a.COMPOUND_PARTS or ()), a.BASEFORM, a.CLASS or ""))
        self.bases[word] = analyses[0].BASEFORM.replace("=", "").lower() if analyses else word
        for analysis in analyses:
            base = analysis.BASEFORM.replace("=", "").lower()
            terms.add(base)
            # The word it is derived from, so that "perehdyttää" finds "perehdytys" and
            # "kuormittua" finds "kuormittuminen": the root of the last compound part.
            roots = _DERIVED_FROM.findall((analysis.FSTOUTPUT or "").split("[Bc]")[-1])
            parts = [p for p in analysis.COMPOUND_PARTS or () if p.FORM]
            if roots and len(roots[-1]) >= MIN_LENGTH:
                terms.add(roots[-1].lower())
                if len(parts) > 1:  # itse+ohjautuvuus < itse+ohjautua
                    terms.add("".join(p.FORM.lower() for p in parts[:-1]) + roots[-1].lower())
            for end, part in enumerate(parts):
                part_base = part.BASEFORM.replace("=", "").lower()
                if len(part_base) >= 3 and part.CLASS != "etuliite":
                    terms.add(part_base)
                # Shorter compounds inside a longer one: aikuis+sosiaali+työ gives "sosiaalityö".
                for start in range(0, end):
                    # (a prefix such as "sosiaali" or "esi" may start one, though it is no term on its own)
                    terms.add("".join(p.FORM.lower() for p in parts[start:end]) + part_base)
        # No ä/ö-less variants: Pagefind already matches "tyo" to "työ" (measured: 0.96 recall
        # on such queries without any help), and every extra word makes each page heavier.
        terms.discard(word)
        result = sorted(terms)
        self.cache[word] = result
        return result

    def _analyser(self):
        if self._voikko is None:
            try:
                import pyvoikko
            except ImportError as exc:  # pragma: no cover - pyvoikko is a dependency
                raise Unavailable("pyvoikko puuttuu: asenna se tai poista suomen haun analyysi käytöstä") from exc
            self._voikko = pyvoikko
        return self._voikko

    def base_form(self, word: str) -> str:
        """The base form of one lowercase word (the word itself when Voikko does not know it)."""
        if word not in self.bases:
            self.word_terms(word)
        return self.bases.get(word, word)

    def title_key(self, title: str) -> frozenset[str]:
        """A title as the set of its words' base forms: "Uusien opettajien mentorointi" and
        "Mentorointi uusille opettajille" give the same set."""
        return frozenset(self.base_form(w) for w in title_words(title))

    def terms(self, text: str) -> list[str]:
        """Search terms for a text: what its words add beyond themselves, sorted."""
        found: set[str] = set()
        for word in {w.lower() for w in _WORD.findall(text) if len(w) >= MIN_LENGTH}:
            found.update(self.word_terms(word))
        return sorted(found)

    def save(self) -> None:
        """Write the cache back, if anything new was analysed (the helper's words included)."""
        self.close()
        if not self.cache_file or not self.analysed:
            return
        self.cache_file.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.cache_file.with_suffix(".tmp")
        tmp.write_text(json.dumps({"version": CACHE_VERSION, "words": self.cache, "bases": self.bases},
                                  ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
        tmp.replace(self.cache_file)


def _load_voikko() -> None:
    """In :meth:`Analyser.start_helper`'s process: load the dictionary before any word arrives."""
    Analyser()._analyser().analyse("työ")


def _analyse(words: list[str]) -> tuple[dict, dict]:
    analyser = Analyser()
    for word in words:
        analyser.word_terms(word)
    return analyser.cache, analyser.bases
