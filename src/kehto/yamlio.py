"""The one YAML loader of kehto.

Records are read with libyaml's parser (about 9x faster than the pure-Python one)
as a stream of events, and kehto builds the Python values from the events itself
rather than with PyYAML's YAML 1.1 constructor (no node graph: an anchor, an alias
or a deep nesting is refused before anything expands). That is a deliberate choice:

* scalars follow the YAML 1.2 core schema: ``no``, ``on`` and ``y`` stay strings,
  only ``true``/``false`` are booleans; ``2020-05-18`` stays the string it looks
  like (the schema checks dates), ``1e3`` is a float as in JSON;
* a mapping with the same key twice is an error, not a silent overwrite;
* every key and list item remembers its line and column, so a validation
  problem can point at the exact place in the file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

try:  # libyaml's parser ships in PyYAML's wheels; kehto reads only its event stream
    from yaml._yaml import CParser as _Loader
except ImportError:  # pragma: no cover - a PyYAML build without libyaml
    _Loader = yaml.SafeLoader


class _Retry(Exception):
    """Raised by the fast pass when an error message needs positions."""


Path = tuple  # a path into a record: ("contact", "email") or ("links", 0, "url")

# Records are a few levels deep; a bound keeps hostile input from exhausting the stack.
MAX_DEPTH = 100
TOO_DEEP = f"rakenne on liian syvä: yli {MAX_DEPTH} sisäkkäistä tasoa; tietue tarvitsee vain muutaman"
_STR = "tag:yaml.org,2002:str"
_NULL = re.compile(r"(?:~|null|Null|NULL|)")
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INT = re.compile(r"[-+]?[0-9]+")
_INT_OCT = re.compile(r"0o[0-7]+")
_INT_HEX = re.compile(r"0x[0-9a-fA-F]+")
_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?")
_FLOAT_SPECIAL = {
    ".inf": float("inf"), "+.inf": float("inf"), "-.inf": float("-inf"),
    ".Inf": float("inf"), "+.Inf": float("inf"), "-.Inf": float("-inf"),
    ".nan": float("nan"), ".NaN": float("nan"),
}


class YamlError(Exception):
    """A file that is not well-formed YAML (or that kehto refuses to read)."""

    def __init__(self, message: str, line: int = 1, column: int = 1):
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column


@dataclass
class Document:
    """A parsed YAML document: its data, and where each part of it stands.

    Positions are worked out only when asked for (a problem is being reported):
    a valid record, the common case, never pays for them.
    """

    data: Any
    text: str = ""
    positions: dict[Path, tuple[int, int]] | None = field(default=None, repr=False)

    def position(self, path: Path) -> tuple[int, int]:
        """Line and column (1-based) of ``path``, or of its nearest parent."""
        if self.positions is None:
            self.positions = {}
            _build(self.text, self.positions)
        path = tuple(path)
        while path:
            if path in self.positions:
                return self.positions[path]
            path = path[:-1]
        return self.positions.get((), (1, 1))


_MAYBE_NOT_TEXT = frozenset("0123456789+-.~nNtTfF")


def _scalar(event: yaml.ScalarEvent) -> Any:
    value = event.value
    if event.style:  # quoted or block scalars are always strings
        return value
    tag = event.tag
    if tag is None or tag == "!":
        if not value or value[0] in _MAYBE_NOT_TEXT:
            return plain(value)
        return value  # fast path: plain text that cannot be a number, boolean or null
    if tag != _STR:  # an explicit tag such as !!python/object
        raise YamlError(f"YAML-tagia {tag} ei tueta; poista se", *_pos(event))
    return plain(value)


def plain(value: str) -> Any:
    """A plain scalar read by the YAML 1.2 core schema."""
    if _NULL.fullmatch(value):
        return None
    if value in _BOOL:
        return _BOOL[value]
    if _INT.fullmatch(value):
        return int(value)
    if _INT_OCT.fullmatch(value):
        return int(value[2:], 8)
    if _INT_HEX.fullmatch(value):
        return int(value[2:], 16)
    if _FLOAT.fullmatch(value):
        return float(value)
    if value in _FLOAT_SPECIAL:
        return _FLOAT_SPECIAL[value]
    return value


def _pos(event: yaml.Event) -> tuple[int, int]:
    return event.start_mark.line + 1, event.start_mark.column + 1


def _events(text: str):
    """libyaml's event stream: kehto builds values from events, never from a node graph,
    so an anchor, an alias or a deep nesting is refused before anything is expanded."""
    parser = _Loader(text)
    try:
        while True:
            event = parser.get_event()
            yield event
            if isinstance(event, yaml.StreamEndEvent):
                return
    finally:
        parser.dispose()


def _refuse(event: yaml.Event, depth: int) -> None:
    if isinstance(event, yaml.AliasEvent):
        raise YamlError(f"YAML-viittausta (*{event.anchor}) ei sallita tietueessa; kirjoita arvo auki "
                        "viittauksen paikalle", *_pos(event))
    if event.anchor is not None:
        raise YamlError(f"YAML-ankkuria (&{event.anchor}) ei sallita tietueessa; poista merkintä "
                        f"&{event.anchor}", *_pos(event))
    if depth > MAX_DEPTH:
        raise YamlError(TOO_DEEP, *_pos(event))
    tag = event.tag
    if tag is not None and tag != "!" and isinstance(event, yaml.CollectionStartEvent) \
            and tag not in ("tag:yaml.org,2002:seq", "tag:yaml.org,2002:map"):
        raise YamlError(f"YAML-tagia {tag} ei tueta; poista se", *_pos(event))


class _Frame:
    """An open mapping or list while the events are read."""

    __slots__ = ("value", "path", "key", "key_event")

    def __init__(self, value, path):
        self.value = value
        self.path = path
        self.key = None  # in a mapping: the key whose value comes next
        self.key_event = None


def _build(text: str, positions: dict | None = None) -> Any:
    """The value of the one YAML document in ``text``; with ``positions``, also where each
    key and list item stands. Iterative: the depth of a file never reaches Python's stack."""
    stack: list[_Frame] = []
    root: Any = None
    documents = 0
    for event in _events(text):
        kind = type(event)
        if kind is yaml.DocumentStartEvent:
            documents += 1
            if documents > 1:
                raise YamlError("tiedostossa on useampi YAML-dokumentti (---); yhdessä tiedostossa on "
                                "yksi tietue", *_pos(event))
            continue
        if kind in (yaml.StreamStartEvent, yaml.DocumentEndEvent, yaml.StreamEndEvent):
            continue
        if kind in (yaml.MappingEndEvent, yaml.SequenceEndEvent):
            stack.pop()
            continue
        _refuse(event, len(stack) + (kind is not yaml.ScalarEvent))
        parent = stack[-1] if stack else None
        if parent is not None and isinstance(parent.value, dict) and parent.key is None:
            parent.key = _key(event, parent, positions)
            continue
        if kind is yaml.ScalarEvent:
            value = _scalar(event)
            frame = None
        else:
            value = {} if kind is yaml.MappingStartEvent else []
            frame = _Frame(value, ())
        if parent is None:
            root = value
            if positions is not None:
                positions[()] = _pos(event)
        elif isinstance(parent.value, list):
            path = parent.path + (len(parent.value),)
            if positions is not None:
                positions[path] = _pos(event)
            if frame is not None:
                frame.path = path
            parent.value.append(value)
        else:
            path = parent.path + (parent.key,)
            if frame is not None:
                frame.path = path
            parent.value[parent.key] = value
            parent.key = None
        if frame is not None:
            stack.append(frame)
    if documents == 0:
        return None
    return root


