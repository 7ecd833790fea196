"""JSON Schema checks, explained in plain Finnish.

The schemas in ``schemas/`` are the single source of truth for what a record may
contain. jsonschema finds the problems; this module turns each one into a
sentence a contributor understands without knowing JSON Schema, using the
Finnish ``title`` and ``x-hint`` annotations that live in the schema itself.
"""

from __future__ import annotations

import difflib
import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterator

import fastjsonschema
from jsonschema import Draft7Validator
from jsonschema.exceptions import ValidationError

_TYPES_FI = {
    "string": "tekstiä",
    "integer": "kokonaisluku",
    "number": "luku",
    "boolean": "totuusarvo (true tai false)",
    "array": "lista (rivit alkavat viivalla -)",
    "object": "kenttiä sisältävä rakenne",
    "null": "tyhjä",
}


def _type_name(value: Any) -> str:
    if value is None:
        return "tyhjä"
    if isinstance(value, bool):
        return "totuusarvo"
    if isinstance(value, (int, float)):
        return "luku"
    if isinstance(value, str):
        return "tekstiä"
    if isinstance(value, list):
        return "lista"
    if isinstance(value, dict):
        return "kenttiä sisältävä rakenne"
    return type(value).__name__


@lru_cache(maxsize=None)
def load_schema(schema_dir: str, kind: str) -> dict:
    """The JSON Schema of a record kind, read from ``schema_dir``."""
    return json.loads((Path(schema_dir) / f"{kind}.schema.json").read_text(encoding="utf-8"))


@lru_cache(maxsize=None)
def validator(schema_dir: str, kind: str) -> Draft7Validator:
    """A compiled validator, built once per schema file and process."""
    schema = load_schema(schema_dir, kind)
    Draft7Validator.check_schema(schema)
    return Draft7Validator(schema)


@lru_cache(maxsize=None)
def fast_check(schema_dir: str, kind: str):
    """A compiled validator that only answers valid / not valid, fast."""
    return fastjsonschema.compile(load_schema(schema_dir, kind))


def id_max_length(schema: dict) -> int:
    """The longest id a record kind allows; ids proposed from titles are cut to this."""
    return schema["properties"]["id"]["maxLength"]


