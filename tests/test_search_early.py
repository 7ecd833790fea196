"""The search page starts Pagefind early and shows results as they arrive (real Chromium, real index).

No timings: requests are held back by the test, and the page is checked while they wait.
"""

from __future__ import annotations

import re
from contextlib import contextmanager

import pytest

from browser import OMNIBOX_POPUPS, another_page, browser_command_lines, open_site, page_errors, serve

pytestmark = pytest.mark.browser


def _done(page):
    page.wait_for_function("document.getElementById('kehto-search').dataset.state === 'done'", timeout=15000)


@pytest.fixture(scope="module")
def site(real_site):
    with open_site(real_site) as opened:
        yield opened


def test_pagefind_loads_the_query_while_materials_bundle_is_still_loading(site):
    base, page, errors = site
    held, requested = [], []
    page.on("request", lambda request: requested.append(request.url))
    # Material's bundle is a parser-blocking script at the end of the page: hold it back.
    page.route("**/javascripts/bundle.*.min.js", lambda route: held.append(route))
    page.goto(base + "haku/?q=perehdytys", wait_until="commit")
    filters = lambda: sum("/pagefind/filter/" in url for url in requested)
    for _ in range(200):  # until the word's chunk and filters are asked for, or give up (the bundle still held)
        if any("/pagefind/index/" in url for url in requested) and filters() >= 2:
            break
        page.wait_for_timeout(50)
    assert held, "Material's bundle was not requested"
    assert any("/pagefind/index/" in url for url in requested), requested
    assert filters() == 2, requested  # the record kinds and the first pages
    assert page.evaluate("document.getElementById('kehto-search').dataset.state") is None
    for route in held:
        route.continue_()
    page.unroute("**/javascripts/bundle.*.min.js")
    page.wait_for_function("document.getElementById('kehto-search').dataset.state === 'done'", timeout=15000)
    assert page.locator("#kehto-results .kehto-result").count() >= 2
    # the WebAssembly preloaded by the page is the one Pagefind uses: fetched once
    assert sum(url.endswith("/pagefind/wasm.fi.pagefind") for url in requested) == 1
    assert errors == []


def test_first_result_shows_before_the_other_fragments_arrive(site):
    base, page, errors = site
    held = []

    def fragments(route):
        if held:
            held.append(route)
        else:
            held.append(None)  # the first result's fragment goes through
            route.continue_()

    page.route("**/pagefind/fragment/*", fragments)
    page.goto(base + "haku/?q=perehdytys", wait_until="commit")
    page.wait_for_selector("#kehto-results .kehto-result", timeout=15000)
    waiting = [route for route in held if route is not None]
    assert waiting, "all fragments arrived before the first result was shown"
    assert page.locator("#kehto-results .kehto-result").count() == 1
    first = page.locator("#kehto-results .kehto-result__title a").first.inner_text()
    assert page.evaluate("document.getElementById('kehto-search').dataset.state") == "searching"
    assert page.locator("#kehto-status").inner_text().startswith(tuple("0123456789"))
    for route in waiting:
        route.continue_()
    page.unroute("**/pagefind/fragment/*")
    page.wait_for_function("document.getElementById('kehto-search').dataset.state === 'done'", timeout=15000)
    titles = page.locator("#kehto-results .kehto-result__title a").all_inner_texts()
    assert len(titles) == len(held) and titles[0] == first
    assert errors == []


def _lower_the_limit(route):
    """Serve the search page with COMMON (data-common) at 10 pages instead of 2 000."""
    response = route.fetch()
    html = response.text().replace('id="kehto-search"', 'id="kehto-search" data-common="10"', 1)
    route.fulfill(response=response, body=html)


def test_a_word_on_very_many_pages_is_not_widened_to_longer_words(site):
    # Pagefind's prefix search of a word on most pages is what cost seconds at 10 000 practices: a
    # word on more than COMMON pages (2 000; this test rewrites the page to say 10) is searched as
    # a word only, its inflections included.
    base, page, errors = site
    page.route("**/haku/", _lower_the_limit)
    page.goto(base + "haku/")
    page.wait_for_function("document.getElementById('kehto-search').dataset.ready === 'true'")
    found = page.evaluate("""async (word) => {
      const pagefind = await window.kehtoSearchBoot.pagefind;
      const ids = (search) => search.results.map((r) => r.id);
      return { word: ids(await pagefind.search('"' + word + '"')), prefix: ids(await pagefind.search(word)),
               page: ids(await window.kehtoSearch.search(word)) };
    }""", "työhyvinvointi")
    page.unroute("**/haku/")
    assert len(found["word"]) > 10
    assert set(found["prefix"]) > set(found["word"])  # longer words starting with it exist
    assert sorted(found["page"]) == sorted(found["word"])
    assert errors == []


