"""The hand-off: every stored submission becomes exactly one branch (and pull request) in the remote.

Each step is idempotent, so a step cut short by a crash is simply done again:

- *received → pushed*: if ``intake/<receipt>`` already exists on the remote with
  exactly the submission's files, record it; otherwise build the commit on top of
  the remote's main and push it (never forced).
- *pushed → proposed* (only with a forge token): look for a pull request whose head
  is the branch (GitHub's list by head), open one only if there is none.
- *pushed/proposed → published | returned*, checked on every sync: published when
  the branch's commit or its files are in main (or the forge says merged); returned
  when the forge says closed unmerged (its last comment is the editor's message),
  or, without a forge, when the editors deleted the branch without merging it.

Failures are retried with exponential backoff and jitter; a claimed row carries a
lease, so a worker that died mid-step is replaced once the lease runs out.
"""

from __future__ import annotations

import logging
import random
import threading
import time
from pathlib import Path

from ..load import Project
from ..mdliteral import fenced
from . import check
from .config import Config
from .forge import ForgeError, GitHub
from .gitrepo import BRANCH_PREFIX, GitError, Repo
from .store import Store, files_of

log = logging.getLogger("kehto.intake")
BATCH = 50  # submissions pushed together (one fast-import, one push)
KIND_LABELS = {"practice": "Uusi teko", "adoption": "Otettu mallia", "correction": "Korjausehdotus"}


def branch_of(receipt: str) -> str:
    return BRANCH_PREFIX + receipt


def description(row, files: dict[str, str]) -> tuple[str, str]:
    """Title and text of the commit and the pull request; the submitter's message is fenced, never rendered."""
    title = f"{KIND_LABELS.get(row['kind'], row['kind'])}: {row['record_id']}"
    lines = [f"Kuitti: {row['receipt']}", f"Vastaanotettu: {row['received_at']}", "", "Tiedostot:"]
    lines += [f"- {path}" for path in sorted(files)]
    message = row["message"] or ""
    if message.strip():
        lines += ["", "Lähettäjän viesti:", "", fenced(message, "text")]
    lines += ["", "Lähetetty kehto-vastaanottopalvelun kautta; tarkista ja yhdistä tai sulje perustellen."]
    return title, "\n".join(lines) + "\n"


class Snapshots:
    """The registry as of the remote's newest main, unpacked for validation."""

    def __init__(self) -> None:
        self.project: Project | None = None
        self.commit: str | None = None

    def set(self, commit: str, folder: Path) -> None:
        self.project, self.commit = Project(folder), commit


