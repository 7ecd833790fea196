"""Pagefind's oversized word chunks, re-split after indexing (kehto.search_index).

Real Pagefind output of the bundled site, split into many small pieces, must answer every word
of the site exactly as the index Pagefind wrote (real Chromium, real Pagefind).
"""

from __future__ import annotations

import gzip
import json
import shutil
import subprocess
import sys
from pathlib import Path

import cbor2
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kehto import search_index, urls
from kehto.search_index import KEPT_PREFIX, SIGNATURE

BUNDLE = urls.search_bundle()


def _words_of(bundle: Path) -> dict[str, bytes]:
    """Every word of an index with its encoded entries (all chunks together)."""
    words: dict[str, bytes] = {}
    for chunk in (bundle / "index").glob("*.pf_index"):
        for word in cbor2.loads(gzip.decompress(chunk.read_bytes())[len(SIGNATURE):])[0]:
            assert word[0] not in words, f"{word[0]} in two chunks"
            words[word[0]] = cbor2.dumps(word)
    return words


def _meta(bundle: Path) -> list:
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    name = entry["languages"][urls.SEARCH_LANGUAGE]["hash"]
    return cbor2.loads(gzip.decompress((bundle / f"pagefind.{name}.pf_meta").read_bytes())[len(SIGNATURE):])


@pytest.fixture(scope="module")
def indexes(real_site, tmp_path_factory):
    """The bundled site indexed by Pagefind as it writes it, and the same index cut into small pieces."""
    plain = tmp_path_factory.mktemp("plain-index") / "site"
    shutil.copytree(real_site, plain, ignore=shutil.ignore_patterns("pagefind"))
    subprocess.run([sys.executable, "-m", "pagefind", "--site", str(plain), "--force-language",
                    urls.SEARCH_LANGUAGE, "--silent"], check=True)
    cut = plain.parent / "cut"
    shutil.copytree(plain, cut)
    mp = pytest.MonkeyPatch()
    mp.setattr(search_index, "LIMIT", 1)
    mp.setattr(search_index, "PIECE", 3000)
    mp.setattr(search_index, "HARD_LIMIT", 10**9)  # cut only between words sharing few letters
    try:
        split = search_index.split_large_chunks(cut / BUNDLE)
    finally:
        mp.undo()
    return plain, cut, split


def test_the_pieces_hold_the_same_words_and_the_metadata_names_exactly_them(indexes):
    plain, cut, split = indexes
    assert split >= 1
    before, after = _words_of(plain / BUNDLE), _words_of(cut / BUNDLE)
    assert after == before  # every word, once, with its entries byte for byte
    files = {p.stem for p in (cut / BUNDLE / "index").glob("*.pf_index")}
    chunks = _meta(cut / BUNDLE)[search_index.META_CHUNKS]
    assert len(chunks) >= len(list((plain / BUNDLE / "index").glob("*.pf_index"))) + 10
    assert [c[2] for c in chunks] and sorted(c[2] for c in chunks) == sorted(files)  # no file lost or left over
    assert [c[0] for c in chunks] == sorted(c[0] for c in chunks)
    assert len(list((cut / BUNDLE).glob("*.pf_meta"))) == 1
    # everything but the chunk list is as Pagefind wrote it
    old, new = _meta(plain / BUNDLE), _meta(cut / BUNDLE)
    assert old[:search_index.META_CHUNKS] + old[search_index.META_CHUNKS + 1:] == \
        new[:search_index.META_CHUNKS] + new[search_index.META_CHUNKS + 1:]


def _answers(sites: list[Path], queries: list[str]) -> list[dict[str, list[str]]]:
    """Pagefind's results for each query on each site, every query in a fresh Pagefind (as a user
    opening the search page has: which chunks are loaded changes what a search can reach)."""
    from browser import browser, serve

    answers = []
    with browser() as chromium:
        for site in sites:
            with serve(site) as base:
                page = chromium.new_page()
                page.goto(base + "haku/")
                answers.append(page.evaluate("""async (queries) => {
                  const pagefind = await import('/pagefind/pagefind.js');
                  const found = {};
                  for (const q of queries) {
                    await pagefind.destroy();
                    await pagefind.options({ noWorker: true });
                    await pagefind.init();
                    // pages of equal score come in no fixed order
                    found[q] = (await pagefind.search(q)).results.map((r) => `${r.id} ${r.score}`).sort();
                  }
                  return found; }""", queries))
                page.close()
    return answers


