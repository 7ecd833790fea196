"""Hostile and odd input on the checking paths: schema patterns read alike by every engine,
bad records and bad issues become messages (never an internal error), safe e-mail links."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from functools import lru_cache

import fastjsonschema
import pytest
import regress
from hypothesis import example, given, settings
from hypothesis import strategies as st

from conftest import EXAMPLES, REPO
from kehto import markup, schemas, validate, yamlio, yamlwrite
from kehto.cli import main
from kehto.kinds import KINDS
from kehto.load import Project


def _patterns(node):
    if isinstance(node, dict):
        if isinstance(node.get("pattern"), str):
            yield node["pattern"]
        for value in node.values():
            yield from _patterns(value)
    elif isinstance(node, list):
        for value in node:
            yield from _patterns(value)


PATTERNS = sorted({p for path in (REPO / "schemas").glob("*.schema.json")
                   for p in _patterns(json.loads(path.read_text(encoding="utf-8")))})
# Strings on which Python's re and ECMA regular expressions used to disagree.
TRICKY = ["2024-05-01\n", "x\n", "a-b\n", "٢٠٢٤-٠٥-٠١", "https://a.fi/\n", "https://a.fi/\u00a0x",
          "https://a.fi/\x85x", "https://a.fi/\x1cx", "https://a.fi/\ufeffx", "https://a.fi/\u2028x",
          "#kehto\n", "#ke\u00a0hto", "#ke\x1fhto", "a@x.fi\n", "a@x.fi?cc=b@y.fi&body=hei", "a.b@x.fi"]


@lru_cache(maxsize=None)
def _fast(pattern):
    return fastjsonschema.compile({"type": "string", "pattern": pattern})


def _verdicts(pattern: str, text: str) -> tuple[bool, bool, bool]:
    """ECMA (check-jsonschema's regress, and the browser form's RegExp "u"), jsonschema, fastjsonschema."""
    ecma = regress.Regex(pattern, flags="u").find(text) is not None
    python = re.search(pattern, text) is not None
    try:
        _fast(pattern)(text)
        fast = True
    except fastjsonschema.JsonSchemaValueException:
        fast = False
    return ecma, python, fast


@pytest.mark.parametrize("pattern", PATTERNS)
def test_every_pattern_reads_alike_on_the_tricky_strings(pattern):
    for text in TRICKY:
        assert len(set(_verdicts(pattern, text))) == 1, (pattern, text, _verdicts(pattern, text))


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(PATTERNS), st.sampled_from(TRICKY + ["x", "2024-05-01", "https://a.fi/", "#ab", "a@x.fi"]),
       st.text(max_size=4))
def test_every_pattern_reads_alike_on_any_text(pattern, base, extra):
    for text in (base + extra, extra + base, extra):
        assert len(set(_verdicts(pattern, text))) == 1, (pattern, text)


def test_check_jsonschema_and_kehto_agree_on_every_example_and_record():
    """check-jsonschema (ECMA rules) and kehto's schema check give the same verdict on every file."""
    for kind in KINDS:
        files = [p for p in sorted((EXAMPLES / kind.name).glob("*/*.yml")) if p.is_file()]
        files += [REPO / kind.file] if kind.file and (REPO / kind.file).exists() else []
        files += sorted((REPO / kind.folder).glob("*.yml")) if kind.folder else []
        readable = {}
        for path in files:
            try:
                readable[path] = yamlio.parse(path.read_text(encoding="utf-8-sig")).data
            except (yamlio.YamlError, UnicodeDecodeError):
                continue
        if not readable:
            continue
        ours = {path for path, data in readable.items()
                if list(schemas.check(data, str(REPO / "schemas"), kind.schema))}
        result = subprocess.run([sys.executable, "-m", "check_jsonschema", "--schemafile",
                                 str(REPO / "schemas" / f"{kind.schema}.schema.json"), "-o", "JSON",
                                 *map(str, readable)], capture_output=True, text=True)
        theirs = {str(e["filename"]) for e in json.loads(result.stdout)["errors"]}
        assert {str(p) for p in ours} == theirs, kind.name


def _invalid(name):
    return EXAMPLES / "practice" / "invalid" / f"{name}.yml"


