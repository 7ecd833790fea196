"""Pages generated from the registry, rendered from Jinja templates.

Nothing here imports mkdocs: :func:`generate` returns plain
:class:`GeneratedPage` values (a source path, Markdown with an HTML body, and
the record file to edit), and the mkdocs hook only hands them to MkDocs.
Record pages are never put in the MkDocs nav; index pages link to them.
"""

from __future__ import annotations

import json
import math
import multiprocessing
import os
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Iterable

from markupsafe import Markup

from . import days, form_data, forms, kinds, markup, share, urls
from .comms_pages import comms_pages
from .incremental import PageMemo
from .knowledge_pages import knowledge_pages
from .model import ORGANISATION_TYPES
from .siteurl import is_local
from .model import Practice
from .registry import Registry
from .templating import environment

PER_PAGE = 50
ORGANISATIONS_PER_PAGE = 150
PARALLEL_FROM = 2000  # practices; below this a second process costs more than it saves


@dataclass(frozen=True)
class SiteOptions:
    """What the pages need to know about the site they are part of."""

    repo_url: str = ""
    site_url: str = "http://127.0.0.1:8000/"  # absolute links in feeds and exports
    today: date = field(default_factory=days.today)  # what "this week" and campaign status mean
    edit_branch: str = "main"
    editors_email: str = ""
    intake_url: str = ""  # the intake service (KEHTO_INTAKE_URL); empty: the forms offer files and links only
    practice_schema: dict | None = field(default=None, compare=False, hash=False)
    # Extra words Pagefind indexes per page (base forms, compound parts, theme names, synonyms): kehto.search_terms
    search_terms: dict | None = field(default=None, compare=False, hash=False)
    # The search's word list for "Tarkoititko ...?" suggestions: kehto.search_terms
    search_words: list | None = field(default=None, compare=False, hash=False)
    template_dirs: tuple[str, ...] = ()  # the project's own templates (kehto.templating)

    @property
    def local(self) -> bool:
        """Whether absolute links would point at this machine (a preview built without a public site_url)."""
        return is_local(self.site_url)

    def edit_url(self, path: str | None) -> str:
        if not self.repo_url or not path:
            return ""
        return f"{self.repo_url.rstrip('/')}/edit/{self.edit_branch}/{path}"


@dataclass(frozen=True)
class GeneratedPage:
    """A page for MkDocs: where it goes, its Markdown, and the record to edit."""

    src_uri: str
    content: str | bytes  # Markdown for pages; any text or bytes for other files
    edit_path: str | None = None

    @property
    def url(self) -> str:
        return urls.url_of(self.src_uri)


_BLANK = re.compile(r"\n[ \t]*(?=\n)")


def _compact(text: str) -> str:
    """Drop blank lines: a blank line would end the page's raw-HTML block early."""
    head, sep, body = text.partition("\n---\n")
    return head + sep + _BLANK.sub("", body).strip() + "\n"


class _Renderer:
    def __init__(self, registry: Registry, options: SiteOptions, memo: PageMemo | None = None):
        self.env = environment(options.template_dirs)
        self.registry = registry
        self.options = options
        self.markdown = markup.MarkdownRenderer()
        self.memo = memo

    def page(self, template: str, src_uri: str, edit_path: str | None = None, **context) -> GeneratedPage:
        if self.memo is None:
            return self._render(template, src_uri, edit_path, self.registry, context)
        page = self.memo.get(src_uri, template, edit_path, context)
        if page is None:
            reads = self.memo.reads(self.registry)
            page = self._render(template, src_uri, edit_path, reads, context)
            self.memo.put(src_uri, template, edit_path, context, reads, page)
        return page

    def _render(self, template: str, src_uri: str, edit_path: str | None, registry, context: dict) -> GeneratedPage:
        current = urls.url_of(src_uri)
        html = self.env.get_template(template).render(
            r=registry, site=self.options, md=self.markdown,
            url=lambda target: markup.relative_url(target, current),
            absolute=lambda target: urls.absolute(self.options.site_url, target),
            edit_url=self.options.edit_url(edit_path), **context,
        )
        return GeneratedPage(src_uri, _compact(html), edit_path)

    def file(self, path: str, content: str | bytes) -> GeneratedPage:
        """A file published as is (an export, a feed, a download)."""
        return GeneratedPage(path, content)

    def paginated(self, template: str, base: str, items: list, edit_path: str | None = None,
                  per_page: int = PER_PAGE, **context) -> Iterable[GeneratedPage]:
        """A listing split into pages of ``per_page`` at ``urls.paginated(base, n)``."""
        pages = max(1, math.ceil(len(items) / per_page))
        addresses = [urls.paginated(base, n) for n in range(1, pages + 1)]
        for number in range(1, pages + 1):
            chunk = items[(number - 1) * per_page: number * per_page]
            pager = {"number": number, "count": pages, "urls": addresses, "total": len(items),
                     "first": (number - 1) * per_page + 1 if items else 0,
                     "last": (number - 1) * per_page + len(chunk)}
            yield self.page(template, urls.source(addresses[number - 1]), edit_path, items=chunk, pager=pager, **context)


