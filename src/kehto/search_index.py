"""What kehto changes in the Pagefind index after Pagefind has written it: smaller downloads.

**Oversized word chunks, re-split.** Pagefind (1.5) splits its word index into chunks of about
20,000 page entries and locations, and the browser downloads the one chunk whose word range holds
each search word. It counts only the entries of a word as written without diacritics, though: the
forms with ä, ö or å sit in a second list it does not count. In Finnish text most words have such
forms, so chunks grew unchecked: at 10,000 practices one chunk held every word from
"turvallisuusas" to "ulkopuolin" (424 KB to download for "työhyvinvointi", where its own entries
take 46 KB). Every chunk larger than ``LIMIT`` bytes is cut into pieces of at least ``PIECE``
bytes (uncompressed CBOR) at word boundaries (``pieces``), and the metadata file's chunk list
(word ranges and file names) is rewritten to match, its ranges without gaps (``_contiguous``). A
cut is placed where the words on either side share fewer than ``KEPT_PREFIX`` letters, so that the
words a search term can extend to (Pagefind matches prefixes, within the one chunk it loads) stay
together.

**Sort orders, moved out of the metadata.** Pagefind keeps every sort order (each page's number,
in order) in the metadata file that every search downloads (22 KB of 91 KB at 10,000 practices),
though only a sorted search uses it. Each order is written instead as page ids (a search result's
``id``) into one JSON file beside the search page (``urls.search_order()``), which the search page
fetches only when the user sorts, and sorts the results itself.

**The first pages, as a filter.** Pagefind's search of a quoted word scans, for each result page,
the word's whole page list, so its work grows with the square of the pages the word is on (a word
on 9,906 of 10,000 pages: 240 ms; on 3,741: 31 ms), and its results all have the same score: they
come in the index's page order. ``mark_first_pages`` adds a filter (``urls.SEARCH_FIRST_PAGES``)
whose one value holds the index's first pages (a fiftieth of them, at least ``FIRST_LEAST``): a
search within them finds the same first results for such a word at a fraction of the work, and
Pagefind still counts all the word's pages. The search page asks so for a first page of results
(``kehto-search.js``: tiered).

**A shorter wait for the index.** Pagefind's search (``getPtr`` in ``pagefind.js``) waits for its
WebAssembly and page list by checking every 50 ms, so a search asked for while they load starts
up to 50 ms after they are ready (25 ms on average, on the way to every first result). The check
runs every ``POLL_MS`` instead (``shorten_ready_poll``).

**No grapheme segmenter for plain words.** Pagefind cuts every query into grapheme clusters with
``Intl.Segmenter`` before lowercasing it, and a page's first segmenter costs 10 ms on an idle
machine (the browser loads its Unicode break rules), on the way to every first result. In a query
with no character above U+02FF (Latin letters with ä, ö, å and other precomposed letters, digits,
punctuation: no combining marks, which begin at U+0300) every character is a cluster of its own, so
Pagefind's own loop over characters gives the same term; ``plain_terms`` has the segmenter used
only for other queries and for the languages Pagefind segments into words.

**The browser's own gzip.** Pagefind unpacks its WebAssembly, page list, word chunks and page
fragments with a gzip decoder written in JavaScript, on the page's main thread (about 20 ms of a
first search at 10,000 practices). ``native_unpack`` has them unpacked by the browser's
``DecompressionStream`` instead, and by Pagefind's decoder where that is missing or fails.

Both edit ``pagefind.js`` only where it reads exactly as Pagefind 1.5's (``_edit_script``); a
Pagefind whose script reads differently is left as it is, and works as Pagefind wrote it.

Nothing else changes: the same words with the same entries, in the same order. Each word's bytes
are copied from Pagefind's file as they are; only the array headers around them and the metadata
file are written anew (the metadata checked to re-encode byte for byte first). A file in a layout
this module does not know is reported (UnknownFormat) before anything is written, and the index
is left as Pagefind wrote it.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import os
from pathlib import Path
from typing import Callable

import cbor2

from . import urls

SIGNATURE = b"pagefind_dcd"  # every Pagefind data file starts with it, before the CBOR
LIMIT = 24_000  # a chunk file (gzip) larger than this is split
PIECE = 32_000  # the uncompressed CBOR bytes a piece has at least (about 10 KB as downloaded)
KEPT_PREFIX = 4  # cut between two words sharing fewer first letters than this...
HARD_LIMIT = 2 * PIECE  # ...or, when a piece has grown this large, where they share the fewest
META_PAGES, META_CHUNKS, META_FILTERS, META_SORTS = 1, 2, 3, 4  # in the metadata file: [version, pages, chunks, filters, sorts, ...]
FIRST_SHARE, FIRST_LEAST = 50, 200  # mark_first_pages: a fiftieth of the pages, at least 200


class UnknownFormat(ValueError):
    """The index is not in the layout this module was written for."""


def _array(length: int) -> bytes:
    """A CBOR array header (definite length, shortest form, as Pagefind's encoder writes it)."""
    return cbor2.dumps([None] * length)[:-length] if length else b"\x80"


def _body(path: Path) -> bytes:
    data = gzip.decompress(path.read_bytes())
    if not data.startswith(SIGNATURE):
        raise UnknownFormat(f"{path.name}: no Pagefind signature")
    return data[len(SIGNATURE):]


def _read(path: Path):
    body = _body(path)
    value = cbor2.loads(body)
    if cbor2.dumps(value) != body:
        raise UnknownFormat(f"{path.name}: re-encoding changes the bytes")
    return value


def _words(path: Path) -> list[tuple[str, bytes]]:
    """Each word of an index chunk with its bytes, cut from the file as they are (nothing re-encoded).
    A chunk is an array of one item, the word list; each word an array starting with the word."""
    body = _body(path)
    if len(body) < 2 or body[0] != 0x81 or body[1] >> 5 != 4 or body[1] & 31 > 27:
        raise UnknownFormat(f"{path.name}: not a chunk of one word list")
    info = body[1] & 31
    start = 2 + (1 << (info - 24) if info >= 24 else 0)
    count = info if info < 24 else int.from_bytes(body[2:start], "big")
    stream = io.BytesIO(body)
    stream.seek(start)
    decoder = cbor2.CBORDecoder(stream)
    words = []
    try:
        for _ in range(count):
            at = stream.tell()
            word = decoder.decode()
            if not (isinstance(word, list) and word and isinstance(word[0], str)):
                raise UnknownFormat(f"{path.name}: a word that is not [word, pages, ...]")
            words.append((word[0], body[at:stream.tell()]))
    except cbor2.CBORDecodeError as error:
        raise UnknownFormat(f"{path.name}: {error}") from error
    if stream.tell() != len(body) or _array(1) + _array(count) != body[:start]:
        raise UnknownFormat(f"{path.name}: the word list does not fill the file")
    return words


def _write(folder: Path, language: str, body: bytes, suffix: str, prefix: str = "") -> str:
    """Write a Pagefind data file named by its content; returns the name's hash."""
    data = SIGNATURE + body
    digest = hashlib.sha256(data).hexdigest()
    length = 7
    while (folder / f"{prefix}{language}_{digest[:length]}{suffix}").exists():
        length += 1
    name = f"{language}_{digest[:length]}"
    (folder / f"{prefix}{name}{suffix}").write_bytes(gzip.compress(data, 6, mtime=0))
    return name


def _shared(a: str, b: str) -> int:
    count = 0
    for x, y in zip(a, b):
        if x != y:
            break
        count += 1
    return count


def _start(before: str, after: str) -> str:
    """Where a word range starts, after a range ending with the word ``before``: as Pagefind has it,
    the first word ``after`` up to the first letter where the two differ."""
    return after[:_shared(before, after) + 1]


def _below(bound: str) -> str:
    """The largest upper bound below ``bound``: every string that sorts before ``bound`` sorts at
    or before it (its last letter one lower, then the highest code point)."""
    lower = ord(bound[-1]) - 1
    return bound[:-1] + chr(0xD7FF if 0xD800 <= lower <= 0xDFFF else lower) + "\U0010ffff"


def _contiguous(chunks: list[list[str]]) -> list[list[str]]:
    """The chunk list with no gaps between the word ranges: each range reaches up to the next one.

    Pagefind ends a range at the last word's beginning up to its first letter that differs from the
    next range's first word, so a longer word that starts
    the same way, and any search term that does, falls between two ranges. For such a term the
    browser finds no chunk, and loads instead the first chunk whose bounds match the term's
    beginning: at 10 000 practices "jatkua" (stem "jatku") fetched the 169 KB chunk of "ja".
    """
    return [[first, _below(chunks[i + 1][0]) if i + 1 < len(chunks) else last, name]
            for i, (first, last, name) in enumerate(chunks)]


def pieces(words: list[tuple[str, bytes]]) -> list[list[tuple[str, bytes]]]:
    """The (word, encoding) pairs of one chunk cut into pieces of at least ``PIECE`` bytes, in order.

    A piece ends at the first word, once it is ``PIECE`` bytes, after which the words share fewer
    than ``KEPT_PREFIX`` first letters; if it reaches ``HARD_LIMIT`` first, it ends where the words
    on either side shared the fewest letters since it was ``PIECE`` bytes."""
    cut: list[list[tuple[str, bytes]]] = []
    start = 0
    while start < len(words):
        size, best, end = 0, None, len(words) - 1
        for index in range(start, len(words) - 1):
            size += len(words[index][1])
            if size < PIECE:
                continue
            shared = _shared(words[index][0], words[index + 1][0])
            if best is None or shared < best[0]:
                best = (shared, index)
            if shared < KEPT_PREFIX or size >= HARD_LIMIT:
                end = index if shared < KEPT_PREFIX else best[1]
                break
        cut.append(words[start:end + 1])
        start = end + 1
    return cut


def _edit_metadata(bundle: Path, edit: Callable[[str, list], list[Path] | None]) -> None:
    """Apply ``edit(language, metadata)`` to each language's metadata; it returns the files it made
    obsolete, or None when it changed nothing. The entry file then names the new metadata, and
    only then are the obsolete files removed (a search running meanwhile finds a whole index)."""
    entry_path = bundle / "pagefind-entry.json"
    entry = json.loads(entry_path.read_text(encoding="utf-8"))
    replaced: list[Path] = []
    for language, about in entry["languages"].items():
        meta_path = bundle / f"pagefind.{about['hash']}.pf_meta"
        meta = _read(meta_path)
        obsolete = edit(language, meta)
        if obsolete is None:
            continue
        about["hash"] = _write(bundle, language, cbor2.dumps(meta), ".pf_meta", prefix="pagefind.")
        replaced += [*obsolete, meta_path]
    if replaced:
        entry_path.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    for path in replaced:
        path.unlink()


def split_large_chunks(bundle: str | Path) -> int:
    """Split the oversized chunks of the index in ``bundle`` (the pagefind/ folder); returns how
    many chunks were split. Raises UnknownFormat, with the index untouched, for a layout it does
    not know."""
    bundle = Path(bundle)
    split = 0

    def edit(language: str, meta: list) -> list[Path] | None:
        nonlocal split
        chunks = meta[META_CHUNKS]
        if not all(isinstance(c, list) and len(c) == 3 and all(isinstance(x, str) for x in c) for c in chunks):
            raise UnknownFormat("the metadata's chunk list is not [from, to, file] triples")
        large = [c for c in chunks if (bundle / "index" / f"{c[2]}.pf_index").stat().st_size > LIMIT]
        decoded = {c[2]: _words(bundle / "index" / f"{c[2]}.pf_index") for c in large}  # all checked first
        rewritten, obsolete = [], []
        for first, last, name in chunks:
            parts = pieces(decoded[name]) if name in decoded else []
            if len(parts) < 2:
                rewritten.append([first, last, name])
                continue
            names = [_write(bundle / "index", language,
                            _array(1) + _array(len(part)) + b"".join(e for _, e in part), ".pf_index")
                     for part in parts]
            starts = [first] + [_start(parts[i][-1][0], parts[i + 1][0][0]) for i in range(len(parts) - 1)]
            rewritten += [[start, last, name] for start, name in zip(starts, names)]  # ends: _contiguous
            obsolete.append(bundle / "index" / f"{name}.pf_index")
        rewritten = _contiguous(rewritten)
        if rewritten == chunks:
            return None
        split += len(obsolete)
        meta[META_CHUNKS] = rewritten
        return obsolete

    _edit_metadata(bundle, edit)
    return split


def move_sort_orders(bundle: str | Path, target: str | Path) -> int:
    """Move the sort orders of the index in ``bundle`` into the JSON file ``target``; returns how
    many orders moved. Raises UnknownFormat, with the index untouched, for a layout it does not know.

    The file: ``{"prefix": "fi_", "julkaistu": "2f29be5 32de39d ..."}``, the page ids (less the
    prefix they share, a third of their length) in the order Pagefind sorts ascending."""
    orders: dict[str, list[str]] = {}

    def edit(language: str, meta: list) -> list[Path] | None:
        pages, sorts = meta[META_PAGES], meta[META_SORTS]
        if not all(isinstance(p, list) and p and isinstance(p[0], str) for p in pages) or not all(
                isinstance(s, list) and len(s) == 2 and isinstance(s[0], str) and isinstance(s[1], list)
                and all(isinstance(n, int) and 0 <= n < len(pages) for n in s[1]) for s in sorts):
            raise UnknownFormat("the metadata's pages or sort orders are not as expected")
        if not sorts:
            return None
        for key, numbers in sorts:
            orders.setdefault(key, []).extend(pages[n][0] for n in numbers)
        meta[META_SORTS] = []
        return []

    _edit_metadata(Path(bundle), edit)
    if orders:
        shared = os.path.commonprefix([page for ids in orders.values() for page in ids])
        prefix = shared[:shared.rfind("_") + 1]
        written = {"prefix": prefix, **{key: " ".join(page[len(prefix):] for page in ids)
                                        for key, ids in orders.items()}}
        Path(target).parent.mkdir(parents=True, exist_ok=True)
        Path(target).write_text(json.dumps(written, separators=(",", ":")), encoding="utf-8")
    return len(orders)


def mark_first_pages(bundle: str | Path, count: int | None = None) -> int:
    """Add (or replace) the filter ``urls.SEARCH_FIRST_PAGES`` of the index in ``bundle``: its value
    "1" holds the first ``count`` pages of the index's page list (by default a ``FIRST_SHARE``th of
    them, at least ``FIRST_LEAST``). Returns how many pages it holds. Raises UnknownFormat, with the
    index untouched, for a layout it does not know."""
    bundle = Path(bundle)
    marked = 0

    def edit(language: str, meta: list) -> list[Path] | None:
        nonlocal marked
        pages, filters = meta[META_PAGES], meta[META_FILTERS]
        if not all(isinstance(f, list) and len(f) == 2 and all(isinstance(x, str) for x in f) for f in filters):
            raise UnknownFormat("the metadata's filter list is not [name, file] pairs")
        marked = min(len(pages), count if count is not None else max(FIRST_LEAST, len(pages) // FIRST_SHARE))
        body = cbor2.dumps([urls.SEARCH_FIRST_PAGES, [["1", list(range(marked))]]])
        old = [bundle / "filter" / f"{f[1]}.pf_filter" for f in filters if f[0] == urls.SEARCH_FIRST_PAGES]
        if len(old) == 1 and _body(old[0]) == body:
            return None  # marked so already
        name = _write(bundle / "filter", language, body, ".pf_filter")
        meta[META_FILTERS] = [f for f in filters if f[0] != urls.SEARCH_FIRST_PAGES] + [[urls.SEARCH_FIRST_PAGES, name]]
        return old

    _edit_metadata(bundle, edit)
    return marked


def _edit_script(bundle: str | Path, edits: list[tuple[str, str]]) -> bool:
    """Replace each ``(old, new)`` in Pagefind's ``pagefind.js``, only if every ``old`` occurs in
    it exactly once; otherwise change nothing. Whether the script was changed."""
    path = Path(bundle) / "pagefind.js"
    text = path.read_text(encoding="utf-8")
    if any(text.count(old) != 1 for old, _ in edits):
        return False
    for old, new in edits:
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")
    return True


POLL_MS = 5
_POLL = "while(this.raw_ptr===null){if(this.initError){throw this.initError;}await asyncSleep(50);}"


def shorten_ready_poll(bundle: str | Path) -> bool:
    """Make Pagefind's wait for its own start-up check every ``POLL_MS`` instead of every 50 ms.
    Whether ``pagefind.js`` was changed (it is left alone unless it reads exactly as Pagefind 1.5's)."""
    return _edit_script(bundle, [(_POLL, _POLL.replace("asyncSleep(50)", f"asyncSleep({POLL_MS})"))])


# Where Pagefind 1.5 unpacks a file it fetched (page list, WebAssembly, word chunk, fragment), each
# in an async method: each becomes ``await this.unpack(...)``.
_UNPACKED = [
    'this.searchMeta=this.decompress(new Uint8Array(compressed_meta),"Pagefind metadata");',
    'const final_wasm=this.decompress(new Uint8Array(compressed_wasm),"Pagefind WebAssembly");',
    "let chunk=this.decompress(new Uint8Array(compressed_chunk),url);",
    "let fragment=this.decompress(new Uint8Array(compressed_fragment),`Fragment ${hash}`);",
]
_DECOMPRESS = 'decompress(data,file="unknown file"){'
# A gzip file (1f 8b) is unpacked by the browser; Pagefind's decompress then finds it unpacked
# (its signature first) and only strips the signature, or unpacks it itself if this failed.
UNPACK = ('async unpack(data,file){if(typeof DecompressionStream==="function"&&data[0]===31&&data[1]===139){try{'
          'data=new Uint8Array(await new Response(new Blob([data]).stream()'
          '.pipeThrough(new DecompressionStream("gzip"))).arrayBuffer());}catch(e){}}'
          "return this.decompress(data,file);}")


def native_unpack(bundle: str | Path) -> bool:
    """Have the browser's ``DecompressionStream`` unpack what Pagefind fetches. Whether
    ``pagefind.js`` was changed (it is left alone unless it reads exactly as Pagefind 1.5's)."""
    edits = [(call, call.replace("this.decompress(", "await this.unpack(")) for call in _UNPACKED]
    return _edit_script(bundle, edits + [(_DECOMPRESS, UNPACK + _DECOMPRESS)])


# Pagefind 1.5 (``search`` in pagefind.js): how a query is cut, whole, so that a Pagefind that cuts
# it differently anywhere is left alone. The last branch (no segmenter) goes character by character
# with the same rules as the grapheme branch before it.
_SEGMENTING = (
    r'if(trueLanguage&&typeof Intl.Segmenter!=="undefined"){'
    r'const graphemeSegmenter=new Intl.Segmenter(trueLanguage,{granularity:"grapheme"});'
    r'if(needsWordSegmentation(trueLanguage)){const wordSegmenter=new Intl.Segmenter(trueLanguage,{granularity:"word"});'
    r'for(const{segment:word}of wordSegmenter.segment(term)){const wordChunks=[];'
    r'for(const{segment:grapheme}of graphemeSegmenter.segment(word)){if(this.includeCharacters?.includes(grapheme)){wordChunks.push(grapheme);}'
    r'else if(!/^\p{Pd}|\p{Pe}|\p{Pf}|\p{Pi}|\p{Po}|\p{Ps}$/u.test(grapheme)){wordChunks.push(grapheme.toLocaleLowerCase());}}'
    r'if(wordChunks.length>0){term_chunks.push(wordChunks.join(""));}}term=term_chunks.join(" ").replace(/\s{2,}/g," ").trim();}'
    r'else{for(const{segment:grapheme}of graphemeSegmenter.segment(term)){if(this.includeCharacters?.includes(grapheme)){term_chunks.push(grapheme);}'
    r'else if(!/^\p{Pd}|\p{Pe}|\p{Pf}|\p{Pi}|\p{Po}|\p{Ps}$/u.test(grapheme)){term_chunks.push(grapheme.toLocaleLowerCase());}}'
    r'term=term_chunks.join("").replace(/\s{2,}/g," ").trim();}}'
    r'else{for(const char of term){if(this.includeCharacters?.includes(char)){term_chunks.push(char);}'
    r'else if(!/^\p{Pd}|\p{Pe}|\p{Pf}|\p{Pi}|\p{Po}|\p{Ps}$/u.test(char)){term_chunks.push(char.toLocaleLowerCase());}}'
    r'term=term_chunks.join("").replace(/\s{2,}/g," ").trim();}'
)
_SEGMENTED = 'if(trueLanguage&&typeof Intl.Segmenter!=="undefined"){'
PLAIN = "/^[\\x00-\\u02ff]*$/"  # a query of these characters has one character per grapheme cluster


def plain_terms(bundle: str | Path) -> bool:
    """Have Pagefind cut a query of characters up to U+02FF character by character, without creating
    an ``Intl.Segmenter``. Whether ``pagefind.js`` was changed (it is left alone unless it reads
    exactly as Pagefind 1.5's)."""
    guarded = _SEGMENTED.replace("){", f"&&(needsWordSegmentation(trueLanguage)||!{PLAIN}.test(term))){{")
    return _edit_script(bundle, [(_SEGMENTING, guarded + _SEGMENTING[len(_SEGMENTED):])])