def _sample(site: Path, every: int) -> list[str]:
    return json.loads((site / "haku" / "sanat.json").read_text(encoding="utf-8"))[::every]


@pytest.mark.browser
def test_small_pieces_find_every_word_as_before(indexes):
    plain, cut, _ = indexes
    queries = [f"\"{w}\"" for w in _sample(plain, 20)]  # as a word: kehto's first try
    before, after = _answers([plain, cut], queries)
    assert len(queries) > 100 and sum(map(len, before.values())) > len(queries)
    # The same pages. (Not always the same scores: Pagefind also scores with the loaded words a
    # term is a prefix of, and the bundled index as Pagefind writes it is two chunks, all loaded.)
    pages = {q: {[*r.split()][0] for r in found} for q, found in before.items()}, \
        {q: {[*r.split()][0] for r in found} for q, found in after.items()}
    assert [q for q in queries if pages[0][q] != pages[1][q]] == []


@pytest.mark.browser
def test_the_shipped_rule_finds_every_word_and_its_extensions_as_before(indexes, tmp_path):
    plain, _, _ = indexes
    shipped = tmp_path / "site"
    shutil.copytree(plain, shipped)
    assert search_index.split_large_chunks(shipped / BUNDLE) >= 1
    words = _sample(plain, 40)
    queries = [f'"{w}"' for w in words] + words  # unquoted: the word and the longer words it starts
    before, after = _answers([plain, shipped], queries)
    assert [q for q in queries if before[q] != after[q]] == []


def test_the_built_site_is_already_split(real_site, tmp_path):
    copy = tmp_path / "pagefind"
    shutil.copytree(real_site / BUNDLE, copy)
    assert search_index.split_large_chunks(copy) == 0
    for chunk in (copy / "index").glob("*.pf_index"):  # what stays large cannot be cut by the rules
        if chunk.stat().st_size > search_index.LIMIT:
            body = gzip.decompress(chunk.read_bytes())[len(SIGNATURE):]
            words = [(w[0], cbor2.dumps(w)) for w in cbor2.loads(body)[0]]
            assert len(search_index.pieces(words)) == 1


def test_an_index_in_an_unknown_layout_is_left_as_pagefind_wrote_it(indexes, tmp_path):
    plain, _, _ = indexes
    copy = tmp_path / "pagefind"
    shutil.copytree(plain / BUNDLE, copy)
    largest = max((copy / "index").glob("*.pf_index"), key=lambda p: p.stat().st_size)
    body = gzip.decompress(largest.read_bytes())[len(SIGNATURE):]
    assert body[0] == 0x81  # an array of one item; written with an indefinite length instead:
    largest.write_bytes(gzip.compress(SIGNATURE + b"\x9f" + body[1:] + b"\xff"))
    files = {p: p.read_bytes() for p in copy.rglob("*") if p.is_file()}
    mp = pytest.MonkeyPatch()
    mp.setattr(search_index, "LIMIT", 1)
    try:
        with pytest.raises(search_index.UnknownFormat):
            search_index.split_large_chunks(copy)
    finally:
        mp.undo()
    assert {p: p.read_bytes() for p in copy.rglob("*") if p.is_file()} == files


_word = st.text(alphabet="abcdeä", min_size=1, max_size=9)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(_word, st.integers(1, 40_000)), max_size=60, unique_by=lambda w: w[0]))
def test_pieces_keep_the_order_and_cut_only_where_the_rules_allow(entries):
    words = [(word, b"x" * size) for word, size in sorted(entries)]
    parts = search_index.pieces(words)
    assert [w for part in parts for w in part] == words
    assert all(parts) or not words
    for part, following in zip(parts, parts[1:]):
        sizes = [len(e) for _, e in part]
        assert sum(sizes) >= search_index.PIECE
        assert sum(sizes[:-1]) < search_index.HARD_LIMIT  # it ends by the time it is that large
        # the boundaries inside the piece once it was PIECE bytes: none shared fewer letters than the cut
        shared = search_index._shared(part[-1][0], following[0][0])
        inside = [search_index._shared(part[i][0], part[i + 1][0]) for i in range(len(part) - 1)
                  if sum(sizes[:i + 1]) >= search_index.PIECE]
        assert all(s >= KEPT_PREFIX for s in inside)
        assert shared < KEPT_PREFIX or all(s >= shared for s in inside)