def _practice_pages(render: "_Renderer", practices: list[Practice]) -> list[GeneratedPage]:
    registry = render.registry
    return [render.page("practice.md.j2", urls.source(urls.practice(practice.id)), practice.path or None,
                        p=practice, org=registry.organisations[practice.organisation],
                        adoptions=registry.adoptions_of(practice.id), awards=registry.awards_won(practice.id),
                        knowledge=registry.knowledge_for(practice),
                        related=registry.related(practice), facts=practice_facts(registry, practice),
                        terms=(render.options.search_terms or {}).get(practice.id, ""))
            for practice in practices]


_worker: dict = {}  # set in forked worker processes only


def _init_worker(registry: Registry, options: SiteOptions) -> None:
    _worker["render"] = _Renderer(registry, options)


def _render_chunk(ids: list[str]) -> list[GeneratedPage]:
    render = _worker["render"]
    return _practice_pages(render, [render.registry.practices[i] for i in ids])


def generate(registry: Registry, options: SiteOptions | None = None, workers: int | None = None,
             parallel_from: int = PARALLEL_FROM, memo: PageMemo | None = None) -> list[GeneratedPage]:
    """Every generated page of the site for ``registry``.

    Practice pages are independent of each other, so a large registry renders
    them in forked worker processes (which share the registry without copying
    it) while this process renders the index pages. With a ``memo`` (``make serve``)
    pages whose sources did not change since the last call are reused, in this process.
    """
    options = options or SiteOptions()
    if memo is not None:
        memo.begin(registry, options)
        workers = 1
    render = _Renderer(registry, options, memo)
    workers = workers if workers is not None else min(2, os.cpu_count() or 1)
    practices = registry.newest_first
    pending = pool = None
    if workers > 1 and len(practices) >= parallel_from and "fork" in multiprocessing.get_all_start_methods():
        pool = multiprocessing.get_context("fork").Pool(workers, _init_worker, (registry, options))
        chunks = [[p.id for p in practices[i::workers]] for i in range(workers)]
        pending = pool.map_async(_render_chunk, chunks)
    pages = [render.page("home.md.j2", "index.md"),
             render.file(urls.share_image(urls.home()), share.home_image(
                 len(registry.practices), len(registry.contributing_organisations()))),
             render.page("search.md.j2", urls.source(urls.section("search")), filters=search_filters(registry),
                         counted=record_kind_counted(), words=bool(options.search_words))]
    if options.search_words:
        pages.append(render.file(urls.search_words(), json.dumps(options.search_words, ensure_ascii=False,
                                                                 separators=(",", ":"))))
    if options.practice_schema:
        pages.extend(submission_pages(render, registry, options.practice_schema))
    pages.extend(render.paginated("listing.md.j2", urls.practices(), registry.newest_first,
                                  heading="Kaikki kehittämisteot", intro="", kind="all", term=None))
    if pending is None:
        pages.extend(_practice_pages(render, practices))
    for kind, taxonomy, members, counts, section, base in (
        ("sector", registry.sectors, registry.in_sector, registry.sector_counts(), "sectors", urls.sector),
        ("theme", registry.themes, registry.in_theme, registry.theme_counts(), "themes", urls.theme),
    ):
        pages.append(render.page("taxonomy.md.j2", urls.source(urls.section(section)), kind=kind, taxonomy=taxonomy, counts=counts))
        for term in taxonomy.items.values():
            pages.extend(render.paginated("listing.md.j2", base(term.id), members(term.id),
                                          heading=term.name, intro=term.description, kind=kind, term=term))
    by_name = sorted(registry.organisations.values(), key=lambda o: (o.name.casefold(), o.id))
    pages.extend(render.paginated("organisations.md.j2", urls.section("organisations"), by_name, per_page=ORGANISATIONS_PER_PAGE,
                                  counts=registry.organisation_counts()))
    for org in sorted(registry.organisations.values(), key=lambda o: o.id):
        pages.extend(render.paginated("listing.md.j2", urls.organisation(org.id), registry.of_organisation(org.id),
                                      edit_path=org.path or None, heading=org.name, intro=org.description,
                                      kind="organisation", term=org))
    pages.extend(comms_pages(render, registry))
    pages.extend(knowledge_pages(render, registry))
    for kind in kinds.KINDS:  # kinds whose page needs only the record
        if kind.template:
            pages.extend(render.page(kind.template, urls.source(kind.url(record.id)), record.path or None,
                                     record=record, kind=kind, terms=(options.search_terms or {}).get(kind.url(record.id), ""))
                         for record in registry.of_kind(kind.name).values())
    if pending is not None:
        try:
            chunks = pending.get()
        finally:
            pool.close()
            pool.join()
        by_uri = {page.src_uri: page for chunk in chunks for page in chunk}
        pages.extend(by_uri[urls.source(urls.practice(p.id))] for p in practices)
    return pages


