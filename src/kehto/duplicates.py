"""Likely duplicates: practices of one organisation whose titles say the same thing (warnings).

Two checks: the characters of the normalised titles (difflib ratio), and, with a
:class:`kehto.finnish.Analyser`, the base forms of the title words (the same practice in
other inflections or word order). The second needs Voikko only for titles that could match:
see :func:`_could_match`.
"""

from __future__ import annotations

import difflib
import math
from collections import Counter
import re
from typing import Iterable, Iterator

from . import markup, model
from .finnish import title_words
from .registry import Registry
from .report import WARNING, Problem

DUPLICATE_RATIO = 0.9
# Share of base forms two titles have in common (Jaccard) to count as likely duplicates;
# measured on bench/duplicate_pairs.yml with bench/duplicates.py.
DUPLICATE_BASE_FORMS = 0.6
_PREFIX = 4  # letters of a word that its base form almost always shares (Finnish inflects at the end)


def normalise_title(title: str) -> str:
    """A title reduced to lowercase letters and digits for duplicate detection."""
    return " ".join(re.findall(r"[a-z0-9]+", markup.fold(title)))


def likely_duplicates(registry: Registry, documents: dict | None = None, analyser=None) -> Iterator[Problem]:
    """Practices of one organisation whose titles are the same or nearly so (warnings).

    Titles are compared within an organisation only, sorted by length: two titles
    can reach the similarity threshold only if their lengths are close, and the
    cheap upper bounds of ``SequenceMatcher`` rule out most pairs before the
    exact ratio is computed.
    """
    documents = documents or {}
    by_org: dict[str, list[model.Practice]] = {}
    for practice in registry.practices.values():
        by_org.setdefault(practice.organisation, []).append(practice)
    flagged: set[tuple[str, str]] = set()

    def warning(first: model.Practice, second: model.Practice, same: bool) -> Problem:
        earlier, later = sorted((first, second), key=lambda p: p.id)
        flagged.add((earlier.id, later.id))
        doc = documents.get(later.path)
        line, column = doc.position(("title",)) if doc else (1, 1)
        return Problem(later.path, line, column, "title",
                       f"otsikko on {'sama' if same else 'lähes sama'} kuin teolla "
                       f"{earlier.id} ({earlier.path}) samalta organisaatiolta; onko tämä kaksoiskappale?",
                       "Jos teot ovat eri tekoja, tarkenna otsikkoa; muuten poista toinen.", WARNING)

    min_share = DUPLICATE_RATIO / (2 - DUPLICATE_RATIO)  # shortest/longest length needed to reach the ratio
    for group in by_org.values():
        items = sorted(((normalise_title(p.title), p) for p in group), key=lambda item: (len(item[0]), item[1].id))
        letters = [Counter(title) for title, _ in items]
        for i, (title_a, first) in enumerate(items):
            matcher = None  # made when a pair passes the cheap bounds (rarely)
            for j in range(i + 1, len(items)):
                title_b, second = items[j]
                if len(title_a) < min_share * len(title_b):
                    break
                if title_a == title_b:
                    ratio = 1.0
                else:
                    # SequenceMatcher.quick_ratio's bound (letters in common), from counts made once
                    if 2 * _common(letters[i], letters[j]) < DUPLICATE_RATIO * (len(title_a) + len(title_b)):
                        continue
                    if matcher is None:
                        matcher = difflib.SequenceMatcher(None, autojunk=False)
                        matcher.set_seq2(title_a)
                    matcher.set_seq1(title_b)
                    ratio = matcher.ratio()
                    if ratio < DUPLICATE_RATIO:
                        continue
                yield warning(first, second, ratio == 1.0)
        if analyser is not None:
            yield from _same_base_forms(group, analyser, flagged, warning)


def _common(first: Counter, second: Counter) -> int:
    """How many letters two titles have in common, counted with repeats (multiset intersection)."""
    found = second.get
    common = 0
    for letter, count in first.items():
        other = found(letter)
        if other:
            common += count if count < other else other
    return common


def _prefixes(words: set[str]) -> frozenset[str]:
    return frozenset(markup.fold(w)[:_PREFIX] for w in words)


def _could_match(first: frozenset[str], second: frozenset[str], words: tuple[int, int]) -> bool:
    """Whether two titles (the :func:`_prefixes` of their :func:`~kehto.finnish.title_words`, and how
    many words each has) could share enough base forms, judged without Voikko: Finnish inflects
    words at the end, so a word and its base form almost always begin alike. Both titles need two
    words or more and must share the first letters of nearly as many words as the base-form threshold
    needs (one word of slack for a stem that changes early, as käsi/käden). On
    bench/duplicate_pairs.yml every true pair passes; at 10 000 synthetic practices one title in
    twenty does, so Voikko analyses a twentieth of the words.
    """
    if min(words) < 2:
        return False
    return len(first & second) >= max(1, math.ceil(DUPLICATE_BASE_FORMS * max(words)) - 1)


def _candidate_pairs(titles: dict[str, str]) -> Iterator[tuple[str, str]]:
    """Pairs of ids (the first lower, in id order) of one organisation whose titles share a word
    beginning and :func:`_could_match`: the only pairs whose base forms are compared."""
    words = {i: title_words(title) for i, title in titles.items()}
    prefixes = {i: _prefixes(w) for i, w in words.items()}
    by_prefix: dict[str, list[str]] = {}
    for i in titles:
        for prefix in prefixes[i]:
            by_prefix.setdefault(prefix, []).append(i)
    for first in sorted(titles):
        for second in sorted({o for prefix in prefixes[first] for o in by_prefix[prefix] if o > first}):
            if _could_match(prefixes[first], prefixes[second], (len(words[first]), len(words[second]))):
                yield first, second


def words_to_analyse(practices: Iterable[tuple[str, str, str]]) -> set[str]:
    """The title words the base-form check will ask Voikko about, from (id, organisation, title)
    triples (the records as read, before they are checked): :func:`kehto.finnish.Analyser.prefetch`
    analyses them in another process while the records are checked."""
    by_org: dict[str, dict[str, str]] = {}
    for practice_id, organisation, title in practices:
        by_org.setdefault(organisation, {})[practice_id] = title
    found: set[str] = set()
    for titles in by_org.values():
        for first, second in _candidate_pairs(titles):
            found |= title_words(titles[first]) | title_words(titles[second])
    return found


def _same_base_forms(group: list[model.Practice], analyser, flagged: set, warning) -> Iterator[Problem]:
    """Titles whose words share most base forms: the same practice in other words' forms or order.

    Only pairs that share a word beginning and :func:`_could_match` are analysed and compared.
    """
    by_id = {p.id: p for p in group}
    keys: dict[str, frozenset[str]] = {}

    def key(practice: model.Practice) -> frozenset[str]:
        if practice.id not in keys:
            keys[practice.id] = analyser.title_key(practice.title)
        return keys[practice.id]

    for first, second in _candidate_pairs({p.id: p.title for p in group}):
        if (first, second) not in flagged:
            practice, other = by_id[first], by_id[second]
            mine, theirs = key(practice), key(other)
            if len(mine) >= 2 and len(theirs) >= 2 and len(mine & theirs) / len(mine | theirs) >= DUPLICATE_BASE_FORMS:
                yield warning(practice, other, False)
