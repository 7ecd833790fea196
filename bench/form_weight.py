"""What a browser downloads to use the submission form (/lisaa/), measured in real Chromium.

    python bench/form_weight.py 10000

Builds N synthetic practices (search indexing off: the form does not load Pagefind), opens
/lisaa/, types an organisation's name and a title as a contributor would (so the files the
form fetches while typing are counted), and prints the bytes of every response.
bench/run.py reports the same figure in its table.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "bench"))
sys.path.insert(0, str(REPO / "tests"))

from kehto import urls  # noqa: E402


def form_download(site: Path, organisation: str = "Esimerkkikunta 1", title: str = "Työhyvinvoinnin kysely") -> tuple[int, int]:
    """Bytes and requests a browser fetches to open the form and fill its organisation and title."""
    from browser import browser, serve

    with serve(site) as base, browser() as chromium:
        page = chromium.new_page()
        sizes: list[int] = []

        def count(response):
            try:
                sizes.append(len(response.body()))
            except Exception:  # noqa: BLE001 - a response without body (e.g. a redirect)
                pass

        page.on("response", count)
        page.goto(base + urls.section("submit"))
        page.wait_for_function("document.getElementById('kehto-form').dataset.ready === 'true'", timeout=60000)
        page.fill("#f-title", title)
        page.press("#f-title", "Tab")
        page.fill("#f-organisation", organisation)
        page.press("#f-organisation", "Tab")
        page.wait_for_load_state("networkidle")
        suggested = page.evaluate("document.getElementById('f-organisation-list').options.length")
        print(f"(the organisation list suggests {suggested} names for {organisation!r})", file=sys.stderr)
        return sum(sizes), len(sizes)


def main() -> None:
    from run import bench_config
    from synthetic import make_registry

    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10000
    with tempfile.TemporaryDirectory(prefix="kehto-form-") as folder:
        registry = make_registry(REPO, Path(folder) / "registry", n)
        config = bench_config(Path(folder))
        try:
            subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config), "-d", f"{folder}/site"],
                           env=dict(os.environ, KEHTO_ROOT=str(registry), NO_MKDOCS_2_WARNING="1",
                                    KEHTO_FINNISH_SEARCH="false"), check=True)
        finally:
            config.unlink(missing_ok=True)
        size, requests = form_download(Path(folder) / "site")
        largest = max((p.stat().st_size, str(p.relative_to(Path(folder) / "site")))
                      for what in ("organisations", "titles")
                      for p in (Path(folder) / "site" / urls.form_lookup(what, key="x")).parent.rglob("*.json"))
        shutil.rmtree(Path(folder) / "site", ignore_errors=True)
    print(f"N = {n}: /lisaa/ downloads {size / 1000:.0f} KB in {requests} requests "
          f"(largest lookup file {largest[0] / 1000:.0f} KB, {largest[1]})")


if __name__ == "__main__":
    main()
