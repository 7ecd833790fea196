"""Load figure for the intake service: N submissions from C concurrent clients.

    python bench/intake_load.py [--submissions 200] [--clients 20] [--synthetic 1000] [--write docs/performance.md]

Starts the real service (subprocess, free port, SQLite file, a bare git remote
holding the bundled registry, or ``--synthetic N`` generated practices), sends
valid practices from C threads, each client with its own address (X-Forwarded-For
through the trusted local proxy, so the per-client rate limit applies as in
production), and reports: answers 202 / errors, submissions per second and the
median and p95 answer time, then how long the worker took until every submission
was a branch in the remote, and the counts stored / branches. Figures, never assertions.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "bench"))
sys.path.insert(0, str(REPO / "tests"))

from intake_service import Intake, intake_branches, make_remote, wait_for  # noqa: E402
from run import machine  # noqa: E402


def practice(number: int, organisation: str) -> dict:
    return {"id": f"kuormitus-{number}", "title": f"Kuormitustestin teko numero {number} uudella tavalla",
            "summary": "Kuormitustesti lähettää samanlaisia tekoja monesta selaimesta yhtä aikaa palveluun.",
            "organisation": organisation, "sectors": ["koko-kunta"], "themes": ["tyohyvinvointi"],
            "published": "2024-05-02", "actions": "Lähetettiin teko palveluun ja odotettiin kuittia sekä haaraa."}


def run(submissions: int, clients: int, work: Path, synthetic: int = 0) -> dict:
    if synthetic:
        from synthetic import make_registry

        registry = make_registry(REPO, work / "registry", synthetic)
    else:
        registry = REPO
    organisation = sorted(p.stem for p in (registry / "data/organisations").glob("*.yml"))[0]
    remote = make_remote(work, registry)
    times: list[float] = []
    statuses: list[int] = []
    lock = threading.Lock()
    with Intake(work / "data", remote, env={"KEHTO_INTAKE_RATE_LIMIT": str(submissions // clients)}) as service:
        def client(index: int) -> None:
            for number in range(index, submissions, clients):
                started = time.perf_counter()
                try:
                    status = service.post({"kind": "practice", "record": practice(number, organisation)},
                                          {"X-Forwarded-For": f"198.51.100.{index + 1}"})[0]
                except OSError:
                    status = 0
                with lock:
                    times.append(time.perf_counter() - started)
                    statuses.append(status)

        load = os.getloadavg()[0]
        threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        answered = time.perf_counter() - started
        wait_for(lambda: len(intake_branches(remote)) >= statuses.count(202), timeout=3600, what="all branches")
        handed_off = time.perf_counter() - started
        stored = len(service.rows())
    times.sort()
    return {"registry": f"{synthetic} synthetic" if synthetic else "bundled", "submissions": submissions,
            "clients": clients, "accepted": statuses.count(202), "errors": len(statuses) - statuses.count(202),
            "stored": stored, "branches": len(intake_branches(remote)), "rate": submissions / answered,
            "median": statistics.median(times), "p95": times[max(0, int(len(times) * 0.95) - 1)],
            "handoff": handed_off, "load": load}


def table(rows: list[dict]) -> str:
    lines = ["| registry | submissions / clients | 202 | errors | stored | branches | submissions/s | "
             "answer median | answer p95 | all branches pushed after | machine load (1 min) |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        lines.append(f"| {r['registry']} | {r['submissions']} / {r['clients']} | {r['accepted']} | {r['errors']} | "
                     f"{r['stored']} | {r['branches']} | {r['rate']:.1f} | {r['median'] * 1000:.0f} ms | "
                     f"{r['p95'] * 1000:.0f} ms | {r['handoff']:.1f} s | {r['load']:.1f} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--submissions", type=int, default=200)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--synthetic", type=int, nargs="*", default=[], help="also against N synthetic practices")
    parser.add_argument("--write", type=Path, help="write the table into this Markdown file's intake section")
    args = parser.parse_args()
    rows = []
    for synthetic in [0, *args.synthetic]:
        with tempfile.TemporaryDirectory(prefix="kehto-intake-bench-") as folder:
            print(f"intake load, registry {synthetic or 'bundled'} ...", file=sys.stderr, flush=True)
            rows.append(run(args.submissions, args.clients, Path(folder), synthetic))
    result = table(rows)
    command = f"python bench/intake_load.py --submissions {args.submissions} --clients {args.clients}" + \
        (f" --synthetic {' '.join(map(str, args.synthetic))}" if args.synthetic else "")
    print(result)
    if args.write:
        text = args.write.read_text(encoding="utf-8")
        block = f"<!-- intake:start -->\n{result}\n\nMachine: {machine()}. Command: `{command}`.\n<!-- intake:end -->"
        args.write.write_text(re.sub(r"<!-- intake:start -->.*<!-- intake:end -->", block, text, flags=re.S),
                              encoding="utf-8")


if __name__ == "__main__":
    main()
