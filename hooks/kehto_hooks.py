"""MkDocs hooks: a thin adapter between MkDocs and the kehto core package.

* ``on_config`` loads and validates the registry (a record error aborts the
  build with the same messages ``kehto validate`` prints); a production build
  (``KEHTO_PRODUCTION``) without a public ``site_url`` stops there too;
* ``on_files`` adds the generated pages (never to the nav);
* ``on_page_markdown``/``on_page_content`` skip Markdown for generated pages:
  their body is HTML rendered by kehto's templates, and Python-Markdown's
  raw-HTML parser would only re-read it (most of the build time at scale);
* ``on_post_build`` builds the Pagefind search index.

The registry lives on the config object of the running build, not in this
module, because ``mkdocs serve`` keeps hook modules loaded between rebuilds.
"""

from __future__ import annotations

import logging
import os
import time
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File

from kehto import report as reports
from kehto import finnish, schemas, search, share, site, siteurl, validate
from kehto.load import Project

log = logging.getLogger("mkdocs.hooks.kehto")
_KEY = "_kehto"
_GENERATED = "kehto"


def _settings(config) -> dict:
    return config.extra.get("kehto", {}) or {}


def on_config(config):
    started = time.perf_counter()
    if os.environ.get(siteurl.PRODUCTION_ENV):
        problem = siteurl.production_problem(config.site_url or "")
        if problem:
            raise PluginError(problem)
    elif siteurl.is_local(config.site_url or ""):
        log.info("kehto: %s", siteurl.local_preview_note(config.site_url or ""))
    settings = _settings(config)
    root = Path(config.config_file_path).parent / settings.get("root", ".")
    project = Project(root.resolve())
    registry, report = validate.build(project)
    for warning in report.warnings:
        log.warning(warning.as_text())
    if not report.ok:
        raise PluginError("Rekisterissä on virheitä:\n" + reports.format_text(report))
    config[_KEY] = {"registry": registry, "schema": schemas.load_schema(str(project.schema_dir), "practice"),
                    "root": project.root}
    log.info("kehto: %d tekoa luettu ja tarkistettu (%.1f s)", len(registry.practices), time.perf_counter() - started)
    return config


def on_files(files, config):
    started = time.perf_counter()
    state, settings = config[_KEY], _settings(config)
    for existing in files.documentation_pages():
        existing.edit_uri = f"{settings.get('docs_path', 'content')}/{existing.src_uri}"
    terms = None
    if settings.get("finnish_search", True):
        terms, analysed = finnish.search_terms(state["registry"], state["root"])
        log.info("kehto: suomen sanojen analyysi (%d uutta sanaa, %.1f s)", analysed, time.perf_counter() - started)
    options = site.SiteOptions(repo_url=config.repo_url or "", site_url=config.site_url or "", edit_branch=settings.get("edit_branch", "main"),
                               editors_email=settings.get("editors_email", "") or "",
                               practice_schema=state["schema"], search_terms=terms)
    try:
        generated_pages = site.generate(state["registry"], options)
    except share.FontMissing as error:
        raise PluginError(str(error)) from None
    for page in generated_pages:
        existing = files.get_file_from_path(page.src_uri)
        if existing is not None:
            files.remove(existing)  # generated pages win over stray files
        generated = File.generated(config, page.src_uri, content=page.content)
        generated.generated_by = _GENERATED
        generated.edit_uri = page.edit_path
        files.append(generated)
    log.info("kehto: sivut tuotettu (%.1f s)", time.perf_counter() - started)
    return files


def on_page_markdown(markdown, page, config, files):
    if page.file.generated_by == _GENERATED and page.file.is_documentation_page():
        page.kehto_html = markdown  # already HTML: keep it out of Markdown
        return ""
    return markdown


def on_page_content(html, page, config, files):
    return getattr(page, "kehto_html", html)


def on_post_build(config):
    if _settings(config).get("search", True):
        seconds = search.index_site(config.site_dir)
        log.info("Pagefind-hakuindeksi valmis (%.1f s)", seconds)
