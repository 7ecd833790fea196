"""A phone-sized screen in real Chromium: no page kind scrolls sideways."""

from __future__ import annotations

import pytest

from browser import open_site
from test_accessibility import PAGES

pytestmark = pytest.mark.browser
PHONE = {"width": 375, "height": 812}
EXTRA = ["listat/uusimmat/upotus.html", "kampanjat/tekoja-tiskiin-2019/upotus.html",
         "kampanjat/tekoja-tiskiin-2019/uutiskirje.html"]

# The elements wider than the screen whose overflow no scrolling box of theirs holds.
OVERFLOWING = """() => [...document.querySelectorAll('body *')].filter(e => {
  if (e.getBoundingClientRect().right <= innerWidth + 1) return false;
  for (let box = e.parentElement; box && box !== document.body; box = box.parentElement)
    if (['auto', 'scroll', 'hidden', 'clip'].includes(getComputedStyle(box).overflowX)) return false;
  return true;
}).slice(0, 3).map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : ''))"""


@pytest.fixture(scope="module")
def phone_page(real_site):
    with open_site(real_site, viewport=PHONE) as (base, page, _):
        yield base, page


@pytest.mark.parametrize("path", PAGES + EXTRA)
def test_no_sideways_scrolling_on_a_phone(phone_page, path):
    base, page = phone_page
    page.goto(base + path)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], page.evaluate(OVERFLOWING)
