"""HTML validity of a built site with the Nu HTML Checker (vnu.jar from the npm package vnu-jar).

Every page goes through one JVM run. Newsletter snippets (``uutiskirje.html``) are HTML
fragments by design, to paste into a newsletter's body: each is checked inside a minimal
document, as it stands once pasted. Messages caused by Material for MkDocs' own templates
are listed, with the reason, in ``html_allowlist.yml``; everything else is kehto's.

Outside CI a missing Java or vnu.jar skips the check; in CI (``CI=true``) it fails it.

Run ``python tests/htmlcheck.py site/`` for the figures of a built site.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

import yaml

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
VNU = REPO / "node_modules/vnu-jar/build/dist/vnu.jar"
ALLOWLIST = HERE / "html_allowlist.yml"
FRAGMENT = "uutiskirje.html"
# The newsletter a snippet is pasted into: its own title and h1, the snippet starts at h2.
_SHELL = ('<!DOCTYPE html>\n<html lang="fi"><head><meta charset="utf-8"><title>Uutiskirje</title></head>\n'
          "<body><h1>Uutiskirje</h1>\n{}</body></html>\n")


@dataclass(frozen=True)
class Message:
    """One finding: the file relative to the site, its kind (error or warning), text and markup."""

    file: str
    line: int | None
    kind: str
    text: str
    extract: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}  {self.kind}: {self.text}\n    {self.extract.strip()}"


@dataclass(frozen=True)
class Allowed:
    """A message of Material's markup: the exact message, the markup it is found in, and why."""

    message: str
    markup: str
    why: str

    def matches(self, m: Message) -> bool:
        return m.text == self.message and self.markup in m.extract


def missing_tool() -> str | None:
    """What is missing to run the checker, in Finnish, or None."""
    if not shutil.which("java"):
        return "Java puuttuu (asenna Debianin default-jre-headless)"
    if not VNU.exists():
        return "vnu.jar puuttuu (aja npm ci: make test tekee sen)"
    return None


def require_checker() -> None:
    """Skip the calling test without the checker, or fail it in CI, where nothing may be skipped."""
    import pytest

    problem = missing_tool()
    if problem and os.environ.get("CI"):
        pytest.fail(f"{problem}: CI:ssä HTML-tarkistus ei saa ohittua.")
    if problem:
        pytest.skip(problem)


def documents(site: Path, workdir: Path) -> dict[Path, str]:
    """The files to check, each with the name it is reported under (its path in the site)."""
    files = {}
    for path in sorted(site.rglob("*.html")):
        rel = path.relative_to(site).as_posix()
        if path.name == FRAGMENT:
            shelled = workdir / rel
            shelled.parent.mkdir(parents=True, exist_ok=True)
            shelled.write_text(_SHELL.format(path.read_text(encoding="utf-8")), encoding="utf-8")
            files[shelled] = rel + " (katkelma)"
        else:
            files[path] = rel
    return files


def check(files: dict[Path, str]) -> list[Message]:
    """Errors and warnings of the Nu HTML Checker for ``files``, in one run of vnu.jar."""
    result = subprocess.run(
        ["java", "-jar", str(VNU), "--format", "json", "--stdout", "--exit-zero-always", *map(str, files)],
        capture_output=True, text=True, encoding="utf-8")
    if result.returncode != 0:
        raise RuntimeError(f"vnu.jar failed ({result.returncode}): {result.stderr}")
    names = {p.resolve(): name for p, name in files.items()}
    found = []
    for m in json.loads(result.stdout)["messages"]:
        kind = m.get("subType") if m["type"] == "info" else m["type"]
        if kind not in ("error", "warning", "non-document-error"):
            continue  # plain information, not a finding
        path = Path(unquote(urlsplit(m.get("url", "")).path)).resolve()
        found.append(Message(names.get(path, m.get("url", "?")), m.get("lastLine"), kind, m["message"],
                             m.get("extract", "")))
    return found


def load_allowlist(path: Path = ALLOWLIST) -> list[Allowed]:
    """Material's messages; an entry without a reason is refused."""
    entries = [Allowed(e["message"], e["markup"], e["why"].strip()) for e in yaml.safe_load(path.read_text("utf-8"))]
    for e in entries:
        if not (e.message and e.markup and e.why):
            raise ValueError(f"{path.name}: every entry needs message, markup and why: {e}")
    return entries


def split(messages: list[Message], allowed: list[Allowed]) -> tuple[list[Message], dict[Allowed, int]]:
    """``(kehto's messages, how many each allow-list entry covered)``."""
    covered = {a: 0 for a in allowed}
    own = []
    for m in messages:
        entry = next((a for a in allowed if a.matches(m)), None)
        if entry is None:
            own.append(m)
        else:
            covered[entry] += 1
    return own, covered


def main(site: str) -> int:
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        files = documents(Path(site), Path(tmp))
        messages = check(files)
    own, covered = split(messages, load_allowlist())
    for m in own:
        print(m)
    errors = [m for m in messages if m.kind != "warning"]
    print(f"{len(files)} documents: {len(errors)} errors, {len(messages) - len(errors)} warnings; "
          f"Material's (allow-listed): {sum(covered.values())}; kehto's: {len(own)}")
    return 1 if own else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else str(REPO / "site")))
