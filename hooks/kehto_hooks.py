"""MkDocs hooks: a thin adapter between MkDocs and the kehto core package.

* ``on_config`` loads and validates the registry (a record error aborts the
  build with the same messages ``kehto validate`` prints);
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
import time
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, InclusionLevel

from kehto import report as reports
from kehto import finnish, schemas, search, site, urls, validate
from kehto import settings as kehto_settings
from kehto.load import Project

log = logging.getLogger("mkdocs.hooks.kehto")
_KEY = "_kehto"
_GENERATED = "kehto"


def _settings(config) -> kehto_settings.Settings:
    try:
        return kehto_settings.parse(config.extra.get("kehto"))
    except kehto_settings.SettingsError as exc:
        raise PluginError(str(exc)) from None


def on_config(config):
    started = time.perf_counter()
    settings = _settings(config)
    root = Path(config.config_file_path).parent / settings.root
    project = Project(root.resolve())
    registry, report = validate.build(project)
    for warning in report.warnings:
        log.warning(warning.as_text())
    if not report.ok:
        raise PluginError("Rekisterissä on virheitä:\n" + reports.format_text(report))
    config[_KEY] = {"registry": registry, "schema": schemas.load_schema(str(project.schema_dir), "practice"),
                    "root": project.root}
    config.extra["urls"] = urls.theme_paths()  # the theme's templates (overrides/) link with these
    log.info("kehto: %d tekoa luettu ja tarkistettu (%.1f s)", len(registry.practices), time.perf_counter() - started)
    return config


def on_files(files, config):
    started = time.perf_counter()
    state, settings = config[_KEY], _settings(config)
    for existing in files.documentation_pages():
        existing.edit_uri = f"{settings.docs_path}/{existing.src_uri}"
    terms = None
    if settings.finnish_search:
        terms, analysed = finnish.search_terms(state["registry"], state["root"])
        log.info("kehto: suomen sanojen analyysi (%d uutta sanaa, %.1f s)", analysed, time.perf_counter() - started)
    options = site.SiteOptions(repo_url=config.repo_url or "", site_url=config.site_url or "", edit_branch=settings.edit_branch,
                               editors_email=settings.editors_email,
                               practice_schema=state["schema"], search_terms=terms)
    in_nav = set(_nav_files(config.nav or []))
    for page in site.generate(state["registry"], options):
        existing = files.get_file_from_path(page.src_uri)
        if existing is not None:
            files.remove(existing)  # generated pages win over stray files
        inclusion = InclusionLevel.UNDEFINED if page.src_uri in in_nav else InclusionLevel.NOT_IN_NAV
        generated = File.generated(config, page.src_uri, content=page.content, inclusion=inclusion)
        generated.generated_by = _GENERATED
        generated.edit_uri = page.edit_path
        files.append(generated)
    log.info("kehto: sivut tuotettu (%.1f s)", time.perf_counter() - started)
    return files


def _nav_files(nav):
    """The page paths named in mkdocs.yml's nav (generated pages elsewhere are kept out of it)."""
    for item in nav:
        if isinstance(item, dict):
            for value in item.values():
                yield from _nav_files(value if isinstance(value, list) else [value])
        elif isinstance(item, str):
            yield item


def on_page_markdown(markdown, page, config, files):
    if page.file.generated_by == _GENERATED and page.file.is_documentation_page():
        page.kehto_html = markdown  # already HTML: keep it out of Markdown
        return ""
    return markdown


def on_page_content(html, page, config, files):
    return getattr(page, "kehto_html", html)


def on_post_build(config):
    if _settings(config).search:
        seconds = search.index_site(config.site_dir)
        log.info("Pagefind-hakuindeksi valmis (%.1f s)", seconds)
