"""What the issue bot may do to its pull request when an issue changes.

The "Teko issuesta" workflow turns an issue into a record file and a pull request
on the branch ``teko/issue-<n>``. It runs again when the issue is edited or
labelled. The rule a maintainer can rely on:

- The bot updates its pull request by itself only while the pull request is
  open, nobody has reviewed it, and it holds only the bot's own commit.
- Otherwise an edit changes nothing in the pull request: the bot comments on the
  issue and on the pull request which fields changed (a field-level diff against
  the pull request's files), and waits. A maintainer accepts the edit by adding
  the label :data:`UPDATE_LABEL` to the issue (adding labels needs triage rights,
  so the author cannot do it); the bot then updates the pull request and names
  the changes on it again.

Every push to an existing pull request comes with such a comment, so nothing in a
pull request changes without a visible record of what changed. The workflow only
gathers facts (``gh pr list``) and carries out :func:`plan`'s decision.
"""

from __future__ import annotations

import difflib
import json
import subprocess
from dataclasses import dataclass
from pathlib import Path

from . import schemas, yamlio
from .kinds import KINDS
from .mdliteral import code_span, fenced
from .kinds import kind as _kind

UPDATE_LABEL = "paivita-pr"
# The record kinds an issue can add; a bot pull request holds files of these folders only.
# The workflow commits exactly the files :func:`written_records` names (``add-paths``), not
# "everything": ``pip install .`` leaves build/ and *.egg-info in the work tree. (Fixed globs
# would not do: git refuses the whole ``git add`` when one pattern matches no file.)
ISSUE_KINDS = tuple(k.name for k in KINDS if k.by_issue)
RECORD_PATHS = tuple(f"{_kind(kind).folder}/*.yml" for kind in ISSUE_KINDS)
OPEN, UPDATE, HOLD, NONE = "open", "update", "hold", "none"


def commit_message(issue: int) -> str:
    """The bot's commit message; a commit with any other message on the branch is a maintainer's."""
    return f"Add record from issue #{issue}"


@dataclass(frozen=True)
class PullRequest:
    """The facts about the bot's pull request for one issue that the rule needs."""

    number: int
    state: str  # OPEN, CLOSED or MERGED (as gh reports it)
    reviewed: bool  # someone has submitted a review (approval, change request or comment)
    foreign_commits: bool  # the branch has commits the bot did not make
    files: tuple[str, ...] = ()

    @classmethod
    def from_gh(cls, item: dict, issue: int) -> PullRequest:
        """One entry of ``gh pr list --json number,state,reviews,files,commits``."""
        reviews = [r for r in item.get("reviews") or () if r.get("state") != "PENDING"]
        ours = commit_message(issue)
        return cls(int(item["number"]), str(item.get("state", "OPEN")).upper(), bool(reviews),
                   any(c.get("messageHeadline") != ours for c in item.get("commits") or ()),
                   tuple(sorted(f["path"] for f in item.get("files") or ())))


def current_pull_request(items: list[dict], issue: int) -> PullRequest | None:
    """The pull request the issue's branch belongs to: the open one, else the newest."""
    if not items:
        return None
    newest = max(items, key=lambda item: (str(item.get("state")).upper() == "OPEN", int(item["number"])))
    return PullRequest.from_gh(newest, issue)


@dataclass(frozen=True)
class FileChange:
    """How one record file differs between the pull request and the issue now."""

    path: str
    status: str  # added, removed, changed
    fields: tuple[tuple[str, str], ...] = ()  # (field, added|removed|changed)
    diff: str = ""


def record_changes(old: dict[str, str], new: dict[str, str]) -> list[FileChange]:
    """Field-level differences between two sets of record files (path → text)."""
    changes = []
    for path in sorted(old.keys() | new.keys()):
        before, after = old.get(path), new.get(path)
        if before == after:
            continue
        diff = "\n".join(difflib.unified_diff((before or "").splitlines(), (after or "").splitlines(),
                                              f"a/{path}", f"b/{path}", lineterm="", n=1))
        status = "added" if before is None else "removed" if after is None else "changed"
        fields = _field_changes(before, after) if status == "changed" else ()
        changes.append(FileChange(path, status, fields, diff))
    return changes


