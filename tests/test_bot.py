"""The issue bot's rule: an edit reaches the pull request by itself only before review; after
that it is reported with the changed fields and waits for a maintainer's label."""

from __future__ import annotations

import json
import subprocess

import markdown
import pytest

from kehto import bot
from kehto.cli import main
from test_submission import VALID_ISSUE

ISSUE = 7
PATH = "practices/kesatyontekijoiden-yhteinen-aloituspaiva.yml"


def _gh(number=12, state="OPEN", reviews=(), commits=None, files=(PATH,)):
    """One pull request as ``gh pr list --json number,state,reviews,files,commits`` prints it."""
    commits = commits if commits is not None else [bot.commit_message(ISSUE)]
    return {"number": number, "state": state,
            "reviews": [{"author": {"login": "yllapitaja"}, "state": s, "body": ""} for s in reviews],
            "files": [{"path": p, "additions": 10, "deletions": 0} for p in files],
            "commits": [{"oid": f"{i:040x}", "messageHeadline": m, "authors": []} for i, m in enumerate(commits)]}


CHANGED = [bot.FileChange(PATH, "changed", (("title", "changed"),), "-a\n+b")]


@pytest.mark.parametrize(("event", "label", "pr", "changes", "action", "reason"), [
    ("opened", "", None, None, "open", "new"),
    ("edited", "", _gh(), CHANGED, "update", "unreviewed"),
    ("edited", "", _gh(), [], "none", "unchanged"),
    ("edited", "", _gh(reviews=["APPROVED"]), CHANGED, "hold", "reviewed"),
    ("edited", "", _gh(reviews=["COMMENTED"]), CHANGED, "hold", "reviewed"),
    ("edited", "", _gh(reviews=["PENDING"]), CHANGED, "update", "unreviewed"),  # a draft review nobody sees
    ("edited", "", _gh(commits=[bot.commit_message(ISSUE), "Korjaa kirjoitusvirhe"]), CHANGED, "hold",
     "maintainer-commits"),
    ("labeled", "kehittamisteko", _gh(reviews=["APPROVED"]), CHANGED, "hold", "reviewed"),
    ("labeled", bot.UPDATE_LABEL, _gh(reviews=["APPROVED"]), CHANGED, "update", "maintainer"),
    ("labeled", bot.UPDATE_LABEL, _gh(reviews=["APPROVED"]), [], "none", "unchanged"),
    ("edited", "", _gh(state="CLOSED"), None, "hold", "closed"),
    ("edited", "", _gh(state="MERGED"), None, "hold", "merged"),
    ("labeled", bot.UPDATE_LABEL, _gh(state="CLOSED"), None, "open", "reopened"),
])
def test_the_rule(event, label, pr, changes, action, reason):
    decision = bot.decide(event, label, pr and bot.PullRequest.from_gh(pr, ISSUE), changes)
    assert (decision.action, decision.reason) == (action, reason)


def test_the_open_pull_request_is_the_one_that_counts():
    items = [_gh(3, "CLOSED"), _gh(9, "OPEN"), _gh(5, "MERGED")]
    assert bot.current_pull_request(items, ISSUE).number == 9
    assert bot.current_pull_request(items[::2], ISSUE).number == 5
    assert bot.current_pull_request([], ISSUE) is None


def test_changes_name_the_fields():
    old = {PATH: "id: x\ntitle: Vanha otsikko\nkeywords: [a]\n", "data/organisations/o.yml": "id: o\n"}
    new = {PATH: "id: x\ntitle: Uusi otsikko\nsummary: Lisätty tiivistelmä\n", "data/adoptions/a.yml": "id: a\n"}
    changes = {c.path: c for c in bot.record_changes(old, new)}
    assert changes[PATH].fields == (("title", "changed"), ("summary", "added"), ("keywords", "removed"))
    assert "\n-title: Vanha otsikko\n" in changes[PATH].diff and "\n+title: Uusi otsikko\n" in changes[PATH].diff
    assert (changes["data/organisations/o.yml"].status, changes["data/adoptions/a.yml"].status) == ("removed", "added")
    assert bot.record_changes(old, dict(old)) == []
    text = bot.changes_markdown(list(changes.values()), {"practices": {"title": "Otsikko"}})
    assert f"- `{PATH}`: **Otsikko** (`title`) muutettu, `summary` lisätty, `keywords` poistettu" in text


def test_user_text_in_the_diff_renders_as_nothing_but_code():
    """The diff repeats the author's text: links, images, @-mentions and backtick runs in it stay
    literal code (the fence is longer than any backtick run in the text)."""
    hostile = "[Klikkaa tästä](https://evil.example/phish) ![x](https://evil.example/i.png) @yllapitaja ```` lopetus"
    change = bot.record_changes({PATH: "title: Vanha\n"}, {PATH: f"title: '{hostile}'\n"})
    text = bot.changes_markdown(change, {})
    html = markdown.markdown(text, extensions=["fenced_code"])
    assert "<a " not in html and "<img" not in html
    code = html.split("<code", 1)[1]
    assert "evil.example/phish" in code and "@yllapitaja" in code
    assert "`````diff" in text


def _repo(registry_dir):
    def git(*args):
        subprocess.run(["git", *args], cwd=registry_dir, check=True, capture_output=True)

    git("init", "-q")
    git("add", ".")
    git("-c", "user.name=t", "-c", "user.email=t@t.invalid", "commit", "-qm", "base")


