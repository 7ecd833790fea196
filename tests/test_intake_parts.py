"""The intake's parts on their own: database migrations and hand-off state, rate limit, proof-of-work, config."""

from __future__ import annotations

import base64
import json
import sqlite3

import altcha
import yaml
from intake_service import Intake, make_remote, new_practice

from kehto.intake.config import from_env
from kehto.intake.guard import ProofOfWork, RateLimit
from kehto.intake.store import MIGRATIONS, Conflict, Store
from kehto.intake.worker import description


def row(receipt: str, content_hash: str = "h") -> dict:
    return {"receipt": receipt, "kind": "practice", "record_id": "x", "title": "X", "received_at": "2026-01-01T00:00:00",
            "content_hash": content_hash, "files": "{}", "payload": "{\"contact\": 1}", "message": "m",
            "client_hash": "c"}


def test_migrations_run_once_and_record_the_version(tmp_path):
    store = Store(tmp_path / "db.sqlite3")
    store.insert(row("a"), ["practices/x.yml"])
    Store(tmp_path / "db.sqlite3")  # opening again migrates nothing and keeps the data
    with sqlite3.connect(tmp_path / "db.sqlite3") as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("SELECT COUNT(*) FROM submissions").fetchone()[0] == 1


def test_claims_leases_and_final_states(tmp_path):
    store = Store(tmp_path / "db.sqlite3")
    store.insert(row("a"), ["practices/x.yml"])
    try:
        store.insert(row("b", "other"), ["practices/x.yml"])
        raise AssertionError("a second claim on the same new file was stored")
    except Conflict as conflict:
        assert conflict.path == "practices/x.yml"
    claimed = store.claim_due(("received",), lease_seconds=60, now=1000.0, limit=5)
    assert [r["receipt"] for r in claimed] == ["a"]
    assert store.claim_due(("received",), lease_seconds=60, now=1010.0) == []  # leased
    assert [r["receipt"] for r in store.claim_due(("received",), lease_seconds=60, now=1061.0)] == ["a"]  # expired
    store.advance("a", "returned", editor_message="Ei julkaista.")
    final = store.get("a")
    assert (final["payload"], final["message"], final["client_hash"], final["files"]) == (None, None, None, None)
    store.insert(row("b", "other"), ["practices/x.yml"])  # the file is free again


def test_rate_limit_window():
    limit = RateLimit(2, 60)
    assert [limit.hit("a", now=0), limit.hit("a", now=1), limit.hit("b", now=1)] == [0, 0, 0]
    assert limit.hit("a", now=2) == 58
    assert limit.hit("a", now=61) == 0
    assert RateLimit(0, 60).hit("a") == 0


def _solve(challenge: dict) -> str:
    solution = altcha.solve_challenge_v1(challenge["challenge"], challenge["salt"], challenge["algorithm"],
                                         challenge["maxnumber"])
    payload = {key: challenge[key] for key in ("algorithm", "challenge", "salt", "signature")}
    return base64.b64encode(json.dumps({**payload, "number": solution.number}).encode()).decode()


def test_proof_of_work_accepts_each_solution_once():
    pow_ = ProofOfWork("secret", max_number=2000)
    payload = _solve(pow_.challenge())
    assert pow_.verify(payload) is True
    assert pow_.verify(payload) is False
    assert ProofOfWork("other-key").verify(_solve(pow_.challenge())) is False
    assert pow_.verify("not base64 at all") is False


def test_service_requires_a_solved_challenge_when_configured(tmp_path):
    with Intake(tmp_path / "data", make_remote(tmp_path), env={"KEHTO_INTAKE_ALTCHA_KEY": "k"}) as service:
        body = {"kind": "practice", "record": new_practice(1)}
        status, answer, _ = service.post(body)
        assert status == 400 and answer["error"] == "proof-of-work"
        status, challenge, headers = service.get("/api/altcha")
        assert status == 200 and headers["cache-control"] == "no-store"
        status, answer, _ = service.post({**body, "altcha": _solve(challenge)})
        assert status == 202, answer


def test_config_from_environment_and_options(tmp_path):
    config = from_env({"KEHTO_INTAKE_PORT": "9000", "KEHTO_INTAKE_ALLOW_ORIGIN": "https://kehto.fi/, http://x",
                       "KEHTO_INTAKE_GITHUB_TOKEN": "t", "KEHTO_INTAKE_GITHUB_REPO": "o/r"}, port=9100, db=None)
    assert config.port == 9100 and config.allow_origin == ("https://kehto.fi", "http://x") and config.forge_enabled
    assert config.base_url == "http://127.0.0.1:9100"
    assert from_env({"KEHTO_SITE_URL": "https://kehto.example.fi/rekisteri/"}).allow_origin == (
        "https://kehto.example.fi", "http://127.0.0.1:8000")


def test_description_fences_any_message():
    text = description({"kind": "practice", "record_id": "x", "receipt": "r", "received_at": "t",
                        "message": "````\n@everyone <img src=x>"}, {"practices/x.yml": ""})[1]
    assert "`````text\n````\n@everyone <img src=x>\n`````" in text


def test_every_setting_is_documented():
    from dataclasses import fields

    from conftest import REPO
    from kehto.intake.config import ENV_PREFIX, Config

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for item in fields(Config):
        assert f"`{ENV_PREFIX}{item.name.upper()}" in readme or f"{ENV_PREFIX}{item.name.upper()}`" in readme, item.name


def test_checks_against_one_snapshot_read_it_once_and_agree_with_a_fresh_read(registry_dir):
    """The service parses a snapshot once and checks every submission against that; the
    answers are those of a check that reads the files anew, submission after submission."""
    from kehto import days, load
    from kehto.intake import check
    from kehto.load import Project
    from kehto.submit import check_records

    project = Project(registry_dir)
    check.warm(project)
    existing = yaml.safe_load((registry_dir / "practices/perehdytyskansio.yml").read_text(encoding="utf-8"))
    cases = [("practice", new_practice(101)),
             ("practice", dict(existing, id="perehdytyskansio-2")),  # same title: a likely duplicate
             ("practice", dict(new_practice(102), organisation="ei-ole")),
             ("practice", dict(existing, summary="Korjattu tiivistelmä, joka on tarpeeksi pitkä tähän."))]  # a correction
    reads = []
    original = load.read_all
    load.read_all = lambda *args, **kwargs: reads.append(1) or original(*args, **kwargs)
    try:
        cached = [check.check_files(project, [case], days.today())[1].problems for case in cases * 2]
    finally:
        load.read_all = original
    fresh = [check_records(project, [(record, kind)], replace=True, today=days.today())[1].problems
             for kind, record in cases * 2]
    assert reads == [] and cached == fresh
    assert [bool(p) for p in cached[:4]] == [False, True, True, False]
    assert check.exists(project, "practice", "perehdytyskansio")
    assert not check.exists(project, "practice", "ei-ole-olemassa")
    assert not check.exists(project, "practice", "../practices/perehdytyskansio")
    assert not check.exists(project, "organisation", "perehdytyskansio")
