"""Command-line submission paths: ``kehto new``, ``kehto from-issue``, ``kehto schema``.

Each one builds a practice (or, from an issue, an adoption) record, checks it
with exactly the validation that ``kehto validate`` runs (against the whole
registry), and writes ``practices/<id>.yml`` (``data/adoptions/<id>.yml``) only
when the record is valid.
"""

from __future__ import annotations

import sys
import tempfile
from datetime import date
from pathlib import Path

from . import issueform, schemas, validate, yamlio
from .load import KIND, Project
from .markup import propose_id
from .report import Problem, Report, format_text

NOUNS = {"practice": ("kehittämisteon", "teosta"), "adoption": ("käyttöönoton", "käyttöönotosta")}


def record_text(record: dict, kind: str = "practice") -> str:
    """A record file's text: the schema modeline (for editors, and ``kehto validate`` of a loose file), then the record."""
    up = "../" * (KIND[kind].folder.count("/") + 1)
    return f"# yaml-language-server: $schema={up}schemas/{kind}.schema.json\n" + yamlio.dump(record)


def check_record(project: Project, record: dict, kind: str = "practice") -> tuple[str, Report]:
    """Validate ``record`` as if it were ``<kind's folder>/<id>.yml`` of ``project``."""
    record_id = record.get("id") if isinstance(record.get("id"), str) else "uusi"
    safe_name = propose_id(record_id) or "uusi"
    display = f"{KIND[kind].folder}/{safe_name}.yml"
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"{safe_name}.yml"
        path.write_text(record_text(record, kind), encoding="utf-8")
        _, report = validate.build(project, extra=[path])
        own = report.only({project.display(path)})
    problems = [Problem(display, p.line, p.column, p.field, p.message, p.hint, p.severity) for p in own.problems]
    return display, Report(problems, 1)


def _write(project: Project, record: dict, output: Path | None, kind: str = "practice") -> Path:
    target = output or project.root / KIND[kind].folder / f"{record['id']}.yml"
    if target.exists():
        raise FileExistsError(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(record_text(record, kind), encoding="utf-8")
    return target


def cmd_schema(args, project: Project) -> int:
    registry, report = validate.build(project)
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
                     kind: str = "practice") -> str:
    """The Finnish comment posted on the issue after checking it."""
    checked, thanks = NOUNS[kind]
    if not problems and not notes:
        return (f"Kiitos! Tarkistin {checked}, ja tiedot ovat kunnossa. Siitä avataan pull request "
                f"tiedostoksi `{KIND[kind].folder}/{record['id']}.yml`; ylläpitäjät julkaisevat sen tarkistettuaan.\n")
    lines = [f"Kiitos {thanks}! Tarkistuksessa löytyi korjattavaa:", ""]
    lines += [f"- {note}" for note in notes]
    for p in problems:
        top = p.field.split(".")[0].split("[")[0]
        name = labels.get(top, p.field or "tiedosto")
        hint = f" {p.hint}" if p.hint else ""
        lines.append(f"- **{name}**: {p.message}{hint}")
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


def cmd_from_issue(args, project: Project) -> int:
    body, notes = read_body(args)
    registry, _ = validate.build(project)
    kind = issueform.kind_of_issue(body) if args.kind == "auto" else args.kind
    schema = schemas.load_schema(str(project.schema_dir), kind)
    record: dict = {}
    if not notes:
        record, notes = issueform.record_from_issue(body, schema, registry)
    if not record and not notes:
        notes = ["Issuesta ei löytynyt yhtään lomakkeen kohtaa. Täytä issue lomakkeella (Lisää kehittämisteko) "
                 "tai liitä sivuston lomakkeen tekemä YAML-lohko."]
    problems: list[Problem] = []
    if record:
        display, report = check_record(project, record, kind)
        problems = report.errors
    labels = _labels(schema)
    if args.comment:
        args.comment.write_text(comment_markdown(record, problems, notes, labels, kind), encoding="utf-8")
    if notes or problems or not record:
        for note in notes:
            print(f"kehto: {note}", file=sys.stderr)
        for p in problems:
            print(f"- {labels.get(p.field.split('.')[0].split('[')[0], p.field)} ({p.field}): {p.message}"
                  + (f" Korjaus: {p.hint}" if p.hint else ""))
        print(f"{len(problems) + len(notes)} korjattavaa kohtaa; tiedostoa ei kirjoitettu.", file=sys.stderr)
        return 1
    if args.write:
        try:
            target = _write(project, record, None, kind)
        except FileExistsError as exc:
            print(f"kehto: tiedosto {exc} on jo olemassa.", file=sys.stderr)
            return 1
        print(f"Kirjoitettu {project.display(target)}.")
    else:
        sys.stdout.write(record_text(record, kind))
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
    record = {"id": args.id or propose_id(values["title"] or ""), "title": values["title"],
              "summary": values["summary"], "organisation": values["organisation"],
              "sectors": values["sectors"], "themes": values["themes"],
              "published": args.published or date.today().isoformat(), "actions": values["actions"]}
    for key in ("background", "results", "tips"):
        if getattr(args, key):
            record[key] = getattr(args, key)
    schema = schemas.load_schema(str(project.schema_dir), "practice")
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
