"""The service's own clone of the registry (a bare repository in the data folder).

Every change is built with git plumbing on top of the remote's main (``git
fast-import``: blobs, trees and a commit per submission, a batch in one process).
No working tree is ever checked out, so nothing is left half
done by a crash; the only visible step is the push of ``intake/<receipt>``, which
is checked before it is retried (same files on the remote branch: done).

Validation needs the registry as files: :meth:`Repo.snapshot` unpacks a commit of
main into ``snapshots/<sha>/`` once, and the service checks against the newest.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tarfile
import tempfile
import time
from pathlib import Path

BRANCH_PREFIX = "intake/"
_IDENTITY = {"GIT_AUTHOR_NAME": "kehto intake", "GIT_AUTHOR_EMAIL": "intake@kehto.invalid",
             "GIT_COMMITTER_NAME": "kehto intake", "GIT_COMMITTER_EMAIL": "intake@kehto.invalid"}


class GitError(Exception):
    """A git command failed; the message is git's own (for the log and ``last_error``)."""


class Repo:
    """A bare clone of the registry remote at ``<data dir>/registry.git``."""

    def __init__(self, data_dir: Path, remote: str, main: str = "main", timeout: float = 120):
        self.data_dir = Path(data_dir)
        self.git_dir = self.data_dir / "registry.git"
        self.remote, self.main, self.timeout = remote, main, timeout
        self.main_ref = f"refs/remotes/origin/{main}"

    def git(self, *args: str, data: bytes | None = None, env: dict | None = None) -> str:
        command = ["git", "--git-dir", str(self.git_dir), *args]
        environment = {**os.environ, **_IDENTITY, "GIT_TERMINAL_PROMPT": "0", **(env or {})}
        try:
            result = subprocess.run(command, input=data, capture_output=True, env=environment, timeout=self.timeout)
        except subprocess.TimeoutExpired:
            raise GitError(f"git {args[0]}: aikakatkaisu {self.timeout:.0f} s") from None
        if result.returncode != 0:
            raise GitError(f"git {args[0]}: {result.stderr.decode('utf-8', 'replace').strip()[:1000]}")
        return result.stdout.decode("utf-8", "replace").strip()

    def ensure(self) -> None:
        """Create the bare clone on first use and point it at the configured remote."""
        if not self.git_dir.is_dir():
            self.data_dir.mkdir(parents=True, exist_ok=True)
            subprocess.run(["git", "init", "--quiet", "--bare", str(self.git_dir)], check=True, capture_output=True)
        try:
            self.git("remote", "set-url", "origin", self.remote)
        except GitError:
            self.git("remote", "add", "origin", self.remote)

    def fetch_main(self) -> str:
        """Fetch the remote's main; its commit id."""
        self.git("fetch", "--quiet", "--no-tags", "origin", f"+refs/heads/{self.main}:{self.main_ref}")
        return self.git("rev-parse", self.main_ref)

    def local_main(self) -> str | None:
        try:
            return self.git("rev-parse", "--verify", "--quiet", self.main_ref)
        except GitError:
            return None

    def remote_branches(self) -> dict[str, str]:
        """``{branch name: commit}`` of every ``intake/`` branch on the remote."""
        out = self.git("ls-remote", "--heads", "origin", f"refs/heads/{BRANCH_PREFIX}*")
        heads = (line.split("\t") for line in out.splitlines() if "\t" in line)
        return {ref.removeprefix("refs/heads/"): sha for sha, ref in heads}

    def blob_id(self, text: str) -> str:
        return self.git("hash-object", "--stdin", data=text.encode("utf-8"))

    def blobs_at(self, commit: str, paths: list[str]) -> dict[str, str]:
        """``{path: blob id}`` of ``paths`` in ``commit`` (missing paths are left out)."""
        out = self.git("ls-tree", "-r", commit, "--", *paths)
        return {line.split("\t", 1)[1]: line.split()[2] for line in out.splitlines() if "\t" in line}

    def fetch_branch(self, branch: str) -> str:
        self.git("fetch", "--quiet", "--no-tags", "origin", f"+refs/heads/{branch}:refs/{branch}")
        return self.git("rev-parse", f"refs/{branch}")

    def changed_paths(self, commit: str) -> set[str]:
        """The files ``commit`` changes relative to its first parent."""
        out = self.git("diff-tree", "--no-commit-id", "--name-only", "-r", f"{commit}^", commit)
        return set(out.splitlines())

    def build_commits(self, base: str, changes: dict[str, tuple[dict[str, str], str]]) -> dict[str, str]:
        """One commit per branch on top of ``base``, adding or replacing exactly its files, in one git process.

        ``changes`` maps a branch name to ``({path: text}, commit message)``; returns
        ``{branch: commit}``. ``git fast-import`` writes every blob, tree and commit
        of a batch at once (a process per submission was the hand-off's bottleneck).
        """
        stream, now = [], int(time.time())
        for branch, (files, message) in changes.items():
            text = message.encode("utf-8")
            stream += [f"commit refs/kehto-build/{branch}\n".encode(),
                       f"committer kehto intake <intake@kehto.invalid> {now} +0000\n".encode(),
                       f"data {len(text)}\n".encode(), text, b"\n", f"from {base}\n".encode()]
            for path, content in sorted(files.items()):
                data = content.encode("utf-8")
                stream += [f"M 100644 inline {path}\n".encode(), f"data {len(data)}\n".encode(), data, b"\n"]
            stream.append(b"\n")
        self.git("fast-import", "--quiet", "--force", data=b"".join(stream))
        out = self.git("for-each-ref", "--format=%(refname) %(objectname)", "refs/kehto-build/")
        built = dict(line.split() for line in out.splitlines())
        return {branch: built[f"refs/kehto-build/{branch}"] for branch in changes}

    def push(self, commits: dict[str, str]) -> dict[str, str]:
        """Create each branch on the remote at its commit, in one push, never forced.

        Returns ``{branch: error}`` for the branches the remote refused (empty when all
        were created); an existing branch is refused, never overwritten.
        """
        refspecs = [f"{commit}:refs/heads/{branch}" for branch, commit in commits.items()]
        command = ["git", "--git-dir", str(self.git_dir), "push", "--porcelain", "origin", *refspecs]
        try:
            result = subprocess.run(command, capture_output=True, env={**os.environ, "GIT_TERMINAL_PROMPT": "0"},
                                    timeout=self.timeout)
        except subprocess.TimeoutExpired:
            return {branch: f"git push: aikakatkaisu {self.timeout:.0f} s" for branch in commits}
        out, err = (stream.decode("utf-8", "replace") for stream in (result.stdout, result.stderr))
        created = set()
        for line in out.splitlines():
            parts = line.split("\t")
            if len(parts) >= 2 and parts[0] in ("*", " ", "=", "+") and ":refs/heads/" in parts[1]:
                created.add(parts[1].split(":refs/heads/", 1)[1])
        reason = f"git push: {(err.strip() or out.strip())[:1000]}"
        return {branch: reason for branch in commits if branch not in created}

    def is_ancestor(self, commit: str, ref: str) -> bool:
        try:
            self.git("merge-base", "--is-ancestor", commit, ref)
            return True
        except GitError:
            return False

    def snapshot(self, commit: str) -> Path:
        """The files of ``commit`` unpacked under ``snapshots/<commit>/`` (made once, then reused)."""
        folder = self.data_dir / "snapshots" / commit
        if folder.is_dir():
            return folder
        folder.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".unpack-", dir=folder.parent))
        archive = subprocess.run(["git", "--git-dir", str(self.git_dir), "archive", "--format=tar", commit],
                                 capture_output=True, timeout=self.timeout)
        if archive.returncode != 0:
            shutil.rmtree(staging, ignore_errors=True)
            raise GitError(f"git archive: {archive.stderr.decode('utf-8', 'replace').strip()[:1000]}")
        with tempfile.TemporaryFile() as handle:
            handle.write(archive.stdout)
            handle.seek(0)
            with tarfile.open(fileobj=handle) as tar:
                tar.extractall(staging, filter="data")
        staging.rename(folder)
        return folder

    def prune_snapshots(self, keep: set[str]) -> None:
        """Remove unpacked snapshots other than ``keep`` (checks in flight use the newest two)."""
        base = self.data_dir / "snapshots"
        for folder in base.iterdir() if base.is_dir() else ():
            if folder.name not in keep:
                shutil.rmtree(folder, ignore_errors=True)
