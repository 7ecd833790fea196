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
# A search filter menu with more choices than this keeps them out of the page's live DOM until used:
# every option is styled again whenever the page is, which slows each style pass while the search
# loads (the organisation menu's 500 choices at 10,000 practices: 4.6 ms a pass against 1.5 ms).
FOLD_ABOVE = 30
ORGANISATIONS_PER_PAGE = 150
# Practices from which the pages render in worker processes. Pages kept in memory come back to this
# process through a pipe, which costs more than a second process saves below about 2 000 practices;
# pages written as files by the workers themselves (`kehto build`) gain at any size (1 000 practices:
# 6.2-6.6 s -> 4.6 s; the 46 bundled: 1.6-1.8 s -> 1.5-1.7 s; docs/performance.md).
PARALLEL_FROM = 2000
PARALLEL_WRITING_FROM = 0


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
PRACTICE_GROUPS = 4  # practice pages in this many groups when rendered in parallel, so the workers even out


def _init_worker(registry: Registry, options: SiteOptions, sink, practice_groups: int) -> None:
    render = _Renderer(registry, options)
    _worker.update(groups=_page_groups(render, registry.newest_first, practice_groups), sink=sink)


def _render_group(index: int) -> list:
    """One group's pages for the main process, or, with a sink, written here and only their paths returned."""
    pages, sink = _worker["groups"][index](), _worker["sink"]
    if sink is None:
        return list(pages)
    written = []
    for page in pages:
        sink.write(page)
        written.append(page.src_uri)
    return written


def generate(registry: Registry, options: SiteOptions | None = None, workers: int | None = None,
             parallel_from: int | None = None, memo: PageMemo | None = None, sink=None) -> list[GeneratedPage]:
    """Every generated page of the site for ``registry``.

    The pages fall into groups that do not depend on each other (:func:`_page_groups`), so they render
    in forked worker processes (which share the registry without copying it), the largest groups
    first: from ``PARALLEL_FROM`` practices, or with a ``sink`` from ``PARALLEL_WRITING_FROM``. The
    pages come in the same order either way. With a ``memo`` (``make serve``) pages whose sources did
    not change since the last call are reused, in this process. With a ``sink``
    (:class:`kehto.engine.PageWriter`) each page goes to ``sink.write`` as soon as it is rendered, in
    the workers too (their paths are added to ``sink.wanted``), and none is kept: the list returned
    is empty.
    """
    options = options or SiteOptions()
    if memo is not None:
        memo.begin(registry, options)
        workers = 1
    workers = workers if workers is not None else min(2, os.cpu_count() or 1)
    practices = registry.newest_first
    if parallel_from is None:
        parallel_from = PARALLEL_FROM if sink is None else PARALLEL_WRITING_FROM
    pages: list[GeneratedPage] = []
    write = sink.write if sink is not None else pages.append
    if workers < 2 or len(practices) < parallel_from or "fork" not in multiprocessing.get_all_start_methods():
        for group in _page_groups(_Renderer(registry, options, memo), practices, 1):
            for page in group():
                write(page)
        return pages
    groups = PRACTICE_GROUPS
    count = len(_page_groups(None, practices, groups))
    largest_first = [*range(1, 1 + groups), *(i for i in range(count) if not 1 <= i <= groups)]
    with multiprocessing.get_context("fork").Pool(workers, _init_worker, (registry, options, sink, groups)) as pool:
        done = dict(zip(largest_first, pool.map(_render_group, largest_first, chunksize=1)))
    for index in range(count):
        if sink is not None:
            sink.wanted.update(done[index])
        else:
            pages.extend(done[index])
    return pages


def _page_groups(render: "_Renderer | None", practices: list[Practice], practice_groups: int) -> list:
    """Every generated page as groups (functions that render a group's pages one at a time) in the site's
    page order; group 0 is the front pages, groups 1 to ``practice_groups`` the practice pages."""
    size = math.ceil(len(practices) / practice_groups) if practices else 1
    return [
        lambda: _front_pages(render),
        *(lambda part=practices[n * size:(n + 1) * size]: _practice_pages(render, part) for n in range(practice_groups)),
        lambda: _index_pages(render),
        lambda: comms_pages(render, render.registry),
        lambda: knowledge_pages(render, render.registry),
        lambda: _record_pages(render),
    ]


def _front_pages(render: "_Renderer") -> Iterator[GeneratedPage]:
    """The home page and its share image, the search page, the submission pages and the list of every practice."""
    registry, options = render.registry, render.options
    yield render.page("home.md.j2", "index.md")
    yield render.file(urls.share_image(urls.home()), share.home_image(
        len(registry.practices), len(registry.contributing_organisations())))
    yield render.page("search.md.j2", urls.source(urls.section("search")), filters=search_filters(registry),
                      counted=record_kind_counted(), unmarked=kinds.unmarked_search_kind(), fold_above=FOLD_ABOVE,
                      words=bool(options.search_words))
    if options.search_words:
        yield render.file(urls.search_words(), json.dumps(options.search_words, ensure_ascii=False, separators=(",", ":")))
    if options.practice_schema:
        yield from submission_pages(render, registry, options.practice_schema)
    yield from render.paginated("listing.md.j2", urls.practices(), registry.newest_first,
                                heading="Kaikki kehittämisteot", intro="", kind="all", term=None)


def _index_pages(render: "_Renderer") -> Iterator[GeneratedPage]:
    """The service sectors, themes and organisations, each with its paginated list of practices."""
    registry = render.registry
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


def _record_pages(render: "_Renderer") -> Iterator[GeneratedPage]:
    """Pages of the kinds whose page needs only the record."""
    registry, options = render.registry, render.options
    for kind in kinds.KINDS:
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
