"""The one YAML loader: deliberate scalar rules, positions, and errors as values."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kehto import yamlio, yamlwrite


def test_yaml_1_1_surprises_stay_text():
    doc = yamlio.parse("a: no\nb: on\nc: yes\nd: 2020-05-18\ne: y\nf: off\n")
    assert doc.data == {"a": "no", "b": "on", "c": "yes", "d": "2020-05-18", "e": "y", "f": "off"}


def test_json_like_scalars():
    doc = yamlio.parse("a: true\nb: false\nc: 12\nd: 1e3\ne: null\nf: ~\ng:\nh: '12'\ni: 0x1F\n")
    assert doc.data == {"a": True, "b": False, "c": 12, "d": 1000.0, "e": None, "f": None, "g": None,
                        "h": "12", "i": 31}


def test_positions_of_keys_and_items():
    doc = yamlio.parse("# comment\nid: x\nthemes:\n  - a\n  - b\n")
    assert doc.position(("id",)) == (2, 1)
    assert doc.position(("themes", 1)) == (5, 5)
    assert doc.position(("themes", 7)) == (3, 1)  # falls back to the nearest parent


def test_duplicate_key_is_an_error_with_both_lines():
    with pytest.raises(yamlio.YamlError) as error:
        yamlio.parse("id: a\ntitle: x\ntitle: y\n")
    assert error.value.line == 3
    assert "rivillä 2" in error.value.message


def test_tab_indentation_is_explained():
    with pytest.raises(yamlio.YamlError) as error:
        yamlio.parse("contact:\n\tname: x\n")
    assert "sarkainmerkki" in error.value.message


def test_bom_and_crlf_are_accepted():
    doc = yamlio.parse("\ufeffid: a\r\ntitle: b\r\n")
    assert doc.data == {"id": "a", "title": "b"}


@pytest.mark.parametrize("text", ["", "# only a comment\n", "---\n"])
def test_empty_document(text):
    with pytest.raises(yamlio.YamlError) as error:
        yamlio.parse(text)
    assert "tyhjä" in error.value.message


def test_merge_keys_are_refused():
    with pytest.raises(yamlio.YamlError):
        yamlio.parse("base: &b {a: 1}\nother:\n  <<: *b\n")


_text = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=80)
_records = st.dictionaries(
    st.text(st.characters(min_codepoint=97, max_codepoint=122), min_size=1, max_size=10),
    st.one_of(_text, st.lists(_text, max_size=4), st.integers(-10**6, 10**6), st.booleans(), st.none()),
    max_size=6,
)


@settings(max_examples=150, deadline=None)
@given(_records)
def test_dump_then_parse_gives_the_same_record(record):
    assert yamlio.parse(yamlwrite.dump(record) if record else "{}").data == record


def alias_bomb(levels: int) -> str:
    """The "billion laughs" document: each level lists the previous one nine times."""
    lines = ['a: &a ["x", "x", "x", "x", "x", "x", "x", "x", "x"]']
    for previous, name in zip("abcdefghijklmnop", "bcdefghijklmnop"[: levels - 1]):
        lines.append(f"{name}: &{name} [{', '.join([f'*{previous}'] * 9)}]")
    return "\n".join(lines) + "\n"


def test_alias_bomb_is_refused_at_the_first_anchor():
    with pytest.raises(yamlio.YamlError) as error:
        yamlio.parse(alias_bomb(9))
    assert (error.value.line, error.value.column) == (1, 4)
    assert "&a" in error.value.message and "ei sallita" in error.value.message


@pytest.mark.parametrize("text, where, shown", [
    ("id: x\ntitle: &t Otsikko\n", (2, 8), "&t"),
    ("id: x\nthemes:\n  - a\n  - *b\n", (4, 5), "*b"),
    ("id: x\nlinks: &l\n  - url: x\n", (2, 8), "&l"),
])
def test_anchors_and_aliases_are_refused_with_their_place(text, where, shown):
    with pytest.raises(yamlio.YamlError) as error:
        yamlio.parse(text)
    assert (error.value.line, error.value.column) == where
    assert shown in error.value.message


@pytest.mark.parametrize("text", [
    "[" * (yamlio.MAX_DEPTH + 1) + "]" * (yamlio.MAX_DEPTH + 1),
    "[" * 5_000 + "]" * 5_000,  # raised RecursionError
    "[" * 200_000 + "]" * 200_000,  # crashed libyaml's composer (SIGSEGV)
    "a:\n" + "".join(" " * i + "- \n" for i in range(1, 150)),  # block style
])
def test_deep_nesting_is_refused_not_a_crash(text):
    with pytest.raises(yamlio.YamlError) as error:
        yamlio.parse(text)
    assert "liian syvä" in error.value.message


def test_nesting_up_to_the_bound_is_read():
    depth = yamlio.MAX_DEPTH
    assert yamlio.parse("[" * depth + "1" + "]" * depth).data is not None


def test_tags_on_collections_and_several_documents_are_explained():
    with pytest.raises(yamlio.YamlError) as error:
        yamlio.parse("a: !!python/object:os.system {}\n")
    assert "tagia" in error.value.message
    with pytest.raises(yamlio.YamlError) as error:
        yamlio.parse("a: 1\n---\nb: 2\n")
    assert error.value.line == 2 and "useampi" in error.value.message
