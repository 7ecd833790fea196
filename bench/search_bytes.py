"""Where the bytes of one search go: the files real Chromium fetches from /pagefind/, and what the
index chunks among them hold.

    python bench/search_bytes.py SITE WORD [WORD ...]
    python bench/search_bytes.py SITE --most-common 200   # every one of the 200 most common words
    python bench/search_bytes.py SITE teema=perehdytys     # a query string: here filters alone

SITE is a built site with its Pagefind index (e.g. `mkdocs build -d site`, or a synthetic
registry built as bench/run.py does). For every word it opens /haku/?q=WORD in a fresh browser,
lists the /pagefind/ responses by size, and decodes each index chunk (gzip, then CBOR, Pagefind
1.5's layout: per word its pages, per page the page number (delta), its positions with weight
markers, and a second list) into the words that take the most of it: pages, positions and bytes
(uncompressed CBOR; the download is gzip, its ratio is printed per chunk).
Figures, never assertions.
"""

from __future__ import annotations

import gzip
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))

SIGNATURE = b"pagefind_dcd"


def _head(data: bytes, at: int) -> tuple[int, int | None, int]:
    """A CBOR item's major type, its argument (None: indefinite length) and where its content starts."""
    major, info = data[at] >> 5, data[at] & 31
    if info < 24:
        return major, info, at + 1
    if info == 31:
        return major, None, at + 1
    size = 1 << (info - 24)
    return major, int.from_bytes(data[at + 1:at + 1 + size], "big"), at + 1 + size


def _item(data: bytes, at: int):
    """One CBOR item at ``at``: (value, next offset). Only what Pagefind writes: ints, strings, arrays."""
    major, value, at = _head(data, at)
    if major == 0:
        return value, at
    if major == 1:
        return -1 - value, at
    if major in (2, 3):
        raw = data[at:at + value]
        return (raw.decode() if major == 3 else raw), at + value
    if major == 4:
        items = []
        while (value is None and data[at] != 0xFF) or (value is not None and len(items) < value):
            item, at = _item(data, at)
            items.append(item)
        return items, at + (1 if value is None else 0)
    raise ValueError(f"CBOR major type {major} not expected in a Pagefind chunk")


def chunk_words(compressed: bytes) -> list[tuple[str, int, int, int]]:
    """(word, pages, positions, bytes) of every word in an index chunk, largest first."""
    data = gzip.decompress(compressed)
    data = data[len(SIGNATURE):] if data.startswith(SIGNATURE) else data
    _, _, at = _head(data, 0)  # the chunk: an array of one item,
    _, count, at = _head(data, at)  # the word list
    rows = []
    while (count is None and data[at] != 0xFF) or (count is not None and len(rows) < count):
        start = at
        word, at = _item(data, at)
        name, pages = word[0], list(word[1])
        for _, variant_pages in (word[2] if len(word) > 2 else []):  # as written, with ä and ö
            pages.extend(variant_pages)
        positions = sum(sum(1 for n in page[1] if n >= 0) for page in pages)
        rows.append((name, len(pages), positions, at - start))
    return sorted(rows, key=lambda row: -row[3])


def _decoded(path: Path):
    data = gzip.decompress(path.read_bytes())
    return _item(data[len(SIGNATURE):] if data.startswith(SIGNATURE) else data, 0)[0]


def postings(site: Path) -> dict[str, set[int]]:
    """Every word key of a site's index and the page numbers it is on (page numbers are stored as deltas)."""
    words: dict[str, set[int]] = {}
    for chunk in (site / "pagefind" / "index").glob("*.pf_index"):
        for word in _decoded(chunk)[0]:
            pages = words.setdefault(word[0], set())
            for page_list in [word[1]] + [variant[1] for variant in (word[2] if len(word) > 2 else [])]:
                number = 0
                for page in page_list:
                    number += page[0]
                    pages.add(number)
    return words


