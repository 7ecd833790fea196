"""MkDocs hooks: a thin adapter between MkDocs (or ProperDocs) and the kehto core package.

Two ways to run:

* ``mkdocs serve`` / ``mkdocs build`` on the project's ``mkdocs.yml``: ``on_config``
  loads and validates the registry (a production build, ``KEHTO_PRODUCTION`` set,
  stops without a public ``site_url``: :mod:`kehto.siteurl`, as ``kehto build
  --production`` does for every engine), ``on_files`` adds the generated pages in
  memory (``NOT_IN_NAV`` unless the nav names them), ``on_post_build`` builds the
  Pagefind index. Under ``mkdocs serve`` a broken record does not stop the
  server: the site shows a page listing the problems until the file is fixed.
* ``kehto build`` (any engine): the pages are already files; the hook only
  speeds up (``extra.kehto.generate_pages: false``).

In both, ``on_page_markdown``/``on_page_context`` let generated pages skip
Python-Markdown: their body is HTML rendered by kehto's templates, and
Python-Markdown's raw-HTML parser would only re-read it (most of the build time
at scale). The site is the same without this hook (an engine without hooks
builds it from the files).

The registry lives on the config object of the running build. What ``mkdocs
serve`` keeps between rebuilds (parsed records, the last pages) is a
:class:`kehto.serving.Session`, so that an edit re-reads one file and renders
again only the pages that show what changed.
"""

from __future__ import annotations

import logging
import os
import shutil
import threading
import time
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, InclusionLevel
from mkdocs.utils.meta import get_data

from kehto import engine, search, serving, share, site, siteurl, urls
from kehto import report as reports
from kehto import settings as kehto_settings

log = logging.getLogger("mkdocs.hooks.kehto")
_KEY = "_kehto"
_COMMAND: dict[str, str] = {}  # the mkdocs command of this process (build, serve); set once on startup
_INDEXING = threading.Lock()  # one Pagefind run at a time while serving


def on_startup(command, dirty):
    _COMMAND["name"] = command


def _settings(config) -> kehto_settings.Settings:
    try:
        return kehto_settings.parse(config.extra.get("kehto"))
    except kehto_settings.SettingsError as exc:
        raise PluginError(str(exc)) from None


def on_config(config):
    started = time.perf_counter()
    settings = _settings(config)
    problem, note = siteurl.check(config.site_url or "", production=bool(os.environ.get(siteurl.PRODUCTION_ENV)))
    if problem:
        raise PluginError(problem)
    if note and settings.generate_pages:  # under kehto build, the command says it
        log.info("kehto: %s", note)
    config.extra["urls"] = urls.theme_paths()  # the theme's templates (overrides/) link with these
    if not settings.generate_pages:
        return config
    root = (Path(config.config_file_path).parent / settings.root).resolve()
    # A session keeps the parsed records between `mkdocs serve` rebuilds (only changed files are read
    # again); a one-off build drops it in on_pre_build, when the command is known.
    registry, report = serving.session(root).check()
    for warning in report.warnings:
        log.warning(warning.as_text())
    if not report.ok:  # decided in on_pre_build, when the command (build or serve) is known
        config[_KEY] = {"report": report, "root": root}
        config.extra["kehto_problems"] = site.problems_html(report)  # overrides/404.html shows them
        return config
    config[_KEY] = {"registry": registry, "root": root, "settings": settings}
    log.info("kehto: %d tekoa luettu ja tarkistettu (%.1f s)", len(registry.practices), time.perf_counter() - started)
    return config


def on_pre_build(config):
    if not engine.wait_for_pages():  # kehto build: the pages are written while the engine loads itself
        raise PluginError("kehto: sivuja ei kirjoitettu, joten sivustoa ei rakenneta.")
    state = config.get(_KEY) or {}
    if "root" in state and _COMMAND.get("name") != "serve":
        serving.forget(state["root"])  # nothing to keep for a next build
    report = state.get("report")
    if report is None:
        return
    if _COMMAND.get("name") != "serve":
        raise PluginError("Rekisterissä on virheitä:\n" + reports.format_text(report))
    # A failed build would leave `mkdocs serve` answering nothing until the next good one: show the problems.
    log.info("Rekisterissä on virheitä; sivusto näyttää ne, kunnes tiedosto on korjattu:\n%s",
             reports.format_text(report))


