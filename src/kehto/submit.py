"""Command-line submission paths: ``kehto new``, ``kehto from-issue``, ``kehto schema``.

Each one builds a practice (or, from an issue, an adoption) record, checks it
with exactly the validation that ``kehto validate`` runs (against the whole
registry), and writes ``practices/<id>.yml`` (``data/adoptions/<id>.yml``) only
when the record is valid.
"""

from __future__ import annotations

import sys
from datetime import date, datetime
from pathlib import Path

from . import issueform, references, schemas, validate, yamlwrite
from . import kinds, load
from .days import finnish_day, today
from .load import Project
from .markup import propose_id
from .mdliteral import code_span, quote_user_text
from .report import Problem, Report, format_text



def record_text(record: dict, kind: str = "practice") -> str:
    """A record file's text: the schema modeline (for editors, and ``kehto validate`` of a loose file), then the record."""
    up = "../" * (kinds.kind(kind).folder.count("/") + 1)
    return f"# yaml-language-server: $schema={up}schemas/{kind}.schema.json\n" + yamlwrite.dump(record)


def file_name(record: dict, kind: str, project: Project) -> str:
    """The file name a record would get: its id when the id is a safe one, else one made from it."""
    record_id = record.get("id") if isinstance(record.get("id"), str) else ""
    if references.is_id(record_id) and len(record_id) <= 200:
        return record_id
    limit = schemas.id_max_length(schemas.load_schema(str(project.schema_dir), kind))
    return propose_id(record_id, limit) or "uusi"


def check_records(project: Project, records: list[tuple[dict, str]], finnish_titles: bool = True,
                  replace: bool = False, today: date | None = None, theirs: list[load.RawRecord] | None = None,
                  analyser=None) -> tuple[list[str], Report]:
    """Validate ``records`` (record, kind) together, as if each were ``<kind's folder>/<id>.yml``
    of ``project``: a practice may name an organisation sent with it. The records are checked in
    memory with the project's files (nothing is written). With ``replace`` a record takes the place
    of the project's file of its name (a correction); without, it is checked beside it. Without
    ``finnish_titles`` the likely-duplicate warnings skip Voikko's base forms (about 230 MB for the
    dictionary). A caller checking many submissions against one unchanging project (the intake
    service's snapshot) passes its records read once (``theirs``) and one ``analyser``."""
    displays, held, mine = [], {}, []
    for index, (record, kind) in enumerate(records):
        name = file_name(record, kind, project)
        display = f"{kinds.kind(kind).folder}/{name}.yml"
        marker = f"{display} (tarkistettava {index + 1})"  # apart from a file of that name in the project
        raw = load.RawRecord(kind, project.root / display, marker)
        mine.append(load.parse(raw, record_text(record, kind).encode("utf-8")))
        displays.append(display)
        held[marker] = display
    if analyser is None and finnish_titles:
        from .finnish import Analyser

        analyser = Analyser(project.root / ".cache" / "kehto" / "voikko-fi.json")
    theirs = [r for r in (load.read_all(project) if theirs is None else theirs)
              if not (replace and r.display in displays)]
    _, report = validate.check(theirs + mine, str(project.schema_dir), today=today, analyser=analyser)
    if analyser is not None:
        analyser.save()
    problems = [Problem(held[p.path], p.line, p.column, p.field, p.message, p.hint, p.severity)
                for p in report.only(set(held)).problems]
    return displays, Report(problems, len(records))


def check_record(project: Project, record: dict, kind: str = "practice") -> tuple[str, Report]:
    """Validate ``record`` as if it were ``<kind's folder>/<id>.yml`` of ``project``."""
    displays, report = check_records(project, [(record, kind)])
    return displays[0], report


