"""Docs that stay honest: every command and schema field is documented in the README."""

from __future__ import annotations

import json

import pytest

from conftest import REPO
from kehto.cli import _parser

README = (REPO / "README.md").read_text(encoding="utf-8")


def test_readme_opens_with_the_two_commands():
    first_block = README.split("```sh", 1)[1].split("```", 1)[0]
    assert "make serve" in first_block and "make test" in first_block


def test_every_cli_command_is_documented():
    commands = _parser()._subparsers._group_actions[0].choices
    for name, sub in commands.items():
        assert f"kehto {name}" in README, name
        for action in sub._actions:
            for option in action.option_strings:
                if option.startswith("--") and option != "--help":
                    assert option in README, f"{name} {option}"


@pytest.mark.parametrize("kind", sorted(p.name.removesuffix(".schema.json") for p in (REPO / "schemas").glob("*.schema.json")))
def test_every_schema_field_is_documented(kind):
    schema = json.loads((REPO / "schemas" / f"{kind}.schema.json").read_text(encoding="utf-8"))

    def fields(node):
        for key, sub in node.get("properties", {}).items():
            yield key
            yield from fields(sub)
            yield from fields(sub.get("items", {}))

    for field in fields(schema):
        assert f"`{field}`" in README, f"{kind}: {field}"


def test_every_make_target_in_the_readme_exists():
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    for target in ("serve", "test", "build", "validate"):
        assert f"\n{target}:" in makefile and f"make {target}" in README


def test_ci_runs_make_test():
    assert "make test" in (REPO / ".ci" / "run").read_text(encoding="utf-8")
