"""Accessibility in real Chromium: axe-core on every page kind, and keyboard-only use."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from browser import open_site
from conftest import REPO

pytestmark = pytest.mark.browser
AXE = REPO / "node_modules/axe-core/axe.min.js"
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def _axe_or_skip() -> Path:
    if AXE.exists():
        return AXE
    if os.environ.get("CI"):
        pytest.fail("axe-core puuttuu: aja npm ci (make test tekee sen, kun npm on asennettu).")
    pytest.skip("axe-core is not installed (npm ci)")


@pytest.fixture(scope="module")
def chromium_page(real_site):
    axe = _axe_or_skip()
    with open_site(real_site, viewport={"width": 1280, "height": 900}) as (base, page, _):
        yield base, page, axe


# Resolves when the page is at rest: two frames for scroll and resize handlers to start their
# CSS transitions (Material's tabs fade back in with staggered delays), then until every finite
# animation has finished. Contrast is a property of what the reader sees at rest, not of the
# frames of a 0.5 s fade; measuring mid-fade made axe's verdict depend on timing.
AT_REST = """async () => {
  const frame = () => new Promise(done => requestAnimationFrame(() => done()));
  const moving = () => document.getAnimations().filter(a =>
    a.playState === "running" && a.effect && Number.isFinite(a.effect.getComputedTiming().endTime));
  await frame(); await frame();
  for (let list = moving(); list.length; list = moving()) {
    await Promise.all(list.map(a => a.finished.catch(() => null)));
    await frame();
  }
}"""


def _violations(page, axe: Path) -> list[str]:
    page.evaluate(AT_REST)
    page.add_script_tag(path=str(axe))
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG)
    serious = [v for v in result["violations"] if v["impact"] in ("serious", "critical")]
    return [f"{v['id']} ({v['impact']}): {v['help']} – {[n['target'] for n in v['nodes'][:3]]}" for v in serious]


PAGES = ["", "teot/evira-vatupassi/", "teot/", "palvelualat/",
         "palvelualat/opetus-ja-kasvatus/", "teemat/", "teemat/tyohyvinvointi/", "organisaatiot/",
         "organisaatiot/oulun-kaupunki/", "lisaa/", "osallistu/", "tietoa/", "saavutettavuus/", "404.html",
         "tilastot/", "listat/", "listat/esihenkiloiden-tuki/", "listat/aktiivisimmat-organisaatiot/", "kampanjat/",
         "kampanjat/tekoja-tiskiin-2019/", "palkinnot/", "teot/kolari-jatkuva-tyoyhteisojen-kehittaminen/",
         "lisaa/mallia/?teko=evira-vatupassi", "lisaa/korjaus/?teko=evira-vatupassi", "lisaa/tila/", "menetelmat/", "tukivalikko/", "kysymykset/", "kysymykset/vatupassi/", "prosessit/",
         "prosessit/pello-jatkuva-kehittaminen/", "pohjat/kehittamissuunnitelma/",
         "pohjat/kehittamissuunnitelma/kuopio-lastensuojelu-2020-2022/"]


@pytest.mark.parametrize("path", PAGES)
def test_no_serious_axe_violations(chromium_page, path):
    base, page, axe = chromium_page
    page.goto(base + path)
    assert page.get_attribute("html", "lang") == "fi"
    assert _violations(page, axe) == []


def test_search_with_results_open(chromium_page):
    base, page, axe = chromium_page
    page.goto(base + "haku/?q=perehdytys&teema=perehdytys")
    page.wait_for_function("document.getElementById('kehto-search').dataset.state === 'done'")
    assert page.locator("#kehto-results li").count() > 0
    assert _violations(page, axe) == []


def test_form_with_errors_shown(chromium_page):
    """A contributor scrolls down to the submit button (Material hides the navigation tabs on the
    way), sends the form empty, and the focus jumps up to the error summary: the tabs fade back in.
    The fade always happens here, as it does for the user, and axe checks the page once it has ended."""
    base, page, axe = chromium_page
    page.goto(base + "lisaa/")
    page.wait_for_function("document.getElementById('kehto-form').dataset.ready === 'true'")
    submit = page.locator("#kehto-practice-form button[type=submit]")
    submit.scroll_into_view_if_needed()
    page.wait_for_function("document.querySelector('.md-tabs').hidden")
    submit.click()
    # The check runs asynchronously (the form may ask the registry's lookup files first).
    page.locator("#kehto-form-summary li").first.wait_for()
    assert _violations(page, axe) == []


def _tab_until(page, selector: str, limit: int = 60) -> int:
    for presses in range(1, limit + 1):
        page.keyboard.press("Tab")
        if page.evaluate("sel => document.activeElement && document.activeElement.matches(sel)", selector):
            return presses
    raise AssertionError(f"{selector} not reached with {limit} Tab presses")


def test_keyboard_only_search(chromium_page):
    base, page, _ = chromium_page
    page.goto(base + "teot/evira-vatupassi/")
    _tab_until(page, "#kehto-header-q")
    page.keyboard.type("vertaismentorointi")
    page.keyboard.press("Enter")
    page.wait_for_url("**/haku/?q=vertaismentorointi")
    page.wait_for_function("document.getElementById('kehto-search').dataset.state === 'done'")
    _tab_until(page, "#kehto-results a")
    first = page.evaluate("document.activeElement.textContent")
    page.keyboard.press("Enter")
    page.wait_for_url("**/teot/**")
    assert page.locator("h1").inner_text() == first


def test_keyboard_only_form(chromium_page):
    base, page, _ = chromium_page
    page.goto(base + "lisaa/")
    page.wait_for_function("document.getElementById('kehto-form').dataset.ready === 'true'")
    page.evaluate("localStorage.clear()")
    page.reload()
    page.wait_for_function("document.getElementById('kehto-form').dataset.ready === 'true'")
    _tab_until(page, "#f-title")
    page.keyboard.type("Näppäimistöllä täytetty kehittämisteko")
    page.keyboard.press("Tab")
    page.keyboard.type("Koko lomake täytettiin ilman hiirtä, pelkällä näppäimistöllä.")
    page.keyboard.press("Tab")
    page.keyboard.type("Oulun kaupunki")
    page.keyboard.press("Escape")
    _tab_until(page, "#f-sectors-koko-kunta")
    page.keyboard.press("Space")
    _tab_until(page, "#f-themes-perehdytys")
    page.keyboard.press("Space")
    _tab_until(page, "#f-actions")
    page.keyboard.type("Kaikki kentät täytettiin sarkaimella ja välilyönnillä.")
    _tab_until(page, "#kehto-practice-form button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_function("document.getElementById('kehto-form').dataset.checked")  # the checks are asynchronous
    assert page.evaluate("document.activeElement.id") == "kehto-result-heading"
    assert 'title: "Näppäimistöllä täytetty kehittämisteko"' in page.inner_text("#kehto-yaml")
