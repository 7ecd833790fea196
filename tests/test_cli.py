"""The kehto command as a contributor and CI use it."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys

from conftest import EXAMPLES, REPO
from kehto.cli import main

LINE = re.compile(r"^(?P<file>[^:]+):(?P<line>\d+):(?P<col>\d+): (?P<field>[^:]+): (?P<message>.+)$")


def _run(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "kehto.cli", *args], capture_output=True, text=True, cwd=cwd)


def test_validate_clean_registry_exits_0(registry_dir, capsys):
    assert main(["--root", str(registry_dir), "validate"]) == 0
    assert "Kaikki kunnossa" in capsys.readouterr().out


def test_validate_prints_every_problem_as_file_line_column_field(registry_dir, capsys):
    for name in ("unknown-references.yml", "short-summary.yml"):
        shutil.copy(EXAMPLES / "practice/invalid" / name, registry_dir / "practices")
    assert main(["--root", str(registry_dir), "validate"]) == 1
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[-1] == "4 virhettä 11 tiedostossa."
    problems = [LINE.match(line) for line in lines[:-1]]
    assert all(problems), lines
    assert [(m["file"], m["line"], m["col"], m["field"]) for m in problems] == [
        ("practices/short-summary.yml", "4", "1", "summary"),
        ("practices/unknown-references.yml", "8", "1", "organisation"),
        ("practices/unknown-references.yml", "9", "11", "sectors[1]"),
        ("practices/unknown-references.yml", "10", "22", "themes[2]"),
    ]
    assert "Korjaus: Tarkoititko \"tyohyvinvointi\"?" in "\n".join(lines)


def test_validate_given_paths_reports_only_those(registry_dir, capsys):
    shutil.copy(EXAMPLES / "practice/invalid/short-summary.yml", registry_dir / "practices")
    assert main(["--root", str(registry_dir), "validate", str(registry_dir / "practices/perehdytyskansio.yml")]) == 0
    assert main(["--root", str(registry_dir), "validate", str(registry_dir / "practices")]) == 1
    assert "short-summary.yml:4:1: summary:" in capsys.readouterr().out


def test_validate_a_file_from_outside_the_repository(registry_dir, tmp_path, capsys):
    outside = tmp_path / "ladattu.yml"
    outside.write_text((EXAMPLES / "practice/valid/minimal-practice.yml").read_text(encoding="utf-8")
                       .replace("id: minimal-practice", "id: ladattu"), encoding="utf-8")
    assert main(["--root", str(registry_dir), "validate", str(outside)]) == 0


def test_json_format(registry_dir, capsys):
    shutil.copy(EXAMPLES / "practice/invalid/future-date.yml", registry_dir / "practices")
    assert main(["--root", str(registry_dir), "validate", "--format", "json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["ok"] is False and data["errors"] == 1
    (problem,) = data["problems"]
    assert problem == {"path": "practices/future-date.yml", "line": 8, "column": 1, "field": "published",
                       "message": "päivämäärä 2999-01-01 on tulevaisuudessa.",
                       "hint": problem["hint"], "severity": "error"}


def test_usage_errors_exit_2(registry_dir):
    assert _run("--root", str(registry_dir), "validate", "--format", "xml").returncode == 2
    missing = _run("--root", str(registry_dir), "validate", "ei-ole.yml")
    assert missing.returncode == 2 and "ei löydy" in missing.stderr
    assert _run("frobnicate").returncode == 2
    nowhere = _run("validate", cwd="/")
    assert nowhere.returncode == 2 and "schemas/ puuttuu" in nowhere.stderr


def test_no_traceback_on_broken_input(registry_dir):
    (registry_dir / "practices/roska.yml").write_bytes(b"\xff\xfe\x00garbage: [\n")
    result = _run("--root", str(registry_dir), "validate")
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr


def test_list_command(registry_dir, capsys):
    assert main(["--root", str(registry_dir), "list", "themes"]) == 0
    assert capsys.readouterr().out.splitlines()[0] == "tyohyvinvointi\tTyöhyvinvointi"
    assert main(["--root", str(registry_dir), "list", "practices"]) == 0
    assert capsys.readouterr().out.splitlines() == ["jaksamisen-tuki\tTyössä jaksamisen tuki kotihoidossa",
                                                    "mentorointi-uusille\tVertaismentorointi uusille opettajille",
                                                    "perehdytyskansio\tSähköinen perehdytyskansio"]
    assert main(["--root", str(REPO), "list", "support-categories"]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "viestinta\tViestintä"


def test_the_bundled_registry_is_valid():
    result = _run("validate", cwd=REPO)
    assert result.returncode == 0, result.stdout


def test_invalid_comms_records_get_precise_errors(registry_dir, capsys):
    """kehto validate names file, line, column, field and fix for list, adoption and campaign records."""
    import shutil

    from conftest import EXAMPLES

    targets = []
    for kind, folder, name in (("campaign", "data/campaigns", "backwards.yml"), ("adoption", "data/adoptions", "broken.yml"),
                               ("list", "data/lists", "unknown-practice.yml")):
        (registry_dir / folder).mkdir(parents=True, exist_ok=True)
        shutil.copy(EXAMPLES / kind / "invalid" / name, registry_dir / folder / name)
        targets.append(str(registry_dir / folder / name))
    assert main(["--root", str(registry_dir), "validate", *targets]) == 1
    out = capsys.readouterr().out
    assert ("data/campaigns/backwards.yml:7:1: end: kampanja päättyy (2020-01-01) ennen kuin se alkaa (2020-02-01). "
            "Korjaus: Tarkista alkamis- ja päättymispäivä.") in out
    assert "data/campaigns/backwards.yml:9:5: weekly[1].week_start: viikko 2019-06-03 ei ole kampanjan aikana." in out
    assert ('data/adoptions/broken.yml:6:1: organisation: organisaatiota "tuntematon-kunta" ei ole rekisterissä. '
            "Korjaus: Tarkoititko") in out
    assert "data/adoptions/broken.yml:7:1: date: päivämäärä 2999-01-01 on tulevaisuudessa." in out
    assert ('data/lists/unknown-practice.yml:8:5: items[2].practice: tekoa "perehdytyskansi" ei ole rekisterissä. '
            'Korjaus: Tarkoititko "perehdytyskansio"?') in out
    assert out.splitlines()[-1] == "6 virhettä 3 tiedostossa."


def test_a_reader_that_stops_early_is_no_error(registry_dir):
    """`kehto list practices | head -1`: the reader closes the pipe; kehto stops quietly."""
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader is gone before kehto writes a line
    try:
        done = subprocess.run([sys.executable, "-m", "kehto.cli", "--root", str(registry_dir), "list", "practices"],
                              stdout=write_end, stderr=subprocess.PIPE, text=True)
    finally:
        os.close(write_end)
    assert done.stderr == ""
    assert done.returncode == 141  # 128 + SIGPIPE, as a shell reports a command stopped by a closed pipe


def test_a_path_that_cannot_be_read_or_written_is_a_usage_error(registry_dir, tmp_path):
    blocker = tmp_path / "tiedosto"
    blocker.write_text("", encoding="utf-8")
    for args in (["from-issue", str(tmp_path / "puuttuu.md")], ["export", "--output", str(blocker / "vienti")],
                 ["schema", "issue-form", "--output", str(blocker / "lomake.yml")]):
        done = _run("--root", str(registry_dir), *args)
        assert done.returncode == 2, (args, done.stderr)
        assert "sisäinen virhe" not in done.stderr and "Tarkista polku." in done.stderr, (args, done.stderr)


def test_export_takes_only_a_real_site_address(registry_dir, tmp_path, capsys):
    """A mistyped --site-url would put broken links in every feed and file: it is refused with
    the fix; an address without its final slash keeps its path in the links."""
    out = tmp_path / "vienti"
    for wrong in ("notaurl", "ftp://esim.fi/", "https://", "https://esim.fi/?a=1"):
        try:
            main(["--root", str(registry_dir), "export", "--site-url", wrong, "--output", str(out)])
        except SystemExit as exc:
            assert exc.code == 2
        else:
            raise AssertionError(f"{wrong} was accepted")
        assert "ei ole sivuston osoite" in capsys.readouterr().err and not out.exists()
    assert main(["--root", str(registry_dir), "export", "--site-url", "https://esim.fi/kehto", "--output", str(out)]) == 0
    assert "<id>https://esim.fi/kehto/syote.xml</id>" in (out / "syote.xml").read_text(encoding="utf-8")