def on_files(files, config):
    state = config.get(_KEY)
    if state is None:
        return files
    options = site.SiteOptions()
    if "report" in state:  # serve with a broken record: only the problems page
        pages = [site.problems_page(state["report"])]
    else:
        started = time.perf_counter()
        settings = state["settings"]
        for existing in files.documentation_pages():
            existing.edit_uri = f"{settings.docs_path}/{existing.src_uri}"
        try:
            if _COMMAND.get("name") == "serve":  # only the pages an edit changed are rendered again
                session = serving.session(state["root"])
                pages, options = session.pages(config, settings, state["registry"])
                log.info("kehto: %d sivua tuotettu uudelleen, %d ennallaan", session.memo.rendered, session.memo.reused)
            else:
                options = engine.site_options(config, settings, state["registry"], state["root"])
                pages = site.generate(state["registry"], options)
        except share.FontMissing as error:
            raise PluginError(str(error)) from None
        log.info("kehto: sivut tuotettu (%.1f s)", time.perf_counter() - started)
    in_nav = set(_nav_files(config.nav or []))
    # While serving, the pages are files that change only when their content does, so that
    # `mkdocs serve --dirty` renders only the pages an edit touched.
    folder = state["root"] / ".cache" / "kehto" / "serve" if _COMMAND.get("name") == "serve" and "registry" in state else None
    if folder is not None:
        engine.sync_pages(pages, folder, options, written_before=serving.session(state["root"]).written)
    for page in pages:
        existing = files.get_file_from_path(page.src_uri)
        if existing is not None:
            files.remove(existing)  # generated pages win over stray files
        inclusion = InclusionLevel.UNDEFINED if page.src_uri in in_nav else InclusionLevel.NOT_IN_NAV
        if folder is not None:
            generated = File(page.src_uri, str(folder), config.site_dir, config.use_directory_urls, inclusion=inclusion)
        else:
            generated = File.generated(config, page.src_uri, content=page.content, inclusion=inclusion)
        generated.generated_by = "kehto"
        generated.edit_uri = page.edit_path
        files.append(generated)
    return files


def _nav_files(nav):
    """The page paths named in mkdocs.yml's nav (generated pages elsewhere are kept out of it)."""
    for item in nav:
        if isinstance(item, dict):
            for value in item.values():
                yield from _nav_files(value if isinstance(value, list) else [value])
        elif isinstance(item, str):
            yield item


def on_env(env, config, files):
    """Theme fragments that come out the same on many pages, rendered once (overrides/main.html)."""
    rendered: dict[tuple, str] = {}

    def once(name: str, key: tuple, render) -> str:
        if (name, key) not in rendered:
            rendered[name, key] = render()
        return rendered[name, key]

    env.globals["kehto_once"] = once
    env.globals["kehto_theme_key"] = _theme_key
    return env


def _theme_key(page, nav) -> tuple | None:
    """What the drawer navigation and the tabs of ``page`` depend on, or None when they are its own.

    They link relative to the page's folder, mark the nav's active entry, hide as the page's
    ``hide`` says and hold the table of contents (the drawer). A page outside the nav (no nav entry
    active), with no table of contents and no nav page below it, gets what every such page of its
    folder gets."""
    if page is None or nav is None or len(getattr(page, "toc", ()) or ()):
        return None
    if any(item.active or item.url.startswith(page.url) for item in nav.pages):
        return None
    folder = page.url.rstrip("/").rpartition("/")[0]
    return folder, tuple((page.meta or {}).get("hide") or ())


def _generated(page) -> bool:
    return page.file.generated_by == "kehto" or bool(page.meta.get(engine.GENERATED_MARK))


def on_page_markdown(markdown, page, config, files):
    if _generated(page) and page.file.is_documentation_page():
        page.kehto_generated = True  # already HTML: keep it out of Markdown
        return ""
    return markdown


def on_page_context(context, page, config, nav):
    # A generated page's body is read again from its file only when the page is written, and let go
    # after (on_post_page): the engine never holds every page's HTML at once (memory at 10 000 pages).
    if getattr(page, "kehto_generated", False):
        page.content = get_data(page.file.content_string)[0]
    return context


def on_post_page(output, page, config):
    if getattr(page, "kehto_generated", False):
        page.content = None
    return output


def on_post_build(config):
    state = config.get(_KEY) or {}
    if "report" in state:  # serve with a broken record: every address shows the problems (404.html)
        site_dir = Path(config.site_dir)
        for path in site_dir.iterdir():  # pages of an earlier build (serve --dirty keeps them) go
            if path.is_dir() and path.name not in ("assets", "pagefind"):
                shutil.rmtree(path)
    if _settings(config).search and "registry" in state:
        if _COMMAND.get("name") == "serve":  # the pages answer at once; the search index follows
            threading.Thread(target=_index_in_background, args=(config.site_dir,), daemon=True).start()
        else:
            log.info("Pagefind-hakuindeksi valmis (%.1f s)", search.index_site(config.site_dir))


def _index_in_background(site_dir: str) -> None:
    with _INDEXING:
        try:
            log.info("Pagefind-hakuindeksi päivitetty (%.1f s)", search.index_site(site_dir))
        except search.IndexError_ as exc:
            log.warning(str(exc))
