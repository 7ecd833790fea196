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

_DEFAULT_TAGS = {yaml.ScalarNode: "tag:yaml.org,2002:str", yaml.SequenceNode: "tag:yaml.org,2002:seq",
                 yaml.MappingNode: "tag:yaml.org,2002:map"}

try:  # libyaml's parser and composer ship in PyYAML's wheels
    from yaml._yaml import CParser as _Parser
except ImportError:  # pragma: no cover - a PyYAML build without libyaml
    _Parser = None


class _NoImplicitTags:
    """kehto resolves plain scalars itself (:func:`_scalar`), so every untagged node
    keeps its default tag; this skips PyYAML's YAML 1.1 resolution, a Python call
    per node whose answer kehto would ignore."""

    def resolve(self, kind, value, implicit):
        return _DEFAULT_TAGS[kind]


if _Parser is not None:
    class _Loader(_NoImplicitTags, _Parser, yaml.resolver.BaseResolver):
        def __init__(self, stream):
            _Parser.__init__(self, stream)
            yaml.resolver.BaseResolver.__init__(self)
else:  # pragma: no cover
    class _Loader(_NoImplicitTags, yaml.SafeLoader):
        pass

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
            node = yaml.compose(self.text, Loader=_Loader)
            self.positions[()] = _pos(node)
            _construct(node, (), self.positions)
        path = tuple(path)
        while path:
            if path in self.positions:
                return self.positions[path]
            path = path[:-1]
        return self.positions.get((), (1, 1))


_MAYBE_NOT_TEXT = frozenset("0123456789+-.~nNtTfF")


def _scalar(node: yaml.ScalarNode) -> Any:
    value = node.value
    if node.style:  # quoted or block scalars are always strings
        return value
    if value and value[0] not in _MAYBE_NOT_TEXT and node.tag == "tag:yaml.org,2002:str":
        return value  # fast path: plain text that cannot be a number, boolean or null
    if node.tag != "tag:yaml.org,2002:str":  # an explicit tag such as !!python/object
        raise YamlError(f"YAML-tagia {node.tag} ei tueta; poista se", *_pos(node))
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
            if key_node.tag == "tag:yaml.org,2002:merge" or (key_node.value == "<<" and not key_node.style):
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


def _value(node: yaml.Node) -> Any:
    """Values only, without positions: the fast path for every record."""
    if isinstance(node, yaml.ScalarNode):
        return _scalar(node)
    if isinstance(node, yaml.MappingNode):
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.value in result \
                    or (key_node.value == "<<" and not key_node.style):
                _construct(node, (), {})  # the careful path raises the right error
            result[key_node.value] = _value(value_node)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_value(child) for child in node.value]
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
    return Document(_value(node), text)


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
