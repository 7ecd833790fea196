"""Kinds own themselves: a kind added from a schema, one table entry, a dataclass and a template is
validated, rendered, searchable, filterable and listed, with no other change to kehto."""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

import pytest

from conftest import REPO, make_registry
from kehto import kinds, validate
from kehto.load import Project


@dataclass(frozen=True)
class Game:
    """The toy kind: an icebreaker game a team plays, linked to a practice."""

    id: str
    title: str
    summary: str
    practice: str
    played: date
    path: str = ""


def game_from(data: dict, path: str) -> Game:
    return Game(data["id"], data["title"], data["summary"], data["practice"], date.fromisoformat(data["played"]), path)


GAME = kinds.Kind("game", "game", folder="data/games", build=game_from, references=(("practice", "practice"),),
                  past_dates=("played",), url=lambda game_id: f"leikit/{game_id}/", search=("leikki", "Leikki"),
                  counted=("leikki", "leikkiä"),
                  search_text=lambda game: [game.title, game.summary], listing="games", template="game.md.j2")

SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema", "title": "Leikki", "type": "object",
    "additionalProperties": False, "required": ["id", "title", "summary", "practice", "played"],
    "properties": {
        "id": {"type": "string", "pattern": "^[a-z0-9]+(-[a-z0-9]+)*$", "title": "Tunniste"},
        "title": {"type": "string", "minLength": 3, "title": "Otsikko"},
        "summary": {"type": "string", "title": "Kuvaus"},
        "practice": {"type": "string", "title": "Teko"},
        "played": {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$", "title": "Pelattu"},
    },
}

TEMPLATE = """{% from "_macros.j2" import front_matter, knowledge_meta, search_terms %}
{{ front_matter(record.title, record.summary) }}
<article class="kehto-practice" data-pagefind-body>
<h1 data-pagefind-meta="title">{{ record.title }}</h1>
<p data-pagefind-meta="summary">{{ record.summary }}</p>
{{ knowledge_meta(kind.search[0], kind.search[1]) }}
<p><a href="{{ url(urls.practice(record.practice)) }}">{{ r.practices[record.practice].title }}</a></p>
{{ search_terms(terms) }}
</article>
"""


@pytest.fixture
def project(tmp_path, monkeypatch) -> Path:
    root = make_registry(tmp_path / "registry")
    (root / "schemas/game.schema.json").write_text(json.dumps(SCHEMA), encoding="utf-8")
    (root / "templates").mkdir()
    (root / "templates/game.md.j2").write_text(TEMPLATE, encoding="utf-8")
    games = root / "data/games"
    games.mkdir(parents=True)
    (games / "nimileikki.yml").write_text(
        "id: nimileikki\ntitle: Nimileikki uusille\nsummary: Jokainen kertoo nimensä ja lempiruokansa.\n"
        "practice: perehdytyskansio\nplayed: \"2021-03-01\"\n", encoding="utf-8")
    for folder in ("content", "overrides", "hooks"):
        shutil.copytree(REPO / folder, root / folder)
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    monkeypatch.setattr(kinds, "KINDS", (*kinds.KINDS, GAME))
    return root


def test_toy_kind_is_validated(project):
    bad = project / "data/games/rikki.yml"
    bad.write_text("id: rikki\ntitle: Ri\nsummary: x\npractice: ei-ole\nplayed: \"2999-01-01\"\n", encoding="utf-8")
    registry, report = validate.build(Project(project))
    assert list(registry.of_kind("game")) == ["nimileikki"]
    problems = {(p.line, p.field, p.message) for p in report.errors if p.path == "data/games/rikki.yml"}
    assert problems == {(2, "title", "teksti on liian lyhyt: 2 merkkiä, vähintään 3."),  # the schema
                        (5, "played", "päivämäärä 2999-01-01 on tulevaisuudessa."),  # the kind's date rule
                        (4, "practice", 'tekoa "ei-ole" ei ole rekisterissä.')}  # the kind's reference


def test_a_monday_rule_is_declared_in_the_kinds_table(project, monkeypatch):
    """The campaign week's Monday rule is data (``Kind.mondays``): any kind, any dotted field."""
    monkeypatch.setattr(kinds, "KINDS", (*kinds.KINDS[:-1], replace(GAME, mondays=("played",))))
    (project / "data/games/keskiviikko.yml").write_text(
        "id: keskiviikko\ntitle: Keskiviikon leikki\nsummary: x\npractice: perehdytyskansio\nplayed: \"2021-03-03\"\n",
        encoding="utf-8")
    registry, report = validate.build(Project(project))
    assert sorted(registry.of_kind("game")) == ["nimileikki"]  # 2021-03-01 is a Monday
    assert [(p.path, p.line, p.field, p.message, p.hint) for p in report.errors] == [
        ("data/games/keskiviikko.yml", 5, "played",
         "viikko alkaa päivänä 2021-03-03, joka on keskiviikko; viikon pitää alkaa maanantaina.",
         "Saman viikon maanantai on 2021-03-01.")]
    assert kinds.kind("campaign").mondays == ("weekly.*.week_start",)


def test_toy_kind_is_listed(project, capsys):
    from kehto.cli import main

    assert main(["--root", str(project), "list", "games"]) == 0
    assert capsys.readouterr().out == "nimileikki\tNimileikki uusille\n"


def test_toy_kind_is_rendered_searchable_and_filterable(project):
    from kehto.cli import main

    site = project / "site"
    assert main(["--root", str(project), "build", "--site-dir", str(site)]) == 0
    page = (site / "leikit/nimileikki/index.html").read_text(encoding="utf-8")
    assert "Nimileikki uusille" in page and "data-pagefind-body" in page
    assert 'data-pagefind-filter="tyyppi[value]" value="leikki"' in page
    assert "/edit/main/data/games/nimileikki.yml" in page
    search = (site / "haku/index.html").read_text(encoding="utf-8")
    assert '<option value="leikki" data-label="Leikki" data-one="leikki" data-many="leikkiä">Leikki (1)</option>' in search
    searchable = sum(1 for p in site.rglob("*.html") if "data-pagefind-body" in p.read_text(encoding="utf-8"))
    entry = json.loads((site / "pagefind/pagefind-entry.json").read_text(encoding="utf-8"))
    assert entry["languages"]["fi"]["page_count"] == searchable  # the game's page is in the index
    home = (site / "index.html").read_text(encoding="utf-8")
    assert "leikit/nimileikki/" not in home.split('<div class="md-content"')[0]  # not in the nav
