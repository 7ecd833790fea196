"""The intake service over HTTP: a real server, a real SQLite file, a real bare git remote.

A valid practice with a new organisation becomes one branch with exactly those two
files, which ``kehto validate`` accepts; invalid records get the same problems
``kehto validate`` reports; the status follows the editors' decision.
"""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

import pytest
import yaml
from intake_service import (Intake, branch_files, git, intake_branches, make_remote, new_organisation, new_practice,
                            wait_for)

from kehto.days import finnish_day
from kehto.submit import record_text


@pytest.fixture(scope="module")
def service(tmp_path_factory):
    base = tmp_path_factory.mktemp("intake-api")
    remote = make_remote(base)
    with Intake(base / "data", remote) as intake:
        yield intake


def checkout(remote: Path, ref: str, target: Path) -> Path:
    git("clone", "--quiet", "--branch", ref, str(remote), str(target))
    return target


def kehto(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kehto.cli", *args], capture_output=True, text=True)


def test_practice_with_new_organisation_becomes_one_branch_that_validates(service, tmp_path):
    practice = new_practice(1, organisation="uusi-testikunta")
    status, body, _ = service.post({"kind": "practice", "record": practice, "organisation": new_organisation()})
    assert status == 202, body
    assert body["status"] == "received" and body["status_label"] == "Vastaanotettu"
    assert body["files"] == ["data/organisations/uusi-testikunta.yml", "practices/intake-testi-1.yml"]
    receipt = body["receipt"]
    assert body["status_url"] == f"{service.url}/api/submissions/{receipt}"
    # Stored before the answer: the row is in the database file already.
    assert any(row["receipt"] == receipt for row in service.rows())

    branch = f"intake/{receipt}"
    wait_for(lambda: branch in intake_branches(service.remote), what="the branch")
    assert branch_files(Path(service.remote), branch) == set(body["files"])
    tree = checkout(Path(service.remote), branch, tmp_path / "branch")
    stored = yaml.safe_load((tree / "practices/intake-testi-1.yml").read_text(encoding="utf-8"))
    assert stored["submitted"] == finnish_day(datetime.now(timezone.utc)).isoformat()
    assert {k: v for k, v in stored.items() if k != "submitted"} == practice
    result = kehto("--root", str(tree), "validate")
    assert result.returncode == 0, result.stdout
    message = git("--git-dir", service.remote, "log", "-1", "--format=%B", branch)
    assert f"Kuitti: {receipt}" in message

    status, state, _ = service.get(f"/api/submissions/{receipt}")
    assert status == 200
    assert state["status"] == "processing" and state["status_label"] == "Käsittelyssä"
    assert state["branch"] == branch and state["record_id"] == "intake-testi-1"


def test_published_when_merged_and_personal_data_removed(service):
    practice = dict(new_practice(2), contact={"name": "Maija Meikäläinen", "email": "maija@esimerkki.fi"})
    status, body, _ = service.post({"kind": "practice", "record": practice, "consent": True, "message": "Terveisin M"})
    assert status == 202, body
    receipt = body["receipt"]
    branch = f"intake/{receipt}"
    wait_for(lambda: branch in intake_branches(service.remote), what="the branch")
    row = next(r for r in service.rows() if r["receipt"] == receipt)
    assert "Maija" in row["payload"] and row["message"] == "Terveisin M" and row["client_hash"]
    # The editors merge (fast-forward main to the branch).
    git("--git-dir", service.remote, "update-ref", "refs/heads/main", branch)
    wait_for(lambda: service.get(f"/api/submissions/{receipt}")[1]["status"] == "published", what="published")
    assert service.get(f"/api/submissions/{receipt}")[1]["status_label"] == "Julkaistu"
    row = next(r for r in service.rows() if r["receipt"] == receipt)
    assert row["payload"] is None and row["files"] is None and row["message"] is None and row["client_hash"] is None
    assert "Maija" not in json.dumps(row, ensure_ascii=False)


def test_returned_when_the_branch_is_deleted_unmerged(service):
    status, body, _ = service.post({"kind": "practice", "record": new_practice(3)})
    assert status == 202, body
    branch = f"intake/{body['receipt']}"
    wait_for(lambda: branch in intake_branches(service.remote), what="the branch")
    git("--git-dir", service.remote, "branch", "-D", branch)
    wait_for(lambda: service.get(f"/api/submissions/{body['receipt']}")[1]["status"] == "returned", what="returned")


def test_invalid_record_gets_the_problems_kehto_validate_reports(service, tmp_path):
    practice = dict(new_practice(4), organisation="ei-ole-olemassa", summary="Lyhyt", published="2024-13-40",
                    themes=["perehdytys", "tuntematon-teema"], tuntematon="x")
    status, body, _ = service.post({"kind": "practice", "record": practice})
    assert status == 422
    assert body["error"] == "invalid" and "korjattavaa" in body["message"]
    tree = checkout(Path(service.remote), "main", tmp_path / "main")
    submitted = dict(practice, submitted=finnish_day(datetime.now(timezone.utc)).isoformat())
    (tree / "practices/intake-testi-4.yml").write_text(record_text(submitted), encoding="utf-8")
    result = kehto("--root", str(tree), "validate", "--format", "json", str(tree / "practices/intake-testi-4.yml"))
    expected = [{"file": p["path"], "field": p["field"], "line": p["line"], "column": p["column"],
                 "message": p["message"], "hint": p["hint"], "severity": p["severity"]}
                for p in json.loads(result.stdout)["problems"] if p["severity"] == "error"]
    assert len(expected) >= 4
    assert sorted(body["problems"], key=json.dumps) == sorted(expected, key=json.dumps)
    assert not any(r["record_id"] == "intake-testi-4" for r in service.rows())


def test_existing_id_and_existing_organisation_are_refused(service):
    status, body, _ = service.post({"kind": "practice", "record": dict(new_practice(5), id="mentorointi-uusille")})
    assert status == 422 and body["problems"][0]["field"] == "id" and "jo käytössä" in body["problems"][0]["message"]
    organisation = {"id": "testikunta", "name": "Testikunta", "type": "kunta", "region": "uusimaa"}
    status, body, _ = service.post({"kind": "practice", "record": dict(new_practice(5), organisation="testikunta"),
                                    "organisation": organisation})
    assert status == 422 and "jo rekisterissä" in body["problems"][0]["message"]


def test_contact_needs_consent(service):
    practice = dict(new_practice(6), contact={"name": "Matti Meikäläinen"})
    status, body, _ = service.post({"kind": "practice", "record": practice})
    assert status == 422
    assert [p["field"] for p in body["problems"]] == ["contact"]
    assert "luvalla" in body["problems"][0]["message"]


def test_correction_changes_the_existing_file_and_needs_a_message(service):
    old = yaml.safe_load((Path(__file__).parent / "examples/registry/practices/perehdytyskansio.yml").read_text())
    corrected = dict(old, summary=old["summary"] + " Korjattu tiivistelmä.")
    status, body, _ = service.post({"kind": "correction", "record": corrected})
    assert status == 422 and body["problems"][0]["field"] == "message"
    status, body, _ = service.post({"kind": "correction", "record": corrected, "message": "Tiivistelmä oli vajaa."})
    assert status == 202, body
    assert body["files"] == ["practices/perehdytyskansio.yml"]
    branch = f"intake/{body['receipt']}"
    wait_for(lambda: branch in intake_branches(service.remote), what="the branch")
    assert branch_files(Path(service.remote), branch) == {"practices/perehdytyskansio.yml"}
    stored = yaml.safe_load(git("--git-dir", service.remote, "show", f"{branch}:practices/perehdytyskansio.yml"))
    assert stored == corrected  # no submitted date: a correction is no new arrival
    status, body, _ = service.post({"kind": "correction", "record": old, "message": "Ei muutosta"})
    assert status == 422 and "ei muuta" in body["problems"][0]["message"]
    status, body, _ = service.post({"kind": "correction", "record": dict(old, id="ei-tallaista-tekoa"),
                                    "message": "Korjaus"})
    assert status == 422 and "ei ole rekisterissä" in body["problems"][0]["message"]


def test_adoption_is_received(service):
    adoption = {"id": "mentorointi-uusille-testikunta", "practice": "mentorointi-uusille", "organisation": "testikunta",
                "date": "2024-01-15", "note": "Otimme mallin käyttöön kahdessa koulussa."}
    status, body, _ = service.post({"kind": "adoption", "record": adoption})
    assert status == 202, body
    assert body["files"] == ["data/adoptions/mentorointi-uusille-testikunta.yml"]


def test_status_of_unknown_receipt_is_404_in_finnish(service):
    for receipt in ("a" * 26, "x", "%3Cscript%3E", "A" * 26):
        status, body, _ = service.get(f"/api/submissions/{receipt}")
        assert status == 404 and body == {"error": "not-found", "message": "Kuittia ei löydy."}
    status, body, _ = service.get("/api/submissions/../../etc/passwd")
    assert status == 404 and body == {"error": "not-found", "message": "Osoitetta ei löydy."}


def test_organisations_by_prefix(service):
    status, body, _ = service.get("/api/organisations?prefix=esim")
    assert status == 200 and body == [{"id": "esimerkkikaupunki", "name": "Esimerkkikaupunki"}]
    assert service.get("/api/organisations?prefix=")[1] == []


def test_openapi_describes_every_route(service):
    status, spec, _ = service.get("/api/openapi.json")
    assert status == 200 and spec["openapi"].startswith("3.1")
    from kehto.intake.app import create_app
    from kehto.intake.config import Config

    app = create_app(Config(db=service.data / "unused" / "x.sqlite3", remote=service.remote))
    assert {route.path for route in app.routes} == set(spec["paths"]) | {"/api/submissions/{receipt}"}


def test_cors_allows_only_the_site_origin(service):
    headers = {"Origin": "http://127.0.0.1:8000", "Access-Control-Request-Method": "POST",
               "Access-Control-Request-Headers": "content-type"}
    status, _, answer = service.request("OPTIONS", "/api/submissions", headers=headers)
    assert status == 200 and answer["access-control-allow-origin"] == "http://127.0.0.1:8000"
    status, _, answer = service.request("OPTIONS", "/api/submissions", headers={**headers, "Origin": "https://evil.example"})
    assert status == 400 and "access-control-allow-origin" not in {k.lower() for k in answer}
