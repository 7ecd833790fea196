"""The Pagefind search index of a built site."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from . import search_index, urls


class IndexError_(RuntimeError):
    """Pagefind could not index the site; the message says why."""


def index_site(site_dir: str | Path, language: str = urls.SEARCH_LANGUAGE) -> float:
    """Run Pagefind over ``site_dir``; returns the seconds it took.

    Uses the Pagefind binary shipped in the ``pagefind[bin]`` wheel through its
    Python wrapper, so no download happens at build time.
    """
    started = time.perf_counter()
    command = [sys.executable, "-m", "pagefind", "--site", str(site_dir),
               "--force-language", language, "--silent"]
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        details = (result.stderr or result.stdout).strip()
        raise IndexError_(f"Hakuindeksin luonti epäonnistui (pagefind): {details}")
    bundle = Path(site_dir) / urls.search_bundle()
    try:
        search_index.split_large_chunks(bundle)
    except search_index.UnknownFormat:
        pass  # a Pagefind layout this kehto does not know: its own chunks work, only larger
    try:
        search_index.move_sort_orders(bundle, Path(site_dir) / urls.search_order())
    except search_index.UnknownFormat:
        pass  # ... and its sort orders stay in its metadata, where the search page uses them
    try:
        search_index.mark_first_pages(bundle)
    except search_index.UnknownFormat:
        pass  # ... and the search page's first-pages search finds nothing, so it searches them all
    search_index.shorten_ready_poll(bundle)
    search_index.native_unpack(bundle)
    search_index.plain_terms(bundle)
    return time.perf_counter() - started
