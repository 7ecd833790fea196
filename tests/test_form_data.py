"""The files the submission forms fetch, the form spec's rules, and the received date (submitted)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from conftest import REPO, build_site
from kehto import days, form_data, forms, schemas, validate, yamlio
from kehto.cli import main
from kehto.load import Project


def _registry(root):
    registry, report = validate.build(Project(root))
    assert report.ok
    return registry


def _schema():
    return schemas.load_schema(str(REPO / "schemas"), "practice")


def test_each_record_file_is_the_practice_as_its_yaml_holds_it(registry_dir):
    registry = _registry(registry_dir)
    order = list(_schema()["properties"])
    files = form_data.lookup_files(registry, order)
    for path in sorted((registry_dir / "practices").glob("*.yml")):
        data = yamlio.parse(path.read_text(encoding="utf-8")).data
        record = json.loads(files[f"lisaa/haku/tietueet/{data['id']}.json"])
        assert record == data
        assert list(record) == [key for key in order if key in data]  # the file's key order


def test_organisations_by_letter_and_titles_by_three_letters(registry_dir):
    registry = _registry(registry_dir)
    files = form_data.lookup_files(registry, list(_schema()["properties"]))
    shards = {path: json.loads(text) for path, text in files.items() if "/tietueet/" not in path}
    everyone = [pair for path, items in shards.items() if "/organisaatiot/" in path for pair in items]
    assert sorted(everyone) == sorted([o.id, o.name] for o in registry.organisations.values())
    for path, items in shards.items():
        if "/organisaatiot/" in path:
            assert all(form_data.shard_key(name) == path.rsplit("/", 1)[1][:-5] for _, name in items)
    assert shards["lisaa/haku/nimet/sah.json"] == [["Sähköinen perehdytyskansio", "perehdytyskansio", "esimerkkikaupunki"]]
    assert form_data.shard_key("Äänekosken kaupunki") == "a" and form_data.shard_key("Öljy", 2) == "ol"
    assert form_data.shard_key("!!") == "_"


def test_no_file_grows_with_the_whole_registry(tmp_path, monkeypatch):
    """At 2,000 synthetic practices (100 organisations named alike) every lookup file stays small:
    a busy prefix is split by its next letter, and every entry is still in exactly one file.
    (20 entries a file here, so that 2,000 practices split as 10,000 would with the real limit.)"""
    monkeypatch.setattr(form_data, "SHARD_MAX", 20)
    sys.path.insert(0, str(REPO / "bench"))
    from synthetic import make_registry

    root = make_registry(REPO, tmp_path / "registry", 2000)
    registry = _registry(root)
    files = form_data.lookup_files(registry, list(_schema()["properties"]))
    for folder, total in (("/nimet/", 2000), ("/organisaatiot/", len(registry.organisations))):
        shards = {path: json.loads(text) for path, text in files.items() if folder in path}
        entries = [e for data in shards.values() for e in (data if isinstance(data, list) else data["items"])]
        assert len(entries) == total and len({e[1] if folder == "/nimet/" else e[0] for e in entries}) == total
        assert max(len(data) for data in shards.values() if isinstance(data, list)) <= form_data.SHARD_MAX
        split = [path for path, data in shards.items() if isinstance(data, dict)]
        assert split  # the synthetic names share long prefixes ("Esimerkkikunta 1...")
        for path in split:  # a split file's next letters are files of their own
            stem = path.rsplit("/", 1)[1][:-5]
            assert any(other.rsplit("/", 1)[1].startswith(stem) and other != path for other in shards)


def test_list_help_is_said_once_and_its_lengths_are_per_item():
    fields = {f.key: f for f in forms.flatten(forms.practice_form(_schema()))}
    keywords = fields["keywords"]
    assert keywords.help.count("pilkulla") == 1
    assert keywords.max_length == 60  # one keyword


def test_the_date_offers_the_schemas_precisions():
    fields = {f.key: f for f in forms.flatten(forms.practice_form(_schema()))}
    assert fields["published"].precisions == [("day", "päivä"), ("month", "kuukausi"), ("year", "vuosi")]
    assert "published_precision" not in fields and "submitted" not in fields


@pytest.fixture(scope="module")
def intake_site(tmp_path_factory):
    """The example registry built with KEHTO_INTAKE_URL set."""
    import os
    from conftest import make_registry

    base = tmp_path_factory.mktemp("intake-site")
    root = make_registry(base / "registry")
    old = os.environ.get("KEHTO_INTAKE_URL")
    os.environ["KEHTO_INTAKE_URL"] = "http://127.0.0.1:9/"
    try:
        build_site(root, base / "site")
    finally:
        if old is None:
            del os.environ["KEHTO_INTAKE_URL"]
        else:
            os.environ["KEHTO_INTAKE_URL"] = old
    return base / "site"


def test_pages_built_with_an_intake_send_to_it(intake_site):
    form = (intake_site / "lisaa/index.html").read_text(encoding="utf-8")
    assert 'data-intake="http://127.0.0.1:9"' in form and 'id="kehto-consent"' in form and "Tarkista ja lähetä" in form
    assert "henkilötiedot poistetaan" in form  # the retention, said on the form
    adopt = (intake_site / "lisaa/mallia/index.html").read_text(encoding="utf-8")
    assert 'data-intake="http://127.0.0.1:9"' in adopt and 'id="kehto-website"' in adopt
    status = (intake_site / "lisaa/tila/index.html").read_text(encoding="utf-8")
    assert 'data-intake="http://127.0.0.1:9"' in status and "kehto-status.js" in status


def test_pages_without_an_intake_keep_the_file_routes(example_site):
    form = (example_site / "lisaa/index.html").read_text(encoding="utf-8")
    assert 'data-intake=""' in form and 'id="kehto-consent"' not in form and "Tarkista ja näytä tiedosto" in form
    adopt = (example_site / "lisaa/mallia/index.html").read_text(encoding="utf-8")
    assert 'id="kehto-adopt-download"' in adopt and 'id="kehto-adopt-copy"' in adopt
    assert not (example_site / "lisaa/rekisteri.json").exists()
    practice = (example_site / "teot/perehdytyskansio/index.html").read_text(encoding="utf-8")
    assert 'href="../../lisaa/korjaus/?teko=perehdytyskansio">Ehdota korjausta' in practice
    keywords = (example_site / "lisaa/index.html").read_text(encoding="utf-8").split('id="f-keywords"', 1)[1].split(">", 1)[0]
    assert "maxlength" not in keywords


def test_kehto_new_records_the_day_it_was_received(registry_dir):
    result = subprocess.run([sys.executable, "-m", "kehto.cli", "--root", str(registry_dir), "new",
                             "--title", "Yhteinen kahvihetki perjantaisin",
                             "--summary", "Koko yksikkö kokoontuu perjantaisin puoleksi tunniksi vaihtamaan kuulumiset.",
                             "--organisation", "testikunta", "--sector", "koko-kunta", "--theme", "tyohyvinvointi",
                             "--published", "2024-01-05", "--actions", "Kokeilimme kolme kuukautta ja jatkoimme."],
                            capture_output=True, text=True, stdin=subprocess.DEVNULL)
    assert result.returncode == 0, result.stderr
    data = yamlio.parse((registry_dir / "practices/yhteinen-kahvihetki-perjantaisin.yml").read_text(encoding="utf-8")).data
    assert data["submitted"] == days.today().isoformat() and data["published"] == "2024-01-05"
    assert list(data).index("submitted") == list(data).index("published") + 1


ISSUE = """Uusi kehittämisteko lomakkeelta.