def _run(registry_dir, tmp_path, capsys, issue_text, pull_requests, pr_tree_files=None, event="edited", label=""):
    """From-issue, then bot-plan, as the workflow runs them; returns (outputs, issue comment, pr comment)."""
    body, comment = tmp_path / "issue.md", tmp_path / "comment.md"
    body.write_text(issue_text, encoding="utf-8")
    status = main(["--root", str(registry_dir), "from-issue", str(body), "--write", "--comment", str(comment)])
    prs = tmp_path / "prs.json"
    prs.write_text(json.dumps(pull_requests), encoding="utf-8")
    tree = tmp_path / "pr-head"
    for path, text in (pr_tree_files or {}).items():
        (tree / path).parent.mkdir(parents=True, exist_ok=True)
        (tree / path).write_text(text, encoding="utf-8")
    capsys.readouterr()
    assert main(["--root", str(registry_dir), "bot-plan", "--issue", str(ISSUE), "--event", event, "--label", label,
                 "--check-status", str(status), "--check-comment", str(comment), "--pull-requests", str(prs),
                 "--pr-tree", str(tree), "--output", str(tmp_path / "bot")]) == 0
    outputs = dict(line.split("=", 1) for line in capsys.readouterr().out.splitlines())
    read = lambda name: (tmp_path / "bot" / name).read_text(encoding="utf-8")  # noqa: E731
    return outputs, read("issue-comment.md"), read("pr-comment.md")


@pytest.fixture
def reviewed_record(registry_dir, tmp_path, capsys):
    """The record as the bot first wrote it, i.e. what a reviewed pull request holds."""
    _repo(registry_dir)
    outputs, _, _ = _run(registry_dir, tmp_path, capsys, VALID_ISSUE, [], event="opened")
    assert outputs["action"] == "open" and outputs["paths"] == PATH
    text = (registry_dir / PATH).read_text(encoding="utf-8")
    (registry_dir / PATH).unlink()
    return text


EDITED = VALID_ISSUE.replace("Aloituspäivä koottiin yhdessä", "Aloituspäivä koottiin [tästä](https://evil.example) yhdessä")


def test_an_edit_after_review_is_reported_not_pushed(registry_dir, tmp_path, capsys, reviewed_record):
    outputs, issue_comment, pr_comment = _run(registry_dir, tmp_path, capsys, EDITED,
                                              [_gh(reviews=["APPROVED"])], {PATH: reviewed_record})
    assert (outputs["action"], outputs["pr"]) == ("hold", "12")
    assert "avataan pull request" not in issue_comment and "ei kuitenkaan muutu" in issue_comment
    assert "**Mitä tehtiin** (`actions`) muutettu" in pr_comment and f"`{bot.UPDATE_LABEL}`" in pr_comment
    assert "+  Aloituspäivä koottiin [tästä](https://evil.example) yhdessä" in pr_comment


def test_an_edit_before_review_updates_and_says_what_changed(registry_dir, tmp_path, capsys, reviewed_record):
    outputs, issue_comment, pr_comment = _run(registry_dir, tmp_path, capsys, EDITED, [_gh()], {PATH: reviewed_record})
    assert outputs["action"] == "update" and outputs["paths"] == PATH
    assert "Päivitän pull requestin #12" in issue_comment
    assert "ennen katselmointia" in pr_comment and "**Mitä tehtiin** (`actions`) muutettu" in pr_comment


def test_the_maintainers_label_lets_the_edit_through(registry_dir, tmp_path, capsys, reviewed_record):
    outputs, _, pr_comment = _run(registry_dir, tmp_path, capsys, EDITED, [_gh(reviews=["CHANGES_REQUESTED"])],
                                  {PATH: reviewed_record}, event="labeled", label=bot.UPDATE_LABEL)
    assert outputs["action"] == "update"
    assert f"tunnisteella `{bot.UPDATE_LABEL}`" in pr_comment


def test_an_unchanged_record_leaves_the_pull_request_alone(registry_dir, tmp_path, capsys, reviewed_record):
    outputs, issue_comment, pr_comment = _run(registry_dir, tmp_path, capsys, VALID_ISSUE,
                                              [_gh(reviews=["APPROVED"])], {PATH: reviewed_record})
    assert outputs["action"] == "none" and "sama kuin pull requestissa #12" in issue_comment and pr_comment == ""
    (registry_dir / PATH).unlink()  # each workflow run starts from a fresh checkout
    quiet = _run(registry_dir, tmp_path, capsys, VALID_ISSUE, [_gh()], {PATH: reviewed_record},
                 event="labeled", label="tarkistettava")
    assert quiet[0]["action"] == "none" and quiet[1:] == ("", "")


def test_an_invalid_edit_only_lists_its_problems(registry_dir, tmp_path, capsys, reviewed_record):
    broken = VALID_ISSUE.replace("2024-06-01", "1.6.2024")
    outputs, issue_comment, pr_comment = _run(registry_dir, tmp_path, capsys, broken, [_gh()], {PATH: reviewed_record})
    assert outputs["action"] == "none" and outputs["paths"] == ""
    assert "Tarkistuksessa löytyi korjattavaa" in issue_comment and pr_comment == ""
