"""kehto benchmark: prints a table of figures for N synthetic practices.

    python bench/run.py 1000 10000 [--write docs/performance.md]

For each N it generates N valid practices (about 2 KB each) with N/20
organisations, then measures in one run: `kehto validate`, the full site
build (MkDocs + kehto, search indexing switched off), Pagefind indexing on
its own, site size, the largest page, the bytes a browser downloads to run
one search and to view one practice page (measured in real Chromium), the
time until the first search result shows after opening /haku/?q=... in a
fresh browser (median of 5), the peak memory of the builds, `kehto build`
(pages as files, then MkDocs), how long `mkdocs serve` (as `make serve` runs
it) takes to answer and to show an edited record, and a baseline: a plain
mkdocs-material build of N bare Markdown pages with no kehto code. The same
search figures are measured for the bundled content.
Figures, never assertions: targets are judged by reading the table.

    python bench/run.py 10000 --search-only   # only the search figures (no baselines, no validate)
    python bench/run.py 1000 10000 --build-only --runs 3   # only issue 12's build ratio, builds taken in turn
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "bench"))
sys.path.insert(0, str(REPO / "tests"))

from form_weight import form_download  # noqa: E402
from synthetic import make_baseline, make_registry, make_same_pages  # noqa: E402

ENV = dict(os.environ, NO_MKDOCS_2_WARNING="1")


def timed(command: list[str], **kwargs) -> float:
    started = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, env=kwargs.pop("env", ENV), **kwargs)
    if result.returncode != 0:
        raise SystemExit(f"failed: {' '.join(command)}\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    return time.perf_counter() - started


def bench_config(work: Path) -> Path:
    """The project's mkdocs.yml with Pagefind switched off (it is timed on its own)."""
    text = (REPO / "mkdocs.yml").read_text(encoding="utf-8").replace("    search: true", "    search: false")
    config = REPO / f".bench-mkdocs-{os.getpid()}.yml"  # beside the real one: hooks/ and overrides/ resolve
    config.write_text(text, encoding="utf-8")
    return config


