"""How kehto writes YAML records (new records, issue forms): the other half of :mod:`kehto.yamlio`.

A string that kehto's loader would not read back as the same string when written plain
(``no`` stays text for it, but "12" or "0E0" would not) is quoted.
"""

from __future__ import annotations

from typing import Any

import yaml

from .yamlio import plain


def dump(data: Any) -> str:
    """Serialise a record the way kehto writes files: UTF-8, block style, keys in order."""
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False,
                     default_flow_style=False, width=100)


class _Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):
    """Writes strings that YAML 1.1 readers would misread (``no``, dates) quoted."""


def _reads_back_as_text(value: str) -> bool:
    """Whether kehto's loader reads ``value`` written plain (unquoted) as this same string."""
    return isinstance(plain(value), str)


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    if "\n" in value:
        style = "|"
    elif not _reads_back_as_text(value):
        style = '"'  # e.g. "0E0" or "12": plain they would come back as numbers
    else:
        style = None  # PyYAML quotes what YAML 1.1 readers would misread ("no", dates)
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _represent_str)
