"""The pull request step against a local fake of GitHub's REST API (tests/fake_github.py).

GitHub itself cannot be reached from CI; the fake speaks the same endpoints and
fails on purpose: forge down then up, and a pull request created whose answer is lost.
Neither may produce a second pull request.
"""

from __future__ import annotations

from fake_github import FakeGitHub
from intake_service import Intake, make_remote, new_practice, wait_for


def forge_env(github: FakeGitHub) -> dict:
    return {"KEHTO_INTAKE_GITHUB_TOKEN": github.token, "KEHTO_INTAKE_GITHUB_REPO": github.repo,
            "KEHTO_INTAKE_GITHUB_API": github.url}


def status(service: Intake, receipt: str) -> dict:
    return service.get(f"/api/submissions/{receipt}")[1]


def test_forge_down_then_up_and_a_lost_answer_open_one_pull_request_each(tmp_path):
    remote = make_remote(tmp_path)
    with FakeGitHub() as github, Intake(tmp_path / "data", remote, env=forge_env(github)) as service:
        github.down = True
        first = service.post({"kind": "practice", "record": new_practice(1), "message": "Kiitos ```"})[1]["receipt"]
        wait_for(lambda: any(r["attempts"] >= 2 and r["state"] == "pushed" for r in service.rows()),
                 what="failed forge attempts")
        assert github.pulls == []
        github.down = False
        wait_for(lambda: status(service, first)["pull_request"], what="the pull request")

        github.lose_next_create = True
        second = service.post({"kind": "practice", "record": new_practice(2)})[1]["receipt"]
        wait_for(lambda: status(service, second)["pull_request"], what="the second pull request")

        heads = [p["head"]["ref"] for p in github.pulls]
        assert sorted(heads) == sorted([f"intake/{first}", f"intake/{second}"])  # one each, none doubled
        assert ("POST", f"/repos/{github.repo}/pulls") in github.calls
        pull = next(p for p in github.pulls if p["head"]["ref"] == f"intake/{first}")
        assert f"Kuitti: {first}" in pull["body"] and pull["base"]["ref"] == "main"
        assert "````text\nKiitos ```\n````" in pull["body"]  # the message is fenced, never rendered
        state = status(service, first)
        assert state["status"] == "processing" and state["pull_request"] == pull["html_url"]

        github.close(pull["number"], merged=False, comment="Teko on jo rekisterissä nimellä X; kiitos!")
        wait_for(lambda: status(service, first)["status"] == "returned", what="returned")
        assert status(service, first)["message"] == "Teko on jo rekisterissä nimellä X; kiitos!"
        assert status(service, first)["status_label"] == "Palautettu"
        row = next(r for r in service.rows() if r["receipt"] == first)
        assert row["payload"] is None and row["message"] is None

        other = next(p for p in github.pulls if p["head"]["ref"] == f"intake/{second}")
        github.close(other["number"], merged=True)
        wait_for(lambda: status(service, second)["status"] == "published", what="published")
    assert not any(method == "PUT" or path.endswith("/merge") for method, path in github.calls)  # never merges
