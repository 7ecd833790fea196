"""One URL scheme: kehto.urls builds every path, and nothing else spells one."""

from __future__ import annotations

import re

from conftest import REPO
from kehto import urls

# Every folder and file name the URL module owns, as it would appear in a path.
_NAMES = [name.rstrip("/") for name in urls.SECTIONS.values()] + [
    urls.PAGE.rstrip("/"), urls.ASSETS.rstrip("/"), urls.SEARCH_BUNDLE.rstrip("/")]
_FILES = [urls.FEED, urls.SEARCH_WORDS, *(urls.FORM_LOOKUP_DIR + f.split("/")[0] + "/" for f in urls.FORM_LOOKUPS.values()), *urls.COLLECTION_FILES.values(), *urls.CAMPAIGN_FILES.values()]
_SPELT = re.compile(r"""(?:^|['"`/(=])(?:""" + "|".join(map(re.escape, _NAMES)) + r""")/|"""
                    + "|".join(map(re.escape, _FILES)))


def _sources():
    yield from (p for p in (REPO / "src/kehto").rglob("*.py") if p.name != "urls.py")
    yield from (REPO / "src/kehto/templates").glob("*.j2")
    yield from (REPO / "hooks").glob("*.py")
    yield from (REPO / "content/assets").glob("*.js")
    yield from (REPO / "overrides").rglob("*.html")


def test_no_module_template_or_script_spells_a_site_path():
    found = [f"{path.relative_to(REPO)}:{number}: {line.strip()[:120]}"
             for path in _sources()
             for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
             if _SPELT.search(line)]
    assert found == []


def test_paths():
    assert urls.practice("x") == "teot/x/"
    assert urls.paginated(urls.theme("t"), 1) == "teemat/t/"
    assert urls.paginated(urls.theme("t"), 3) == "teemat/t/sivu/3/"
    assert urls.url_of(urls.source(urls.plan("p"))) == urls.plan("p")
    assert urls.url_of("index.md") == urls.home() == ""
    assert urls.plan_file("csv") == "pohjat/kehittamissuunnitelma/kehittamissuunnitelma.csv"
    assert urls.collection_file(urls.campaign("k"), "embed") == "kampanjat/k/upotus.html"
    assert urls.campaign_file("k", "weeks") == "kampanjat/k/viikot.csv"
    assert urls.share_image() == "jako.png" and urls.share_image(urls.top_list("l")) == "listat/l/jako.png"
    assert urls.statistics_csv("kampanjat") == "tilastot/kampanjat.csv"
    assert urls.asset("kehto-copy.js") == "assets/kehto-copy.js"
    assert urls.form_lookup("titles", key="ope") == "lisaa/haku/nimet/ope.json"
    assert urls.form_paths()["record"] == "lisaa/haku/tietueet/{id}.json"
    assert urls.url_of(urls.source(urls.correction())) == "lisaa/korjaus/"
    assert urls.search_words() == "haku/sanat.json" and urls.search_bundle("pagefind.js") == "pagefind/pagefind.js"
    assert urls.absolute("https://x.example/r/", urls.practice("p")) == "https://x.example/r/teot/p/"
