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
from typing import Iterable, Iterator

from markupsafe import Markup

from . import days, form_data, forms, kinds, markup, share, urls
from .comms_pages import comms_pages
from .facets import practice_facts, record_kind_counted, search_filters
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


def _practice_pages(render: "_Renderer", practices: list[Practice]) -> Iterator[GeneratedPage]:
    registry = render.registry
    for practice in practices:
        yield render.page("practice.md.j2", urls.source(urls.practice(practice.id)), practice.path or None,
                          p=practice, org=registry.organisations[practice.organisation],
                          adoptions=registry.adoptions_of(practice.id), awards=registry.awards_won(practice.id),
                          knowledge=registry.knowledge_for(practice),
                          related=registry.related(practice), facts=practice_facts(registry, practice),
                          terms=(render.options.search_terms or {}).get(practice.id, ""))


_worker: dict = {}  # set in forked worker processes only


def _init_worker(registry: Registry, options: SiteOptions, sink) -> None:
    _worker.update(render=_Renderer(registry, options), sink=sink)


def _render_chunk(ids: list[str]) -> list:
    """Practice pages for the main process, or, with a sink, written here and only their paths returned."""
    render, sink = _worker["render"], _worker["sink"]
    pages = _practice_pages(render, [render.registry.practices[i] for i in ids])
    if sink is None:
        return list(pages)
    written = []
    for page in pages:
        sink.write(page)
        written.append(page.src_uri)
    return written


def generate(registry: Registry, options: SiteOptions | None = None, workers: int | None = None,
             parallel_from: int = PARALLEL_FROM, memo: PageMemo | None = None, sink=None) -> list[GeneratedPage]:
    """Every generated page of the site for ``registry``.

    Practice pages are independent of each other, so a large registry renders
    them in forked worker processes (which share the registry without copying
    it) while this process renders the index pages. With a ``memo`` (``make serve``)
    pages whose sources did not change since the last call are reused, in this process.
    With a ``sink`` (:class:`kehto.engine.PageWriter`) each page goes to ``sink.write`` as soon as it
    is rendered, in the workers too (their paths are added to ``sink.wanted``), and none is kept:
    the list returned is empty.
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
        pool = multiprocessing.get_context("fork").Pool(workers, _init_worker, (registry, options, sink))
        chunks = [[p.id for p in practices[i::workers]] for i in range(workers)]
        pending = pool.map_async(_render_chunk, chunks)
    pages: list[GeneratedPage] = []
    write = sink.write if sink is not None else pages.append
    for page in _site_pages(render, practices if pending is None else ()):
        write(page)
    if pending is not None:
        try:
            chunks = pending.get()
        finally:
            pool.close()
            pool.join()
        if sink is not None:
            sink.wanted.update(uri for chunk in chunks for uri in chunk)
        else:
            by_uri = {page.src_uri: page for chunk in chunks for page in chunk}
            pages.extend(by_uri[urls.source(urls.practice(p.id))] for p in practices)
    return pages


def _site_pages(render: "_Renderer", practices: list[Practice]) -> Iterator[GeneratedPage]:
    """The pages rendered in this process, one at a time (``practices``: those whose pages are made here)."""
    registry, options = render.registry, render.options
    yield render.page("home.md.j2", "index.md")
    yield render.file(urls.share_image(urls.home()), share.home_image(
        len(registry.practices), len(registry.contributing_organisations())))
    yield render.page("search.md.j2", urls.source(urls.section("search")), filters=search_filters(registry),
                      counted=record_kind_counted(), unmarked=kinds.unmarked_search_kind(),
                      words=bool(options.search_words))
    if options.search_words:
        yield render.file(urls.search_words(), json.dumps(options.search_words, ensure_ascii=False, separators=(",", ":")))
    if options.practice_schema:
        yield from submission_pages(render, registry, options.practice_schema)
    yield from render.paginated("listing.md.j2", urls.practices(), registry.newest_first,
                                heading="Kaikki kehittämisteot", intro="", kind="all", term=None)
    yield from _practice_pages(render, practices)
    for kind, taxonomy, members, counts, section, base in (
        ("sector", registry.sectors, registry.in_sector, registry.sector_counts(), "sectors", urls.sector),
        ("theme", registry.themes, registry.in_theme, registry.theme_counts(), "themes", urls.theme),
    ):
        yield render.page("taxonomy.md.j2", urls.source(urls.section(section)), kind=kind, taxonomy=taxonomy, counts=counts)
        for term in taxonomy.items.values():
            yield from render.paginated("listing.md.j2", base(term.id), members(term.id),
                                        heading=term.name, intro=term.description, kind=kind, term=term)
    by_name = sorted(registry.organisations.values(), key=lambda o: (o.name.casefold(), o.id))
    yield from render.paginated("organisations.md.j2", urls.section("organisations"), by_name,
                                per_page=ORGANISATIONS_PER_PAGE, counts=registry.organisation_counts())
    for org in sorted(registry.organisations.values(), key=lambda o: o.id):
        yield from render.paginated("listing.md.j2", urls.organisation(org.id), registry.of_organisation(org.id),
                                    edit_path=org.path or None, heading=org.name, intro=org.description,
                                    kind="organisation", term=org)
    yield from comms_pages(render, registry)
    yield from knowledge_pages(render, registry)
    for kind in kinds.KINDS:  # kinds whose page needs only the record
        if kind.template:
            for record in registry.of_kind(kind.name).values():
                yield render.page(kind.template, urls.source(kind.url(record.id)), record.path or None, record=record,
                                  kind=kind, terms=(options.search_terms or {}).get(kind.url(record.id), ""))


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


def problems_page(report) -> GeneratedPage:
    """The home page while the registry has errors (``mkdocs serve``): every problem, with its fix."""
    return GeneratedPage("index.md", _compact(environment().get_template("problems.md.j2").render(report=report)))


def problems_html(report) -> str:
    """The same problems as HTML for the theme's 404 page, which answers at every other address."""
    return environment().get_template("_problems.html.j2").render(report=report)