def page_urls(site: Path) -> list[str]:
    """The URL of every page of a site's index, by page number."""
    import json

    meta = next((site / "pagefind").glob("pagefind.*.pf_meta"))
    urls = []
    for page in _decoded(meta)[1]:
        fragment = gzip.decompress((site / "pagefind" / "fragment" / f"{page[0]}.pf_fragment").read_bytes())
        urls.append(json.loads(fragment[len(SIGNATURE):])["url"])
    return urls


def _fetched(chromium, base: str, word: str) -> dict[str, bytes]:
    """The search files (Pagefind's, and the sort order file) a fresh browser context fetches to
    show the results for ``word``, or for a query string (``teema=perehdytys``: filters alone)."""
    from kehto import urls

    context = chromium.new_context()
    page = context.new_page()
    fetched: dict[str, bytes] = {}

    def keep(response):
        if "/pagefind/" in response.url or response.url.endswith(urls.search_order()):
            try:
                fetched[response.url] = response.body()
            except Exception:  # noqa: BLE001 - a response without body
                pass

    page.on("response", keep)
    page.goto(f"{base}haku/?{word if '=' in word else 'q=' + word}")
    page.wait_for_function("document.getElementById('kehto-search').dataset.state === 'done'", timeout=120000)
    page.wait_for_timeout(300)
    context.close()
    return fetched


def measure(site: Path, word: str, top: int = 8) -> None:
    from browser import browser, serve

    with serve(site) as base, browser() as chromium:
        fetched = _fetched(chromium, base, word)
    total = sum(len(body) for body in fetched.values())
    print(f"{word}: {total / 1000:.0f} KB in {len(fetched)} files")
    groups: dict[str, list[int]] = {}
    for url, body in fetched.items():
        kind = url.split("/pagefind/")[1].split("/")[0] if "/fragment/" in url else url.rsplit("/", 2)[-2:]
        key = "fragments" if kind == "fragment" else "/".join(kind) if isinstance(kind, list) else kind
        groups.setdefault(key.split("?")[0], []).append(len(body))
    for key, sizes in sorted(groups.items(), key=lambda item: -sum(item[1])):
        print(f"  {sum(sizes) / 1000:7.1f} KB  {key}" + (f" ({len(sizes)})" if len(sizes) > 1 else ""))
    for url, body in fetched.items():
        if url.endswith(".pf_index"):
            rows = chunk_words(body)
            raw = sum(row[3] for row in rows)
            print(f"  chunk {url.rsplit('/', 1)[1]}: {len(body) / 1000:.0f} KB gzip, {raw / 1000:.0f} KB CBOR, {len(rows)} words")
            for name, pages, positions, size in rows[:top]:
                print(f"    {size / 1000:7.1f} KB  {name:<24} {pages:6d} pages {positions:7d} positions")


def sweep(site: Path, count: int) -> None:
    """The bytes of /pagefind/ files for each of the site's ``count`` most common words (its word list
    for corrections), each in a fresh browser context: the largest ten and the median."""
    import json
    import statistics

    from browser import browser, serve

    words = json.loads((site / "haku" / "sanat.json").read_text(encoding="utf-8"))[:count]
    sizes = []
    with serve(site) as base, browser() as chromium:
        for word in words:
            sizes.append((sum(map(len, _fetched(chromium, base, word).values())), word))
    sizes.sort(reverse=True)
    print(f"{len(words)} most common words: median {statistics.median(s for s, _ in sizes) / 1000:.0f} KB, "
          f"over 300 KB: {sum(s > 300_000 for s, _ in sizes)}")
    for size, word in sizes[:10]:
        print(f"  {size / 1000:6.0f} KB  {word}")


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    if sys.argv[2] == "--most-common":
        sweep(Path(sys.argv[1]), int(sys.argv[3]))
    for query in sys.argv[2:] if sys.argv[2] != "--most-common" else []:
        measure(Path(sys.argv[1]), query)
