"""The issue → pull request path keeps every byte: fences by CommonMark's rules, ids up to the
schema's length, and a new organisation sent with the web form's issue."""

from __future__ import annotations


from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import REPO
from kehto import issueform, markup, schemas, validate, yamlio, yamlwrite
from kehto.cli import main
from kehto.load import Project
from test_submission import VALID_ISSUE

MINIMAL = (REPO / "tests/examples/practice/valid/minimal-practice.yml").read_text(encoding="utf-8")


def fenced(text: str, info: str = "yaml") -> str:
    """What kehto-form.js's fenced() writes: a fence longer than any backtick run in the text."""
    longest = max((len(run) for run in __import__("re").findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}{info}\n{text if text.endswith(chr(10)) else text + chr(10)}{fence}\n"


def test_the_web_form_writes_the_same_fence():
    # The practice and correction forms build the issue body in kehto-outputs.js, with kehto-form.js' fenced().
    scripts = {name: (REPO / "content/assets" / name).read_text(encoding="utf-8")
               for name in ("kehto-form.js", "kehto-practice.js", "kehto-outputs.js", "kehto-adopt.js")}
    assert "function fenced(" in scripts["kehto-form.js"]
    assert "fenced(issueText, \"yaml\")" in scripts["kehto-outputs.js"]
    assert "fenced(text(data), \"yaml\")" in scripts["kehto-adopt.js"]
    assert not any("```yaml" in source for source in scripts.values())


def test_backticks_in_a_field_do_not_cut_the_block(registry_dir, tmp_path, capsys):
    """A field with ``` cut the block at the first backticks: the record lost every later field."""
    record = yamlio.parse(MINIMAL).data
    record["actions"] = "Koodi:\n```\nprint('hei')\n```\nja ~~~ sekä ```` loppuun."
    text = "# yaml-language-server: $schema=../schemas/practice.schema.json\n" + yamlwrite.dump(record)
    body = tmp_path / "issue.md"
    body.write_text(f"Uusi kehittämisteko lomakkeelta.\n\n{fenced(text)}\nLoppu.\n", encoding="utf-8")
    assert main(["--root", str(registry_dir), "from-issue", str(body)]) == 0
    assert yamlio.parse(capsys.readouterr().out).data == record


@settings(max_examples=80, deadline=None)
@given(st.text(st.sampled_from("`~ \nab:-#|>\"'"), max_size=40), st.sampled_from(["```", "~~~", "````", "~~~~~"]))
def test_a_fenced_block_is_read_by_commonmark_rules(value, opening):
    text = yamlwrite.dump({"id": "x", "actions": value})
    block = issueform.yaml_block(f"Johdanto\n\n{fenced(text)}\n```\nmuuta\n```\n")
    assert yamlio.parse(block).data == {"id": "x", "actions": value}
    # a closing fence must be of the same character and at least as long as the opening one
    shorter, other = opening[0] * (len(opening) - 1), "~~~~~" if opening[0] == "`" else "`````"
    body = f"{opening}yaml\nid: y\n{shorter}\n{other}\na: 1\n{opening}{opening[0]}\nb: 2\n"
    assert issueform.yaml_block(body) == f"id: y\n{shorter}\n{other}\na: 1\n"


def test_ids_up_to_the_schemas_length_pass_from_issue_and_new(registry_dir, tmp_path):
    """Ids of 61–80 characters are valid, but from-issue and new cut them to 60: 'ei vastaa tiedoston nimeä'."""
    limit = schemas.id_max_length(schemas.load_schema(str(REPO / "schemas"), "practice"))
    assert limit == 80
    long_id = "yhteinen-aloituspaiva-kesatyontekijoille-ja-vertaisparit-kaikissa-yksikoissa"
    assert 60 < len(long_id) <= limit
    body = tmp_path / "issue.md"
    body.write_text(VALID_ISSUE.replace("### Tunniste\n\n_No response_", f"### Tunniste\n\n{long_id}"), encoding="utf-8")
    assert main(["--root", str(registry_dir), "from-issue", str(body), "--write"]) == 0
    assert main(["--root", str(registry_dir), "validate", str(registry_dir / f"practices/{long_id}.yml")]) == 0
    title = "Yhteinen aloituspäivä kesätyöntekijöille ja vertaisparit kaikissa yksiköissä"
    assert markup.propose_id(title, limit) == long_id  # proposed ids also reach the schema's length
    assert main(["--root", str(registry_dir), "new", "--title", title + " uusi", "--summary",
                 "Kesätyöntekijät aloittavat yhdessä ja saavat vertaisparin ensimmäiseksi viikoksi.",
                 "--organisation", "testikunta", "--sector", "koko-kunta", "--theme", "perehdytys",
                 "--published", "2024-05-01", "--actions", "Aloituspäivä ja vertaisparit kaikissa yksiköissä.",
                 "--id", long_id[:-3] + "-uusi"]) == 0


def test_the_forms_id_limits_are_the_schemas():
    """kehto-form.js proposes organisation ids with the practice id's limit, kehto-adopt.js with 80."""
    limits = {kind: schemas.id_max_length(schemas.load_schema(str(REPO / "schemas"), kind))
              for kind in ("practice", "organisation", "adoption")}
    assert limits["organisation"] == limits["practice"] and limits["adoption"] == 80


NEW_ORG = {"id": "uusikyla", "name": "Uusikylän kunta", "type": "kunta", "region": "uusimaa"}


def _web_form_issue(practice: dict, organisation: dict | None) -> str:
    text = "# yaml-language-server: $schema=../schemas/practice.schema.json\n" + yamlwrite.dump(practice)
    if organisation:
        text += (f"\n# --- data/organisations/{organisation['id']}.yml\n"
                 "# yaml-language-server: $schema=../../schemas/organisation.schema.json\n" + yamlwrite.dump(organisation))
    return f"Uusi kehittämisteko lomakkeelta.\n\n{fenced(text)}"


def test_a_new_organisation_from_the_web_form_is_written_with_the_practice(registry_dir, tmp_path):
    """The organisation after '# ---' was dropped: the bot said it is not in the registry."""
    practice = dict(yamlio.parse(MINIMAL).data, organisation="uusikyla")
    body = tmp_path / "issue.md"
    body.write_text(_web_form_issue(practice, NEW_ORG), encoding="utf-8")
    comment = tmp_path / "comment.md"
    assert main(["--root", str(registry_dir), "from-issue", str(body), "--write", "--comment", str(comment)]) == 0
    assert "`data/organisations/uusikyla.yml`" in comment.read_text(encoding="utf-8")
    registry, report = validate.build(Project(registry_dir))
    assert report.ok and registry.practices[practice["id"]].organisation == "uusikyla"
    assert registry.organisations["uusikyla"].name == "Uusikylän kunta"


def test_a_broken_new_organisation_is_named_and_nothing_is_written(registry_dir, tmp_path):
    practice = dict(yamlio.parse(MINIMAL).data, organisation="uusikyla")
    body = tmp_path / "issue.md"
    body.write_text(_web_form_issue(practice, dict(NEW_ORG, region="atlantis")), encoding="utf-8")
    comment = tmp_path / "comment.md"
    assert main(["--root", str(registry_dir), "from-issue", str(body), "--write", "--comment", str(comment)]) == 1
    assert "Uusi organisaatio" in comment.read_text(encoding="utf-8")
    assert not (registry_dir / "data/organisations/uusikyla.yml").exists()
    assert not (registry_dir / f"practices/{practice['id']}.yml").exists()


def test_an_unknown_organisation_in_the_issue_form_gets_told_how_to_add_one(registry_dir, tmp_path):
    body = tmp_path / "issue.md"
    body.write_text(VALID_ISSUE.replace("Esimerkkikaupunki", "Uusikylän kunta"), encoding="utf-8")
    comment = tmp_path / "comment.md"
    assert main(["--root", str(registry_dir), "from-issue", str(body), "--comment", str(comment)]) == 1
    text = comment.read_text(encoding="utf-8")
    assert "ei ole rekisterissä" in text or "ei ole" in text
    assert "Uusi organisaatio" in text and "data/organisations/" in text
