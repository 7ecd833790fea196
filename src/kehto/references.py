"""Checks between records: references to other records, and rules a schema cannot state.

References are declared as data in the kinds table (:mod:`kehto.kinds`): for
each record kind, the fields (``*`` for every list item) that name a record of
another kind. A reference is checked on
every record that parsed, valid or not, so a contributor sees it together with
the schema problems of the same file.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from datetime import date, timedelta
from typing import Any, Callable, Iterator

from . import kinds
from .knowledge import TEMPLATES
from .registry import Registry

# Ids of the automatic lists at urls.top_list(id) (the last one a prefix): a curated list may not take them.
RESERVED_LIST_IDS = ("uusimmat", "eniten-mallia", "aktiivisimmat-organisaatiot", "teema-")
_ID = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")


def is_id(value: object) -> bool:
    """Whether ``value`` is shaped like a record id (lowercase words joined by hyphens)."""
    return isinstance(value, str) and _ID.fullmatch(value) is not None


# What each target is called in a message ("organisaatiota x ei ole rekisterissä") and where it lives.
TARGETS = {
    "practice": ("tekoa", "rekisterissä", "Tekojen tiedostot ovat kansiossa practices/."),
    "organisation": ("organisaatiota", "rekisterissä", "Lisää organisaatio kansioon data/organisations/."),
    "sectors": ("palvelualaa", "luokituksessa", "Sallitut arvot ovat tiedostossa data/sectors.yml."),
    "themes": ("teemaa", "luokituksessa", "Sallitut arvot ovat tiedostossa data/themes.yml."),
    "regions": ("maakuntaa", "luokituksessa", "Sallitut arvot ovat tiedostossa data/regions.yml."),
    "support-category": ("tukivalikon luokkaa", "tukivalikossa", "Sallitut arvot ovat tiedostossa data/support-menu.yml."),
    "campaign": ("kampanjaa", "rekisterissä", "Kampanjat ovat kansiossa data/campaigns/."),
    "question-bank": ("kysymyspakkaa", "rekisterissä", "Kysymyspakat ovat kansiossa data/questions/."),
    "template": ("pohjaa", "rekisterissä", f"Sallitut pohjat: {', '.join(TEMPLATES)}."),
}


def values_at(data: Any, pattern: str) -> Iterator[tuple[tuple, Any]]:
    """``(path, value)`` for each value at a dotted ``pattern`` (``*`` = every list item)."""
    def walk(node: Any, parts: list[str], path: tuple) -> Iterator[tuple[tuple, Any]]:
        if not parts:
            yield path, node
            return
        head, rest = parts[0], parts[1:]
        if head == "*":
            if isinstance(node, list):
                for index, item in enumerate(node):
                    yield from walk(item, rest, path + (index,))
        elif isinstance(node, dict) and head in node:
            yield from walk(node[head], rest, path + (head,))

    yield from walk(data, pattern.split("."), ())


def known_targets(registry: Registry, parsed_ids: dict[str, set]) -> dict[str, set]:
    """Every id a reference may name, by target kind.

    Records that parsed but failed their schema still count, so one broken file
    does not make every reference to it an error as well.
    """
    menu = registry.support_menu
    return {
        **{kind.name: set(registry.of_kind(kind.name)) | parsed_ids.get(kind.name, set())
           for kind in kinds.record_kinds() if kind.folder},
        "sectors": set(registry.sectors.items), "themes": set(registry.themes.items),
        "regions": set(registry.regions.items),
        "support-category": {c.id for c in menu.categories} if menu else set(),
        "template": set(TEMPLATES),
    }


Report = Callable[[tuple, str, str], None]


def check_references(kind: str, data: dict, known: dict[str, set], problem: Report) -> None:
    """Report every reference in ``data`` (a record of ``kind``) that names nothing."""
    for pattern, target in kinds.kind(kind).references:
        noun, where, fix = TARGETS.get(target, ("tietuetta", "rekisterissä", f"Tarkista tunniste ({target})."))
        for path, value in values_at(data, pattern):
            if not isinstance(value, str) or not is_id(value) or value in known[target]:
                continue  # a malformed id is the schema's to report
            close = difflib.get_close_matches(value, list(known[target]), n=1)
            problem(path, f"{noun} \"{value}\" ei ole {where}.", f"Tarkoititko \"{close[0]}\"?" if close else fix)


def check_rules(kind: str, data: dict, problem: Report) -> None:
    """Rules within one schema-valid record that a schema cannot express."""
    for pattern in kinds.kind(kind).mondays:
        for path, value in values_at(data, pattern):
            _monday(value, path, problem)
    if kinds.kind(kind).rules is not None:
        kinds.kind(kind).rules(data, problem)
    if kind == "list":
        _repeated(data["items"], "practice", ("items",), "teko", problem)
        if data["id"] in RESERVED_LIST_IDS[:-1] or data["id"].startswith(RESERVED_LIST_IDS[-1]):
            problem(("id",), f"tunniste \"{data['id']}\" on varattu automaattiselle listalle.",
                    "Valitse toinen tunniste (ei uusimmat, eniten-mallia, aktiivisimmat-organisaatiot eikä teema-…).")
    elif kind == "campaign":
        if data.get("end") and data["end"] < data["start"]:
            problem(("end",), f"kampanja päättyy ({data['end']}) ennen kuin se alkaa ({data['start']}).",
                    "Tarkista alkamis- ja päättymispäivä.")
        for index, pick in enumerate(data.get("weekly", [])):
            if pick["week_start"] < data["start"] or (data.get("end") and pick["week_start"] > data["end"]):
                problem(("weekly", index, "week_start"), f"viikko {pick['week_start']} ei ole kampanjan aikana.",
                        "Viikon noston pitää osua kampanjan alku- ja loppupäivän väliin.")
    elif kind == "award":
        categories = [c["id"] for c in data["categories"]]
        _repeated(data["categories"], "id", ("categories",), "sarja", problem)
        for index, winner in enumerate(data.get("winners", [])):
            if winner["category"] not in categories:
                close = difflib.get_close_matches(winner["category"], categories, n=1)
                problem(("winners", index, "category"), f"sarjaa \"{winner['category']}\" ei ole tämän tiedoston sarjoissa.",
                        f"Tarkoititko \"{close[0]}\"?" if close else f"Sarjat: {', '.join(categories)}.")
            if not winner.get("practice") and not winner.get("organisation"):
                problem(("winners", index), "palkitulta puuttuu teko ja organisaatio.",
                        "Lisää rivi \"practice: <teon tunniste>\" tai \"organisation: <organisaation tunniste>\".")
    elif kind == "support-menu":
        _repeated(data["categories"], "id", ("categories",), "luokka", problem)


WEEKDAYS = ("maanantai", "tiistai", "keskiviikko", "torstai", "perjantai", "lauantai", "sunnuntai")


def _monday(value: str, path: tuple, problem: Report) -> None:
    """A date of a kind's ``mondays`` (a campaign week's start: the weekly pick switches then) is a Monday."""
    try:
        day = date.fromisoformat(value)
    except ValueError:
        return  # not in the calendar: the date check says so
    if day.weekday():
        monday = day - timedelta(days=day.weekday())
        problem(path, f"viikko alkaa päivänä {value}, joka on {WEEKDAYS[day.weekday()]}; viikon pitää alkaa maanantaina.",
                f"Saman viikon maanantai on {monday.isoformat()}.")


def _repeated(items: list[dict], key: str, path: tuple, noun: str, problem: Report) -> None:
    seen: Counter = Counter()
    for index, item in enumerate(items):
        seen[item[key]] += 1
        if seen[item[key]] == 2:
            problem(path + (index, key), f"{noun} \"{item[key]}\" on listassa kahdesti.", "Poista toinen niistä.")


def check_adoptions(registry: Registry, problem_at: Callable[[str, tuple, str, str], None]) -> None:
    """Adoptions across files: no self-adoption and one record per organisation and practice."""
    seen: dict[tuple[str, str], str] = {}
    for adoption in sorted(registry.adoptions.values(), key=lambda a: a.path):
        practice = registry.practices.get(adoption.practice)
        if practice and practice.organisation == adoption.organisation:
            problem_at(adoption.path, ("organisation",), "organisaatio ei voi ottaa mallia omasta teostaan.",
                       "Kirjaa toisen organisaation käyttöönotto tai poista tiedosto.")
        key = (adoption.practice, adoption.organisation)
        if key in seen:
            problem_at(adoption.path, ("practice",), f"sama käyttöönotto on jo tiedostossa {seen[key]}.",
                       "Poista toinen tiedosto tai yhdistä tiedot yhteen.")
        seen.setdefault(key, adoption.path)