def _field_changes(before: str, after: str) -> tuple[tuple[str, str], ...]:
    try:
        old, new = yamlio.parse(before).data, yamlio.parse(after).data
    except yamlio.YamlError:
        return ()
    if not isinstance(old, dict) or not isinstance(new, dict):
        return ()
    order = list(new) + [key for key in old if key not in new]
    return tuple((key, "added" if key not in old else "removed" if key not in new else "changed")
                 for key in order if old.get(key, _MISSING) != new.get(key, _MISSING))


_MISSING = object()


@dataclass(frozen=True)
class Decision:
    """What the workflow does: ``action`` is open, update, hold or none; ``reason`` says why."""

    action: str
    reason: str
    pull_request: PullRequest | None = None


def decide(event: str, label: str, pr: PullRequest | None, changes: list[FileChange] | None) -> Decision:
    """The rule (see the module docstring). ``changes`` is None when the pull request's files are unknown."""
    maintainer = event == "labeled" and label == UPDATE_LABEL
    if pr is None:
        return Decision(OPEN, "new", None)
    if pr.state != "OPEN":
        return Decision(OPEN, "reopened", pr) if maintainer else Decision(HOLD, pr.state.lower(), pr)
    if changes is not None and not changes:
        return Decision(NONE, "unchanged", pr)
    if maintainer:
        return Decision(UPDATE, "maintainer", pr)
    if pr.reviewed:
        return Decision(HOLD, "reviewed", pr)
    if pr.foreign_commits:
        return Decision(HOLD, "maintainer-commits", pr)
    return Decision(UPDATE, "unreviewed", pr)


_FIELD_WORDS = {"added": "lisätty", "removed": "poistettu", "changed": "muutettu"}
_FILE_WORDS = {"added": "uusi tiedosto", "removed": "tiedosto poistuu"}


def changes_markdown(changes: list[FileChange], labels: dict[str, dict[str, str]]) -> str:
    """The changes as a Finnish list of fields, then the exact diff; user text only inside code."""
    lines = ["Muuttuneet kohdat:", ""]
    for change in changes:
        if change.status in _FILE_WORDS:
            what = _FILE_WORDS[change.status]
        elif change.fields:
            names = labels.get(change.path.rsplit("/", 1)[0], {})
            what = ", ".join(f"{_label(names, key)} {_FIELD_WORDS[how]}" for key, how in change.fields)
        else:
            what = "vain muotoilu muuttui"
        lines.append(f"- {code_span(change.path)}: {what}")
    diff = "\n".join(change.diff for change in changes if change.diff)
    return "\n".join(lines) + ("\n\n" + fenced(diff, "diff") if diff else "") + "\n"


def _label(names: dict[str, str], key: str) -> str:
    return f"**{names[key]}** ({code_span(key)})" if key in names else code_span(key)


def field_labels(schema_dir: Path) -> dict[str, dict[str, str]]:
    """Each issue kind's folder → its fields' Finnish titles from the schema."""
    out = {}
    for kind in ISSUE_KINDS:
        schema = schemas.load_schema(str(schema_dir), _kind(kind).schema)
        out[_kind(kind).folder] = {key: spec.get("title", key) for key, spec in schema.get("properties", {}).items()}
    return out


def written_records(root: Path) -> dict[str, str]:
    """The record files the work tree adds or changes (what ``add-paths`` commits), path → text."""
    result = subprocess.run(["git", "status", "--porcelain=v1", "-z", "--untracked-files=all", "--", *RECORD_PATHS],
                            cwd=root, capture_output=True, text=True, check=True)
    entries = [entry for entry in result.stdout.split("\0") if entry]
    paths = [entry[3:] for entry in entries if "D" not in entry[:2]]
    return {path: (root / path).read_text(encoding="utf-8") for path in sorted(paths)}


def pull_request_records(tree: Path, pr: PullRequest) -> dict[str, str]:
    """The pull request's files as they stand on its branch (checked out in ``tree``)."""
    return {path: (tree / path).read_text(encoding="utf-8") for path in pr.files if (tree / path).is_file()}


@dataclass(frozen=True)
class Plan:
    """The decision and the comments to post (empty text: post nothing)."""

    decision: Decision
    issue_comment: str
    pr_comment: str


def plan(issue: int, event: str, label: str, pull_requests: list[dict], written: dict[str, str],
         pr_files: dict[str, str] | None, check_comment: str, labels: dict[str, dict[str, str]]) -> Plan:
    """Decide, and word the comments. ``pr_files`` is None when the pull request's branch was not read."""
    pr = current_pull_request(pull_requests, issue)
    changes = record_changes(pr_files, written) if pr_files is not None and pr is not None else None
    decision = decide(event, label, pr, changes)
    maintainer = event == "labeled" and label == UPDATE_LABEL
    issue_text, pr_text = _comments(issue, event, maintainer, decision, changes or [], labels)
    return Plan(decision, issue_text if issue_text is not None else check_comment, pr_text)


