"""Submission paths from the one schema: issue form, from-issue, kehto new, annotations."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest


from conftest import REPO
from kehto import forms, issueform, schemas, site, validate
from kehto.cli import main
from kehto.load import Project

VALID_ISSUE = """### Otsikko

Kesätyöntekijöiden yhteinen aloituspäivä

### Tiivistelmä

Kesätyöntekijät perehdytetään yhteisessä aloituspäivässä ja vertaisparin tuella.

### Organisaatio

Esimerkkikaupunki

### Palvelualat

Opetus ja kasvatus, Koko kunta

### Teemat

Perehdytys

### Julkaisupäivä

2024-06-01

### Mitä tehtiin

Aloituspäivä koottiin yhdessä yksiköiden kanssa.

- vertaispari
- tarkistuslista

### Tunniste

_No response_

### Yhteyshenkilö: Nimi

Maija Meikäläinen

### Linkit

Ohje | https://esimerkki.fi/ohje
https://esimerkki.fi/toinen

### Asiasanat

kesätyö, perehdytys
"""


def _registry(root):
    registry, report = validate.build(Project(root))
    assert report.ok
    return registry, schemas.load_schema(str(root / "schemas"), "practice")


@pytest.mark.parametrize("kind", sorted(issueform.ISSUE_KINDS))
def test_committed_issue_forms_are_the_generated_ones(kind):
    registry, _ = _registry(REPO)
    schema = schemas.load_schema(str(REPO / "schemas"), kind)
    committed = (REPO / ".github/ISSUE_TEMPLATE" / issueform.ISSUE_KINDS[kind].file).read_text(encoding="utf-8")
    assert committed == issueform.issue_form_yaml(schema, registry, kind), (
        f"run: kehto schema issue-form --kind {kind} --output .github/ISSUE_TEMPLATE/{issueform.ISSUE_KINDS[kind].file}")


ADOPTION_ISSUE = """### Teko

Sähköinen perehdytyskansio

### Organisaatio

Testikunta

### Päivämäärä

2023-05-01

### Tunniste

_No response_

### Huomio

