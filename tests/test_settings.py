"""extra.kehto settings are typed: a misspelt or mistyped setting is an error, in Finnish."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from conftest import REPO
from kehto import settings


def test_defaults_and_known_values():
    assert settings.parse(None) == settings.Settings()
    parsed = settings.parse({"search": False, "editors_email": None, "edit_branch": "trunk"})
    assert (parsed.search, parsed.editors_email, parsed.edit_branch) == (False, "", "trunk")


def test_misspelt_setting_names_the_likely_one():
    with pytest.raises(settings.SettingsError) as error:
        settings.parse({"serach": False})
    assert str(error.value) == "mkdocs.yml: extra.kehto.serach: tuntematon asetus. Korjaus: Tarkoititko `search`?"


def test_wrong_type_is_an_error():
    with pytest.raises(settings.SettingsError, match=r"extra.kehto.search: arvon pitää olla true tai false"):
        settings.parse({"search": "ei"})


def test_misspelt_setting_stops_a_real_build(tmp_path):
    config = REPO / f".test-settings-{os.getpid()}.yml"  # beside the real one: hooks/ and overrides/ resolve
    config.write_text((REPO / "mkdocs.yml").read_text(encoding="utf-8").replace(
        "    search: true", "    serach: true"), encoding="utf-8")
    try:
        result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config), "-d", str(tmp_path)],
                                capture_output=True, text=True, env=dict(os.environ, NO_MKDOCS_2_WARNING="1"))
    finally:
        config.unlink()
    assert result.returncode != 0
    assert "extra.kehto.serach: tuntematon asetus. Korjaus: Tarkoititko `search`?" in result.stderr
    assert "Traceback" not in result.stderr
