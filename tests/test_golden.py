"""Generated pages compared with golden files; ``KEHTO_UPDATE_GOLDEN=1`` rewrites them."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest

from conftest import make_comms_registry
from kehto import site, validate
from kehto.load import Project

GOLDEN = Path(__file__).resolve().parent / "golden"


@pytest.mark.parametrize("src_uri", ["teot/mentorointi-uusille/index.md", "teemat/perehdytys/index.md"])
def test_generated_page_matches_golden(registry_dir, src_uri):
    registry, report = validate.build(Project(registry_dir))
    assert report.ok
    generated = {p.src_uri: p for p in site.generate(registry, site.SiteOptions(repo_url="https://example.org/kehto"))}
    golden = GOLDEN / (src_uri.replace("/", "__"))
    if os.environ.get("KEHTO_UPDATE_GOLDEN"):
        golden.write_text(generated[src_uri].content, encoding="utf-8")
    assert generated[src_uri].content == golden.read_text(encoding="utf-8")


@pytest.mark.parametrize("src_uri", ["kampanjat/testikampanja/index.md", "listat/testilista/index.md",
                                     "tilastot/index.md", "kampanjat/testikampanja/uutiskirje.md.txt", "syote.xml"])
def test_comms_page_matches_golden(tmp_path, src_uri):
    """The comms corpus on a fixed day: campaign, list, statistics, a snippet and the feed."""
    registry, report = validate.build(Project(make_comms_registry(tmp_path / "registry")))
    assert report.ok
    options = site.SiteOptions(repo_url="https://example.org/kehto", today=date(2023, 3, 20))
    content = {p.src_uri: p.content for p in site.generate(registry, options)}[src_uri]
    golden = GOLDEN / (src_uri.replace("/", "__"))
    if os.environ.get("KEHTO_UPDATE_GOLDEN"):
        golden.write_text(content, encoding="utf-8")
    assert content == golden.read_text(encoding="utf-8")


def test_every_generated_page_is_one_html_block(registry_dir):
    """A blank line would end MkDocs' raw-HTML block and let Markdown rewrite the rest."""
    registry, _ = validate.build(Project(registry_dir))
    for page in site.generate(registry):
        if not page.src_uri.endswith(".md"):
            continue  # exports, feeds and downloads
        body = page.content.split("\n---\n", 1)[1]
        assert "\n\n" not in body, page.src_uri


def test_parallel_generation_gives_the_same_pages(registry_dir):
    registry, _ = validate.build(Project(registry_dir))
    options = site.SiteOptions(repo_url="https://example.org/kehto")
    serial = site.generate(registry, options, workers=1)
    parallel = site.generate(registry, options, workers=2, parallel_from=1)
    assert sorted(p.src_uri for p in parallel) == sorted(p.src_uri for p in serial)
    assert {p.src_uri: p for p in parallel} == {p.src_uri: p for p in serial}