def _order(site: Path) -> list[str]:
    """The page ids of the site's date order, as the search page reads them."""
    order = json.loads((site / urls.search_order()).read_text(encoding="utf-8"))
    return [order["prefix"] + page for page in order["julkaistu"].split(" ")]


def test_the_built_site_keeps_its_sort_order_beside_the_search_page(real_site):
    entry = json.loads((real_site / BUNDLE / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert _meta(real_site / BUNDLE)[search_index.META_SORTS] == []  # not downloaded by every search
    order = json.loads((real_site / urls.search_order()).read_text(encoding="utf-8"))
    assert list(order) == ["prefix", "julkaistu"] and order["prefix"] == f"{urls.SEARCH_LANGUAGE}_"
    ids = _order(real_site)
    assert len(ids) == len(set(ids)) == entry["languages"][urls.SEARCH_LANGUAGE]["page_count"]
    assert all((real_site / BUNDLE / "fragment" / f"{page}.pf_fragment").is_file() for page in ids)


@pytest.mark.browser
def test_the_moved_order_is_pagefinds_own(indexes, real_site):
    """Pagefind sorting the index as it wrote it gives the pages in the order kehto moved out."""
    from browser import browser, serve

    plain, _, _ = indexes
    with browser() as chromium, serve(plain) as base:
        page = chromium.new_page()
        page.goto(base + "haku/")
        sorted_ids = page.evaluate("""async () => {
          const pagefind = await import('/pagefind/pagefind.js');
          await pagefind.options({ noWorker: true });
          const ids = async (direction) => (await pagefind.search(null, { sort: { julkaistu: direction } })).results.map((r) => r.id);
          return [await ids('asc'), await ids('desc')]; }""")
    moved = _order(real_site)
    assert sorted_ids[0] == moved
    assert sorted_ids[1] == moved[::-1]


def test_an_index_without_sort_orders_writes_no_order_file(indexes, tmp_path):
    plain, _, _ = indexes
    copy = tmp_path / "pagefind"
    shutil.copytree(plain / BUNDLE, copy)
    assert search_index.move_sort_orders(copy, tmp_path / "order.json") == 1
    assert search_index.move_sort_orders(copy, tmp_path / "again.json") == 0  # moved already
    assert not (tmp_path / "again.json").exists()
    assert _words_of(copy) == _words_of(plain / BUNDLE)


def _first_pages(bundle: Path) -> list:
    meta = _meta(bundle)
    names = [name for key, name in meta[search_index.META_FILTERS] if key == urls.SEARCH_FIRST_PAGES]
    assert len(names) == 1, meta[search_index.META_FILTERS]
    return cbor2.loads(gzip.decompress((bundle / "filter" / f"{names[0]}.pf_filter").read_bytes())[len(SIGNATURE):])


def test_the_index_marks_its_first_pages_as_a_filter(real_site, indexes, tmp_path):
    """The built index has the first-pages filter: all the bundled site's pages (fewer than
    FIRST_LEAST). Marking again changes nothing; another count replaces the filter's file."""
    pages = len(_meta(real_site / BUNDLE)[search_index.META_PAGES])
    assert pages < search_index.FIRST_LEAST
    assert _first_pages(real_site / BUNDLE) == [urls.SEARCH_FIRST_PAGES, [["1", list(range(pages))]]]
    plain, _, _ = indexes
    copy = tmp_path / "pagefind"
    shutil.copytree(plain / BUNDLE, copy)
    assert search_index.mark_first_pages(copy, 7) == 7
    files = sorted((copy / "filter").iterdir())
    entry = (copy / "pagefind-entry.json").read_text(encoding="utf-8")
    assert search_index.mark_first_pages(copy, 7) == 7
    assert sorted((copy / "filter").iterdir()) == files and (copy / "pagefind-entry.json").read_text(encoding="utf-8") == entry
    assert search_index.mark_first_pages(copy, 9) == 9
    assert _first_pages(copy) == [urls.SEARCH_FIRST_PAGES, [["1", list(range(9))]]]
    assert len(list((copy / "filter").iterdir())) == len(files)  # the old file is gone
    kept = [f for f in _meta(copy)[search_index.META_FILTERS] if f[0] != urls.SEARCH_FIRST_PAGES]
    assert kept == _meta(plain / BUNDLE)[search_index.META_FILTERS]  # Pagefind's own filters as they were
    assert _words_of(copy) == _words_of(plain / BUNDLE)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet="aehjkstuvä", min_size=1, max_size=6), min_size=2, max_size=8, unique=True),
       st.text(alphabet="aehjkstuväö", min_size=1, max_size=8))
