"""Pages as files, engine as a choice: `kehto build` with MkDocs and with ProperDocs gives the same site.

The kehto hook is only a speed-up: the engine config without it builds the same page bodies.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import REPO
from kehto import urls

_GENERATOR = re.compile(r'<meta name="generator" content="[^"]*">')
_ARTICLE = re.compile(r'<article class="md-content__inner md-typeset">(.*?)</article>', re.S)


def _project(root: Path) -> Path:
    for folder in ("content", "overrides", "hooks"):
        shutil.copytree(REPO / folder, root / folder)
    text = (REPO / "mkdocs.yml").read_text(encoding="utf-8").replace("    search: true", "    search: false")
    (root / "mkdocs.yml").write_text(text, encoding="utf-8")
    return root


def _build(root: Path, site: Path, engine: str) -> Path:
    from kehto.cli import main

    assert main(["--root", str(root), "build", "--engine", engine, "--site-dir", str(site)]) == 0
    return site


def _pages(site: Path) -> dict[str, str]:
    return {str(p.relative_to(site)): _GENERATOR.sub("", p.read_text(encoding="utf-8"))
            for p in sorted(site.rglob("*.html"))}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    from conftest import make_comms_registry

    base = tmp_path_factory.mktemp("engines")
    root = _project(make_comms_registry(base / "registry"))
    return root, {engine: _build(root, base / engine, engine) for engine in ("mkdocs", "properdocs")}


def test_mkdocs_and_properdocs_build_the_same_pages(built):
    _, sites = built
    mkdocs, properdocs = _pages(sites["mkdocs"]), _pages(sites["properdocs"])
    assert len(mkdocs) > 30 and "teot/perehdytyskansio/index.html" in mkdocs
    assert mkdocs == properdocs
    exports = sorted(str(p.relative_to(sites["mkdocs"])) for p in sites["mkdocs"].rglob("*.csv"))
    assert exports and exports == sorted(str(p.relative_to(sites["properdocs"])) for p in sites["properdocs"].rglob("*.csv"))
    images = {str(p.relative_to(sites["mkdocs"])): p.read_bytes() for p in sites["mkdocs"].rglob("jako.png")}
    assert "kampanjat/testikampanja/jako.png" in images and "jako.png" in images
    assert images == {str(p.relative_to(sites["properdocs"])): p.read_bytes() for p in sites["properdocs"].rglob("jako.png")}


def test_edit_links_point_at_the_record_file_in_every_engine(built):
    _, sites = built
    for site in sites.values():
        practice = (site / "teot/perehdytyskansio/index.html").read_text(encoding="utf-8")
        assert "/edit/main/practices/perehdytyskansio.yml" in practice
        page = (site / "osallistu/index.html").read_text(encoding="utf-8")
        assert "/edit/main/content/osallistu.md" in page
        listing = (site / "teot/index.html").read_text(encoding="utf-8")
        assert 'rel="edit"' not in listing  # no record behind an index page


def test_every_engine_gets_the_search_words(built):
    """The hidden search words and the word list for corrections are generated pages, not the hook's work."""
    _, sites = built
    lists = {engine: (site / urls.search_words()).read_bytes() for engine, site in sites.items()}
    assert len(set(lists.values())) == 1 and "perehdytys" in json.loads(lists["mkdocs"])
    for site in sites.values():
        practice = (site / urls.practice("perehdytyskansio") / "index.html").read_text(encoding="utf-8")
        assert 'class="kehto-search-terms"' in practice


def test_every_engine_gets_the_form_lookup_files(built):
    """The small files the forms fetch (kehto.form_data) are generated pages too, the same for every engine."""
    _, sites = built
    files = {engine: {str(p.relative_to(site)): p.read_bytes()
                      for p in (site / urls.form_lookup("record", id="x")).parent.parent.rglob("*.json")}
             for engine, site in sites.items()}
    assert urls.form_lookup("record", id="perehdytyskansio") in files["mkdocs"]
    assert files["mkdocs"] == files["properdocs"]
    for site in sites.values():
        for page in (urls.correction(), urls.submission_status()):
            assert (site / page / "index.html").is_file()


def test_record_pages_stay_out_of_the_nav(built):
    _, sites = built
    home = (sites["mkdocs"] / "index.html").read_text(encoding="utf-8")
    assert 'href="teot/"' in home and "teot/perehdytyskansio/" not in home.split('<div class="md-content"')[0]