def test_the_test_browser_loads_no_browser_ui_pages_beside_the_page(site):
    """The timings of issue 14 are of the page: no omnibox-popup WebUI loads beside it (browser.CHROMIUM_ARGS)."""
    base, page, errors = site
    page.goto(base + "haku/?q=perehdytys")
    page.wait_for_function("document.getElementById('kehto-search').dataset.state === 'done'", timeout=15000)
    session = page.context.browser.new_browser_cdp_session()
    try:
        targets = session.send("Target.getTargets")["targetInfos"]
    finally:
        session.detach()
    assert [t["url"] for t in targets if t["url"].startswith("chrome://")] == []
    assert any(t["url"].startswith(base) for t in targets)
    # Chromium keeps the last --disable-features: it holds Playwright's own list and the popups
    lines = browser_command_lines()
    assert lines
    for line in lines:
        given = [set(a.split("=", 1)[1].split(",")) for a in line if a.startswith("--disable-features=")]
        assert given[-1] >= set(given[0]) | set(OMNIBOX_POPUPS) and len(given[0]) > len(OMNIBOX_POPUPS)


def test_the_first_results_fragment_is_asked_for_alone(site):
    """On a new search the other nine fragments are requested once the first one has arrived."""
    base, page, errors = site
    held, requested = [], []

    def fragments(route):
        requested.append(route.request.url)
        if len(requested) == 1:
            held.append(route)  # the first: held until the test lets it go
        else:
            route.continue_()

    page.route("**/pagefind/fragment/*", fragments)
    page.goto(base + "haku/?q=perehdytys", wait_until="commit")
    for _ in range(200):
        if held:
            break
        page.wait_for_timeout(25)
    page.wait_for_timeout(300)  # time enough for the others to be asked for, were they asked at once
    assert len(requested) == 1
    held.pop().continue_()
    _done(page)
    page.unroute("**/pagefind/fragment/*")
    shown = page.locator("#kehto-results .kehto-result").count()
    assert shown >= 2 and len(requested) == shown  # each fragment asked for once
    assert errors == []

USED = """(() => { const Native = window.DecompressionStream; window.__unpacked = 0;
  window.DecompressionStream = class extends Native { constructor(f) { super(f); window.__unpacked++; } }; })();"""
FAILING = """window.DecompressionStream = class { constructor() {
  const broken = new TransformStream({ transform() { throw new Error("broken"); } });
  this.readable = broken.readable; this.writable = broken.writable; } };"""


@contextmanager
def _searched(site, query: str, setup: str):
    """A page of its own, with ``setup`` run before the page's scripts, that has searched ``query``
    and shows results. Yields ``(page, errors)``."""
    base, first_page, _ = site
    with another_page(first_page.context) as (page, errors):
        page.add_init_script(setup)
        page.goto(base + f"haku/?q={query}")
        _done(page)
        assert page.locator("#kehto-results .kehto-result").count() >= 2
        yield page, errors


@pytest.mark.parametrize("setup, unpacked", [(USED, True), (FAILING, False), ("delete window.DecompressionStream;", False)],
                         ids=["used", "failing", "missing"])
def test_pagefind_unpacks_with_the_browser_and_falls_back_to_its_own_gzip(site, setup, unpacked):
    """search_index.native_unpack: the browser's DecompressionStream unpacks Pagefind's files; where
    it fails (while unpacking) or is missing, Pagefind's own decoder does, and the search works."""
    with _searched(site, "perehdytys", setup) as (page, errors):
        if unpacked:  # page list, WebAssembly, word chunk, kind filter and the fragments
            assert page.evaluate("window.__unpacked") >= 5
        assert errors == []


COUNT_SEGMENTERS = """(() => { const Native = Intl.Segmenter; window.__segmenters = 0;
  Intl.Segmenter = class extends Native { constructor(...args) { super(...args); window.__segmenters++; } }; })();"""


def test_a_plain_query_is_cut_without_a_grapheme_segmenter(site):
    """search_index.plain_terms: Pagefind makes no Intl.Segmenter (10 ms or more for a page's first) for
    a query of characters up to U+02FF; a query with a combining mark is still cut into grapheme
    clusters, and finds what the same word written with precomposed letters finds."""
    with _searched(site, "työhyvinvointi", COUNT_SEGMENTERS) as (page, errors):
        assert page.evaluate("window.__segmenters") == 0
        found = page.evaluate("""async () => {
          const pagefind = await window.kehtoSearchBoot.pagefind;
          const ids = async (q) => (await pagefind.search(q)).results.map((r) => r.id).sort();
          return { composed: await ids("työhyvinvointi"), combining: await ids("tyo\u0308hyvinvointi"),
                   segmenters: window.__segmenters };
        }""")
        assert found["segmenters"] >= 1
        assert len(found["composed"]) >= 2 and found["combining"] == found["composed"]
        assert errors == []


