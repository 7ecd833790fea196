"""`kehto build` keeps little in memory: pages go to disk as they are rendered (by the worker processes
too), the records are checked and the pages written in a child process that ends before the engine
starts, and the engine's hook reads a generated page's body only while that page is written.
The memory itself is measured in bench/ (docs/performance.md); these tests check the mechanisms."""

from __future__ import annotations

import filecmp
import importlib.util
import os
from pathlib import Path

from mkdocs.structure.files import File
from mkdocs.structure.pages import Page

from conftest import REPO, make_comms_registry
from kehto import engine, site, validate
from kehto.load import Project


def _files(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


def test_pages_written_as_they_are_rendered_equal_the_pages_in_memory(tmp_path):
    root = make_comms_registry(tmp_path / "registry")
    registry, _ = validate.build(Project(root))
    options = site.SiteOptions(repo_url="https://example.org/kehto")
    engine.sync_pages(site.generate(registry, options, workers=1), tmp_path / "listed", options)
    streamed = tmp_path / "streamed"
    (streamed / "vanha").mkdir(parents=True)
    (streamed / "vanha" / "index.md").write_text("a page of an earlier build", encoding="utf-8")
    writer = engine.PageWriter(streamed, options)
    # Forked workers render the practice pages and write them themselves; nothing comes back but paths.
    assert site.generate(registry, options, workers=2, parallel_from=1, sink=writer) == []
    assert registry.practices and all(f"teot/{i}/index.md" in writer.wanted for i in registry.practices)
    writer.finish()
    names = _files(tmp_path / "listed")
    assert names == _files(streamed)  # the earlier build's page is gone
    _, mismatch, errors = filecmp.cmpfiles(tmp_path / "listed", streamed, names, shallow=False)
    assert not mismatch and not errors


def test_the_pages_are_made_in_a_child_process():
    assert engine.in_child(os.getpid) != os.getpid()


def _hooks():
    spec = importlib.util.spec_from_file_location("kehto_hooks_under_test", REPO / "hooks" / "kehto_hooks.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_hook_holds_a_generated_pages_body_only_while_the_page_is_written(tmp_path):
    hooks = _hooks()
    body = '<div class="kehto-practice"><h1>Otsikko</h1></div>\n'
    (tmp_path / "docs" / "teot").mkdir(parents=True)
    (tmp_path / "docs" / "teot" / "x.md").write_text(f"---\n{engine.GENERATED_MARK}: true\n---\n{body}", encoding="utf-8")
    file = File("teot/x.md", str(tmp_path / "docs"), str(tmp_path / "site"), True)
    page = Page(None, file, {})
    page.meta = {engine.GENERATED_MARK: True}
    assert hooks.on_page_markdown(body, page, {}, None) == ""  # no Python-Markdown for generated HTML
    page.content = ""
    hooks.on_page_context({}, page, {}, None)
    assert page.content == body  # read from the file when the page is written
    hooks.on_post_page("<html>...</html>", page, {})
    assert page.content is None  # and let go after
