"""GitHub issue forms for practices and adoptions, and turning a submitted issue into a record.

Both sides come from :func:`kehto.forms.practice_form` over the kind's schema, so
the issue form, the web form and the parser always agree with the schema. GitHub
renders a submitted issue form as ``### Label`` sections; the web forms' "send as
issue" links instead put the finished YAML in a fenced block. Both are understood.
"""

from __future__ import annotations

import re
from typing import Any

from . import kinds, yamlio, yamlwrite
from .forms import FormField, flatten, practice_form
from .markup import propose_id
from .registry import Registry
from .schemas import id_max_length

NO_RESPONSE = "_No response_"
LABEL = "kehittamisteko"  # one label for every submission issue; the kind is read from the issue
# A fenced YAML block as CommonMark reads it: ``` or ~~~ (three or more), info string yaml.
_OPENING = re.compile(r"( {0,3})(`{3,}|~{3,})[ \t]*ya?ml[ \t]*")
# The web form puts a new organisation after the practice in the same block.
_ORGANISATION = re.compile(r"^# --- data/organisations/[^\n]*\n", re.M)


def yaml_block(body: str) -> str | None:
    """The first fenced YAML block of an issue, read by CommonMark's rules: the block ends at a
    fence of the same character at least as long as the opening one (or at the end)."""
    lines = (body or "").replace("\r\n", "\n").split("\n")
    for start, line in enumerate(lines):
        opening = _OPENING.fullmatch(line)
        if not opening:
            continue
        indent, fence = len(opening.group(1)), opening.group(2)
        closing = re.compile(r" {0,3}" + re.escape(fence[0]) + "{" + str(len(fence)) + r",}[ \t]*")
        inside = []
        for content in lines[start + 1:]:
            if closing.fullmatch(content):
                break
            inside.append(content[min(indent, len(content) - len(content.lstrip(" "))):])
        return "\n".join(inside) + "\n"
    return None


def blocks_of(body: str) -> tuple[str | None, str | None]:
    """The record's YAML and, when the web form added one, the new organisation's YAML."""
    block = yaml_block(body)
    if block is None:
        return None, None
    parts = _ORGANISATION.split(block, maxsplit=1)
    return parts[0], (parts[1] if len(parts) > 1 else None)


ISSUE_KINDS = kinds.issue_forms()  # kind -> its form's file and texts (kehto.kinds)


def _issue_label(item: FormField, parents: dict[str, str]) -> str:
    top = item.key.split(".")[0]
    return f"{parents[top]}: {item.label}" if "." in item.key else item.label


def _parents(fields: list[FormField]) -> dict[str, str]:
    return {f.key: f.label for f in fields}


def issue_form(schema: dict, registry: Registry, kind: str = "practice") -> dict:
    """The GitHub issue form (``.github/ISSUE_TEMPLATE``) of a record kind as a YAML-ready dict."""
    spec = ISSUE_KINDS[kind]
    fields = practice_form(schema, registry)
    parents = _parents(fields)
    body: list[dict[str, Any]] = [{
        "type": "markdown",
        "attributes": {"value": (
            f"{spec.intro}\n\nTämä lomake on tuotettu tiedostosta schemas/{kind}.schema.json komennolla "
            f"`kehto schema issue-form --kind {kind}`; älä muokkaa sitä käsin.")},
    }]
    for item in flatten(fields):
        attributes: dict[str, Any] = {"label": _issue_label(item, parents)}
        description = _description(item)
        if description:
            attributes["description"] = description
        entry: dict[str, Any] = {"type": "input", "id": item.key.replace(".", "-").replace("_", "-"),
                                 "attributes": attributes}
        if item.widget in ("choices", "select"):
            entry["type"] = "dropdown"
            attributes["options"] = [label for _, label in item.options]
            if item.widget == "choices":
                attributes["multiple"] = True
        elif item.widget in ("markdown", "textarea", "rows"):
            entry["type"] = "textarea"
        else:
            entry["type"] = "input"
            if item.widget == "date":
                attributes["placeholder"] = "VVVV-KK-PP"
        # The id is proposed from the title when left empty, so it is optional here.
        required = item.required and item.widget != "id" and "." not in item.key
        entry["validations"] = {"required": required}
        body.append(entry)
    return {"name": spec.name, "description": spec.description, "title": spec.title, "labels": [LABEL], "body": body}


def _description(item: FormField) -> str:
    text = item.help
    if item.widget == "id":
        text += "" if "tyhjäksi" in text else " Jos jätät tyhjäksi, tunniste muodostetaan otsikosta."
    elif item.widget == "organisation":
        text = "Organisaation nimi tai tunniste (esim. Oulun kaupunki)."
    elif item.widget == "practice":
        text = "Teon otsikko tai tunniste (teon sivun osoitteen loppuosa)."
    elif item.widget == "rows":
        text += " Yksi linkki riville muodossa: teksti | https://osoite"
    elif item.widget == "list":
        text += "" if "pilkulla" in text else " Erota pilkulla."
    if item.max_length and item.widget in ("text", "textarea", "markdown"):
        text += f" Enintään {item.max_length} merkkiä."
    return text.strip()