@pytest.fixture(scope="module")
def few_first_pages(real_site, tmp_path_factory):
    """The bundled site with only its first FIRST pages in the first-pages filter (the built index
    marks at least search_index.FIRST_LEAST: all of the bundled site's)."""
    import shutil

    from kehto import search_index

    site = tmp_path_factory.mktemp("first-pages") / "site"
    shutil.copytree(real_site, site)
    assert search_index.mark_first_pages(site / "pagefind", FIRST) == FIRST
    return site


FIRST = 20
# Records each search the page asks Pagefind for, as [term, filters] (window.__searches).
LOG_SEARCHES = """(() => { window.__searches = []; let boot;
  Object.defineProperty(window, "kehtoSearchBoot", { configurable: true, get: () => boot, set: (value) => {
    boot = { ...value, pagefind: value.pagefind.then((pagefind) => ({ ...pagefind, search: (term, options) => {
      window.__searches.push([term, JSON.parse(JSON.stringify((options && options.filters) || {}))]);
      return pagefind.search(term, options); } })) };
  } }); })();"""


def test_a_common_words_first_results_come_from_the_first_pages(site, few_first_pages):
    """A word on more than COMMON pages (lowered to 10 here) shows the same first results, count and
    kinds as the search of all pages, from the index's first pages; the rest when asked for."""
    _, first_page, _ = site
    with serve(few_first_pages) as base:
        context = first_page.context.browser.new_context(locale="fi-FI")
        try:
            _first_results_from_the_first_pages(base, context.new_page())
        finally:
            context.close()


def _first_results_from_the_first_pages(base, page):
    errors = page_errors(page)
    page.route("**/haku/?q=*", _lower_the_limit)
    page.add_init_script(LOG_SEARCHES)
    page.goto(base + "haku/?q=kehittää")
    _done(page)
    quoted = [filters for term, filters in page.evaluate("window.__searches") if term == '"kehittää"']
    assert quoted == [{"alku": "1", "tyyppi": quoted[0]["tyyppi"]}]  # the first pages only, so far
    expected = page.evaluate("""async () => {
      const pagefind = await window.kehtoSearchBoot.pagefind;
      const every = (await pagefind.search('"xqkaikkixq"')).results.map((r) => r.id);
      const all = (await pagefind.search('"kehittää"')).results.map((r) => r.id);
      const first = (await pagefind.search('"kehittää"', { filters: { alku: "1" } })).results.map((r) => r.id);
      return { all, first, early: all.filter((id) => every.indexOf(id) < %d) };
    }""" % FIRST)
    assert 10 < len(expected["first"]) < len(expected["all"])  # the first pages hold a first page, not all
    assert expected["first"] == expected["early"] == expected["all"][:len(expected["first"])]
    fragments = page.evaluate("""async () => {
      const pagefind = await window.kehtoSearchBoot.pagefind;
      const all = (await pagefind.search('"kehittää"')).results;
      return Promise.all(all.map(async (r) => (await r.data()).url));
    }""")
    links = lambda: page.eval_on_selector_all("#kehto-results .kehto-result__title a", "as => as.map(a => a.getAttribute('href'))")
    assert [link.split("/")[-2] for link in links()] == [url.split("/")[-2] for url in fragments[:10]]
    status = page.inner_text("#kehto-status")
    assert status.startswith(f"{len(fragments)} tulosta hakusanoilla ”kehittää”: "), status
    kinds = page.evaluate("""async () => {  // each kind's count, from the search of all pages
      const pagefind = await window.kehtoSearchBoot.pagefind;
      const root = document.getElementById("kehto-search");
      const kinds = Array.from(document.getElementById("kehto-f-tyyppi").options, (o) => o.value).filter(Boolean);
      const marked = kinds.filter((kind) => kind !== root.dataset.unmarked);
      const search = await pagefind.search('"kehittää"', { filters: { tyyppi: { any: [{ any: marked }, { none: marked }] } } });
      const counts = search.filters.tyyppi;
      counts[root.dataset.unmarked] = search.results.length - marked.reduce((sum, kind) => sum + (counts[kind] || 0), 0);
      return kinds.map((kind) => counts[kind] || 0).filter((n) => n > 0);
    }""")
    assert [int(n) for n in re.findall(r"(\d+) ", status.split(": ", 1)[1])] == kinds
    while page.is_visible("#kehto-more"):
        after = min(len(links()) + 10, len(fragments))
        # two presses in one go: the second, while the first is on its way, adds nothing
        page.eval_on_selector("#kehto-more", "button => { button.click(); button.click(); }")
        page.wait_for_function("n => document.querySelectorAll('#kehto-results .kehto-result').length === n", arg=after)
        page.wait_for_function("document.getElementById('kehto-more-wrap').hidden === (%d === %d)" % (after, len(fragments)))
    assert [link.split("/")[-2] for link in links()] == [url.split("/")[-2] for url in fragments]
    searched = page.evaluate("window.__searches")
    assert ['"kehittää"', {"tyyppi": quoted[0]["tyyppi"]}] in searched  # all its pages: when asked for
    page.unroute("**/haku/?q=*")
    assert errors == []