def test_validate_reports_every_bad_file_and_still_checks_the_rest(registry_dir, capsys):
    """A date with a final newline passed jsonschema and then crashed the model: exit 3 for the whole registry."""
    for name in ("date-with-newline", "alias-bomb", "deep-nesting", "email-with-parameters"):
        (registry_dir / "practices" / f"{name}.yml").write_bytes(_invalid(name).read_bytes())
    (registry_dir / "practices/perehdytyskansio.yml").write_text("id: [\n", encoding="utf-8")
    assert main(["--root", str(registry_dir), "validate", "--format", "json"]) == 1
    problems = json.loads(capsys.readouterr().out)["problems"]
    where = {(p["path"], p["line"], p["column"]) for p in problems}
    assert ("practices/alias-bomb.yml", 3, 4) in where  # the first anchor (&a), line 3 after two comments
    assert any(p["path"] == "practices/date-with-newline.yml" and p["field"] == "published" for p in problems)
    assert any(p["path"] == "practices/perehdytyskansio.yml" for p in problems)
    assert {p["path"] for p in problems} >= {"practices/deep-nesting.yml", "practices/email-with-parameters.yml"}
    registry, _ = validate.build(Project(registry_dir))
    assert set(registry.practices) == {"jaksamisen-tuki", "mentorointi-uusille"}


def test_a_value_one_schema_engine_refuses_is_never_valid(tmp_path):
    """If jsonschema and fastjsonschema ever read a pattern differently, the record is still refused."""
    (tmp_path / "thing.schema.json").write_text(json.dumps(
        {"type": "object", "properties": {"code": {"type": "string", "pattern": "^x$", "x-hint": "Kirjoita x."}}}))
    assert list(schemas.check({"code": "x"}, str(tmp_path), "thing")) == []
    assert list(schemas.check({"code": "x\n"}, str(tmp_path), "thing")) == [
        (("code",), "arvo ei ole oikean muotoinen (pattern).", "Kirjoita x.")]


def test_a_record_the_model_cannot_hold_is_a_problem_not_a_crash(registry_dir, monkeypatch):
    import dataclasses

    from kehto import kinds

    practice = kinds.kind("practice")

    def fragile(data, display):
        if data["id"] == "perehdytyskansio":
            raise ValueError("Invalid isoformat string")
        return practice.build(data, display)

    monkeypatch.setattr(kinds, "KINDS", tuple(dataclasses.replace(k, build=fragile) if k is practice else k
                                              for k in kinds.KINDS))
    registry, report = validate.build(Project(registry_dir))
    assert [(p.path, p.severity) for p in report.errors] == [("practices/perehdytyskansio.yml", "error")]
    assert "ilmoita" in report.errors[0].hint and set(registry.practices) == {"jaksamisen-tuki", "mentorointi-uusille"}


@pytest.mark.parametrize("body, expected", [
    ("### Tuntematon\n\nkohta\n\n### Toinen\n\nkohta\n".encode(), "yksikään ei ole lomakkeen kohta"),
    (b"### Otsikko\n\nHyv\xe4 k\xe4yt\xe4nt\xf6\n", "ei ole UTF-8-merkistössä (rivi 3)"),
    (b"### Otsikko\n\n" + b"x" * 1_000_001, "liian pitkä"),
    (b"\n\n", "ei ole lomakkeen kohtia"),
])
def test_a_broken_issue_gets_a_comment_and_exit_1(registry_dir, tmp_path, capsys, body, expected):
    """Unknown sections gave KeyError 'id', a Latin-1 body UnicodeDecodeError: exit 3, no comment."""
    path = tmp_path / "issue.md"
    path.write_bytes(body)
    comment = tmp_path / "comment.md"
    assert main(["--root", str(registry_dir), "from-issue", str(path), "--comment", str(comment)]) == 1
    assert expected in comment.read_text(encoding="utf-8")
    assert expected in capsys.readouterr().err


def test_mailto_links_carry_one_address_and_nothing_else():
    assert markup.mailto("maija.meikalainen+kehto@esimerkki.fi") == "mailto:maija.meikalainen+kehto@esimerkki.fi"
    link = markup.mailto('a@x.fi?cc=b@y.fi&body=Hei"><script>')
    assert not set("?&=\"<> ") & set(link.removeprefix("mailto:"))


@pytest.mark.parametrize("address, valid", [
    ("maija.meikalainen@esimerkki.fi", True), ("maija+kehto@kunta.example.fi", True),
    ("a@x.fi?cc=b@y.fi", False), ("a@x.fi&body=x", False), ("a=b@x.fi", False), ("a@x", False),
    ("a b@x.fi", False), ("a@x.fi\n", False), ("<a@x.fi>", False), ("a@x.fi%0Acc:b@y.fi", False),
])
def test_contact_email_is_one_plain_address(address, valid):
    record = yamlio.parse((EXAMPLES / "practice/valid/minimal-practice.yml").read_text(encoding="utf-8")).data
    record["contact"] = {"name": "Maija Meikäläinen", "email": address}
    problems = [path for path, _, _ in schemas.check(record, str(REPO / "schemas"), "practice")]
    assert (("contact", "email") not in problems) is valid


