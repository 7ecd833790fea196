"""Bad input over the API: every refusal is a 4xx with a Finnish message, nothing stored, nothing pushed."""

from __future__ import annotations

import http.client
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from intake_service import Intake, intake_branches, make_remote, new_practice

HOSTILE = "<script>alert(1)</script>\u202e\u0000"


@pytest.fixture(scope="module")
def service(tmp_path_factory):
    base = tmp_path_factory.mktemp("intake-bad")
    with Intake(base / "data", make_remote(base)) as intake:
        yield intake


def raw_post(service: Intake, body: bytes, headers: dict) -> tuple[int, dict]:
    """POST with http.client: the body may be refused before it is all sent."""
    connection = http.client.HTTPConnection("127.0.0.1", service.port, timeout=60)
    try:
        connection.putrequest("POST", "/api/submissions")
        for key, value in headers.items():
            connection.putheader(key, value)
        connection.endheaders()
        try:
            for start in range(0, len(body), 65536):
                connection.send(body[start:start + 65536])
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server answered early and closed: read its answer
        response = connection.getresponse()
        return response.status, json.loads(response.read())
    finally:
        connection.close()


BAD = [
    (b"{not json", 400, "malformed"),
    ("{\"kind\": \"practice\", \"record\": {}".encode(), 400, "malformed"),
    (b"\xff\xfe\x00", 400, "malformed"),
    (b"[1, 2, 3]", 400, "malformed"),
    (b"\"practice\"", 400, "malformed"),
    (json.dumps({"kind": "practice", "record": "id: x"}).encode(), 400, "wrong-type"),
    (json.dumps({"kind": "practice", "record": [1]}).encode(), 400, "wrong-type"),
    (json.dumps({"kind": 5, "record": {}}).encode(), 400, "wrong-type"),
    (json.dumps({"kind": "practice", "record": {}, "consent": "yes"}).encode(), 400, "wrong-type"),
    (json.dumps({"kind": "practice", "record": {}, "organisation": []}).encode(), 400, "wrong-type"),
    (json.dumps({"kind": "award", "record": new_practice(1)}).encode(), 400, "unknown-kind"),
    (json.dumps({"kind": "../practices", "record": new_practice(1)}).encode(), 400, "unknown-kind"),
    (json.dumps({"kind": "practice"}).encode(), 400, "missing-record"),
    (json.dumps({"kind": "practice", "record": new_practice(1), "receipt": "a" * 26}).encode(), 400, "unknown-field"),
    (json.dumps({"kind": "practice", "record": new_practice(1), "website": "http://spam"}).encode(), 400, "rejected"),
]


@pytest.mark.parametrize("body, status, error", BAD)
def test_malformed_requests_are_refused_in_finnish(service, body, status, error):
    answer_status, answer = raw_post(service, body, {"Content-Type": "application/json",
                                                     "Content-Length": str(len(body))})
    assert (answer_status, answer["error"]) == (status, error)
    assert answer["message"] and answer["message"][0].isupper()
    assert "Traceback" not in json.dumps(answer)


def test_not_json_is_415(service):
    status, answer = raw_post(service, b"kind=practice", {"Content-Type": "application/x-www-form-urlencoded",
                                                          "Content-Length": "13"})
    assert status == 415 and "JSON" in answer["message"]


def test_ten_megabytes_are_refused_whether_announced_or_chunked(service):
    record = dict(new_practice(1), actions="a" * 10_000_000)
    body = json.dumps({"kind": "practice", "record": record}).encode()
    status, answer = raw_post(service, body, {"Content-Type": "application/json", "Content-Length": str(len(body))})
    assert status == 413 and "liian suuri" in answer["message"]
    chunked = b"".join(b"%x\r\n%s\r\n" % (len(body[i:i + 65536]), body[i:i + 65536])
                       for i in range(0, len(body), 65536)) + b"0\r\n\r\n"
    status, answer = raw_post(service, chunked, {"Content-Type": "application/json", "Transfer-Encoding": "chunked"})
    assert status == 413 and "liian suuri" in answer["message"]


def test_hostile_text_is_refused_with_the_field_named(service):
    record = dict(new_practice(2), title="Hyvä teko " + HOSTILE, summary="Tiivistelmä \u202e väärinpäin ja pitkä")
    status, answer, _ = service.post({"kind": "practice", "record": record, "message": "viesti\u202e"})
    assert status == 422
    fields = {p["field"] for p in answer["problems"]}
    assert {"title", "summary", "message"} <= fields
    assert all(p["message"] for p in answer["problems"])


def test_replayed_submission_is_refused_with_its_receipt(service):
    body = {"kind": "practice", "record": new_practice(3)}
    status, first = service.post(body)[:2]
    assert status == 202
    status, again = service.post(body)[:2]
    assert status == 409 and again["receipt"] == first["receipt"] and "jo vastaanotettu" in again["message"]
    # Another submission adding the same new file while the first is open.
    status, other = service.post({"kind": "practice", "record": dict(new_practice(3), title="Toinen otsikko tälle")})[:2]
    assert status == 409 and other["error"] == "conflict" and "practices/intake-testi-3.yml" in other["message"]
    rows = [r for r in service.rows() if r["record_id"] == "intake-testi-3"]
    assert len(rows) == 1


def test_unknown_paths_and_methods_answer_json_in_finnish(service):
    status, answer, _ = service.get("/api/nothing-here")
    assert status == 404 and answer["message"] == "Osoitetta ei löydy."
    status, answer, _ = service.request("DELETE", "/api/submissions")
    assert status == 405 and "sallittu" in answer["message"]


def test_refusals_stored_and_pushed_nothing(service):
    """Run last in this module: only the one accepted submission above exists, anywhere."""
    assert [r["record_id"] for r in service.rows()] == ["intake-testi-3"]
    receipt = service.rows()[0]["receipt"]
    from intake_service import wait_for

    wait_for(lambda: set(intake_branches(service.remote)) == {f"intake/{receipt}"}, what="the one branch")


def test_rate_limit_answers_429_with_retry_after(tmp_path):
    with Intake(tmp_path / "data", make_remote(tmp_path), env={"KEHTO_INTAKE_RATE_LIMIT": "2"}) as service:
        statuses = [service.post({"kind": "practice", "record": {}})[0] for _ in range(2)]
        status, answer, headers = service.post({"kind": "practice", "record": new_practice(9)})
        assert statuses == [422, 422]
        assert status == 429 and int(headers["retry-after"]) > 0 and "Yritä" in answer["message"]
        other = service.post({"kind": "practice", "record": {}}, {"X-Forwarded-For": "203.0.113.7"})[0]
        assert other == 422  # another client (through the trusted local proxy) is not limited
        assert service.rows() == []


JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=40),
                    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
                    max_leaves=20)
FIELD = st.sampled_from(["kind", "record", "organisation", "message", "consent", "website", "altcha", "muu"])
KIND = st.sampled_from(["practice", "adoption", "correction", "award", ""])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(body=st.dictionaries(FIELD, JSON, max_size=5), kind=KIND, record=st.dictionaries(
    st.sampled_from(["id", "title", "summary", "organisation", "sectors", "themes", "published", "actions", "x"]),
    JSON, max_size=8))
def test_any_json_is_answered_in_finnish_and_never_stored(service, body, kind, record):
    before = len(service.rows())
    status, answer, _ = service.post({**body, "kind": kind, "record": record})
    assert 400 <= status < 500 and isinstance(answer["message"], str) and answer["message"]
    assert len(service.rows()) == before