def _comments(issue: int, event: str, maintainer: bool, decision: Decision, changes: list[FileChange],
              labels: dict[str, dict[str, str]]) -> tuple[str | None, str]:
    """(issue comment or None for the check result as is, pull request comment)."""
    pr, why = decision.pull_request, decision.reason
    listed = "\n" + changes_markdown(changes, labels) if changes else ""
    ask = f"Ylläpitäjä: jos muutokset kelpaavat, lisää issueen tunniste `{UPDATE_LABEL}`, niin päivitän pull requestin."
    if decision.action == OPEN:
        return None, ""
    if decision.action == NONE:  # nothing to change: answer an edit or a maintainer's request, stay quiet otherwise
        if event == "edited" or maintainer:
            return (f"Tarkistin muokatun issuen: tietue on sama kuin pull requestissa #{pr.number}, "
                    "joten siihen ei tullut muutoksia.\n", "")
        return "", ""
    if decision.action == UPDATE:
        overwritten = ("\n\nHaaran aiemmat ylläpitäjän commitit korvautuvat tällä päivityksellä."
                       if pr.foreign_commits else "")
        who = (f"Ylläpitäjä pyysi tunnisteella `{UPDATE_LABEL}` päivittämään tämän pull requestin issuen #{issue} tiedoilla."
               if why == "maintainer" else f"Issueta #{issue} muokattiin ennen katselmointia, joten päivitin tämän pull requestin.")
        return (f"Kiitos! Tarkistin muokatun issuen, ja tiedot ovat kunnossa. Päivitän pull requestin #{pr.number}.\n{listed}",
                f"{who}{overwritten}\n{listed}")
    if why in ("closed", "merged"):
        state = "suljettu" if why == "closed" else "jo yhdistetty"
        return (f"Tarkistin muokatun issuen, ja tiedot ovat kunnossa. Pull request #{pr.number} on {state}, joten "
                f"muutokset eivät avaa uutta pull requestia. Ylläpitäjä voi avata uuden lisäämällä issueen tunnisteen "
                f"`{UPDATE_LABEL}`.\n", "")
    because = ("sitä on jo katselmoitu" if why == "reviewed" else "siihen on jo tehty ylläpitäjän muutoksia")
    return (f"Tarkistin muokatun issuen, ja tiedot ovat kunnossa. Pull request #{pr.number} ei kuitenkaan muutu "
            f"automaattisesti, koska {because}: ylläpitäjä tarkistaa muutokset ensin.\n{listed}",
            f"Issueta #{issue} muokattiin, mutta tämä pull request ei muuttunut, koska {because}. {ask}\n{listed}")


def cmd_bot_plan(args, project) -> int:
    """``kehto bot-plan``: print ``action=``, ``reason=``, ``pr=`` and ``paths=`` lines (the workflow's
    step outputs), write the comments to ``issue-comment.md`` and ``pr-comment.md``."""
    items = json.loads(args.pull_requests.read_text(encoding="utf-8")) if args.pull_requests else []
    pr = current_pull_request(items, args.issue)
    tree = args.pr_tree if args.pr_tree and args.pr_tree.is_dir() else None
    pr_files = pull_request_records(tree, pr) if tree is not None and pr is not None else None
    check = args.check_comment.read_text(encoding="utf-8") if args.check_comment and args.check_comment.is_file() else ""
    written = written_records(project.root) if args.check_status == 0 else {}
    if args.check_status != 0:  # the issue did not pass: its problems are the only comment, nothing else moves
        result = Plan(Decision(NONE, "invalid", pr), check, "")
    else:
        result = plan(args.issue, args.event, args.label or "", items, written, pr_files,
                      check, field_labels(project.schema_dir))
    args.output.mkdir(parents=True, exist_ok=True)
    for name, text in (("issue-comment.md", result.issue_comment), ("pr-comment.md", result.pr_comment)):
        (args.output / name).write_text(text, encoding="utf-8")
    print(f"action={result.decision.action}")
    print(f"reason={result.decision.reason}")
    print(f"pr={result.decision.pull_request.number if result.decision.pull_request else ''}")
    print(f"paths={','.join(written)}")  # record paths are ids: no commas, no spaces
    return 0