def test_ranges_leave_no_gap_between_chunks(starts, term):
    """Every term between two chunks' first words falls in the first one's range, none in two."""
    starts = sorted(starts)
    chunks = search_index._contiguous([[s, s, f"c{i}"] for i, s in enumerate(starts)])
    holding = [c[2] for c in chunks if c[0] <= term <= c[1]]
    if starts[0] <= term:
        expected = max(i for i, s in enumerate(starts) if s <= term)
        if expected < len(starts) - 1:  # (past the last chunk's last word: in none, as in Pagefind)
            assert holding == [f"c{expected}"]
    assert all(c[1] < n[0] for c, n in zip(chunks, chunks[1:]))


def test_pagefind_checks_for_its_own_start_every_few_milliseconds(real_site, tmp_path):
    """Pagefind's search polls for its WebAssembly and page list every 50 ms; the built site's script
    polls every POLL_MS (real Chromium runs it in the search tests)."""
    script = (real_site / BUNDLE / "pagefind.js").read_text(encoding="utf-8")
    wait = script[script.index("async getPtr(){"):][:160]
    assert f"await asyncSleep({search_index.POLL_MS});" in wait and "asyncSleep(50)" not in wait
    assert search_index.shorten_ready_poll(real_site / BUNDLE) is False  # done already: nothing to change
    other = tmp_path / "pagefind"
    other.mkdir()
    (other / "pagefind.js").write_text("async getPtr(){while(!ready){await asyncSleep(50);}}", encoding="utf-8")
    assert search_index.shorten_ready_poll(other) is False
    assert "asyncSleep(50)" in (other / "pagefind.js").read_text(encoding="utf-8")


def test_pagefind_cuts_a_plain_query_without_a_grapheme_segmenter(real_site, tmp_path):
    """The built site's Pagefind creates an Intl.Segmenter only for a query with a character above
    U+02FF (real Chromium: test_search_early); a script that reads differently is left whole."""
    script = (real_site / BUNDLE / "pagefind.js").read_text(encoding="utf-8")
    assert script.count(f"||!{search_index.PLAIN}.test(term))){{") == 1
    assert search_index.plain_terms(real_site / BUNDLE) is False  # done already: nothing to change
    other = tmp_path / "pagefind"
    other.mkdir()
    original = script.replace(f"&&(needsWordSegmentation(trueLanguage)||!{search_index.PLAIN}.test(term))", "")
    differing = [original.replace(old, new, 1) for old, new in [  # its loop over characters differs
        ("for(const char of term)", "for(const ch of term)"),
        ("term_chunks.push(char.toLocaleLowerCase())", "term_chunks.push(char.toLowerCase())"),
        ('term=term_chunks.join("").replace(/\\s{2,}/g," ").trim();}const', 'term=term_chunks.join("");}const')]]
    for text in differing:
        assert text != original
        (other / "pagefind.js").write_text(text, encoding="utf-8")
        assert search_index.plain_terms(other) is False
        assert (other / "pagefind.js").read_text(encoding="utf-8") == text
    (other / "pagefind.js").write_text(original, encoding="utf-8")
    assert search_index.plain_terms(other) is True
    assert (other / "pagefind.js").read_text(encoding="utf-8") == script


def test_pagefind_unpacks_its_files_with_the_browsers_gzip(real_site, tmp_path):
    """The built site's Pagefind unpacks its page list, WebAssembly, chunks and fragments through
    DecompressionStream (real Chromium runs it in the search tests; test_search_early checks the
    fallback); a script that reads differently anywhere is left whole."""
    script = (real_site / BUNDLE / "pagefind.js").read_text(encoding="utf-8")
    assert script.count("await this.unpack(new Uint8Array(") == 4
    assert "this.decompress(new Uint8Array(" not in script
    assert script.count(search_index.UNPACK) == 1
    assert search_index.native_unpack(real_site / BUNDLE) is False  # done already: nothing to change
    other = tmp_path / "pagefind"
    other.mkdir()
    differing = script.replace(search_index.UNPACK, "").replace("await this.unpack(", "this.decompress(", 3)
    (other / "pagefind.js").write_text(differing, encoding="utf-8")  # three of the four places as in 1.5
    assert search_index.native_unpack(other) is False
    assert (other / "pagefind.js").read_text(encoding="utf-8") == differing