def _script_json(data) -> Markup:
    """JSON that is safe inside an inline ``<script>`` element."""
    return markup.script_json(data)


def submission_pages(render: "_Renderer", registry: Registry, schema: dict) -> list[GeneratedPage]:
    """The practice and correction forms, the status page, and the small files the forms fetch."""
    fields = forms.practice_form(schema, registry)
    spec = _script_json(forms.form_spec(fields, registry, schema))
    context = dict(fields=fields, spec=spec, org_types=list(ORGANISATION_TYPES.items()))
    pages = [render.page("submit.md.j2", urls.source(urls.section("submit")), **context),
             render.page("correction.md.j2", urls.source(urls.correction()), **context),
             render.page("status.md.j2", urls.source(urls.submission_status()))]
    lookups = form_data.lookup_files(registry, list(schema["properties"]))
    return pages + [render.file(path, text) for path, text in lookups.items()]


def search_filters(registry: Registry) -> dict[str, list[tuple[str, str, int]]]:
    """The search page's filter options as ``(value, label, count)``, known at build time.

    Rendering them into the page means the browser need not load Pagefind's
    filter index just to fill the menus.
    """
    counts: dict[str, dict[str, int]] = {}
    for practice in registry.practices.values():
        for key, values in practice_facts(registry, practice).items():
            for value in values:
                counts.setdefault(key, {}).setdefault(value, 0)
                counts[key][value] += 1
    counts["tyyppi"] = {kind: count for kind, count in record_kind_counts(registry).items() if count}
    labels = dict(kind.search for kind in kinds.KINDS if kind.search)
    names = {"tyyppi": labels.get, "palveluala": registry.sectors.name, "teema": registry.themes.name, "maakunta": registry.regions.name,
             "organisaatio": lambda i: registry.organisations[i].name if i in registry.organisations else i,
             "vuosi": str}
    out = {}
    for key, name in names.items():
        options = [(value, name(value), count) for value, count in counts.get(key, {}).items()]
        if key == "vuosi":
            options.sort(key=lambda o: o[0], reverse=True)
        elif key == "tyyppi":
            options.sort(key=lambda o: list(labels).index(o[0]))
        else:
            options.sort(key=lambda o: (o[1].casefold(), o[0]))
        out[key] = options
    return out


def record_kind_counts(registry: Registry) -> dict[str, int]:
    """How many searchable pages of each kind (``Kind.search``) the site has, by filter value.

    Pages set their kind in their templates (knowledge_meta, record_meta); practice pages
    through practice_facts.
    """
    return {kind.search[0]: len(registry.of_kind(kind.name)) + kind.search_pages
            for kind in kinds.KINDS if kind.search}


def record_kind_counted() -> dict[str, tuple[str, str]]:
    """How the search's status line counts each kind (``Kind.counted``; else its label), by filter value:
    ``(one, several)`` as in "1 prosessikuvaus", "3 prosessikuvausta"."""
    return {kind.search[0]: kind.counted or (kind.search[1].lower(),) * 2 for kind in kinds.KINDS if kind.search}


def practice_facts(registry: Registry, practice: Practice) -> dict:
    """Filter values Pagefind indexes for a practice (ids; names come from the labels)."""
    return {
        "tyyppi": ["kehittamisteko"],
        "palveluala": list(practice.sectors),
        "teema": list(practice.themes),
        "organisaatio": [practice.organisation],
        "maakunta": [registry.region_of(practice)],
        "vuosi": [str(practice.year)],
    }


def problems_page(report) -> GeneratedPage:
    """The home page while the registry has errors (``mkdocs serve``): every problem, with its fix."""
    return GeneratedPage("index.md", _compact(environment().get_template("problems.md.j2").render(report=report)))


def problems_html(report) -> str:
    """The same problems as HTML for the theme's 404 page, which answers at every other address."""
    return environment().get_template("_problems.html.j2").render(report=report)