def field_name(path: tuple) -> str:
    """``("links", 0, "url")`` -> ``links[1].url`` (list positions counted from 1)."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part + 1}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def _subschema(schema: dict, path: tuple) -> dict:
    node = schema
    for part in path:
        if isinstance(part, int):
            node = node.get("items", {})
        else:
            node = node.get("properties", {}).get(part, {})
    return node



def explain(error: ValidationError, schema: dict) -> list[tuple[tuple, str, str]]:
    """``(path, message, hint)`` for one jsonschema error, in Finnish."""
    if error.validator == "additionalProperties":
        sub = error.schema if isinstance(error.schema, dict) else {}
        allowed = sorted(sub.get("properties", {}))
        found = []
        for key in error.instance:
            if key in allowed:
                continue
            close = difflib.get_close_matches(key, allowed, n=1)
            fix = f"Tarkoititko \"{close[0]}\"?" if close else f"Sallitut kentät: {', '.join(allowed)}."
            found.append((tuple(error.absolute_path) + (key,), f"tuntematon kenttä \"{key}\".", fix))
        return found
    return [_explain_one(error, schema)]


def _explain_one(error: ValidationError, schema: dict) -> tuple[tuple, str, str]:
    path = tuple(error.absolute_path)
    rule = error.validator
    arg = error.validator_value
    value = error.instance
    sub = error.schema if isinstance(error.schema, dict) else {}
    label = sub.get("title", "")
    hint = sub.get("x-hint", "")

    if rule == "required":
        missing = error.message.split("'")[1] if "'" in error.message else str(arg)
        missing_path = path + (missing,)
        title = _subschema(schema, missing_path).get("title", "")
        name = f"{missing} ({title})" if title else missing
        return missing_path, f"pakollinen kenttä {name} puuttuu.", f"Lisää rivi \"{missing}: ...\"."
    if rule == "type":
        wanted = arg if isinstance(arg, str) else arg[0]
        message = f"arvon pitää olla {_TYPES_FI.get(wanted, wanted)}, nyt se on {_type_name(value)}."
        if wanted == "string" and value is not None:
            hint = hint or "Laita arvo lainausmerkkeihin, esimerkiksi \"2020\"."
        elif wanted == "array":
            hint = hint or "Kirjoita jokainen arvo omalle rivilleen viivan (-) perään."
        elif wanted == "object":
            hint = hint or "Kirjoita kentät muodossa \"kenttä: arvo\", yksi kenttä riviä kohden, ilman viivaa alussa."
        elif value is None:
            hint = hint or "Kirjoita kenttään arvo tai poista koko rivi."
        else:
            hint = hint or "Tarkista arvon muoto."
        return path, message, hint
    if rule == "minLength":
        need = arg - len(value)
        return path, (f"teksti on liian lyhyt: {len(value)} merkkiä, vähintään {arg}."
                      ), hint or f"Kirjoita vähintään {need} merkkiä lisää."
    if rule == "maxLength":
        over = len(value) - arg
        return path, (f"teksti on liian pitkä: {len(value)} merkkiä, enintään {arg}."
                      ), hint or f"Lyhennä tekstiä {over} merkillä."
    if rule == "pattern":
        return path, f"arvo \"{shown(value)}\" ei ole oikean muotoinen{_paren(label)}.", hint or "Tarkista arvon muoto."
    if rule == "enum":
        labels = sub.get("x-enum-labels", {})
        options = ", ".join(f"{o} ({labels[o]})" if o in labels else str(o) for o in arg)
        return path, f"arvo \"{shown(str(value))}\" ei ole sallittu.", hint or f"Valitse jokin näistä: {options}."
    if rule in ("minimum", "maximum"):
        bound = "vähintään" if rule == "minimum" else "enintään"
        return path, f"arvon pitää olla {bound} {arg}, nyt se on {value}.", hint or f"Kirjoita luku, joka on {bound} {arg}."
    if rule == "minItems":
        return path, f"listassa pitää olla vähintään {arg} arvo{'a' if arg != 1 else ''}.", (
            hint or "Lisää arvo omalle rivilleen viivan (-) perään.")
    if rule == "maxItems":
        return path, f"listassa saa olla enintään {arg} arvoa, nyt niitä on {len(value)}.", (
            hint or f"Poista {len(value) - arg} arvoa.")
    if rule == "uniqueItems":
        seen, dup = set(), None
        for item in value:
            key = json.dumps(item, sort_keys=True)
            if key in seen:
                dup = item
                break
            seen.add(key)
        return path, f"listassa on sama arvo kahdesti: \"{dup}\".", "Poista toinen niistä."
    return path, error.message, hint  # pragma: no cover - a rule the schemas do not use


_INVISIBLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def shown(value: str, limit: int = 60) -> str:
    """A value as a message quotes it: on one line, line breaks and control characters visible."""
    value = _INVISIBLE.sub(lambda m: {"\n": "\\n", "\t": "\\t", "\r": "\\r"}.get(
        m.group(), f"\\u{ord(m.group()):04x}"), value)
    return value if len(value) <= limit else value[: limit - 3] + "..."


def _paren(label: str) -> str:
    return f" ({label})" if label else ""


def check(data: Any, schema_dir: str, kind: str) -> Iterator[tuple[tuple, str, str]]:
    """Every schema problem of one record, as ``(path, message, hint)``."""
    try:
        fast_check(schema_dir, kind)(data)
        return
    except fastjsonschema.JsonSchemaValueException as exc:
        refused = exc  # invalid: let jsonschema find and explain every problem
    schema = load_schema(schema_dir, kind)
    errors = sorted(validator(schema_dir, kind).iter_errors(data),
                    key=lambda e: [str(p) for p in e.absolute_path])
    for error in errors:
        yield from explain(error, schema)
    if not errors:
        # The two engines disagree (a pattern both should read alike): the record is
        # still invalid, so nothing downstream ever sees a value one check refused.
        path = tuple(int(p) if p.isdigit() else p for p in (refused.path or [])[1:])
        yield path, f"arvo ei ole oikean muotoinen ({refused.rule}).", _subschema(schema, path).get(
            "x-hint", "Tarkista arvon muoto.")
