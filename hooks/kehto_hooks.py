"""MkDocs hooks: a thin adapter between MkDocs and the kehto core package.

* ``on_config`` loads and validates the registry (a record error aborts the
  build with the same messages ``kehto validate`` prints);
* ``on_files`` adds the generated pages (never to the nav);
* ``on_post_build`` builds the Pagefind search index.

The registry lives on the config object of the running build, not in this
module, because ``mkdocs serve`` keeps hook modules loaded between rebuilds.
"""

from __future__ import annotations

import logging
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File

from kehto import report as reports
from kehto import schemas, search, site, validate
from kehto.load import Project

log = logging.getLogger("mkdocs.hooks.kehto")
_KEY = "_kehto"


def _settings(config) -> dict:
    return config.extra.get("kehto", {}) or {}


def on_config(config):
    settings = _settings(config)
    root = Path(config.config_file_path).parent / settings.get("root", ".")
    project = Project(root.resolve())
    registry, report = validate.build(project)
    for warning in report.warnings:
        log.warning(warning.as_text())
    if not report.ok:
        raise PluginError("Rekisterissä on virheitä:\n" + reports.format_text(report))
    config[_KEY] = {"registry": registry, "schema": schemas.load_schema(str(project.schema_dir), "practice")}
    return config


def on_files(files, config):
    state = config[_KEY]
    for existing in files.documentation_pages():
        existing.edit_uri = f"{config.extra.get('kehto', {}).get('docs_path', 'content')}/{existing.src_uri}"
    options = site.SiteOptions(repo_url=config.repo_url or "",
                               edit_branch=_settings(config).get("edit_branch", "main"),
                               site_name=config.site_name,
                               editors_email=_settings(config).get("editors_email", "") or "",
                               practice_schema=state["schema"])
    for page in site.generate(state["registry"], options):
        existing = files.get_file_from_path(page.src_uri)
        if existing is not None:
            files.remove(existing)  # generated pages win over stray files
        generated = File.generated(config, page.src_uri, content=page.content)
        generated.edit_uri = page.edit_path
        files.append(generated)
    return files


def on_post_build(config):
    if _settings(config).get("search", True):
        seconds = search.index_site(config.site_dir)
        log.info("Pagefind-hakuindeksi valmis (%.1f s)", seconds)
