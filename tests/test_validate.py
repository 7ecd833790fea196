"""Rules a schema cannot express: ids, references, duplicates, files."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from conftest import EXAMPLES
from kehto import validate
from kehto.load import Project
from kehto.report import WARNING


def _problems(root: Path, **kwargs):
    _, report = validate.build(Project(root), **kwargs)
    return report


def test_example_registry_is_clean(registry_dir):
    registry, report = validate.build(Project(registry_dir))
    assert report.problems == []
    assert sorted(registry.practices) == ["jaksamisen-tuki", "mentorointi-uusille", "perehdytyskansio"]
    assert registry.practices["jaksamisen-tuki"].published == date(2019, 6, 1)


def test_near_duplicate_title_from_same_organisation_is_a_warning(registry_dir):
    text = (registry_dir / "practices/perehdytyskansio.yml").read_text(encoding="utf-8")
    copy = text.replace("id: perehdytyskansio", "id: perehdytyskansio-2").replace(
        "Sähköinen perehdytyskansio", "Sähköinen perehdytys-kansio!")
    (registry_dir / "practices/perehdytyskansio-2.yml").write_text(copy, encoding="utf-8")
    report = _problems(registry_dir)
    assert report.ok  # a warning does not fail
    (warning,) = report.warnings
    assert warning.severity == WARNING
    assert warning.path == "practices/perehdytyskansio-2.yml"
    assert warning.field == "title" and warning.line == 2
    assert "perehdytyskansio" in warning.message and "kaksoiskappale" in warning.message


def test_same_title_from_another_organisation_is_fine(registry_dir):
    text = (registry_dir / "practices/perehdytyskansio.yml").read_text(encoding="utf-8")
    copy = text.replace("id: perehdytyskansio", "id: toinen").replace("esimerkkikaupunki", "testikunta")
    (registry_dir / "practices/toinen.yml").write_text(copy, encoding="utf-8")
    assert _problems(registry_dir).problems == []


def test_same_id_twice_is_an_error(registry_dir, tmp_path):
    outside = tmp_path / "lomake" / "perehdytyskansio.yml"
    outside.parent.mkdir()
    shutil.copy(registry_dir / "practices/perehdytyskansio.yml", outside)
    report = _problems(registry_dir, extra=[outside])
    (error,) = report.errors
    assert error.path == str(outside) and error.field == "id"
    assert "on jo käytössä tiedostossa practices/perehdytyskansio.yml" in error.message


def test_missing_taxonomy_file(registry_dir):
    (registry_dir / "data/themes.yml").unlink()
    report = _problems(registry_dir)
    messages = {(p.path, p.message) for p in report.errors}
    assert ("data/themes.yml", "luokitustiedosto puuttuu.") in messages
    # practices that name themes now point at unknown themes: reported, not crashed
    assert any(p.field.startswith("themes[") for p in report.errors)


def test_duplicate_taxonomy_ids(registry_dir):
    path = registry_dir / "data/themes.yml"
    path.write_text(path.read_text(encoding="utf-8") + "  - {id: perehdytys, name: Toinen}\n", encoding="utf-8")
    (error,) = _problems(registry_dir).errors
    assert error.path == "data/themes.yml" and error.field == "items[4].id" and error.line == 6


def test_a_huge_file_is_refused_without_reading_it(registry_dir):
    path = registry_dir / "practices/iso.yml"
    path.write_text("id: iso\ntitle: " + "x" * 5_000_000 + "\n", encoding="utf-8")
    (error,) = _problems(registry_dir).errors
    assert error.path == "practices/iso.yml" and "liian suuri (5.0 Mt)" in error.message


def test_non_utf8_file(registry_dir):
    (registry_dir / "practices/latin1.yml").write_bytes("id: latin1\ntitle: Työ\n".encode("latin-1"))
    (error,) = _problems(registry_dir).errors
    assert "UTF-8" in error.message and error.line == 2


def test_future_is_relative_to_today(registry_dir):
    assert _problems(registry_dir, today=date(2021, 3, 15)).ok
    report = _problems(registry_dir, today=date(2021, 3, 14))
    (error,) = report.errors
    assert error.path == "practices/mentorointi-uusille.yml" and "tulevaisuudessa" in error.message


def test_records_with_schema_errors_still_get_reference_checks(registry_dir):
    shutil.copy(EXAMPLES / "organisation/invalid/bad-organisation.yml", registry_dir / "data/organisations")
    fields = {p.field for p in _problems(registry_dir).errors}
    assert {"type", "region", "website"} <= fields


def test_invalid_organisation_does_not_cascade_into_its_practices(registry_dir):
    path = registry_dir / "data/organisations/testikunta.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("type: kunta", "type: pitäjä"), encoding="utf-8")
    report = _problems(registry_dir)
    assert [p.path for p in report.errors] == ["data/organisations/testikunta.yml"]


def test_same_practice_in_other_inflections_is_a_likely_duplicate(registry_dir):
    text = (registry_dir / "practices/mentorointi-uusille.yml").read_text(encoding="utf-8")
    copy = text.replace("id: mentorointi-uusille", "id: opettajien-mentorointi").replace(
        "Vertaismentorointi uusille opettajille", "Uusien opettajien vertaismentorointi")
    (registry_dir / "practices/opettajien-mentorointi.yml").write_text(copy, encoding="utf-8")
    report = _problems(registry_dir)
    (warning,) = report.warnings
    assert warning.path == "practices/opettajien-mentorointi.yml" and "mentorointi-uusille" in warning.message
    # the analysis is cached for the next run
    assert (registry_dir / ".cache/kehto/voikko-fi.json").exists()
    # without the Finnish analysis only the character similarity is used, which misses this one
    _, plain = validate.build(Project(registry_dir), finnish_titles=False)
    assert plain.warnings == []


def test_received_date_is_kept_apart_from_publication(registry_dir):
    shutil.copy(EXAMPLES / "practice/valid/received-practice.yml", registry_dir / "practices/received-practice.yml")
    registry, report = validate.build(Project(registry_dir))
    assert report.problems == []
    practice = registry.practices["received-practice"]
    assert (practice.published, practice.submitted) == (date(2016, 1, 1), date(2019, 10, 7))
    assert registry.practices["jaksamisen-tuki"].submitted is None


def test_titles_fold_like_ids():
    # One folding table (markup.fold) for ids and duplicate titles: š and ž are letters, not gaps.
    from kehto.markup import propose_id

    assert validate.normalise_title("Šakkikerho Žiliinassa") == "sakkikerho ziliinassa"
    assert propose_id("Šakkikerho Žiliinassa", 60) == validate.normalise_title("Šakkikerho Žiliinassa").replace(" ", "-")


def test_today_is_the_day_in_finland_whatever_the_machines_zone(registry_dir):
    """The intake stamps ``submitted`` with the day in Finland; ``kehto validate`` on a runner in
    another zone must agree. Far west (UTC-12) and far east (UTC+14) of Finland, at least one of
    the two has another date than Finland at any hour, so the old rule (the machine's own day)
    fails this test whenever it runs."""
    from kehto import days
    finland = days.today()
    path = registry_dir / "practices/received-practice.yml"
    text = (EXAMPLES / "practice/valid/received-practice.yml").read_text(encoding="utf-8")
    for zone in ("Etc/GMT+12", "Etc/GMT-14"):
        for day, expected in ((finland, 0), (finland + timedelta(days=1), 1)):
            path.write_text(re.sub(r"(?m)^submitted: .*$", f"submitted: {day.isoformat()}", text), encoding="utf-8")
            result = subprocess.run([sys.executable, "-m", "kehto.cli", "--root", str(registry_dir), "validate"],
                                    capture_output=True, text=True, env={**os.environ, "TZ": zone})
            if days.today() != finland:  # midnight in Finland passed during the test: try again later
                pytest.skip("the day in Finland changed during the test")
            assert result.returncode == expected, (zone, day, result.stdout)
            assert ("tulevaisuudessa" in result.stdout) == bool(expected)


def test_finnish_day_of_a_moment():
    from kehto import days
    utc = timezone.utc
    assert days.finnish_day(datetime(2026, 11, 23, 21, 59, tzinfo=utc)) == date(2026, 11, 23)
    assert days.finnish_day(datetime(2026, 11, 23, 22, 0, tzinfo=utc)) == date(2026, 11, 24)  # EET, UTC+2
    assert days.finnish_day(datetime(2026, 6, 30, 21, 0, tzinfo=utc)) == date(2026, 7, 1)  # EEST, UTC+3
    assert days.finnish_day(datetime(2026, 6, 30, 20, 59, tzinfo=utc)) == date(2026, 6, 30)
