"""Finnish search quality: recall@10 of a query set, with and without the Voikko analysis.

Each query runs in real Chromium through Pagefind's JavaScript API against the
bundled site. The build without the analysis (KEHTO_FINNISH_SEARCH=false) is
measured for comparison and printed; the thresholds apply to the real site.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest

from browser import browser, serve
from conftest import REPO, build_site
from kehto import finnish, yamlio

pytestmark = pytest.mark.browser
QUERIES = yamlio.parse((Path(__file__).parent / "search_queries.yml").read_text(encoding="utf-8")).data
KINDS = ("base", "inflected", "compound", "typo", "multiword", "synonym", "derivation")
SEARCH = """async ([queries, ownSearch]) => {
  const pagefind = await import('/pagefind/pagefind.js');
  await pagefind.init();
  const out = {};
  for (const q of queries) {
    const search = ownSearch ? await window.kehtoSearch.search(q) : await pagefind.search(q);
    const top = await Promise.all(search.results.slice(0, 10).map((r) => r.data()));
    out[q] = top.map((d) => d.url.split('/').filter(Boolean).pop());
  }
  return out;
}"""


def recall(site: Path, own_search: bool) -> dict[str, float]:
    """recall@10 per query: kehto's search page (own_search) or Pagefind's API alone."""
    with serve(site) as base, browser() as chromium:
        page = chromium.new_page()
        page.goto(base + "haku/")
        page.wait_for_function("document.getElementById('kehto-search').dataset.ready === 'true'")
        found = page.evaluate(SEARCH, [[q["query"] for q in QUERIES], own_search])
    return {q["query"]: len(set(q["expected"]) & set(found[q["query"]])) / len(q["expected"]) for q in QUERIES}


def _mean(scores: dict[str, float], kind: str | None = None) -> float:
    values = [scores[q["query"]] for q in QUERIES if kind in (None, q["kind"])]
    return sum(values) / len(values)


@pytest.fixture(scope="module")
def plain_site(tmp_path_factory):
    site = tmp_path_factory.mktemp("plain") / "site"
    os.environ["KEHTO_FINNISH_SEARCH"] = "false"
    try:
        build_site(REPO, site)
    finally:
        del os.environ["KEHTO_FINNISH_SEARCH"]
    return site


def test_query_set_shape():
    assert len(QUERIES) >= 40
    assert {q["kind"] for q in QUERIES} == set(KINDS)


def test_recall_at_10(real_site, plain_site, capsys):
    with_analysis = recall(real_site, own_search=True)
    without = recall(plain_site, own_search=False)
    lines = ["recall@10        with analysis   Pagefind alone"]
    for kind in (None, *KINDS):
        lines.append(f"{kind or 'all':<16} {_mean(with_analysis, kind):>13.2f}   {_mean(without, kind):>14.2f}")
    missed = [f"{q} {with_analysis[q]:.2f}" for q in with_analysis if with_analysis[q] < 1]
    # recall@10 per class before issue 14 (same query set, the search as it was): all 0.76, base 0.96,
    # inflected 0.98, compound 0.99, typo 0.72, multiword 0.48, synonym 0.26, derivation 0.78
    with capsys.disabled():
        print("\n" + "\n".join(lines) + "\nnot fully found with analysis: " + ", ".join(missed))
    assert _mean(with_analysis) >= 0.9
    assert _mean(with_analysis, "compound") >= 0.9
    for kind in ("multiword", "synonym", "derivation", "typo"):
        assert _mean(with_analysis, kind) >= 0.85, kind
    assert _mean(with_analysis) > _mean(without)


def test_analyser_terms_and_cache(tmp_path):
    cache = tmp_path / "voikko.json"
    analyser = finnish.Analyser(cache)
    terms = analyser.terms("Työhyvinvoinnin varhaiskasvatussuunnitelma ja tiimityöskentely")
    for expected in ("työhyvinvointi", "hyvinvointi", "suunnitelma", "kasvatus", "tiimi", "työskentely",
                     "kasvatussuunnitelma"):
        assert expected in terms
    assert analyser.analysed == 3  # "ja" is too short to analyse
    analyser.save()
    again = finnish.Analyser(cache)
    assert again.terms("Työhyvinvoinnin varhaiskasvatussuunnitelma ja tiimityöskentely") == terms
    assert again.analysed == 0 and again._voikko is None  # all from the cache, dictionary never loaded


def test_analyser_runs_on_the_native_backend():
    import kfst

    assert kfst.BACKEND == "kfst_rs"  # the dependency kfst-rs is installed and picked up


def test_base_form_does_not_depend_on_the_analysis_order():
    # kfst-rs and pure-Python kfst list these analyses in different orders.
    analyser = finnish.Analyser()
    assert analyser.base_form("ajoissa") == "aika"
    assert analyser.base_form("aktiivisuutta") == "aktiivisuus"
    assert analyser.base_form("aloittavat") == "aloittaa"


def _hidden_words(site: Path, url: str) -> set[str]:
    html = (site / url.strip("/") / "index.html").read_text(encoding="utf-8")
    block = re.search(r'class="kehto-search-terms"[^>]*>(.*?)</p>', html, re.S)
    return set(block.group(1).split()) if block else set()


def test_excerpts_never_show_the_hidden_words(real_site):
    """No excerpt of any query of the set holds six hidden words in a row (it did in 32 of 85 results)."""
    checked = 0
    with serve(real_site) as base, browser() as chromium:
        page = chromium.new_page()
        for q in QUERIES:
            page.goto(base + "haku/?q=" + quote(q["query"]))
            page.wait_for_function("document.getElementById('kehto-search').dataset.state === 'done'", timeout=15000)
            shown = page.evaluate("""() => Array.from(document.querySelectorAll('#kehto-results .kehto-result'), (li) =>
                [li.querySelector('a').getAttribute('href'), li.querySelector('.kehto-result__excerpt').textContent])""")
            for url, excerpt in shown:
                hidden = _hidden_words(real_site, urlsplit(url).path)
                words = [w.strip(".,:;!?()”\"…").lower() for w in excerpt.split()]
                run = 0
                for word in words:
                    run = run + 1 if word in hidden else 0
                    assert run < 6, f"{q['query']}: {url} excerpt shows hidden words: {excerpt}"
                checked += 1
    assert checked > 300
