"""The search's synonym and terminology list (``data/synonyms.yml``).

Staff search with the words they use, and those change: "esimies" became
"esihenkilö", and "perehdyttäminen" and "perehdytys" are one thing. The list is
applied to the search index at build time: a page whose analysed terms
(:mod:`kehto.finnish`) contain a word also gets the words that should find it,
compound words included ("esihenkilötyö" gets "esimiestyö"). Queries need no
rewriting, so the browser needs nothing extra.

* ``replaced`` is one-way: a search for ``from`` also finds texts with ``to``;
* ``groups`` are two-way: any word of a group finds texts with any other.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Iterable


@dataclass(frozen=True)
class Synonyms:
    """Which words lead to which: ``leads[word]`` are the words whose texts ``word`` finds."""

    replaced: tuple[tuple[str, str, str], ...] = ()  # (from, to, note)
    groups: tuple[tuple[tuple[str, ...], str], ...] = ()  # (words, note)
    path: str = ""
    _found_by: dict = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self):
        found_by: dict[str, set[str]] = {}  # a term in a text -> query words that should find it
        for source, target, _ in self.replaced:
            found_by.setdefault(target, set()).add(source)
        for words, _ in self.groups:
            for word in words:
                found_by.setdefault(word, set()).update(w for w in words if w != word)
        self._found_by.update({word: sorted(others) for word, others in found_by.items()})

    def expand(self, terms: Iterable[str]) -> set[str]:
        """Words to add to a page with ``terms`` (base forms), beyond the terms themselves.

        A term that starts or ends with a listed word gets the other word in its
        place, so compounds follow: "lähiesihenkilö" adds "lähiesimies".
        """
        terms = set(terms)
        added: set[str] = set()
        cache = _cache(self)
        for term in terms:
            found = cache.get(term)
            if found is None:
                found = cache[term] = frozenset(
                    term.replace(word, other, 1) for word, others in self._found_by.items()
                    if term == word or (len(term) > len(word) and (term.startswith(word) or term.endswith(word)))
                    for other in others)
            added |= found
        return added - terms

    def rows(self) -> list[tuple[str, str]]:
        """The list as editors read it (``kehto list synonyms``): ``(words, what they do)``."""
        out = [(f"{source} → {target}", f"haku sanalla {source} löytää myös tekstit, joissa on {target}"
                + (f" ({note.strip()})" if note else "")) for source, target, note in self.replaced]
        out += [(" ↔ ".join(words), "mikä tahansa näistä löytää muut" + (f" ({note.strip()})" if note else ""))
                for words, note in self.groups]
        return out


_CACHE: dict = {"key": None, "terms": {}}  # what each term adds, for the latest list (a build, or make serve)


def _cache(synonyms: Synonyms) -> dict[str, frozenset[str]]:
    key = (synonyms.replaced, synonyms.groups)
    if _CACHE["key"] != key:
        _CACHE.update(key=key, terms={})
    return _CACHE["terms"]


def synonyms_from(data: dict, path: str = "") -> Synonyms:
    """The model of a schema-valid ``data/synonyms.yml``."""
    return Synonyms(replaced=tuple((r["from"], r["to"], r.get("note", "")) for r in data.get("replaced", [])),
                    groups=tuple((tuple(g["words"]), g.get("note", "")) for g in data.get("groups", [])),
                    path=path)


def check(data: dict, problem: Callable[[tuple, str, str], None]) -> None:
    """Rules a schema cannot express: every word once, no word leading to itself."""
    seen: dict[str, tuple] = {}

    def once(word: str, path: tuple) -> None:
        if word in seen:
            problem(path, f"sana \"{word}\" on listassa jo {_where(seen[word])}.",
                    "Poista toinen: kukin sana saa olla listassa vain kerran. Yhdistä ryhmät tarvittaessa.")
        else:
            seen[word] = path

    for index, item in enumerate(data.get("replaced", [])):
        if item["from"] == item["to"]:
            problem(("replaced", index, "to"), f"sana \"{item['from']}\" ohjaa itseensä.",
                    "Kirjoita kohtaan to eri sana kuin kohtaan from, tai poista rivi.")
        once(item["from"], ("replaced", index, "from"))
    for index, group in enumerate(data.get("groups", [])):
        for position, word in enumerate(group["words"]):
            once(word, ("groups", index, "words", position))


def _where(path: tuple) -> str:
    kind, index = path[0], path[1]
    return f"vanhojen termien kohdassa {index + 1} (replaced)" if kind == "replaced" else f"ryhmässä {index + 1} (groups)"
