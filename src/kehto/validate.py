"""Validation: schema checks per record, then what a schema cannot check.

:func:`check` checks records already in memory (:class:`~kehto.load.RawRecord`)
against their schemas and the rules that span records (references, unique ids,
likely duplicates, real dates), and returns the :class:`~kehto.registry.Registry`
assembled once from the valid records, together with a :class:`~kehto.report.Report`
of every problem found. :func:`build` reads a project's files and checks them.
What a kind needs checked (schema, dates, references, model) is in :mod:`kehto.kinds`.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any, Iterator

from . import days, kinds, load, model, references, schemas
from .duplicates import DUPLICATE_RATIO, likely_duplicates, normalise_title, words_to_analyse  # noqa: F401 (public names)
from .load import Project, RawRecord
from .registry import Registry
from .report import Problem, Report

# Characters that reorder or hide text: a contributor rarely means to type them.
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")
# Unicode category Cc, less tab, line feed and carriage return.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_SUSPECT = re.compile(f"{_BIDI.pattern}|{_CONTROL.pattern}")


def _problem(record: RawRecord, path: tuple, message: str, hint: str = "", severity: str = "error") -> Problem:
    line, column = record.document.position(path) if record.document else (1, 1)
    return Problem(record.display, line, column, schemas.field_name(path), message, hint, severity)


def _strings(value: Any, path: tuple = ()) -> Iterator[tuple[tuple, str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, path + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, path + (index,))


def check_text(record: RawRecord) -> Iterator[Problem]:
    """Invisible control and direction-override characters in any text field."""
    for path, text in _strings(record.document.data):
        if not _SUSPECT.search(text):  # nearly every text: one search instead of two
            continue
        bidi = _BIDI.search(text)
        if bidi:
            yield _problem(record, path, f"tekstissä on suunnanvaihtomerkki U+{ord(bidi.group()):04X}, "
                           "joka voi kätkeä tekstin todellisen järjestyksen.",
                           "Poista merkki; se on voinut tulla mukaan kopioidessa.")
        control = _CONTROL.search(text)
        if control:
            yield _problem(record, path, f"tekstissä on näkymätön ohjausmerkki U+{ord(control.group()):04X}.",
                           "Poista merkki; se on voinut tulla mukaan kopioidessa.")


def check_date(record: RawRecord, key: str, today: date | None) -> Iterator[Problem]:
    """A schema-shaped date must also exist in the calendar and not be in the future."""
    value = record.document.data.get(key)
    if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return
    try:
        day = date.fromisoformat(value)
    except ValueError:
        yield _problem(record, (key,), f"päivämäärää {value} ei ole kalenterissa.",
                       "Tarkista kuukausi ja päivä, esimerkiksi 2020-02-29 on olemassa mutta 2021-02-29 ei.")
        return
    if today is not None and day > today:
        yield _problem(record, (key,), f"päivämäärä {value} on tulevaisuudessa.",
                       f"Käytä päivää, joka on viimeistään {today.isoformat()}.")


def build(project: Project, extra: list[Path] | None = None, today: date | None = None,
          finnish_titles: bool = True, duplicates: bool = True, parallel: bool = False) -> tuple[Registry, Report]:
    """Read, check and link every record of ``project`` (and ``extra`` files).

    With ``finnish_titles`` the likely-duplicate check also compares the base forms
    of title words (Voikko, cached in ``.cache/kehto/``), which catches the same
    practice written with other inflections or word order. Without ``duplicates``
    (commands that only read the registry) titles are not compared at all.
    ``parallel`` (`kehto validate`, `kehto build`; not in a server's threads): Voikko loads, and
    the title words it will be asked about are analysed, in a forked process while this one reads
    and checks the records.
    """
    analyser = None
    if duplicates and finnish_titles:
        from .finnish import Analyser

        analyser = Analyser(project.root / ".cache" / "kehto" / "voikko-fi.json")
    helped = analyser is not None and parallel
    if helped:
        analyser.start_helper()
    try:
        records = load.read_all(project, extra)
        if helped:  # the candidate pairs are found again by the check itself (cheap: no Voikko)
            analyser.prefetch(words_to_analyse(_titles(records)))
        result = check(records, str(project.schema_dir), today, analyser, duplicates)
    finally:
        if analyser is not None:
            analyser.close()
    if analyser is not None:
        analyser.save()
    return result


def _titles(records: list[RawRecord]) -> Iterator[tuple[str, str, str]]:
    """(id, organisation, title) of the practices as read, before they are checked."""
    for record in records:
        data = record.document.data if record.kind == "practice" and not record.error else None
        if isinstance(data, dict) and all(isinstance(data.get(k), str) for k in ("id", "organisation", "title")):
            yield data["id"], data["organisation"], data["title"]


def check(records: list[RawRecord], schema_dir: str, today: date | None = None, analyser=None,
          duplicates: bool = True) -> tuple[Registry, Report]:
    """Check records held in memory; the registry of the valid ones is assembled once, here.

    ``analyser`` (:class:`kehto.finnish.Analyser`) adds base forms to the likely-duplicate check.
    """
    today = today or days.today()
    report = Report(files_checked=len(records))
    valid: dict[str, list[RawRecord]] = {}
    parsed: dict[str, list[RawRecord]] = {}
    known_ids: dict[str, set] = {}

    for record in records:
        if record.error:
            if kinds.kind(record.kind).file and not record.path.exists():
                report.add(Problem(record.display, 1, 1, "", "luokitustiedosto puuttuu.",
                                   f"Luo tiedosto {record.display} (katso README)."))
            else:
                report.add(record.error)
            continue
        data = record.document.data
        if isinstance(data, dict):
            parsed.setdefault(record.kind, []).append(record)
        if isinstance(data, dict) and isinstance(data.get("id"), str):
            known_ids.setdefault(record.kind, set()).add(data["id"])
        kind = kinds.kind(record.kind)
        problems = [_problem(record, path, message, hint)
                    for path, message, hint in schemas.check(data, schema_dir, kind.schema)]
        if isinstance(data, dict):
            problems.extend(check_text(record))
            if kind.folder:
                problems.extend(_check_id_matches_file(record))
            for key in kind.past_dates:
                problems.extend(check_date(record, key, today))
            for key in kind.calendar_dates:
                problems.extend(check_date(record, key, None))
        if not problems:
            references.check_rules(record.kind, data, lambda path, message, hint, r=record: problems.append(
                _problem(r, path, message, hint)))
        report.extend(problems)
        if not problems:
            valid.setdefault(record.kind, []).append(record)

    registry = _assemble(valid, report)
    # References are checked on every parsed record, so a contributor sees them
    # together with the schema problems of the same file.
    known = references.known_targets(registry, known_ids)
    for kind, kind_records in parsed.items():
        for record in kind_records:
            references.check_references(kind, record.document.data, known, lambda path, message, hint, r=record:
                                        report.add(_problem(r, path, message, hint)))
    by_path = {r.display: r for r in valid.get("adoption", [])}
    references.check_adoptions(registry, lambda path, field, message, hint: report.add(
        _problem(by_path[path], field, message, hint)))
    if duplicates:
        documents = {r.display: r.document for r in valid.get("practice", [])}
        report.extend(likely_duplicates(registry, documents, analyser))
    return registry, report


def _check_id_matches_file(record: RawRecord) -> Iterator[Problem]:
    record_id = record.document.data.get("id")
    if isinstance(record_id, str) and record_id != record.stem:
        yield _problem(record, ("id",), f"tunniste \"{record_id}\" ei vastaa tiedoston nimeä \"{record.path.name}\".",
                       f"Nimeä tiedosto \"{record_id}.yml\" tai muuta tunnisteeksi {record.stem}.")


def _assemble(valid: dict[str, list[RawRecord]], report: Report) -> Registry:
    taxonomies = {}
    for name in kinds.TAXONOMIES:
        records = valid.get(name, [])
        if records:
            record = records[0]
            taxonomies[name] = model.taxonomy_from(name, record.document.data)
            report.extend(_duplicate_terms(record))
        else:
            taxonomies[name] = model.Taxonomy(name, name)
    built: dict[str, dict] = {}
    single: dict[str, object] = {}
    fields = set(Registry.__dataclass_fields__)
    for kind in kinds.record_kinds():
        if kind.file:  # one file, one record (the support menu, the search's synonym list)
            records = valid.get(kind.name)
            record = _build(kind, records[0], report) if records else None
            if kind.attribute in fields:
                single[kind.attribute] = record
            elif record is not None:
                built[kind.name] = {"": record}  # as registry.of_kind gives a single-file kind
            continue
        built[kind.name] = {}
        for record in valid.get(kind.name, []):
            item = _build(kind, record, report)
            if item is not None and _unique(item.id, built[kind.name], record, report):
                built[kind.name][item.id] = item
    own = {kinds.kind(name).attribute: records for name, records in built.items()
           if kinds.kind(name).attribute in fields}
    extra = {name: records for name, records in built.items() if kinds.kind(name).attribute not in fields}
    return Registry(sectors=taxonomies["sectors"], themes=taxonomies["themes"], regions=taxonomies["regions"],
                    extra=extra, **own, **single)


def _build(kind: kinds.Kind, record: RawRecord, report: Report):
    """The model object of a valid record, or None (and the record's problem) when the builder fails."""
    try:
        return kind.build(record.document.data, record.display)
    except (ValueError, TypeError, KeyError, AttributeError) as exc:
        # A value the checks let through but the model cannot hold is kehto's bug;
        # it stays this record's problem, and every other record is still built.
        report.add(_problem(record, (), f"tietuetta ei voitu käsitellä ({type(exc).__name__}: {exc}).",
                            "Tämä on kehdon virhe: ilmoita siitä ylläpitäjille."))
        return None


def _unique(record_id: str, seen: dict, record: RawRecord, report: Report) -> bool:
    if record_id in seen:
        report.add(_problem(record, ("id",), f"tunniste \"{record_id}\" on jo käytössä tiedostossa {seen[record_id].path}.",
                            "Valitse tälle tietueelle toinen tunniste."))
        return False
    return True


def _duplicate_terms(record: RawRecord) -> Iterator[Problem]:
    seen = set()
    for index, item in enumerate(record.document.data["items"]):
        if item["id"] in seen:
            yield _problem(record, ("items", index, "id"), f"tunniste \"{item['id']}\" on luettelossa kahdesti.",
                           "Poista toinen tai anna sille oma tunniste.")
        seen.add(item["id"])