def _write(project: Project, record: dict, output: Path | None, kind: str = "practice") -> Path:
    target = output or project.root / kinds.kind(kind).folder / f"{record['id']}.yml"
    if target.exists():
        raise FileExistsError(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(record_text(record, kind), encoding="utf-8")
    return target


def cmd_schema(args, project: Project) -> int:
    registry, report = validate.build(project, duplicates=False)  # needs the registry only
    if not report.ok:
        print(format_text(report), file=sys.stderr)
        return 1
    schema = schemas.load_schema(str(project.schema_dir), args.kind)
    text = issueform.issue_form_yaml(schema, registry, args.kind)
    if args.output:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(text, encoding="utf-8")
        print(f"Kirjoitettu {args.output}.")
    else:
        sys.stdout.write(text)
    return 0


def _labels(schema: dict) -> dict[str, str]:
    return {key: spec.get("title", key) for key, spec in schema["properties"].items()}


def comment_markdown(record: dict, problems: list[Problem], notes: list[str], labels: dict[str, str],
                     kind: str = "practice", files: list[str] | None = None) -> str:
    """The Finnish comment posted on the issue after checking it."""
    checked, thanks = kinds.kind(kind).noun
    if not problems and not notes:
        files = files or [f"{kinds.kind(kind).folder}/{record['id']}.yml"]
        named = " ja ".join(code_span(f) for f in files)
        return (f"Kiitos! Tarkistin {checked}, ja tiedot ovat kunnossa. Siitä avataan pull request "
                f"{'tiedostoiksi' if len(files) > 1 else 'tiedostoksi'} {named}; "
                "ylläpitäjät julkaisevat sen tarkistettuaan.\n")
    lines = [f"Kiitos {thanks}! Tarkistuksessa löytyi korjattavaa:", ""]
    lines += [f"- {quote_user_text(note)}" for note in notes]
    for p in problems:
        top = p.field.split(".")[0].split("[")[0]
        name = f"**{labels[top]}**" if top in labels else code_span(p.field) if p.field else "**tiedosto**"
        hint = f" {p.hint}" if p.hint else ""
        lines.append(f"- {name}: {quote_user_text(p.message + hint)}")
    lines += ["", "Muokkaa issueta, niin tarkistan sen uudelleen."]
    return "\n".join(lines) + "\n"


MAX_BODY = 1_000_000  # GitHub keeps 65,536 characters of an issue; anything larger is not an issue


def read_body(args) -> tuple[str, list[str]]:
    """The issue's text, or a note saying why it cannot be read."""
    if args.body:
        with args.body.open("rb") as handle:
            raw = handle.read(MAX_BODY + 1)
    else:
        raw = sys.stdin.buffer.read(MAX_BODY + 1)
    if len(raw) > MAX_BODY:
        return "", [f"Issuen teksti on liian pitkä (yli {MAX_BODY // 1_000_000} Mt); lyhennä sitä."]
    try:
        return raw.decode("utf-8-sig"), []
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return "", [f"Issuen teksti ei ole UTF-8-merkistössä (rivi {line}); kirjoita teksti uudelleen "
                    "tai liitä se tekstieditorista."]


_NEW_ORGANISATION = ("Jos organisaationne ei vielä ole rekisterissä, lisää se samalla: täytä sivuston lomake "
                     "(Lisää kehittämisteko, kohta Uusi organisaatio) ja lähetä se issuena, tai liitä tähän "
                     "issueen organisaation YAML-lohko (tiedosto data/organisations/tunniste.yml).")


def _from_issue(body: str, args, project: Project) -> tuple[str, list[tuple[dict, str]], list[Problem], list[str]]:
    """The records an issue sends (the record, and a new organisation when the web form added one),
    checked together, with the problems and notes a contributor must see."""
    # The bot's comment lists errors only, so the base-form duplicate warnings (Voikko) are skipped:
    # they would hold the dictionary in memory for every issue. `kehto validate` on the PR runs them.
    registry, _ = validate.build(project, finnish_titles=False)
    kind = issueform.kind_of_issue(body) if args.kind == "auto" else args.kind
    schema = schemas.load_schema(str(project.schema_dir), kind)
    record, notes = issueform.record_from_issue(body, schema, registry)
    record = with_received_day(record, args.submitted, schema)
    organisation, org_notes = issueform.organisation_from_issue(body)
    notes += org_notes
    if not record and not notes:
        notes = ["Issuesta ei löytynyt yhtään lomakkeen kohtaa. Täytä issue lomakkeella (Lisää kehittämisteko) "
                 "tai liitä sivuston lomakkeen tekemä YAML-lohko."]
    records = [(record, kind)] + ([(organisation, "organisation")] if organisation else [])
    if not record:
        return kind, records, [], notes
    displays, report = check_records(project, records, finnish_titles=False)
    problems = [p for p in report.errors if p.path == displays[0]]
    org_labels = _labels(schemas.load_schema(str(project.schema_dir), "organisation"))
    for p in report.errors:
        if p.path != displays[0]:
            field = org_labels.get(p.field.split(".")[0].split("[")[0], p.field or "tiedosto")
            notes.append(f"Uusi organisaatio ({p.path}), {field}: {p.message}" + (f" {p.hint}" if p.hint else ""))
    if not organisation and any(p.field == "organisation" and "ei ole" in p.message for p in problems):
        notes.append(_NEW_ORGANISATION)
    return kind, records, problems, notes


def cmd_from_issue(args, project: Project) -> int:
    body, notes = read_body(args)
    kind = "practice" if args.kind == "auto" else args.kind
    records: list[tuple[dict, str]] = [({}, kind)]
    problems: list[Problem] = []
    if not notes:
        kind, records, problems, notes = _from_issue(body, args, project)
    record = records[0][0]
    labels = _labels(schemas.load_schema(str(project.schema_dir), kind))
    files = [f"{kinds.kind(k).folder}/{r.get('id')}.yml" for r, k in records]
    if args.comment:
        args.comment.write_text(comment_markdown(record, problems, notes, labels, kind, files), encoding="utf-8")
    if notes or problems or not record:
        for note in notes:
            print(f"kehto: {note}", file=sys.stderr)
        for p in problems:
            print(f"- {labels.get(p.field.split('.')[0].split('[')[0], p.field)} ({p.field}): {p.message}"
                  + (f" Korjaus: {p.hint}" if p.hint else ""))
        print(f"{len(problems) + len(notes)} korjattavaa kohtaa; tiedostoa ei kirjoitettu.", file=sys.stderr)
        return 1
    if args.write:
        taken = [f for f in files if (project.root / f).exists()]
        if taken:
            print(f"kehto: tiedosto {', '.join(taken)} on jo olemassa.", file=sys.stderr)
            return 1
        for one, one_kind in records:
            print(f"Kirjoitettu {project.display(_write(project, one, None, one_kind))}.")
    else:
        sys.stdout.write("\n".join(record_text(one, one_kind) for one, one_kind in records))
    return 0


_PROMPTS = (("title", "Otsikko"), ("summary", "Tiivistelmä (1–2 virkettä)"),
            ("organisation", "Organisaation tunniste"), ("sectors", "Palvelualat (tunnisteet pilkulla eroteltuina)"),
            ("themes", "Teemat (tunnisteet pilkulla eroteltuina)"), ("actions", "Mitä tehtiin"))


def cmd_new(args, project: Project) -> int:
    values = {key: getattr(args, key) for key, _ in _PROMPTS}
    missing = [key for key, value in values.items() if not value]
    if missing and not sys.stdin.isatty():
        flags = ", ".join(f"--{'sector' if k == 'sectors' else 'theme' if k == 'themes' else k}" for k in missing)
        print(f"kehto: puuttuu {flags} (ilman valitsimia kysyn ne, kun ajat komennon päätteessä).", file=sys.stderr)
        return 2
    for key, question in _PROMPTS:
        if not values[key]:
            answer = input(f"{question}: ").strip()
            values[key] = [a.strip() for a in answer.split(",") if a.strip()] if key in ("sectors", "themes") else answer
    schema = schemas.load_schema(str(project.schema_dir), "practice")
    proposed = propose_id(values["title"] or "", schemas.id_max_length(schema))
    record = {"id": args.id or proposed, "title": values["title"],
              "summary": values["summary"], "organisation": values["organisation"],
              "sectors": values["sectors"], "themes": values["themes"],
              "published": args.published or today().isoformat(), "actions": values["actions"],
              "submitted": today().isoformat()}
    for key in ("background", "results", "tips"):
        if getattr(args, key):
            record[key] = getattr(args, key)
    record = {key: record[key] for key in schema["properties"] if key in record}
    display, report = check_record(project, record)
    if not report.ok:
        print(format_text(report))
        print("Tiedostoa ei kirjoitettu; korjaa kohdat ja aja komento uudelleen.", file=sys.stderr)
        return 1
    try:
        target = _write(project, record, args.output)
    except FileExistsError as exc:
        print(f"kehto: tiedosto {exc} on jo olemassa; valitse toinen tunniste (--id).", file=sys.stderr)
        return 1
    print(f"Luotu {project.display(target)}. Tarkista ja täydennä se, ja tee pull request.")
    return 0


def received_day(text: str) -> str:
    """``2026-11-23`` as is; an ISO timestamp (``2026-11-23T22:30:00Z``) as its day in Finland."""
    if len(text) == 10:
        return date.fromisoformat(text).isoformat()
    return finnish_day(datetime.fromisoformat(text)).isoformat()


def with_received_day(record: dict, day: str | None, schema: dict) -> dict:
    """The record with ``submitted`` set (the issue route's creation day), keys in the schema's order."""
    if not record or not day or "submitted" not in schema["properties"]:
        return record
    record = {**record, "submitted": day}
    known = [key for key in schema["properties"] if key in record]
    return {key: record[key] for key in known + [k for k in record if k not in schema["properties"]]}