def test_the_hook_is_only_a_speed_up(built, tmp_path):
    root, sites = built
    work = root / ".cache/kehto/build"
    config = yaml.safe_load((work / "mkdocs.yml").read_text(encoding="utf-8"))
    config.pop("hooks")
    plain = work / "plain.yml"
    plain.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-f", str(plain), "-d", str(tmp_path / "site")],
                   check=True, cwd=work, env=dict(os.environ, NO_MKDOCS_2_WARNING="1"))
    with_hook, without = _pages(sites["mkdocs"]), _pages(tmp_path / "site")
    assert with_hook.keys() == without.keys()
    body = (lambda html: [part.strip() for part in _ARTICLE.findall(html)])  # Markdown may end a body with a newline
    differ = [page for page in with_hook if body(with_hook[page]) != body(without[page])]
    assert differ == []
    # the theme's frame too: the hook renders the tabs and the drawer navigation once per folder
    # for pages outside the nav (kehto_theme_key), and they must come out as the theme makes them
    frame = (lambda html: _ARTICLE.sub("", html))
    assert [page for page in with_hook if frame(with_hook[page]) != frame(without[page])] == []
    reused = with_hook["teot/perehdytyskansio/index.html"]
    assert 'class="md-tabs"' in reused and 'href="../../haku/"' in reused.split('class="md-content"')[0]
    assert (tmp_path / "site" / urls.search_words()).read_bytes() == (sites["mkdocs"] / urls.search_words()).read_bytes()
    # the share tags come from the theme and the page's front matter, not from the hook
    share_image = re.compile(r'<meta property="og:image" content="([^"]*)">')
    campaign = "kampanjat/testikampanja/index.html"
    assert share_image.findall(without[campaign]) == share_image.findall(with_hook[campaign])
    assert share_image.findall(without[campaign])[0].endswith("/kampanjat/testikampanja/jako.png")


@pytest.mark.parametrize("pages_written", [True, False])
def test_the_engine_loads_itself_while_the_pages_are_written_and_builds_only_when_told(built, tmp_path, pages_written):
    """`kehto build` starts MkDocs before the pages exist; the hook holds it until kehto says whether
    the pages were written (engine.RunningEngine), so a failed generation builds nothing."""
    import time

    from kehto import engine, settings

    root, _ = built
    config = engine.load_config(root / "mkdocs.yml")
    options = settings.parse(config["extra"]["kehto"])
    paths = engine.BuildPaths(root, tmp_path / "work", tmp_path / "site")
    running = engine.start_engine(config, options, paths, "mkdocs")
    time.sleep(3)  # ample for MkDocs to load itself and reach the hook's wait
    assert running.process is not None and running.process.poll() is None  # started, and waiting
    assert not any(paths.pages.iterdir()) and not paths.site_dir.exists()
    if pages_written:
        report, failure = engine.generate_files(root, config, options, root / "content", paths.pages)
        assert report.ok and not failure
    running.release(pages_written)
    result = running.result()
    if pages_written:
        assert result.returncode == 0, result.stderr
        assert (paths.site_dir / "teot" / "perehdytyskansio" / "index.html").is_file()
    else:
        assert result.returncode != 0 and "sivuja ei kirjoitettu" in result.stderr
        assert not (paths.site_dir / "index.html").exists()


def test_an_engine_that_does_not_wait_for_the_pages_is_run_again_once_they_are_written(built, tmp_path):
    """A project whose hooks file does not wait (here: none at all) must not get a site built from
    half-written pages."""
    from kehto import engine, settings

    root, _ = built
    config = dict(engine.load_config(root / "mkdocs.yml"), hooks=[])
    options = settings.parse(config["extra"]["kehto"])
    paths = engine.BuildPaths(root, tmp_path / "work", tmp_path / "site")
    running = engine.start_engine(config, options, paths, "mkdocs")
    running.process.wait()  # it built the empty pages folder and ended
    report, failure = engine.generate_files(root, config, options, root / "content", paths.pages)
    running.release(True)
    result = running.result()
    assert result.returncode == 0, result.stderr
    assert (paths.site_dir / "teot" / "perehdytyskansio" / "index.html").is_file()
