"""The one YAML loader of kehto.

Records are parsed with libyaml (``yaml.CSafeLoader``, about 9x faster than the
pure-Python loader) into a node tree, and the nodes are turned into Python values
here rather than by PyYAML's YAML 1.1 constructor. That is a deliberate choice:

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

try:  # libyaml is bundled with PyYAML's wheels; fall back only if it is missing.
    _Loader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on the PyYAML build
    _Loader = yaml.SafeLoader

Path = tuple  # a path into a record: ("contact", "email") or ("links", 0, "url")

_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INT = re.compile(r"^[-+]?[0-9]+$")
_INT_OCT = re.compile(r"^0o[0-7]+$")
_INT_HEX = re.compile(r"^0x[0-9a-fA-F]+$")
_FLOAT = re.compile(r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$")
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
    """A parsed YAML document: its data and where each part of it stands."""

    data: Any
    positions: dict[Path, tuple[int, int]] = field(default_factory=dict)

    def position(self, path: Path) -> tuple[int, int]:
        """Line and column (1-based) of ``path``, or of its nearest parent."""
        path = tuple(path)
        while path:
            if path in self.positions:
                return self.positions[path]
            path = path[:-1]
        return self.positions.get((), (1, 1))


def _scalar(node: yaml.ScalarNode) -> Any:
    value = node.value
    if node.style:  # quoted or block scalars are always strings
        return value
    if node.tag not in ("tag:yaml.org,2002:str", "tag:yaml.org,2002:null",
                        "tag:yaml.org,2002:bool", "tag:yaml.org,2002:int",
                        "tag:yaml.org,2002:float", "tag:yaml.org,2002:timestamp"):
        if node.tag.startswith("tag:yaml.org,2002:"):
            return value
        raise YamlError(f"tuntematon YAML-tagi {node.tag}", *_pos(node))
    if _NULL.match(value):
        return None
    if value in _BOOL:
        return _BOOL[value]
    if _INT.match(value):
        return int(value)
    if _INT_OCT.match(value):
        return int(value[2:], 8)
    if _INT_HEX.match(value):
        return int(value[2:], 16)
    if _FLOAT.match(value):
        return float(value)
    if value in _FLOAT_SPECIAL:
        return _FLOAT_SPECIAL[value]
    return value


def _pos(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _construct(node: yaml.Node, path: Path, positions: dict) -> Any:
    if isinstance(node, yaml.ScalarNode):
        return _scalar(node)
    if isinstance(node, yaml.SequenceNode):
        items = []
        for index, child in enumerate(node.value):
            positions[path + (index,)] = _pos(child)
            items.append(_construct(child, path + (index,), positions))
        return items
    if isinstance(node, yaml.MappingNode):
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise YamlError("YAML-yhdistämisavainta (<<) ei tueta", *_pos(key_node))
            if not isinstance(key_node, yaml.ScalarNode):
                raise YamlError("kentän nimen pitää olla tekstiä", *_pos(key_node))
            key = key_node.value
            if key in result:
                line, column = positions[path + (key,)]
                raise YamlError(
                    f"kenttä \"{key}\" esiintyy kahdesti (ensimmäisen kerran rivillä {line})",
                    *_pos(key_node),
                )
            positions[path + (key,)] = _pos(key_node)
            result[key] = _construct(value_node, path + (key,), positions)
        return result
    raise YamlError("tuntematon YAML-rakenne", *_pos(node))  # pragma: no cover


def parse(text: str) -> Document:
    """Parse one YAML document. Raises :class:`YamlError` with a position."""
    if text.startswith("\ufeff"):
        text = text[1:]
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        lines = text.splitlines()
        if any(re.match(r"^ *\t", lines[n]) for n in (line - 1, line - 2) if 0 <= n < len(lines)):
            message = "YAML-virhe: sarkainmerkki (tab) ei kelpaa sisennykseksi; käytä välilyöntejä"
        else:
            message = _explain(exc)
        raise YamlError(message, line, column) from None
    except yaml.YAMLError as exc:  # e.g. several documents in one file
        raise YamlError(f"YAML-virhe: {exc}") from None
    if node is None or (isinstance(node, yaml.ScalarNode) and not node.style and _NULL.match(node.value)):
        raise YamlError("tiedosto on tyhjä")
    positions: dict[Path, tuple[int, int]] = {(): _pos(node)}
    return Document(_construct(node, (), positions), positions)


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
    ]
    for needle, finnish in known:
        if needle in problem:
            return f"YAML-virhe: {finnish}"
    return f"YAML-virhe: {problem}"


def dump(data: Any) -> str:
    """Serialise a record the way kehto writes files: UTF-8, block style, keys in order."""
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False,
                     default_flow_style=False, width=100)


class _Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):
    """Writes strings that YAML 1.1 readers would misread (``no``, dates) quoted."""


def _reads_back_as_text(value: str) -> bool:
    """Whether kehto's loader reads ``value`` written plain (unquoted) as this same string."""
    return not (_NULL.match(value) or value in _BOOL or _INT.match(value) or _INT_OCT.match(value)
                or _INT_HEX.match(value) or _FLOAT.match(value) or value in _FLOAT_SPECIAL)


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    if "\n" in value:
        style = "|"
    elif not _reads_back_as_text(value):
        style = '"'  # e.g. "0E0" or "12": plain they would come back as numbers
    else:
        style = None  # PyYAML quotes what YAML 1.1 readers would misread ("no", dates)
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _represent_str)
