"""Submission forms derived from the practice schema.

One list of :class:`FormField` values, computed from ``schemas/practice.schema.json``
and the registry's own lists, drives every submission path: the form on the
site (``urls.section("submit")``), the GitHub issue form, and ``kehto from-issue``. A field
added to the schema appears in all of them without a second edit.

Schema annotations used: ``title`` (label), ``description`` (help text),
``x-hint`` (how to fix a pattern error), ``x-widget`` (a special input:
``id``, ``organisation``, ``practice``, ``sectors``, ``themes``, ``support``, ``date``, ``email``) and ``x-form: false``
(a field only maintainers fill in, such as ``source``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .registry import Registry

REQUIRED_SECTION = "perustiedot"


@dataclass
class FormField:
    """One input of a submission form, with the schema's rules for it."""

    key: str  # "title", or "contact.name" for a part of an object field
    label: str
    help: str = ""
    widget: str = "text"  # text, textarea, markdown, date, id, organisation, practice, choices, select, list, rows
    required: bool = False
    min_length: int | None = None
    max_length: int | None = None
    pattern: str | None = None
    hint: str = ""
    options: list[tuple[str, str]] = field(default_factory=list)  # (value, label)
    min_items: int | None = None
    max_items: int | None = None
    parts: list["FormField"] = field(default_factory=list)  # sub-fields of an object or of each row
    group: str = REQUIRED_SECTION  # the form section; optional fields get their own
    precisions: list[tuple[str, str]] = field(default_factory=list)  # a date's day/month/year choice (value, label)

    @property
    def html_id(self) -> str:
        return "f-" + self.key.replace(".", "-").replace("_", "-")

    def as_dict(self) -> dict:
        """A JSON-ready description for the browser's validation."""
        data = {k: v for k, v in self.__dict__.items() if k != "parts" and v not in (None, "", [])}
        data["options"] = [list(o) for o in self.options]
        data["precisions"] = [list(p) for p in self.precisions]
        data["parts"] = [part.as_dict() for part in self.parts]
        data["id"] = self.html_id
        return data


def _help(spec: dict) -> str:
    """Help for a form: ``x-form-help`` where the schema's description speaks of files."""
    return spec.get("x-form-help") or spec.get("description", "")


def _string_field(key: str, spec: dict, required: bool) -> FormField:
    if "enum" in spec:
        labels = spec.get("x-enum-labels", {})
        widget = "select"
        options = [(value, labels.get(value, value)) for value in spec["enum"]]
    else:
        options = []
        if spec.get("x-markdown"):
            widget = "markdown"
        elif spec.get("maxLength", 0) > 150:
            widget = "textarea"
        else:
            widget = "text"
    return FormField(key=key, label=spec.get("title", key), help=_help(spec), widget=widget,
                     required=required, min_length=spec.get("minLength"), max_length=spec.get("maxLength"),
                     pattern=spec.get("pattern"), hint=spec.get("x-hint", ""), options=options)


def _field(key: str, spec: dict, required: bool, registry: Registry | None) -> FormField:
    widget = spec.get("x-widget")
    kind = spec.get("type")
    if kind == "object":
        needed = set(spec.get("required", []))
        parts = [_field(f"{key}.{name}", sub, name in needed, registry)
                 for name, sub in spec.get("properties", {}).items() if sub.get("x-form", True)]
        return FormField(key=key, label=spec.get("title", key), help=_help(spec), widget="group",
                         required=required, parts=parts)
    if kind == "array":
        items = spec.get("items", {})
        common = dict(key=key, label=spec.get("title", key), help=_help(spec), required=required,
                      min_items=spec.get("minItems"), max_items=spec.get("maxItems"))
        if widget in ("sectors", "themes") and registry is not None:
            taxonomy = registry.sectors if widget == "sectors" else registry.themes
            return FormField(widget="choices", options=[(t.id, t.name) for t in taxonomy.items.values()], **common)
        if widget == "support":
            menu = registry.support_menu if registry is not None else None
            return FormField(widget="choices", options=[(c.id, c.name) for c in (menu.categories if menu else ())],
                             **common)
        if items.get("type") == "object":
            needed = set(items.get("required", []))
            parts = [_field(name, sub, name in needed, registry) for name, sub in items.get("properties", {}).items()]
            return FormField(widget="rows", parts=parts, **common)
        # The lengths are per item (one keyword), never of the comma-separated line.
        if "pilkulla" not in common["help"]:
            common["help"] = f"{common['help']} Erota pilkulla.".strip()
        return FormField(widget="list", min_length=items.get("minLength"), max_length=items.get("maxLength"),
                         pattern=items.get("pattern"), **common)
    result = _string_field(key, spec, required)
    if widget in ("id", "date", "organisation", "practice", "email"):
        result.widget = widget  # organisations: fetched by the form page (form_data), typed in the issue form
    return result


def practice_form(schema: dict, registry: Registry | None = None) -> list[FormField]:
    """The form fields of a practice: required ones first, in schema order."""
    needed = set(schema.get("required", []))
    fields = [_field(key, spec, key in needed, registry)
              for key, spec in schema["properties"].items() if spec.get("x-form", True)]
    # A choice with nothing to choose from (no support menu in this registry) is left out.
    fields = [f for f in fields if f.widget != "choices" or f.options]
    for item in fields:  # a date known only to the month or year says so in <key>_precision
        precision = schema["properties"].get(f"{item.key}_precision", {})
        if item.widget == "date" and "enum" in precision:
            labels = precision.get("x-enum-labels", {})
            item.precisions = [(value, labels.get(value, value)) for value in precision["enum"]]
    # The id is proposed from the title, so it comes last among the required fields.
    required = sorted((f for f in fields if f.required), key=lambda f: f.widget == "id")
    optional = [f for f in fields if not f.required]
    for item in optional:
        item.group = item.key
    return required + optional


def flatten(fields: list[FormField]) -> list[FormField]:
    """Every input, with object fields replaced by their parts (``contact.name``...)."""
    out = []
    for item in fields:
        if item.widget == "group":
            for part in item.parts:
                part.group = item.group
            out.extend(flatten(item.parts))
        else:
            out.append(item)
    return out


def form_spec(fields: list[FormField], registry: Registry, schema: dict) -> dict[str, Any]:
    """What the browser needs to validate like ``kehto validate`` does."""
    return {
        "fields": [f.as_dict() for f in flatten(fields)],
        "order": list(schema["properties"]),  # key order of the written file
    }