def timed_memory(command: list[str], env=None) -> tuple[float, float]:
    """Seconds and peak resident memory (MB, the largest process) of a command."""
    started = time.perf_counter()
    result = subprocess.run(["/usr/bin/time", "-f", "kehto-peak-kb %M", *command], capture_output=True, text=True,
                            env=env or ENV)
    seconds = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(f"failed: {' '.join(command)}\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    peak = int(re.findall(r"kehto-peak-kb (\d+)", result.stderr)[-1])
    return seconds, peak / 1000


def project_dir(registry: Path) -> Path:
    """A registry made a whole project (pages, theme overrides, hooks, mkdocs.yml without Pagefind).
    Not strict: random synthetic titles can be likely duplicates (a warning), which a strict build refuses."""
    for folder in ("content", "overrides", "hooks"):
        shutil.copytree(REPO / folder, registry / folder, dirs_exist_ok=True)
    text = (REPO / "mkdocs.yml").read_text(encoding="utf-8").replace("    search: true", "    search: false")
    text = text.replace("\nstrict: true\n", "\nstrict: false\n")
    (registry / "mkdocs.yml").write_text(text.replace("  - src/kehto/templates\n", ""), encoding="utf-8")
    return registry


_GENERATION = """
import resource, sys
from pathlib import Path
from kehto import engine, settings
root = Path(sys.argv[1])
config = engine.load_config(root / "mkdocs.yml")
options = settings.parse(config["extra"].get("kehto"))
engine.in_child(engine.generate_files, root, config, options, root / "content", root / ".cache/kehto/build/pages")
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""


def build_parts_memory(project: Path, work: Path) -> tuple[float, float]:
    """Peak memory (MB) of `kehto build`'s two parts on their own: kehto's (the child process that
    checks the records and writes the pages, and its workers) and the engine's (MkDocs on those pages)."""
    result = subprocess.run([sys.executable, "-c", _GENERATION, str(project)], capture_output=True, text=True,
                            env=ENV, check=True)
    kehto_mb = int(result.stdout.split()[-1]) / 1000
    _, engine_mb = timed_memory([sys.executable, "-m", "mkdocs", "build", "--quiet", "-f",
                                 str(project / ".cache/kehto/build/mkdocs.yml"), "-d", str(work / "engine-site")])
    shutil.rmtree(work / "engine-site", ignore_errors=True)
    return kehto_mb, engine_mb


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for(url: str, text: str, process, limit: float = 600) -> float:
    import urllib.error
    import urllib.request

    started = time.perf_counter()
    while time.perf_counter() - started < limit:
        if process.poll() is not None:
            raise SystemExit(f"mkdocs serve stopped while waiting for {url}")
        try:
            with urllib.request.urlopen(url, timeout=limit) as response:
                if text in response.read().decode("utf-8"):
                    return time.perf_counter() - started
        except (urllib.error.URLError, ConnectionError):
            pass
        time.sleep(0.05)
    raise SystemExit(f"{url} never showed {text!r}")


def serve_times(project: Path, practice: Path, env=None) -> tuple[float, float]:
    """`make serve`'s command on ``project``: seconds until the site answers, and until an edit of
    ``practice`` (its title) shows on its page."""
    port = _free_port()
    base = f"http://127.0.0.1:{port}/"
    command = [sys.executable, "-m", "mkdocs", "serve", "--no-strict", "--dirty", "-f", str(project / "mkdocs.yml"),
               "-a", f"127.0.0.1:{port}"]
    process = subprocess.Popen(command, env=env or ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        first = _wait_for(base, "kehto", process)
        page = base + f"teot/{practice.stem}/"
        _wait_for(page, "<h1", process)
        time.sleep(1)  # let the watcher settle after the first build
        text = practice.read_text(encoding="utf-8")
        practice.write_text(text.replace("title: ", "title: Muokattu ", 1), encoding="utf-8")
        edit = _wait_for(page, "Muokattu ", process)
        practice.write_text(text, encoding="utf-8")
        return first, edit
    finally:
        process.terminate()
        process.wait(timeout=60)


def fresh_clone_serve() -> float:
    """Seconds from starting `make serve`'s command on a fresh checkout (no caches) until the site answers."""
    with tempfile.TemporaryDirectory(prefix="kehto-clone-") as folder:
        archive = subprocess.run(["git", "-C", str(REPO), "archive", "HEAD"], capture_output=True, check=True).stdout
        subprocess.run(["tar", "-x", "-C", folder], input=archive, check=True)
        project = Path(folder)
        practice = sorted((project / "practices").glob("*.yml"))[0]
        first, _ = serve_times(project, practice)
        return first


def page_view(site: Path, path: str) -> tuple[int, bool]:
    """Bytes (uncompressed) real Chromium downloads to show one page, and whether it fetched a sitemap."""
    from browser import browser, serve

    with serve(site) as base, browser() as chromium:
        page = chromium.new_page()
        sizes: dict[str, int] = {}

        def count(response):
            try:
                sizes[response.url] = len(response.body())
            except Exception:  # noqa: BLE001 - a response without body (e.g. a redirect)
                pass

        page.on("response", count)
        page.goto(base + path)
        page.wait_for_load_state("networkidle")
        page.wait_for_timeout(500)
        return sum(sizes.values()), any("sitemap" in url for url in sizes)


def size_of(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def largest_page(site: Path) -> tuple[int, str]:
    return max((p.stat().st_size, str(p.relative_to(site))) for p in site.rglob("*.html"))


def search_download(site: Path, query: str = "työhyvinvointi") -> tuple[int, int]:
    """Bytes and requests of /pagefind/ files fetched by real Chromium to show one search's results."""
    from browser import browser, serve

    with serve(site) as base, browser() as chromium:
        page = chromium.new_page()
        sizes: list[int] = []

        def count(response):
            if "/pagefind/" in response.url:
                try:
                    sizes.append(len(response.body()))
                except Exception:  # noqa: BLE001 - a response without body (e.g. aborted)
                    pass

        page.on("response", count)
        page.goto(f"{base}haku/?q={query}")
        page.wait_for_function("document.getElementById('kehto-search').dataset.state === 'done'", timeout=60000)
        page.wait_for_timeout(300)
        return sum(sizes), len(sizes)


def first_result(site: Path, query: str, runs: int = 5) -> float:
    """Milliseconds from opening /haku/?q=query in a fresh browser until the first result shows (median)."""
    import statistics

    from browser import browser, serve

    times = []
    with serve(site) as base, browser() as chromium:
        for _ in range(runs):
            context = chromium.new_context()  # fresh: nothing cached
            page = context.new_page()
            page.goto(f"{base}haku/?q={query}")
            page.wait_for_function("document.getElementById('kehto-search').dataset.state === 'done'", timeout=60000)
            times.append(page.evaluate("performance.getEntriesByName('kehto-first-result')[0].startTime"))
            context.close()
    return statistics.median(times)


def most_common_word(site: Path) -> str:
    """The word in most pages (the search's word list is sorted so)."""
    import json

    return json.loads((site / "haku" / "sanat.json").read_text(encoding="utf-8"))[0]


def search_figures(site: Path) -> dict:
    common = most_common_word(site)
    row = {"common_word": common}
    row["search_kb"], row["search_requests"] = search_download(site, "perehdytys")
    row["common_kb"], _ = search_download(site, common)
    row["hyvinvointi_kb"], _ = search_download(site, "työhyvinvointi")  # the word measured before issue 14
    row["first_ms"] = first_result(site, "perehdytys")
    row["first_common_ms"] = first_result(site, common)
    return row


def search_run(n: int, work: Path) -> dict:
    """Only the search figures for N synthetic practices: a full build with the index, then Chromium."""
    registry = make_registry(REPO, work / f"registry-{n}", n)
    site = work / f"site-{n}"
    try:
        timed([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(REPO / "mkdocs.yml"), "-d", str(site)],
              env=dict(ENV, KEHTO_ROOT=str(registry)))
        row = {"n": n, "index_mb": size_of(site / "pagefind") / 1e6,
               "words_kb": (site / "haku" / "sanat.json").stat().st_size / 1000}
        row.update(search_figures(site))
        return row
    finally:
        shutil.rmtree(site, ignore_errors=True)


def bundled_search() -> dict:
    """The search figures of the bundled content (a full build with the index)."""
    with tempfile.TemporaryDirectory(prefix="kehto-bundled-search-") as folder:
        site = Path(folder) / "site"
        timed([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(REPO / "mkdocs.yml"), "-d", str(site)],
              env=dict(ENV, KEHTO_ROOT=str(REPO)))
        row = {"n": len(list((REPO / "practices").glob("*.yml"))), "index_mb": size_of(site / "pagefind") / 1e6,
               "words_kb": (site / "haku" / "sanat.json").stat().st_size / 1000}
        row.update(search_figures(site))
        return row


def search_table(rows: list[dict]) -> str:
    lines = ["| practices | first result, typical word (perehdytys) | first result, most common word "
             "| one search downloads: typical word / most common word / työhyvinvointi | search index "
             "| word list for corrections |",
             "|---:|---:|---:|---|---:|---:|"]
    for r in rows:
        lines.append(f"| {r['n']:_} | {r['first_ms']:.0f} ms | {r['first_common_ms']:.0f} ms ({r['common_word']}) "
                     f"| {r['search_kb'] / 1000:.0f} KB ({r['search_requests']} files) / {r['common_kb'] / 1000:.0f} KB "
                     f"/ {r['hyvinvointi_kb'] / 1000:.0f} KB | {r['index_mb']:.1f} MB | {r['words_kb']:.0f} KB |")
    return "\n".join(lines).replace("_", " ")


def run(n: int, work: Path) -> dict:
    registry = make_registry(REPO, work / f"registry-{n}", n)
    site = work / f"site-{n}"
    config = bench_config(work)
    try:
        row = {"n": n}
        validate = [sys.executable, "-m", "kehto.cli", "--root", str(registry), "validate"]
        row["validate_cold"] = timed(validate)  # the Finnish analysis cache (.cache/kehto) starts empty
        row["validate"] = timed(validate)
        env = dict(ENV, KEHTO_ROOT=str(registry))
        build = [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config), "-d", str(site)]

        def fresh_build(environment) -> float:
            shutil.rmtree(site, ignore_errors=True)  # like the baseline: no old site to delete first
            return timed(build, env=environment)

        shutil.rmtree(registry / ".cache", ignore_errors=True)
        row["build_cold"] = fresh_build(env)  # the Finnish analysis cache starts empty
        row["build_plain"] = fresh_build(dict(env, KEHTO_FINNISH_SEARCH="false"))
        shutil.rmtree(site, ignore_errors=True)
        row["build"], row["build_mb"] = timed_memory(build, env)  # warm cache: what every later build costs
        row["index"] = timed([sys.executable, "-m", "pagefind", "--site", str(site), "--force-language", "fi",
                              "--silent"])
        row["pages"] = sum(1 for _ in site.rglob("*.html"))
        row["site_mb"] = size_of(site) / 1e6
        row["index_mb"] = size_of(site / "pagefind") / 1e6
        row["largest_kb"], row["largest"] = largest_page(site)
        row["largest_kb"] /= 1000
        row["form_kb"], row["form_requests"] = form_download(site)
        row["form_kb"] /= 1000
        row["words_kb"] = (site / "haku" / "sanat.json").stat().st_size / 1000
        row.update(search_figures(site))
        newest = sorted((registry / "practices").glob("*.yml"))[-1]
        row["view_kb"], row["view_sitemap"] = page_view(site, f"teot/{newest.stem}/")
        row["view_kb"] /= 1000
        shutil.rmtree(site, ignore_errors=True)
        project = project_dir(registry)
        row["kehto_build"], row["kehto_build_mb"] = timed_memory(
            [sys.executable, "-m", "kehto.cli", "--root", str(project), "build", "--site-dir", str(site)])
        row["kehto_part_mb"], row["engine_part_mb"] = build_parts_memory(project, work)
        if n <= 1000:
            row["serve_first"], row["serve_edit"] = serve_times(project, newest)
        baseline = make_baseline(work / f"baseline-{n}", n)
        row["baseline"] = timed([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(baseline / "mkdocs.yml"),
                                 "-d", str(work / f"baseline-site-{n}")])
        shutil.rmtree(work / f"baseline-site-{n}", ignore_errors=True)
        baseline_nav = make_baseline(work / f"baseline-nav-{n}", n, nav_entries=_nav_entries())
        row["baseline_nav"], row["baseline_mb"] = timed_memory(
            [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(baseline_nav / "mkdocs.yml"), "-d",
             str(work / f"baseline-site-{n}")])
        row["ratio"] = row["build"] / row["baseline"]
        row["ratio_nav"] = row["build"] / row["baseline_nav"]
        return row
    finally:
        config.unlink(missing_ok=True)
        shutil.rmtree(site, ignore_errors=True)
        shutil.rmtree(work / f"baseline-site-{n}", ignore_errors=True)


def _nav_entries() -> int:
    return sum(1 for line in (REPO / "mkdocs.yml").read_text(encoding="utf-8").split("\nnav:\n", 1)[1]
               .split("\n\n", 1)[0].splitlines() if line.startswith("  - "))


BUILDS = ("hook build", "kehto build", "same pages, text", "same pages, HTML", "bare pages, same nav")


def build_ratio(n: int, work: Path, runs: int) -> dict:
    """Issue 12's build goal on its own: kehto's two builds and three plain Material builds (no kehto
    code) taken in turn, ``runs`` times each, medians of wall time. The plain builds: the very pages
    `kehto build` wrote (paths, front matter, nav, files), their bodies as Markdown text of their
    visible words, or as the HTML itself; and N bare pages with a nav as large as kehto's."""
    import statistics

    project = project_dir(make_registry(REPO, work / f"registry-{n}", n))
    site = work / f"ratio-site-{n}"
    kehto = [sys.executable, "-m", "kehto.cli", "--root", str(project), "build", "--site-dir", str(site)]
    timed(kehto)  # the Finnish analysis cache filled, the pages written once for the plain builds
    built = project / ".cache" / "kehto" / "build"
    pages = sum(1 for _ in site.rglob("*.html"))

    def mkdocs(folder: Path) -> list[str]:
        return [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(folder / "mkdocs.yml"), "-d", str(site)]

    commands = {"hook build": mkdocs(project), "kehto build": kehto,
                "same pages, text": mkdocs(make_same_pages(built, work / f"same-text-{n}", as_text=True)),
                "same pages, HTML": mkdocs(make_same_pages(built, work / f"same-html-{n}", as_text=False)),
                "bare pages, same nav": mkdocs(make_baseline(work / f"bare-{n}", n, nav_entries=_nav_entries()))}
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, command in commands.items():
            shutil.rmtree(site, ignore_errors=True)
            if name == "kehto build":
                shutil.rmtree(built, ignore_errors=True)  # a fresh build: every page written
            times[name].append(timed(command))
    row = {"n": n, "runs": runs, "pages": pages,
           **{name: statistics.median(values) for name, values in times.items()}}
    shutil.rmtree(site, ignore_errors=True)
    return row


def ratio_table(rows: list[dict]) -> str:
    lines = ["| N | pages | " + " | ".join(BUILDS) + " | hook build / same pages (text) "
             "| `kehto build` / same pages (text) |", "|---:|---:|" + "---:|" * (len(BUILDS) + 2)]
    for r in rows:
        lines.append(f"| {r['n']:_} | {r['pages']:_} | " + " | ".join(f"{r[name]:.1f} s" for name in BUILDS)
                     + f" | {r['hook build'] / r['same pages, text']:.2f}x "
                     f"| {r['kehto build'] / r['same pages, text']:.2f}x |")
    return "\n".join(lines).replace("_", " ")


def bundled() -> dict:
    """Build times of the bundled content with and without the Finnish analysis (warm cache)."""
    with tempfile.TemporaryDirectory(prefix="kehto-bundled-") as folder:
        config = bench_config(Path(folder))
        try:
            build = [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config), "-d", f"{folder}/site"]
            env = dict(ENV, KEHTO_ROOT=str(REPO))
            timed(build, env=env)  # warms the cache
            return {"with": min(timed(build, env=env) for _ in range(3)),
                    "without": min(timed(build, env=dict(env, KEHTO_FINNISH_SEARCH="false")) for _ in range(3))}
        finally:
            config.unlink(missing_ok=True)


def analysis_table(rows: list[dict], bundle: dict) -> str:
    lines = ["| content | build without analysis | with analysis, warm cache | added | first build, cold cache |",
             "|---|---:|---:|---:|---:|",
             f"| bundled ({len(list((REPO / 'practices').glob('*.yml')))} practices) | {bundle['without']:.2f} s "
             f"| {bundle['with']:.2f} s | {100 * (bundle['with'] / bundle['without'] - 1):+.0f} % | – |"]
    for r in rows:
        lines.append(f"| {r['n']:_} synthetic | {r['build_plain']:.1f} s | {r['build']:.1f} s "
                     f"| {100 * (r['build'] / r['build_plain'] - 1):+.0f} % | {r['build_cold']:.1f} s |")
    return "\n".join(lines).replace("_", " ")


def table(rows: list[dict]) -> str:
    """The figures as a Markdown table (thousands separated by a space)."""
    lines = ["| N | validate (cold / warm analysis cache) | build (no search) | search indexing | baseline | build / baseline "
             "| baseline, same nav | build / same-nav baseline | pages | site | search index | largest page "
             "| one search downloads: typical word / most common word | form page /lisaa/ in use |",
             "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|---:|"]
    for r in rows:
        lines.append(
            f"| {r['n']:_} | {r['validate_cold']:.1f} s / {r['validate']:.1f} s | {r['build']:.1f} s | {r['index']:.1f} s | {r['baseline']:.1f} s "
            f"| {r['ratio']:.2f}x | {r['baseline_nav']:.1f} s | {r['ratio_nav']:.2f}x | {r['pages']:_} "
            f"| {r['site_mb']:.0f} MB | {r['index_mb']:.1f} MB | {r['largest_kb']:.0f} KB `{r['largest']}` "
            f"| {r['search_kb'] / 1000:.0f} KB (perehdytys, {r['search_requests']} files) "
            f"/ {r['common_kb'] / 1000:.0f} KB ({r['common_word']}) | {r['form_kb']:.0f} KB ({r['form_requests']} files) |")
    return "\n".join(lines).replace("_", " ")


def goals_table(rows: list[dict], clone: float) -> str:
    """The figures issue 12 sets goals for."""
    lines = ["| N | `kehto build` (pages as files, then MkDocs) / same-nav baseline | peak memory: `kehto build` "
             "(its kehto part / its engine part) / in-memory hook build / same-nav baseline | one practice page view downloads "
             "| `make serve`: site answers / edited record shown |", "|---:|---:|---:|---:|---:|"]
    for r in rows:
        serve = (f"{r['serve_first']:.1f} s / {r['serve_edit']:.1f} s" if "serve_first" in r else "–")
        lines.append(f"| {r['n']:_} | {r['kehto_build']:.1f} s ({r['kehto_build'] / r['baseline_nav']:.2f}x) "
                     f"| {r['kehto_build_mb']:.0f} MB ({r['kehto_build_mb'] / r['baseline_mb']:.2f}x; "
                     f"{r['kehto_part_mb']:.0f} MB / {r['engine_part_mb']:.0f} MB) / "
                     f"{r['build_mb']:.0f} MB / {r['baseline_mb']:.0f} MB | {r['view_kb']:.0f} KB"
                     f"{' (fetches sitemap.xml)' if r['view_sitemap'] else ''} | {serve} |")
    lines.append(f"\nFresh checkout of this repository (no caches), `make serve`'s command: the site answers after "
                 f"{clone:.1f} s.")
    return "\n".join(lines).replace("_", " ")


def machine() -> str:
    cpu = "unknown CPU"
    try:
        cpu = re.search(r"model name\s*:\s*(.+)", Path("/proc/cpuinfo").read_text()).group(1)
    except (OSError, AttributeError):
        pass
    memory = ""
    try:
        kb = int(re.search(r"MemTotal:\s*(\d+)", Path("/proc/meminfo").read_text()).group(1))
        memory = f", {kb / 1024 / 1024:.0f} GiB"
    except (OSError, AttributeError):
        pass
    return f"{os.cpu_count()} cores ({cpu}){memory}, Python {platform.python_version()}, {platform.system()}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("sizes", nargs="*", type=int, default=[1000, 10000])
    parser.add_argument("--write", type=Path, help="write the table into this Markdown file's marked section")
    parser.add_argument("--search-only", action="store_true", help="only the search figures (minutes, not an hour)")
    parser.add_argument("--build-only", action="store_true", help="only the build ratio (issue 12), builds in turn")
    parser.add_argument("--runs", type=int, default=3, help="--build-only: runs of each build (medians)")
    args = parser.parse_args()
    rows = []
    if args.build_only:
        with tempfile.TemporaryDirectory(prefix="kehto-bench-") as folder:
            for n in args.sizes:
                rows.append(build_ratio(n, Path(folder), args.runs))
                print(rows[-1], file=sys.stderr, flush=True)
        result = ratio_table(rows)
        print(result)
        print(f"\nMachine: {machine()}; load average (1, 5, 15 min) at the end: "
              f"{', '.join(f'{x:.1f}' for x in os.getloadavg())}")
        if args.write:
            _write_section(args.write, "ratio", f"{result}\n\nMachine: {machine()}. Command: `python bench/run.py "
                           f"{' '.join(map(str, args.sizes))} --build-only --runs {args.runs}`.")
        return
    with tempfile.TemporaryDirectory(prefix="kehto-bench-") as folder:
        if not args.search_only:
            clone = fresh_clone_serve()
            print(f"fresh checkout: site answers after {clone:.1f} s", file=sys.stderr, flush=True)
        for n in args.sizes:
            print(f"N = {n} ...", file=sys.stderr, flush=True)
            rows.append(search_run(n, Path(folder)) if args.search_only else run(n, Path(folder)))
            print(rows[-1], file=sys.stderr, flush=True)  # the figures so far, should a later step fail
    search = search_table([bundled_search(), *rows])
    if args.search_only:
        print(search)
        print(f"\nMachine: {machine()}; load average (1, 5, 15 min) at the end: "
              f"{', '.join(f'{x:.1f}' for x in os.getloadavg())}")
        return
    result = table(rows) + "\n\nThe goals of issue 12, measured by the same runs:\n\n" + \
        goals_table(rows, clone) + \
        "\n\nFinnish analysis (kehto.finnish) in the build, timed by the same runs:\n\n" + \
        analysis_table(rows, bundled()) + "\n\nSearch in a fresh browser (Chromium, localhost):\n\n" + search
    print(result)
    print(f"\nMachine: {machine()}")
    if args.write:
        _write_section(args.write, "bench", f"{result}\n\nMachine: {machine()}. "
                       f"Command: `python bench/run.py {' '.join(map(str, args.sizes))}`.")


def _write_section(path: Path, name: str, block: str) -> None:
    """Replace the ``<!-- name:start -->`` ... ``<!-- name:end -->`` section of a Markdown file."""
    text = path.read_text(encoding="utf-8")
    marked = f"<!-- {name}:start -->\n{block}\n<!-- {name}:end -->"
    path.write_text(re.sub(rf"<!-- {name}:start -->.*<!-- {name}:end -->", lambda _: marked, text, flags=re.S),
                    encoding="utf-8")


if __name__ == "__main__":
    main()