def issue_form_yaml(schema: dict, registry: Registry, kind: str = "practice") -> str:
    """The issue form file's text, as committed in ``.github/ISSUE_TEMPLATE/``."""
    header = f"# Generated by `kehto schema issue-form --kind {kind}` from schemas/{kind}.schema.json. Do not edit.\n"
    return header + yamlwrite.dump(issue_form(schema, registry, kind))


def kind_of_issue(body: str) -> str:
    """Which record an issue submits: an adoption names a practice and has no title."""
    head, _ = blocks_of(body)
    if head is not None:
        return "adoption" if re.search(r"^practice:", head, re.M) and not re.search(r"^title:", head, re.M) \
            else "practice"
    return "adoption" if re.search(r"^### +Teko\s*$", body or "", re.M) else "practice"


def _sections(body: str) -> dict[str, str]:
    sections: dict[str, str] = {}
    parts = re.split(r"^### +(.+?)\s*$", body.replace("\r\n", "\n"), flags=re.M)
    for label, value in zip(parts[1::2], parts[2::2]):
        sections[label.strip()] = value.strip()
    return sections


def _split_choices(text: str, options: list[tuple[str, str]]) -> list[str]:
    """``"Johto, HR ja hallinto, Koko kunta"`` -> ids, keeping labels that contain commas whole."""
    by_label = {label.casefold(): value for value, label in options}
    ids = {value for value, _ in options}
    tokens = [t.strip() for t in text.split(",")]
    out, i = [], 0
    while i < len(tokens):
        for j in range(len(tokens), i, -1):
            candidate = ", ".join(tokens[i:j]).casefold()
            if candidate in by_label:
                out.append(by_label[candidate])
                i = j
                break
        else:
            token = tokens[i]
            # Unknown label: keep it recognisable so validation can name it and suggest the closest.
            out.append(token if token in ids else propose_id(token, len(token)))
            i += 1
    return [t for t in out if t]


def _value(item: FormField, text: str, registry: Registry) -> Any:
    if item.widget == "choices":
        return _split_choices(text, item.options)
    if item.widget == "select":
        by_label = {label.casefold(): value for value, label in item.options}
        return by_label.get(text.casefold(), text)
    if item.widget == "organisation":
        by_name = {o.name.casefold(): o.id for o in registry.organisations.values()}
        return by_name.get(text.casefold(), text)
    if item.widget == "practice":
        by_title = {p.title.casefold(): p.id for p in registry.practices.values()}
        return by_title.get(text.casefold(), text)
    if item.widget == "list":
        return [t.strip() for t in text.split(",") if t.strip()]
    if item.widget == "rows":
        rows = []
        for line in text.splitlines():
            line = line.strip().lstrip("-* ").strip()
            if not line:
                continue
            title, _, url = line.rpartition("|") if "|" in line else ("", "", line)
            rows.append({"title": title.strip() or url.strip(), "url": url.strip()})
        return rows
    return text


def read_block(text: str, name: str) -> tuple[dict, list[str]]:
    """One record from a YAML block of an issue, or a note saying why not."""
    try:
        data = yamlio.parse(text).data
    except yamlio.YamlError as exc:
        return {}, [f"{name}a ei voi lukea: {exc.message} (lohkon rivi {exc.line}, sarake {exc.column})."]
    return (data, []) if isinstance(data, dict) else ({}, [f"{name} ei ole tietue (kenttä: arvo -rivejä)."])


def organisation_from_issue(body: str) -> tuple[dict, list[str]]:
    """The new organisation the web form sent with a practice (empty when it sent none)."""
    _, text = blocks_of(body)
    return read_block(text, "Issuen organisaatiolohko") if text is not None else ({}, [])


def record_from_issue(body: str, schema: dict, registry: Registry) -> tuple[dict, list[str]]:
    """A record of ``schema``'s kind from an issue body, and notes about what could not be read."""
    text, _ = blocks_of(body)
    if text is not None:
        return read_block(text, "Issuen YAML-lohko")
    fields = practice_form(schema, registry)
    parents = _parents(fields)
    sections = _sections(body or "")
    if not sections:
        return {}, ["Issuessa ei ole lomakkeen kohtia (### Otsikko ...) eikä YAML-lohkoa."]
    record: dict[str, Any] = {}
    for item in flatten(fields):
        text = sections.get(_issue_label(item, parents), "")
        if not text or text == NO_RESPONSE:
            continue
        value = _value(item, text, registry)
        if value in ("", []):
            continue
        top, _, sub = item.key.partition(".")
        if sub:
            record.setdefault(top, {})[sub] = value
        else:
            record[top] = value
    limit = id_max_length(schema)
    if not record.get("id") and isinstance(record.get("title"), str):
        record["id"] = propose_id(record["title"], limit)
    elif not record.get("id") and isinstance(record.get("practice"), str):
        record["id"] = propose_id(f"{record['practice']} {record.get('organisation', '')}", limit)
    ordered = {key: record[key] for key in schema["properties"] if key in record}
    if not ordered:
        known = ", ".join(f"### {_issue_label(item, parents)}" for item in flatten(fields)[:3])
        return {}, [f"Issuen kohdista yksikään ei ole lomakkeen kohta (esimerkiksi {known}). "
                    "Täytä issue lomakkeella tai liitä sivuston lomakkeen tekemä YAML-lohko."]
    return ordered, []