```yaml
id: kahvihetki
title: Yhteinen kahvihetki
summary: Koko yksikkö kokoontuu perjantaisin puoleksi tunniksi vaihtamaan kuulumiset.
organisation: testikunta
sectors: [koko-kunta]
themes: [tyohyvinvointi]
published: "2024-01-05"
actions: Kokeilimme kolme kuukautta ja jatkoimme.
```
"""


@pytest.mark.parametrize(("given", "day"), [("2025-03-04", "2025-03-04"), ("2025-03-04T22:30:00Z", "2025-03-05")])
def test_from_issue_takes_the_received_day_from_the_workflow(registry_dir, tmp_path, given, day):
    body = tmp_path / "issue.md"
    body.write_text(ISSUE, encoding="utf-8")
    assert main(["--root", str(registry_dir), "from-issue", str(body), "--write", "--submitted", given]) == 0
    data = yamlio.parse((registry_dir / "practices/kahvihetki.yml").read_text(encoding="utf-8")).data
    assert data["submitted"] == day  # an issue opened late in the evening UTC arrived the next day in Finland


def test_from_issue_refuses_a_received_day_that_is_not_a_date(registry_dir, tmp_path, capsys):
    body = tmp_path / "issue.md"
    body.write_text(ISSUE, encoding="utf-8")
    with pytest.raises(SystemExit):
        main(["--root", str(registry_dir), "from-issue", str(body), "--submitted", "eilen"])
    assert "ei ole muotoa VVVV-KK-PP" in capsys.readouterr().err


def test_contact_email_is_a_one_line_email_input():
    """A phone offers its e-mail keyboard: the address is an <input type=email>, not a text box."""
    schema = schemas.load_schema(str(REPO / "schemas"), "practice")
    contact = next(f for f in forms.practice_form(schema, None) if f.key == "contact")
    email = next(p for p in contact.parts if p.key == "contact.email")
    assert email.widget == "email"
