"""Build-time cost of the share images (kehto.share) at N synthetic practices.

    python bench/share_images.py 1000 10000 [--write docs/performance.md]

For each N (bench/synthetic.py's registry with its lists and campaigns) it
times (CPU and wall clock: the CPU figure is the one to trust on a shared
machine), in one process as the build draws them: the images the site has (the
home page, every list and every campaign) and, for the decision whether
practices get their own, one image per practice. Figures, never assertions.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "bench"))

from run import machine  # noqa: E402
from synthetic import make_registry  # noqa: E402

from kehto import campaigns, comms_pages, days, share, stats, urls, validate  # noqa: E402
from kehto.load import Project  # noqa: E402


def measure(n: int, work: Path) -> dict:
    registry, report = validate.build(Project(make_registry(REPO, work / f"registry-{n}", n)), finnish_titles=False)
    assert report.ok, report.problems[:3]
    today = days.today()
    views = [campaigns.campaign_view(registry, c, today) for c in campaigns.in_page_order(registry)]
    share.font(30)  # load the font outside the timings
    started, cpu = time.perf_counter(), time.process_time()
    site_images = comms_pages.share_images(list(registry.lists.values()), stats.automatic_lists(registry), views)
    site_images[urls.share_image()] = share.home_image(len(registry.practices), len(registry.organisations))
    site_seconds, site_cpu = time.perf_counter() - started, time.process_time() - cpu
    started, cpu = time.perf_counter(), time.process_time()
    practice_bytes = sum(len(share.share_image(p.title, p.summary, "Kehittämisteko",
                                               registry.organisations[p.organisation].name))
                         for p in registry.practices.values())
    practice_seconds, practice_cpu = time.perf_counter() - started, time.process_time() - cpu
    return {"n": n, "site_count": len(site_images), "site_s": site_seconds, "site_cpu": site_cpu,
            "practice_cpu": practice_cpu,
            "site_mb": sum(map(len, site_images.values())) / 1e6, "practice_s": practice_seconds,
            "practice_mb": practice_bytes / 1e6, "per_image_ms": 1000 * practice_cpu / max(1, n)}


def table(rows: list[dict]) -> str:
    lines = ["| N | site images (home, lists, campaigns) | time (CPU / wall) | size | "
             "one per practice: time (CPU / wall) | size | CPU per image |",
             "|---:|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        lines.append(f"| {r['n']:,} | {r['site_count']} | {r['site_cpu']:.2f} s / {r['site_s']:.2f} s | "
                     f"{r['site_mb']:.1f} MB | {r['practice_cpu']:.1f} s / {r['practice_s']:.1f} s | "
                     f"{r['practice_mb']:.0f} MB | {r['per_image_ms']:.1f} ms |".replace(",", " "))
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("sizes", nargs="*", type=int, default=[1000, 10000])
    parser.add_argument("--write", type=Path, help="write the table into this Markdown file's marked section")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="kehto-share-bench-") as folder:
        rows = []
        for n in args.sizes:
            print(f"N = {n} ...", file=sys.stderr, flush=True)
            rows.append(measure(n, Path(folder)))
    result = table(rows)
    print(result)
    print(f"\nMachine: {machine()}")
    if args.write:
        text = args.write.read_text(encoding="utf-8")
        block = (f"<!-- share:start -->\n{result}\n\nMachine: {machine()}. "
                 f"Command: `python bench/share_images.py {' '.join(map(str, args.sizes))}`.\n<!-- share:end -->")
        args.write.write_text(re.sub(r"<!-- share:start -->.*<!-- share:end -->", block, text, flags=re.S),
                              encoding="utf-8")


if __name__ == "__main__":
    main()