HOSTILE = ["[Klikkaa tästä](https://evil.example/phish)", "![x](https://evil.example/x.png)", "@octocat",
           "https://evil.example", '<a href="https://evil.example/a">klikkaa</a>', "www.evil.example",
           "evil@evil.example", "``` `[x](https://evil.example/c)` ```", "*tärkeä* _tiedote_ $x$"]


def _render(markdown_text: str) -> str:
    """The comment as GitHub shows it: CommonMark with GFM tables, strikethrough and bare-link autolinks."""
    from markdown_it import MarkdownIt

    return MarkdownIt("gfm-like", {"linkify": True}).render(markdown_text)


def test_the_bot_comment_never_renders_issue_text_as_links_images_or_mentions(registry_dir, tmp_path):
    keys = "\n".join(f"{json.dumps(text)}: 1" for text in HOSTILE)
    body = tmp_path / "issue.md"
    body.write_text(
        "Uusi kehittämisteko lomakkeelta.\n\n```yaml\n"
        f"id: {json.dumps(HOSTILE[0])}\ntitle: {json.dumps(HOSTILE[4])}\norganisation: {json.dumps(HOSTILE[2])}\n"
        f"summary: Lyhyt\nsectors: {json.dumps(HOSTILE[:3])}\nthemes: [{json.dumps(HOSTILE[5])}]\n"
        f"published: {json.dumps(HOSTILE[1])}\nactions: {json.dumps(HOSTILE[3])}\n"
        f"contact: {{name: x, email: {json.dumps(HOSTILE[6])}}}\nlinks: [{{title: {json.dumps(HOSTILE[8])}, "
        f"url: {json.dumps(HOSTILE[7])}}}]\n{keys}\n```\n", encoding="utf-8")
    comment = tmp_path / "comment.md"
    assert main(["--root", str(registry_dir), "from-issue", str(body), "--comment", str(comment)]) == 1
    text = comment.read_text(encoding="utf-8")
    assert text.count("\n- ") >= 10  # the values were echoed, as code
    html = _render(text)
    assert "<a" not in html and "<img" not in html and "<em>" not in html and "<h" not in html
    outside_code = re.sub(r"<code>.*?</code>", "", html, flags=re.S)
    assert "@" not in outside_code and "evil.example" not in outside_code and "$" not in outside_code


@given(st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=60)
       | st.sampled_from(HOSTILE))
@example('"@`')  # a quote in the value split it into code spans side by side, which merged
def test_any_quoted_value_renders_as_plain_code(value):
    from kehto.mdliteral import quote_user_text

    html = _render(f"- x: {quote_user_text(f'arvo {json.dumps(value, ensure_ascii=False)} ja {value} ei kelpaa.')}")
    assert "<a" not in html and "<img" not in html and "<em" not in html and "<strong" not in html
    assert "@" not in re.sub(r"<code>.*?</code>", "", html, flags=re.S)


_JSONISH = st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
                        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner,
                                                                                     max_size=3), max_leaves=6)
_ODD_STRINGS = st.sampled_from(["2024-05-01\n", "٢٠٢٤-٠٥-٠١", "2024-02-30", "x\n", "", " ", "\u2028",
                                "https://a.fi/\n", "a@x.fi\n"])


@settings(max_examples=25, deadline=None)
@given(st.data())
def test_the_model_only_ever_sees_what_the_checks_accepted(registry_once, data):
    """Any value in any field of a practice: validation reports it or the model holds it; the
    safety net for model failures (a kehto bug) is never what catches it."""
    record = yamlio.parse((EXAMPLES / "practice/valid/minimal-practice.yml").read_text(encoding="utf-8")).data
    schema = schemas.load_schema(str(REPO / "schemas"), "practice")
    for key in data.draw(st.lists(st.sampled_from(sorted(schema["properties"])), min_size=1, max_size=3)):
        record[key] = data.draw(st.one_of(_ODD_STRINGS, _JSONISH,
                                          _ODD_STRINGS.map(lambda s, k=key: f"{record.get(k, '')}{s}")))
    path = registry_once / "practices/minimal-practice.yml"
    path.write_text(yamlwrite.dump(record), encoding="utf-8")
    _, report = validate.build(Project(registry_once), finnish_titles=False)
    assert not [p for p in report.problems if "tietuetta ei voitu käsitellä" in p.message]


@pytest.fixture(scope="module")
def registry_once(tmp_path_factory):
    from conftest import make_registry

    return make_registry(tmp_path_factory.mktemp("model") / "registry")
