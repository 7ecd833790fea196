"""Real search in headless Chromium against the built bundled site (real Pagefind index)."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from browser import open_site
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
    page.wait_for_function("document.getElementById('kehto-search').dataset.state === 'done'", timeout=15000)


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
    assert page.inner_text("#kehto-status") == f"{len(expected)} kehittämistekoa rajauksella Itseohjautuvuus."
    # a shared link restores the same search
    page.goto(base + "haku/?teema=itseohjautuvuus&maakunta=uusimaa&jarjestys=uusin")
    _wait(page)
    wanted = [p for p in registry.in_theme("itseohjautuvuus") if registry.region_of(p) == "uusimaa"]
    assert _titles(page) == [p.title for p in wanted]  # newest first, as in the registry
    assert page.input_value("#kehto-f-maakunta") == "uusimaa"
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