Otimme kansion rungon käyttöön.
"""


def test_adoption_from_the_issue_form(registry_dir, tmp_path):
    body = tmp_path / "issue.md"
    body.write_text(ADOPTION_ISSUE, encoding="utf-8")
    comment = tmp_path / "comment.md"
    assert main(["--root", str(registry_dir), "from-issue", str(body), "--write", "--comment", str(comment)]) == 0
    written = registry_dir / "data/adoptions/perehdytyskansio-testikunta.yml"
    assert written.read_text(encoding="utf-8").startswith(
        "# yaml-language-server: $schema=../../schemas/adoption.schema.json\n")
    registry, _ = _registry(registry_dir)
    (adoption,) = registry.adoptions_of("perehdytyskansio")
    assert (adoption.organisation, adoption.date.isoformat(), adoption.note) == (
        "testikunta", "2023-05-01", "Otimme kansion rungon käyttöön.")
    assert "Tarkistin käyttöönoton" in comment.read_text(encoding="utf-8")
    # the same adoption again is refused: the file exists
    assert main(["--root", str(registry_dir), "from-issue", str(body), "--write"]) == 1


def test_adoption_from_the_site_forms_yaml_block(registry_dir, tmp_path, capsys):
    yaml_text = (REPO / "tests/examples/adoption/valid/perehdytyskansio-testikunta.yml").read_text(encoding="utf-8")
    body = tmp_path / "issue.md"
    body.write_text(f"Otimme mallia -lomakkeelta.\n\n```yaml\n{yaml_text}```\n", encoding="utf-8")
    assert main(["--root", str(registry_dir), "from-issue", str(body)]) == 0
    assert "$schema=../../schemas/adoption.schema.json" in capsys.readouterr().out
    own = yaml_text.replace("practice: perehdytyskansio", "practice: mentorointi-uusille").replace(
        "organisation: testikunta", "organisation: esimerkkikaupunki")
    body.write_text(f"```yaml\n{own}```\n", encoding="utf-8")
    comment = tmp_path / "comment.md"
    assert main(["--root", str(registry_dir), "from-issue", str(body), "--comment", str(comment)]) == 1
    assert "omasta teostaan" in capsys.readouterr().out
    assert comment.read_text(encoding="utf-8").startswith("Kiitos käyttöönotosta!")


def test_a_new_optional_field_appears_in_both_forms(registry_dir):
    path = registry_dir / "schemas/practice.schema.json"
    schema = json.loads(path.read_text(encoding="utf-8"))
    schema["properties"]["budget_note"] = {"type": "string", "title": "Kustannukset", "maxLength": 80,
                                           "description": "Mitä teko maksoi?"}
    path.write_text(json.dumps(schema, ensure_ascii=False), encoding="utf-8")
    schemas.load_schema.cache_clear()
    schemas.validator.cache_clear()
    schemas.fast_check.cache_clear()
    registry, schema = _registry(registry_dir)
    issue = issueform.issue_form(schema, registry)
    entry = next(e for e in issue["body"] if e.get("id") == "budget-note")
    assert entry["type"] == "input" and entry["attributes"]["label"] == "Kustannukset"
    assert entry["validations"] == {"required": False}
    pages = {p.src_uri: p for p in site.generate(registry, site.SiteOptions(practice_schema=schema))}
    html = pages["lisaa/index.md"].content
    assert '<summary>Kustannukset</summary>' in html
    assert '<input id="f-budget-note" name="budget_note" type="text" maxlength="80"' in html
    assert "Mitä teko maksoi?" in html


def test_form_fields_follow_the_schema():
    registry, schema = _registry(REPO)
    fields = forms.practice_form(schema, registry)
    required = [f.key for f in fields if f.required]
    assert required == ["title", "summary", "organisation", "sectors", "themes", "published", "actions", "id"]
    by_key = {f.key: f for f in forms.flatten(fields)}
    assert by_key["summary"].max_length == 300 and by_key["summary"].min_length == 30
    assert by_key["themes"].widget == "choices" and len(by_key["themes"].options) == len(registry.themes.items)
    assert by_key["contact.email"].pattern == schema["properties"]["contact"]["properties"]["email"]["pattern"]
    assert "source" not in by_key  # x-form: false


def test_from_issue_valid(registry_dir, tmp_path, capsys):
    body = tmp_path / "issue.md"
    body.write_text(VALID_ISSUE, encoding="utf-8")
    comment = tmp_path / "comment.md"
    assert main(["--root", str(registry_dir), "from-issue", str(body), "--write", "--comment", str(comment)]) == 0
    written = registry_dir / "practices/kesatyontekijoiden-yhteinen-aloituspaiva.yml"
    assert written.exists()
    assert main(["--root", str(registry_dir), "validate", str(written)]) == 0
    registry, _ = _registry(registry_dir)
    practice = registry.practices["kesatyontekijoiden-yhteinen-aloituspaiva"]
    assert practice.organisation == "esimerkkikaupunki"
    assert practice.sectors == ("opetus-ja-kasvatus", "koko-kunta")
    assert practice.contact.name == "Maija Meikäläinen"
    assert [link.url for link in practice.links] == ["https://esimerkki.fi/ohje", "https://esimerkki.fi/toinen"]
    assert practice.keywords == ("kesätyö", "perehdytys")
    assert comment.read_text(encoding="utf-8").startswith("Kiitos! Tarkistin kehittämisteon")


def test_from_issue_with_problems_lists_them_and_exits_1(registry_dir, tmp_path, capsys):
    bad = (VALID_ISSUE.replace("2024-06-01", "1.6.2024").replace("Perehdytys", "Avaruusmatkailu")
           .replace("Kesätyöntekijät perehdytetään yhteisessä aloituspäivässä ja vertaisparin tuella.", "Lyhyt."))
    body = tmp_path / "issue.md"
    body.write_text(bad, encoding="utf-8")
    comment = tmp_path / "comment.md"
    assert main(["--root", str(registry_dir), "from-issue", str(body), "--write", "--comment", str(comment)]) == 1
    out = capsys.readouterr().out
    assert "- Tiivistelmä (summary): teksti on liian lyhyt: 6 merkkiä, vähintään 30." in out
    assert "- Julkaisupäivä (published): arvo \"1.6.2024\" ei ole oikean muotoinen" in out
    assert "- Teemat (themes[1]): teemaa \"avaruusmatkailu\" ei ole luokituksessa." in out
    assert not list((registry_dir / "practices").glob("kesatyo*"))
    text = comment.read_text(encoding="utf-8")
    assert "**Tiivistelmä**: teksti on liian lyhyt" in text and "Muokkaa issueta" in text


def test_from_issue_reads_the_yaml_block_of_the_site_form(registry_dir, tmp_path, capsys):
    yaml_text = (REPO / "tests/examples/practice/valid/minimal-practice.yml").read_text(encoding="utf-8")
    body = tmp_path / "issue.md"
    body.write_text(f"Uusi kehittämisteko lomakkeelta.\n\n```yaml\n{yaml_text}```\n", encoding="utf-8")
    assert main(["--root", str(registry_dir), "from-issue", str(body)]) == 0
    assert "id: minimal-practice" in capsys.readouterr().out


def test_from_issue_without_form_sections(registry_dir, tmp_path):
    body = tmp_path / "issue.md"
    body.write_text("Hei, meillä on hyvä käytäntö!", encoding="utf-8")
    assert main(["--root", str(registry_dir), "from-issue", str(body)]) == 1


def _new(registry_dir, *args):
    return subprocess.run([sys.executable, "-m", "kehto.cli", "--root", str(registry_dir), "new", *args],
                          capture_output=True, text=True, stdin=subprocess.DEVNULL)


def test_new_non_interactive(registry_dir):
    result = _new(registry_dir, "--title", "Yhteinen kahvihetki perjantaisin",
                  "--summary", "Koko yksikkö kokoontuu perjantaisin puoleksi tunniksi vaihtamaan kuulumiset.",
                  "--organisation", "testikunta", "--sector", "koko-kunta", "--theme", "tyohyvinvointi",
                  "--published", "2024-01-05", "--actions", "Kokeilimme kolme kuukautta ja jatkoimme.")
    assert result.returncode == 0, result.stdout + result.stderr
    path = registry_dir / "practices/yhteinen-kahvihetki-perjantaisin.yml"
    assert path.read_text(encoding="utf-8").startswith("# yaml-language-server: $schema=../schemas/practice.schema.json")
    assert main(["--root", str(registry_dir), "validate"]) == 0


def test_new_refuses_invalid_and_missing(registry_dir):
    missing = _new(registry_dir, "--title", "Vain otsikko")
    assert missing.returncode == 2 and "--summary" in missing.stderr and "--sector" in missing.stderr
    invalid = _new(registry_dir, "--title", "Virheellinen teko", "--summary", "Liian lyhyt",
                   "--organisation", "ei-ole", "--sector", "koko-kunta", "--theme", "tyohyvinvointi",
                   "--actions", "Kuvaus siitä, mitä tehtiin, riittävän pitkä.")
    assert invalid.returncode == 1
    assert "practices/virheellinen-teko.yml:4:1: summary: teksti on liian lyhyt" in invalid.stdout
    assert "organisaatiota \"ei-ole\" ei ole rekisterissä" in invalid.stdout
    assert not (registry_dir / "practices/virheellinen-teko.yml").exists()


def test_github_annotations(registry_dir, capsys):
    shutil.copy(REPO / "tests/examples/practice/invalid/short-summary.yml", registry_dir / "practices")
    assert main(["--root", str(registry_dir), "validate", "--format", "github"]) == 1
    first = capsys.readouterr().out.splitlines()[0]
    assert first == ("::error file=practices/short-summary.yml,line=4,col=1,title=summary::teksti on liian lyhyt: "
                     "10 merkkiä, vähintään 30. Korjaus: Kirjoita vähintään 20 merkkiä lisää.")


def test_workflows_use_the_documented_token_and_commands():
    workflow = (REPO / ".github/workflows/from-issue.yml").read_text(encoding="utf-8")
    assert "secrets.KEHTO_BOT_TOKEN" in workflow and "kehto from-issue" in workflow
    assert "kehto validate --format github" in (REPO / ".github/workflows/validate.yml").read_text(encoding="utf-8")
    assert "KEHTO_BOT_TOKEN" in (REPO / "README.md").read_text(encoding="utf-8")
    assert "entry: kehto validate" in (REPO / ".pre-commit-config.yaml").read_text(encoding="utf-8")
