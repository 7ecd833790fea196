"""Real search in headless Chromium against the built bundled site (real Pagefind index)."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from browser import another_page, open_site, page_errors
from conftest import REPO
from kehto import validate
from kehto.load import Project

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def registry():
    registry, report = validate.build(Project(REPO))
    assert report.ok
    return registry


@pytest.fixture(scope="module")
def site(real_site):
    with open_site(real_site) as opened:
        yield opened


def _wait(page):
    # (null-safe: right after a click the previous page, without the search, may still be there)
    page.wait_for_function("document.getElementById('kehto-search')?.dataset.state === 'done'", timeout=15000)


def _titles(page):
    return page.locator("#kehto-results .kehto-result__title a").all_inner_texts()


def test_finds_a_practice_by_a_finnish_word(site, registry):
    base, page, errors = site
    page.goto(base + "haku/?q=perehdytys")
    _wait(page)
    titles = _titles(page)
    assert registry.practices["hyria-verme-perehdytys"].title in titles
    # an inflected form finds it too: Pagefind stems Finnish
    page.goto(base + "haku/?q=perehdytyksen")
    _wait(page)
    assert registry.practices["hyria-verme-perehdytys"].title in _titles(page)
    link = page.locator("#kehto-results a", has_text="uusien työntekijöiden perehdytyksen").first
    link.click()
    page.wait_for_url("**/teot/hyria-verme-perehdytys/")
    assert errors == []


def test_header_search_leads_to_results(site):
    base, page, errors = site
    page.goto(base + "teot/evira-vatupassi/")
    page.fill("#kehto-header-q", "VaTuPassi")
    page.press("#kehto-header-q", "Enter")
    page.wait_for_url("**/haku/?q=VaTuPassi")
    _wait(page)
    assert _titles(page)[0].startswith("VaTuPassi")
    assert page.input_value("#kehto-q") == "VaTuPassi"
    assert errors == []


def test_filter_by_theme_lives_in_the_url(site, registry):
    base, page, errors = site
    expected = {p.title for p in registry.in_theme("itseohjautuvuus")}
    page.goto(base + "haku/")
    page.wait_for_function("document.getElementById('kehto-search').dataset.ready === 'true'")
    page.focus("#kehto-f-teema")
    page.select_option("#kehto-f-teema", "itseohjautuvuus")
    _wait(page)
    assert set(_titles(page)) == expected
    assert parse_qs(urlsplit(page.url).query) == {"teema": ["itseohjautuvuus"]}
    assert page.inner_text("#kehto-status") == (f"{len(expected)} tulosta rajauksella Itseohjautuvuus: "
                                                f"{len(expected)} kehittämistekoa.")
    # results of filters alone come newest first, and the order menu says so
    assert page.eval_on_selector("#kehto-sort", "s => Array.from(s.options, o => o.text)") \
        == ["Oletus (uusin ensin)", "Uusin ensin", "Vanhin ensin"]
    # a shared link restores the same search
    page.goto(base + "haku/?teema=itseohjautuvuus&maakunta=uusimaa&jarjestys=uusin")
    _wait(page)
    wanted = [p for p in registry.in_theme("itseohjautuvuus") if registry.region_of(p) == "uusimaa"]
    assert _titles(page) == [p.title for p in wanted]  # newest first, as in the registry
    assert page.input_value("#kehto-f-maakunta") == "uusimaa"
    assert errors == []


MENU_OPTIONS = "s => Array.from(s.options, o => o.value)"


def test_a_long_menu_keeps_its_choices_aside_until_used(site, registry, real_site):
    """The organisation menu (over site.FOLD_ABOVE choices) is built with its choices in a template:
    they join the menu when the URL names one, when it is focused or pressed, and after the first
    results; the theme menu (under the limit) is built whole."""
    from kehto import site as kehto_site
    from kehto.facets import search_filters

    base, page, errors = site
    organisations = [value for value, _, _ in search_filters(registry)["organisaatio"]]
    assert len(organisations) > kehto_site.FOLD_ABOVE >= len(search_filters(registry)["teema"])
    html = (real_site / "haku" / "index.html").read_text(encoding="utf-8")
    menu = html.split('id="kehto-f-organisaatio"', 1)[1].split("</select>", 1)[0]
    assert menu.count("<template>") == 1 and menu.split("<template>", 1)[0].count("<option") == 1
    assert "<template>" not in html.split('id="kehto-f-teema"', 1)[1].split("</select>", 1)[0]
    everything = [""] + organisations

    page.goto(base + "haku/?q=perehdytys")
    _wait(page)
    page.wait_for_function("document.getElementById('kehto-f-organisaatio').options.length > 1")
    assert page.eval_on_selector("#kehto-f-organisaatio", MENU_OPTIONS) == everything
    assert page.locator("#kehto-f-organisaatio template").count() == 0

    # a shared link names a choice: the menu shows it and the status names the organisation
    chosen = next(p for p in registry.practices.values() if p.organisation in organisations)
    name = registry.organisations[chosen.organisation].name
    page.goto(base + f"haku/?organisaatio={chosen.organisation}")
    _wait(page)
    assert page.input_value("#kehto-f-organisaatio") == chosen.organisation
    assert name in page.inner_text("#kehto-status")

    # before the first results (their unfolding held back here), focus or a press unfolds the menu
    with another_page(page.context) as (held, held_errors):
        held.add_init_script("window.requestIdleCallback = () => 0;")
        for act in ("focus", "press"):
            held.goto(base + "haku/?q=perehdytys")
            _wait(held)
            assert held.eval_on_selector("#kehto-f-organisaatio", MENU_OPTIONS) == [""]
            if act == "focus":
                held.focus("#kehto-f-organisaatio")
            else:
                held.dispatch_event("#kehto-f-organisaatio", "pointerdown")
            assert held.eval_on_selector("#kehto-f-organisaatio", MENU_OPTIONS) == everything
        held.select_option("#kehto-f-organisaatio", chosen.organisation)
        _wait(held)
        assert parse_qs(urlsplit(held.url).query)["organisaatio"] == [chosen.organisation]
        # Back to the search before, and Forward to the organisation again
        held.go_back()
        _wait(held)
        assert held.input_value("#kehto-f-organisaatio") == ""
        held.go_forward()
        _wait(held)
        assert held.input_value("#kehto-f-organisaatio") == chosen.organisation
        assert name in held.inner_text("#kehto-status")
        assert held_errors == []
    assert errors == []


def test_a_query_of_only_short_words_lists_nothing_and_says_why(site, registry):
    # Words under three letters are not searched; before, such a query listed every page as its results.
    base, page, errors = site
    page.goto(base + "haku/?q=ja")
    _wait(page)
    assert _titles(page) == []
    assert page.inner_text("#kehto-status") == "Alle 3 kirjaimen sanoja ei haeta. Kirjoita pidempi hakusana."
    # with a filter, the filter's results, and no claim that they match the word
    page.goto(base + "haku/?q=ja&teema=itseohjautuvuus")
    _wait(page)
    assert set(_titles(page)) == {p.title for p in registry.in_theme("itseohjautuvuus")}
    assert "hakusanoilla" not in page.inner_text("#kehto-status")
    assert page.inner_text("#kehto-note") == "Alle 3 kirjaimen sanoja ei haeta."
    assert errors == []


def test_no_results_message_and_back_button(site):
    base, page, errors = site
    page.goto(base + "haku/?q=perehdytys")
    _wait(page)
    page.fill("#kehto-q", "qwertyzxcv")
    page.press("#kehto-q", "Enter")
    _wait(page)
    assert page.inner_text("#kehto-status").startswith("Ei tuloksia")
    page.go_back()
    _wait(page)
    assert page.input_value("#kehto-q") == "perehdytys" and _titles(page)
    assert errors == []


def test_match_only_in_base_forms_shows_the_summary(site, registry):
    base, page, errors = site
    page.goto(base + "haku/?q=sosiaality%C3%B6")  # only inside "aikuissosiaalityön"
    _wait(page)
    practice = registry.practices["varkaus-aikuissosiaalityon-imago"]
    assert _titles(page)[0] == practice.title
    assert page.locator("#kehto-results .kehto-result__excerpt").first.inner_text() == practice.summary
    page.goto(base + "haku/?q=brändi")  # in the visible text: the excerpt shows the match
    _wait(page)
    assert page.locator("#kehto-results .kehto-result__excerpt mark").count() > 0
    assert errors == []


def _note(page):
    return page.inner_text("#kehto-note") if page.is_visible("#kehto-note") else ""


def test_several_words_all_first_then_most(site, registry):
    base, page, errors = site
    page.goto(base + "haku/?q=uusien%20opettajien%20perehdytys")
    _wait(page)
    titles = _titles(page)
    for practice_id in ("hyria-verme-perehdytys", "oulu-vertaisryhmamentorointi-verme"):
        assert registry.practices[practice_id].title in titles
    assert "kaikki sanat" in page.inner_text("#kehto-status")
    # no text has both words: the results with most of them, and one line saying so
    page.goto(base + "haku/?q=elintarvikekassit%20vertaisryhm%C3%A4mentorointi")
    _wait(page)
    assert _note(page) == "Kaikkia sanoja ei löytynyt yhdestä tekstistä; alla tulokset, joissa on useimmat sanoista."
    assert registry.practices["lapinjarvi-elintarvikekassit"].title in _titles(page)
    assert errors == []


def test_misspelt_word_is_corrected_from_the_sites_words(site, registry):
    base, page, errors = site
    page.goto(base + "haku/?q=vertasimentorointi")
    _wait(page)
    assert "”vertaismentorointi”" in _note(page)
    assert registry.practices["hyria-verme-perehdytys"].title in _titles(page)
    assert page.input_value("#kehto-q") == "vertasimentorointi"  # the URL and the box keep what was typed
    lib = page.evaluate("""() => [kehtoSearchLib.suggest('perehdys', ['perehdytys', 'perehdyttää']),
      kehtoSearchLib.suggest('perehdytys', ['perehdytys']), kehtoSearchLib.suggest('qwertyzxcv', ['perehdytys']),
      kehtoSearchLib.distance('lastensuojleu', 'lastensuojelu', 2)]""")
    assert lib == ["perehdytys", None, None, 1]
    assert errors == []


def test_counts_name_what_they_count_and_theme_page_agrees(site, registry):
    base, page, errors = site
    page.goto(base + "haku/?q=perehdytys")
    _wait(page)
    status = page.inner_text("#kehto-status")
    assert status.startswith(f"{len(_titles(page))} tulosta") and "prosessikuvaus" in status and "kehittämistekoa" in status
    # a theme that process guides or question banks share: the theme page counts practices, and so does its link
    theme = next(t for g in (*registry.processes.values(), *registry.question_banks.values()) for t in g.themes)
    count = len(registry.in_theme(theme))
    page.goto(base + f"teemat/{theme}/")
    assert page.inner_text(".kehto-count").startswith(f"{count} kehittämistekoa")
    page.click("text=Rajaa ja hae näistä")
    page.wait_for_url("**/haku/**")
    _wait(page)
    assert page.inner_text("#kehto-status").endswith(f": {count} kehittämistekoa.")
    assert page.inner_text("#kehto-status").startswith(f"{count} tulosta")
    assert errors == []


def test_practices_carry_no_kind_value_and_are_still_counted_and_filtered(site, registry, real_site):
    # The kind filter every search downloads holds the other kinds only (it would grow with the registry).
    import gzip
    import json

    import cbor2

    bundle = real_site / "pagefind"
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    meta = cbor2.loads(gzip.decompress((bundle / f"pagefind.{entry['languages']['fi']['hash']}.pf_meta").read_bytes())[12:])
    (kind_file,) = [name for key, name in meta[3] if key == "tyyppi"]
    kinds = cbor2.loads(gzip.decompress((bundle / "filter" / f"{kind_file}.pf_filter").read_bytes())[12:])
    values = {value: len(pages) for value, pages in kinds[1]}
    assert "kehittamisteko" not in values and values.get("prosessikuvaus") == len(registry.processes)
    assert sum(values.values()) + len(registry.practices) == entry["languages"]["fi"]["page_count"]
    base, page, errors = site
    page.goto(base + "haku/?tyyppi=kehittamisteko")
    _wait(page)
    n = len(registry.practices)
    assert page.inner_text("#kehto-status") == f"{n} tulosta rajauksella Kehittämisteko: {n} kehittämistekoa."
    page.goto(base + "haku/?q=perehdytys")
    _wait(page)
    links = page.eval_on_selector_all("#kehto-results .kehto-result a", "as => as.map((a) => a.pathname)")
    practices = sum(1 for link in links if link.startswith("/teot/"))
    assert 0 < practices < len(links)
    assert f": {practices} kehittämistekoa, " in page.inner_text("#kehto-status")  # the kinds table's order: first
    page.goto(base + "haku/?q=perehdytys&tyyppi=kehittamisteko")
    _wait(page)
    shown = page.eval_on_selector_all("#kehto-results .kehto-result a", "as => as.map((a) => a.pathname)")
    assert shown and all(link.startswith("/teot/") for link in shown)
    assert errors == []


def test_sorting_fetches_its_order_only_when_asked_and_sorts_by_date(site, registry):
    from datetime import date

    base, page, errors = site
    requested = []

    def note(request):
        requested.append(request.url)

    page.on("request", note)
    try:
        page.goto(base + "haku/?q=perehdytys")
        _wait(page)
        assert not any("jarjestys.json" in url for url in requested)
        assert page.eval_on_selector("#kehto-sort", "s => Array.from(s.options, o => o.text)") \
            == ["Osuvin ensin", "Uusin ensin", "Vanhin ensin"]
        page.select_option("#kehto-sort", "vanhin")
        _wait(page)
        assert sum("jarjestys.json" in url for url in requested) == 1
        published = {p.title: p.published for p in registry.practices.values()}
        dates = [published.get(title, date.min) for title in _titles(page)]  # guides and menus: no date, first
        assert len(dates) >= 3 and dates == sorted(dates) and dates[-1] > date.min
        assert parse_qs(urlsplit(page.url).query) == {"q": ["perehdytys"], "jarjestys": ["vanhin"]}
        page.select_option("#kehto-sort", "uusin")
        _wait(page)
        assert [published.get(title, date.min) for title in _titles(page)] == sorted(dates, reverse=True)
        assert sum("jarjestys.json" in url for url in requested) == 1  # fetched once
    finally:
        page.remove_listener("request", note)
    assert errors == []


def test_filters_alone_fetch_one_word_chunk_and_show_the_newest_first(site, registry, real_site):
    from kehto import urls

    indexed = [p for p in real_site.rglob("*.html") if "data-pagefind-body" in p.read_text(encoding="utf-8")]
    assert len(indexed) > len(registry.practices)
    assert all(urls.SEARCH_EVERY_PAGE in p.read_text(encoding="utf-8") for p in indexed)
    base, page, errors = site
    chunks = []

    def note(request):
        if "/pagefind/index/" in request.url:
            chunks.append(request.url)

    page.on("request", note)
    try:
        page.goto(base + "haku/?teema=itseohjautuvuus")
        _wait(page)
    finally:
        page.remove_listener("request", note)
    assert len(chunks) == 1, chunks  # Pagefind's search without words loads its whole word index
    newest = [p.title for p in registry.in_theme("itseohjautuvuus")]  # newest first, as in the registry
    assert _titles(page) == newest[:10]
    assert page.input_value("#kehto-sort") == ""  # the order chosen stays "most relevant" in the URL
    assert errors == []


def test_on_a_phone_results_come_first(site):
    base, shared, _ = site
    context = shared.context.browser.new_context(locale="fi-FI", viewport={"width": 375, "height": 812},
                                                 is_mobile=True, has_touch=True)
    try:
        page = context.new_page()
        errors = page_errors(page)
        page.goto(base + "haku/?q=perehdytys&teema=perehdytys")
        _wait(page)
        first = page.locator("#kehto-results .kehto-result").first.bounding_box()
        assert first["y"] + first["height"] / 2 < 812, first  # visible without scrolling
        assert not page.locator("#kehto-filters").evaluate("d => d.open")
        assert page.inner_text("#kehto-filters summary") == "Rajaa hakua (1 valittu)"
        page.click("#kehto-filters summary")
        page.select_option("#kehto-f-tyyppi", "kehittamisteko")
        _wait(page)
        assert parse_qs(urlsplit(page.url).query) == {"q": ["perehdytys"], "teema": ["perehdytys"],
                                                      "tyyppi": ["kehittamisteko"]}
        assert errors == []
    finally:
        context.close()


CLS = """() => new Promise((resolve) => {
  let total = 0;
  new PerformanceObserver((list) => { for (const e of list.getEntries()) if (!e.hadRecentInput) total += e.value; })
    .observe({ type: "layout-shift", buffered: true });
  setTimeout(() => resolve(total), 500);
})"""


@pytest.mark.parametrize("viewport", [{"width": 1350, "height": 940}, {"width": 375, "height": 812}],
                         ids=["desktop", "phone"])
def test_no_layout_shift_when_results_arrive(site, viewport, capsys):
    base, shared, _ = site
    context = shared.context.browser.new_context(viewport=viewport)  # fresh: nothing cached
    try:
        page = context.new_page()
        page.goto(base + "haku/?q=perehdytys")
        _wait(page)
        shift = page.evaluate(CLS)
    finally:
        context.close()
    with capsys.disabled():
        print(f"\ncumulative layout shift, /haku/?q=perehdytys at {viewport['width']}x{viewport['height']}: {shift:.3f}")
    assert shift < 0.1
    # nothing in view moves at all: before, the footer jumped down when results arrived (0.017 here)
    assert shift < 0.005


def test_a_label_and_its_value_are_separate_words_in_the_index(site, real_site):
    """Pagefind separates the text of blocks such as p, li, div and td, but not of dt, dd or th: a
    label written right before its value ("<dt>Tavoite</dt><dd>Koota ...") became one word in the
    index and in excerpts ("TavoiteKoota"). The templates put a space between them."""
    glued = [path.relative_to(real_site).as_posix() for path in real_site.rglob("*.html")
             if any(pair in path.read_text(encoding="utf-8") for pair in ("</dt><dd", "</th><th"))]
    assert glued == []
    base, page, errors = site
    page.goto(base + "haku/")
    page.wait_for_function("document.getElementById('kehto-search').dataset.ready === 'true'")
    found = page.evaluate("""async () => {
      const pagefind = await window.kehtoSearchBoot.pagefind;
      const count = async (q) => (await pagefind.search(q)).results.length;
      return { glued: await count('"tavoitekoota"'), label: await count('"tavoite"'), value: await count('"koota"') };
    }""")
    assert found["glued"] == 0 and found["label"] > 0 and found["value"] > 0
    assert errors == []