class Worker:
    """Moves stored submissions through the hand-off; :meth:`run` is the loop of the worker thread."""

    def __init__(self, config: Config, store: Store, repo: Repo, snapshots: Snapshots):
        self.config, self.store, self.repo, self.snapshots = config, store, repo, snapshots
        self.forge = GitHub(config.github_api, config.github_repo, config.github_token) if config.forge_enabled else None
        self.wake = threading.Event()
        self.stopping = threading.Event()

    # -- the loop -------------------------------------------------------------------------------
    def run(self) -> None:
        next_sync = time.monotonic() + self.config.sync_seconds
        while not self.stopping.is_set():
            if time.monotonic() >= next_sync:
                self._guard(self.sync)
                next_sync = time.monotonic() + self.config.sync_seconds
            if not self._guard(self.step):
                self.wake.wait(self.config.poll_seconds)
                self.wake.clear()

    def stop(self) -> None:
        self.stopping.set()
        self.wake.set()

    @staticmethod
    def _guard(action) -> bool:
        try:
            return bool(action())
        except Exception:  # keep the loop alive whatever one step does; the row is retried
            log.exception("intake worker step failed")
            return False

    # -- one submission -------------------------------------------------------------------------
    def step(self) -> bool:
        """Advance due submissions by one step (a batch of pushes, one pull request); False when none was due."""
        rows = self.store.claim_due(("received",), self.config.lease_seconds, limit=BATCH)
        if rows:
            self._attempt(rows, self._push)
        proposed = self.store.claim_due(("pushed",), self.config.lease_seconds) if self.forge else []
        if proposed:
            self._attempt(proposed, lambda batch: self._propose(batch[0]))
        return bool(rows or proposed)

    def _attempt(self, rows, action) -> None:
        try:
            action(rows)
        except (GitError, ForgeError, OSError) as exc:
            for row in rows:
                self._retry(row, str(exc))

    def _retry(self, row, error: str) -> None:
        delay = min(self.config.retry_max, self.config.retry_base * 2 ** row["attempts"]) * random.uniform(0.5, 1.5)
        log.warning("intake %s: %s; retry in %.0f s", row["receipt"], " ".join(error.split()), delay)  # one line
        self.store.retry_later(row["receipt"], error, delay)

    def _push(self, rows) -> None:
        """Push the branches of ``rows`` (recording those already on the remote) in one git push."""
        remote = self.repo.remote_branches()
        todo = {}
        for row in rows:
            branch, files = branch_of(row["receipt"]), files_of(row)
            if branch not in remote:
                todo[branch] = (row, files)
                continue
            commit = self.repo.fetch_branch(branch)
            expected = {path: self.repo.blob_id(text) for path, text in files.items()}
            if self.repo.blobs_at(commit, list(files)) != expected or self.repo.changed_paths(commit) != set(files):
                self._retry(row, f"haara {branch} on jo olemassa, mutta sen tiedostot poikkeavat lähetyksestä")
                continue
            log.info("intake %s: branch already pushed", row["receipt"])
            self.store.advance(row["receipt"], "pushed", branch=branch, commit_sha=commit)
        if not todo:
            return
        base = self.repo.local_main() or self.repo.fetch_main()
        changes = {}
        for branch, (row, files) in todo.items():
            title, text = description(row, files)
            changes[branch] = (files, f"{title}\n\n{text}")
        commits = self.repo.build_commits(base, changes)
        refused = self.repo.push(commits)
        for branch, (row, _) in todo.items():
            if branch in refused:
                self._retry(row, refused[branch])
            else:
                log.info("intake %s: pushed %s", row["receipt"], branch)
                self.store.advance(row["receipt"], "pushed", branch=branch, commit_sha=commits[branch])
        if self.forge:
            self.wake.set()

    def _propose(self, row) -> None:
        branch = branch_of(row["receipt"])
        pull = self.forge.find_pull(branch)
        if pull is None:
            title, text = description(row, files_of(row))
            pull = self.forge.open_pull(branch, self.config.main_branch, title, text)
            log.info("intake %s: opened pull request %s", row["receipt"], pull.url)
        self.store.advance(row["receipt"], "proposed", pull_request=pull.url, pr_number=pull.number)

    # -- main and the editors' decisions --------------------------------------------------------
    def sync(self) -> bool:
        """Fetch main, refresh the validation snapshot, and settle published / returned submissions."""
        main = self.repo.fetch_main()
        self.refresh_snapshot(main)
        branches = self.repo.remote_branches()
        for row in self.store.open_rows():
            try:
                self._settle(row, main, branches)
            except (GitError, ForgeError) as exc:
                log.warning("intake %s: status check failed: %s", row["receipt"], exc)
        return False

    def refresh_snapshot(self, main: str) -> None:
        if main != self.snapshots.commit:
            previous, previous_project = self.snapshots.commit, self.snapshots.project
            project = Project(self.repo.snapshot(main))
            check.warm(project, previous_project)
            self.snapshots.set(main, project.root)
            self.repo.prune_snapshots({main, previous} - {None})

    def _settle(self, row, main: str, branches: dict[str, str]) -> None:
        files = files_of(row)
        if self._in_main(row, main, files):
            self.store.advance(row["receipt"], "published")
            log.info("intake %s: published", row["receipt"])
        elif self.forge and row["pr_number"]:
            pull = self.forge.get_pull(row["pr_number"])
            if pull.merged:
                self.store.advance(row["receipt"], "published")
            elif pull.state == "closed":
                self.store.advance(row["receipt"], "returned", editor_message=self.forge.last_comment(pull.number))
        elif not self.forge and branch_of(row["receipt"]) not in branches:
            self.store.advance(row["receipt"], "returned")
            log.info("intake %s: returned (branch deleted unmerged)", row["receipt"])

    def _in_main(self, row, main: str, files: dict[str, str]) -> bool:
        if row["commit_sha"] and self.repo.is_ancestor(row["commit_sha"], main):
            return True
        present = self.repo.blobs_at(main, list(files)) if files else {}
        if row["kind"] != "correction":
            return bool(files) and set(present) == set(files)  # merged, perhaps squashed or edited
        return bool(files) and present == {path: self.repo.blob_id(text) for path, text in files.items()}
