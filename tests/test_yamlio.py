"""The one YAML loader: deliberate scalar rules, positions, and errors as values."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kehto import yamlio


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
    assert yamlio.parse(yamlio.dump(record) if record else "{}").data == record
