"""The GitHub workflows and forms hold up: zizmor and check-jsonschema accept them, every job has
a time limit, and the bot's pull request carries exactly the record files."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import REPO
from kehto import bot
from kehto.cli import main

GITHUB = REPO / ".github"
WORKFLOWS = sorted((GITHUB / "workflows").glob("*.yml"))
FORMS = sorted((GITHUB / "ISSUE_TEMPLATE").glob("*.yml"))


def _tool(name: str) -> str:
    """A checker installed with the test extras, next to this Python (``make install``)."""
    path = Path(sys.executable).parent / name
    found = str(path) if path.exists() else shutil.which(name)
    if not found:
        pytest.fail(f"{name} puuttuu: asenna testiriippuvuudet (pip install -e '.[test]', make test tekee sen).")
    return found


def _workflow(path: Path) -> dict:
    # PyYAML reads the key `on` as True; GitHub reads it as a string.
    return yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)


def test_zizmor_finds_nothing_medium_or_high():
    """zizmor's own audits offline (default persona): unpinned actions, broad permissions, persisted
    credentials, template injection, cache poisoning... Any medium or high finding fails."""
    result = subprocess.run([_tool("zizmor"), "--offline", "--format", "json", "--min-severity", "medium",
                             "--no-progress", str(GITHUB)], capture_output=True, text=True, cwd=REPO)
    assert result.stdout.strip(), result.stderr
    findings = [f"{f['ident']} ({f['determinations']['severity']}): {f['desc']} – "
                f"{f['locations'][0]['symbolic']['key']}" for f in json.loads(result.stdout)]
    assert findings == []


@pytest.mark.parametrize(("schema", "path"), [
    *(("vendor.github-workflows", p) for p in WORKFLOWS),
    *(("vendor.github-issue-forms", p) for p in FORMS),
    ("vendor.dependabot", GITHUB / "dependabot.yml"),
], ids=lambda value: value.name if isinstance(value, Path) else value)
def test_check_jsonschema_accepts(schema, path):
    result = subprocess.run([_tool("check-jsonschema"), "--builtin-schema", schema, str(path)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_every_job_has_a_time_limit_and_its_own_permissions(path):
    workflow = _workflow(path)
    assert workflow.get("permissions") == {}, "permissions belong to jobs"
    for name, job in workflow["jobs"].items():
        assert int(job["timeout-minutes"]) <= 30, name
        assert isinstance(job.get("permissions"), dict), name


def _steps(workflow: dict) -> list[dict]:
    return [step for job in workflow["jobs"].values() for step in job["steps"]]


def test_the_issue_bot_workflow_follows_the_core():
    workflow = _workflow(GITHUB / "workflows/from-issue.yml")
    assert workflow["concurrency"] == {"group": "from-issue-${{ github.event.issue.number }}",
                                       "cancel-in-progress": "false"}
    steps = _steps(workflow)
    (create,) = [s for s in steps if s.get("uses", "").startswith("peter-evans/create-pull-request@")]
    assert create["with"]["add-paths"] == "${{ steps.plan.outputs.paths }}"
    assert create["with"]["commit-message"] == bot.commit_message("${{ github.event.issue.number }}")
    assert create["if"] == "steps.plan.outputs.action == 'open' || steps.plan.outputs.action == 'update'"
    assert f"github.event.label.name == '{bot.UPDATE_LABEL}'" in str(steps)
    (read,) = [s for s in steps if s.get("id") == "convert"]
    assert read["env"]["ISSUE_CREATED_AT"] == "${{ github.event.issue.created_at }}"
    # The record's received date is the issue's creation time, read from the environment (never ${{ }} in run:).
    command = " ".join(read["run"].replace("\\\n", " ").split())
    assert 'kehto from-issue "$RUNNER_TEMP/issue.md"' in command and '--submitted "$ISSUE_CREATED_AT"' in command
    # A job that reads strangers' text saves no cache: the analysis cache is restored only, no pip cache.
    uses = [s.get("uses", "").split("@")[0] for s in steps]
    assert "actions/cache/restore" in uses and "actions/cache" not in uses
    assert not any("cache" in s.get("with", {}) for s in steps)


def _git(root: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=True).stdout


def test_the_bot_pull_request_holds_only_the_record(registry_dir, tmp_path, capsys):
    """What `pip install .` leaves behind (build/, *.egg-info) and the checked-out pull request
    branch stay out: `git add` of the paths bot-plan names (the workflow's add-paths, as
    create-pull-request runs it) stages the record file alone."""
    from test_submission import VALID_ISSUE

    _git(registry_dir, "init", "-q")
    _git(registry_dir, "add", ".")
    _git(registry_dir, "-c", "user.name=t", "-c", "user.email=t@t.invalid", "commit", "-qm", "base")
    for leftover in ("build/lib/kehto/cli.py", "src/kehto.egg-info/PKG-INFO", ".pr-head/practices/old.yml",
                     "practices/notes.txt"):
        (registry_dir / leftover).parent.mkdir(parents=True, exist_ok=True)
        (registry_dir / leftover).write_text("x\n", encoding="utf-8")
    body = tmp_path / "issue.md"
    body.write_text(VALID_ISSUE, encoding="utf-8")
    assert main(["--root", str(registry_dir), "from-issue", str(body), "--write"]) == 0
    capsys.readouterr()
    assert main(["--root", str(registry_dir), "bot-plan", "--issue", "7", "--event", "opened",
                 "--output", str(tmp_path / "bot")]) == 0
    outputs = dict(line.split("=", 1) for line in capsys.readouterr().out.splitlines())
    assert outputs["action"] == "open"
    _git(registry_dir, "add", "--", *outputs["paths"].split(","))
    staged = _git(registry_dir, "diff", "--cached", "--name-only").split()
    assert staged == ["practices/kesatyontekijoiden-yhteinen-aloituspaiva.yml"]
