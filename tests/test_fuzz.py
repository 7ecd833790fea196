"""Proof against hostile input: ``kehto from-issue`` (a real process) and the YAML loader get
arbitrary and adversarial input (alias bombs, deep nesting, bad encodings, values up to 1 MB,
random bytes) under an address-space limit, so a blow-up fails the test and not the machine.
Every run ends with exit 0 or 1 and a message, and stays under 200 MB resident memory."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from test_submission import VALID_ISSUE
from test_yamlio import alias_bomb

ADDRESS_SPACE = 1 << 30  # a blow-up dies at 1 GiB of address space instead of taking the machine
CPU_SECONDS = 60  # and a hang at a minute of CPU
PEAK_RSS_MB = 200
MB = 1_000_000


# A small launcher forks the program under the limits and reports its peak memory: measured
# from pytest directly, the peak would include pytest's own memory (a child's maximum resident
# size starts from the memory of the process it was forked from).
_LAUNCH = """
import os, resource, sys
report, limit, cpu, *args = sys.argv[1:]
child = os.fork()
if child == 0:
    resource.setrlimit(resource.RLIMIT_AS, (int(limit), int(limit)))
    resource.setrlimit(resource.RLIMIT_CPU, (int(cpu), int(cpu)))
    os.execv(sys.executable, [sys.executable, *args])
_, status, usage = os.wait4(child, 0)
open(report, "w").write(str(usage.ru_maxrss))
code = os.waitstatus_to_exitcode(status)
sys.exit(code if code >= 0 else 128 - code)
"""


def run_limited(args: list[str], stdin: bytes, folder: Path) -> tuple[int, str, float]:
    """Exit code, stderr and peak resident memory (MB) of one process run under the limits."""
    (folder / "stdin").write_bytes(stdin)
    with (folder / "stdin").open("rb") as given_in, (folder / "stdout").open("wb") as out, \
            (folder / "stderr").open("wb") as err:
        code = subprocess.run([sys.executable, "-c", _LAUNCH, str(folder / "peak"), str(ADDRESS_SPACE),
                               str(CPU_SECONDS), *args], stdin=given_in, stdout=out, stderr=err).returncode
    peak = round(int((folder / "peak").read_text()) / 1024, 1)
    return code, (folder / "stderr").read_text("utf-8", "replace"), peak


def _fence(text: str) -> str:
    return f"Uusi kehittämisteko lomakkeelta.\n\n````yaml\n{text}\n````\n"


ADVERSARIAL = {
    "valid issue form": VALID_ISSUE.encode(),
    "alias bomb, 9 levels": _fence(alias_bomb(9)).encode(),
    "5,000 nested lists": _fence("id: [" + "[" * 5_000 + "]" * 5_000 + "]").encode(),
    "200,000 nested lists": _fence("[" * 200_000 + "]" * 200_000).encode(),
    "not UTF-8": "### Otsikko\n\nHyvä käytäntö\n".encode("latin-1"),
    "a 1 MB value in the YAML block": _fence('id: x\ntitle: "' + "ä" * (MB // 2 - 100) + '"').encode(),
    "a 1 MB form section": ("### Mitä tehtiin\n\n" + "x" * (MB - 100)).encode(),
    "more than 1 MB": b"### Otsikko\n\n" + b"y" * (MB + 1),
    "1 MB of random bytes": random.Random(11).randbytes(MB),
}


def _check_from_issue(body: bytes, registry: Path, folder: Path) -> tuple[int, str, int]:
    comment = folder / "comment.md"
    comment.unlink(missing_ok=True)
    code, err, peak = run_limited(["-m", "kehto.cli", "--root", str(registry), "from-issue", "--comment",
                                   str(comment)], body, folder)
    assert code in (0, 1), err
    assert err.strip() or code == 0, "exit 1 without a message"
    assert "Traceback" not in err and "sisäinen virhe" not in err
    assert comment.read_text(encoding="utf-8").strip(), "no comment for the issue"
    assert peak < PEAK_RSS_MB, f"{peak} MB"
    return code, err, peak


def test_from_issue_survives_adversarial_issues(registry_dir, tmp_path):
    peaks = {}
    for name, body in ADVERSARIAL.items():
        code, _, peaks[name] = _check_from_issue(body, registry_dir, tmp_path)
        assert code == (0 if name == "valid issue form" else 1), name
    print(json.dumps(peaks, indent=1))  # the figures for the closing note: pytest -s


_TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=200)
_YAMLISH = st.lists(st.sampled_from(["&a ", "*a ", "[", "]", "{", "}", "- ", ": ", "\n", "  ", "```", "~~~",
                                     "### Otsikko\n", "id: x", "!!str ", "<<: ", '"', "'", "\t", "#", "|\n"]),
                    max_size=60).map("".join)


@settings(max_examples=3, deadline=None)
@given(st.one_of(_TEXT, _YAMLISH.map(_fence), st.binary(max_size=300)))
def test_from_issue_survives_any_issue(registry_dir_once, tmp_path_factory, body):
    if isinstance(body, str):
        body = body.encode()
    _check_from_issue(body, registry_dir_once, tmp_path_factory.mktemp("fuzz"))


@pytest.fixture(scope="module")
def registry_dir_once(tmp_path_factory):
    from conftest import make_registry

    return make_registry(tmp_path_factory.mktemp("fuzz-registry") / "registry")


_PARSE_EACH = """
import json, sys
from kehto import yamlio
results = []
for text in json.load(open(sys.argv[1], encoding="utf-8")):
    try:
        yamlio.parse(text)
        results.append("ok")
    except yamlio.YamlError as exc:
        results.append("error" if exc.message and exc.line >= 1 and exc.column >= 1 else "no message")
print(json.dumps(results))
"""


def test_the_yaml_loader_survives_any_text(tmp_path):
    """Hypothesis writes the documents; one limited child parses them all (a fork per example would
    inherit pytest's memory)."""
    documents = [alias_bomb(9), alias_bomb(12), "[" * 300_000, "a: " + "{" * 100_000,
                 "x: " + "y" * (MB - 10), "- " * 100_000]

    @settings(max_examples=300, deadline=None, database=None)
    @given(st.one_of(_TEXT, _YAMLISH))
    def collect(text):
        documents.append(text)

    collect()
    (tmp_path / "documents.json").write_text(json.dumps(documents), encoding="utf-8")
    code, err, peak = run_limited(["-c", _PARSE_EACH, str(tmp_path / "documents.json")], b"", tmp_path)
    assert code == 0, err
    results = json.loads((tmp_path / "stdout").read_text(encoding="utf-8"))
    assert len(results) == len(documents) and set(results) <= {"ok", "error"}
    assert results[:6] == ["error"] * 4 + ["ok", "error"]
    assert peak < PEAK_RSS_MB, f"{peak} MB"
