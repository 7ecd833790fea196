"""Example corpora: every valid example passes, every invalid one gives its messages.

Each invalid example names what it must produce in ``# odotus: field: text``
lines at its top; the text must appear in a problem reported for that field.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from conftest import EXAMPLES
from kehto import report, validate
from kehto.kinds import KINDS as ALL_KINDS
from kehto.load import Project

KIND = {kind.name: kind for kind in ALL_KINDS}

# Every record kind with examples: tests/examples/<kind>/{valid,invalid}/
KINDS = sorted(k for k in KIND if (EXAMPLES / k).is_dir())


def _examples(kind: str, validity: str) -> list[Path]:
    return sorted((EXAMPLES / kind / validity).glob("*.yml"))


def _all(validity: str) -> list[Path]:
    return [example for kind in KINDS for example in _examples(kind, validity)]


def _target(kind: str, name: str) -> str:
    """Where an example of ``kind`` goes in a registry (a single-file kind replaces its file)."""
    return KIND[kind].file or f"{KIND[kind].folder}/{name}"


def _expectations(path: Path) -> list[tuple[str, str]]:
    found = []
    for line in path.read_text(encoding="utf-8").splitlines():
        match = re.match(r"# odotus: (\S+): (.+)$", line)
        if match:
            found.append((match.group(1), match.group(2)))
    return found


def _copy(registry_dir: Path, kind: str, example: Path) -> str:
    display = _target(kind, example.name)
    (registry_dir / display).parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(example, registry_dir / display)
    return display


def _check(registry_dir: Path, kind: str, example: Path) -> tuple[str, report.Report]:
    display = _copy(registry_dir, kind, example)
    _, result = validate.build(Project(registry_dir))
    return display, result.only({display})


def test_every_record_kind_has_examples():
    assert set(KINDS) == set(KIND) - {"sectors", "themes", "regions"}
    for kind in KINDS:
        assert _examples(kind, "valid") and _examples(kind, "invalid"), kind


def test_valid_examples_pass_together(registry_dir):
    """All valid examples in one registry: they may refer to each other, as real records do."""
    displays = {_copy(registry_dir, example.parent.parent.name, example) for example in _all("valid")}
    _, result = validate.build(Project(registry_dir))
    assert result.problems == [], report.format_text(result)
    assert len(displays) == len(_all("valid"))


@pytest.mark.parametrize("example", _all("invalid"), ids=lambda p: f"{p.parent.parent.name}/{p.name}")
def test_invalid_example_gives_its_messages(registry_dir, example):
    kind = example.parent.parent.name
    expectations = _expectations(example)
    assert expectations, f"{example.name} names no expected message"
    display, result = _check(registry_dir, kind, example)
    assert not result.ok
    for field, text in expectations:
        matching = [p for p in result.errors if p.field == ("" if field == "-" else field)]
        assert any(text in p.message or text in p.hint for p in matching), (
            f"{example.name}: expected {field}: {text!r}\ngot:\n{report.format_text(result)}")
    for problem in result.problems:
        assert problem.path == display
        assert problem.line >= 1 and problem.column >= 1
        assert problem.hint, f"{example.name}: no hint for {problem}"


def test_invalid_examples_point_at_the_right_line(registry_dir):
    display, result = _check(registry_dir, "practice", EXAMPLES / "practice/invalid/short-summary.yml")
    (problem,) = result.errors
    assert (problem.line, problem.column) == (4, 1)  # the "summary:" line, after the comment line
    display, result = _check(registry_dir, "practice", EXAMPLES / "practice/invalid/unknown-references.yml")
    lines = {p.field: p.line for p in result.errors}
    assert lines == {"organisation": 8, "sectors[1]": 9, "themes[2]": 10}


def test_every_invalid_example_is_pinned():
    """No example without expectations sneaks in."""
    for example in _all("invalid"):
        assert _expectations(example), example