def _key(event: yaml.Event, parent: _Frame, positions: dict | None) -> str:
    if type(event) is not yaml.ScalarEvent:
        raise YamlError("kentän nimen pitää olla tekstiä", *_pos(event))
    key = event.value
    if event.tag == "tag:yaml.org,2002:merge" or (key == "<<" and not event.style):
        raise YamlError("YAML-yhdistämisavainta (<<) ei tueta", *_pos(event))
    if key in parent.value:
        if positions is None:  # the message names the first one: the careful pass raises it
            raise _Retry
        line, _ = positions[parent.path + (key,)]
        raise YamlError(f"kenttä \"{key}\" esiintyy kahdesti (ensimmäisen kerran rivillä {line})", *_pos(event))
    if positions is not None:
        positions[parent.path + (key,)] = _pos(event)
    return key


def parse(text: str) -> Document:
    """Parse one YAML document. Raises :class:`YamlError` with a position."""
    if text.startswith("\ufeff"):
        text = text[1:]
    try:
        try:
            data = _build(text)
        except _Retry:
            data = _build(text, {})  # raises the error, with the positions it names
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        lines = text.splitlines()
        if any(re.match(r" *\t", lines[n]) for n in (line - 1, line - 2) if 0 <= n < len(lines)):
            message = "YAML-virhe: sarkainmerkki (tab) ei kelpaa sisennykseksi; käytä välilyöntejä"
        else:
            message = _explain(exc)
        raise YamlError(message, line, column) from None
    except yaml.YAMLError as exc:  # pragma: no cover - libyaml marks its errors
        raise YamlError(f"YAML-virhe: {exc}") from None
    if data is None:
        raise YamlError("tiedosto on tyhjä")
    return Document(data, text)


def _explain(exc: yaml.MarkedYAMLError) -> str:
    """A Finnish explanation of libyaml's most common complaints."""
    problem = (exc.problem or str(exc)).strip()
    known = [
        ("found character '\\t'", "sarkainmerkki (tab) ei kelpaa sisennykseksi; käytä välilyöntejä"),
        ("found character that cannot start any token", "merkki, jolla YAML-arvo ei voi alkaa; laita teksti lainausmerkkeihin"),
        ("found unexpected end of stream", "tiedosto loppuu kesken; tarkista, että lainausmerkit on suljettu"),
        ("mapping values are not allowed here", "kaksoispiste keskellä arvoa; laita arvo lainausmerkkeihin"),
        ("could not find expected ':'", "rivillä pitäisi olla 'kenttä: arvo'; tarkista sisennys ja lainausmerkit"),
        ("found undefined alias", "viittaus (*) nimeen, jota ei ole määritelty"),
        ("did not find expected key", "sisennys ei täsmää edellisiin riveihin"),
        ("did not find expected '-' indicator", "listan sisennys ei täsmää; aloita jokainen kohta viivalla (-)"),
        ("found a tab character", "sarkainmerkki (tab) ei kelpaa sisennykseksi; käytä välilyöntejä"),
        ("expected a comment or a line break", "rivillä on ylimääräistä tekstiä arvon jälkeen; laita arvo lainausmerkkeihin"),
        ("control characters are not allowed", "tiedostossa on ohjausmerkki, jota YAML ei salli; poista se"),
        ("special characters are not allowed", "tiedostossa on erikoismerkki, jota YAML ei salli; poista se"),
        ("exceeded maximum nesting depth", TOO_DEEP),  # PyYAML 6.0.4's libyaml stops at 1 000 levels
    ]
    for needle, finnish in known:
        if needle in problem:
            return f"YAML-virhe: {finnish}"
    return f"YAML-virhe: {problem}"
