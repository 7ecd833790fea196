"""The service's own clone of the registry (a bare repository in the data folder).

Every change is built with git plumbing on top of the remote's main: a temporary
index read from main, the submitted blobs written into it, ``write-tree`` and
``commit-tree``. No working tree is ever checked out, so nothing is left half
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

    def build_commit(self, base: str, files: dict[str, str], message: str) -> str:
        """A commit on top of ``base`` that adds or replaces exactly ``files`` (``{path: text}``)."""
        with tempfile.TemporaryDirectory(prefix="kehto-index-") as folder:
            env = {"GIT_INDEX_FILE": str(Path(folder) / "index")}
            self.git("read-tree", base, env=env)
            for path, text in sorted(files.items()):
                blob = self.git("hash-object", "-w", "--stdin", data=text.encode("utf-8"))
                self.git("update-index", "--add", "--cacheinfo", f"100644,{blob},{path}", env=env)
            tree = self.git("write-tree", env=env)
        return self.git("commit-tree", tree, "-p", base, data=message.encode("utf-8"))

    def push(self, commit: str, branch: str) -> None:
        """Create ``branch`` on the remote at ``commit``; never forced, so an existing branch is kept."""
        self.git("push", "--quiet", "origin", f"{commit}:refs/heads/{branch}")

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
