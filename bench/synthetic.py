"""Synthetic registries for the benchmark: N valid practices of about 2 KB each."""

from __future__ import annotations

import random
import re
import shutil
from datetime import date, timedelta
from pathlib import Path

from kehto.yamlwrite import dump

WORDS: list[str] = []
WEIGHTS: list[int] = []


def _vocabulary(repo: Path) -> None:
    """Words of the bundled real practices with their frequencies: a natural long-tail vocabulary,
    so that search index sizes behave as they would for real text."""
    if WORDS:
        return
    from collections import Counter

    counts: Counter = Counter()
    from kehto.yamlio import parse

    for path in sorted((repo / "practices").glob("*.yml")):
        data = parse(path.read_text(encoding="utf-8")).data
        text = " ".join(str(data.get(key, "")) for key in ("title", "summary", "background", "actions", "results", "tips"))
        counts.update(w.lower() for w in re.findall(r"[A-Za-zÅÄÖåäö-]{2,}", text))
    for word, count in counts.most_common():
        WORDS.append(word)
        WEIGHTS.append(count)


def _sentence(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choices(WORDS, WEIGHTS, k=words))
    return text[0].upper() + text[1:] + "."


def _paragraphs(rng: random.Random, count: int) -> str:
    return "\n\n".join(" ".join(_sentence(rng, rng.randint(8, 14)) for _ in range(3)) for _ in range(count))


def make_registry(repo: Path, target: Path, practices: int, seed: int = 1) -> Path:
    """A registry with the project's schemas and taxonomies and ``practices`` synthetic records."""
    rng = random.Random(seed)
    _vocabulary(repo)
    shutil.rmtree(target, ignore_errors=True)
    (target / "practices").mkdir(parents=True)
    (target / "data/organisations").mkdir(parents=True)
    shutil.copytree(repo / "schemas", target / "schemas")
    for name in ("sectors", "themes", "regions", "synonyms"):  # the search's terminology list too
        shutil.copy(repo / "data" / f"{name}.yml", target / "data" / f"{name}.yml")
    regions = [line.split("id: ")[1].split(",")[0] for line in (repo / "data/regions.yml").read_text().splitlines()
               if "id: " in line]
    sectors = [line.split("id: ")[1] for line in (repo / "data/sectors.yml").read_text().splitlines()
               if line.strip().startswith("- id: ")]
    themes = [line.split("id: ")[1] for line in (repo / "data/themes.yml").read_text().splitlines()
              if line.strip().startswith("- id: ")]
    org_count = max(5, practices // 20)
    orgs = [f"organisaatio-{n:05d}" for n in range(org_count)]
    for n, org in enumerate(orgs):
        (target / "data/organisations" / f"{org}.yml").write_text(dump({
            "id": org, "name": f"Esimerkkikunta {n}", "type": rng.choice(["kunta", "kaupunki", "kuntayhtyma"]),
            "region": rng.choice(regions)}), encoding="utf-8")
    start = date(2015, 1, 1)
    for n in range(practices):
        record = {
            "id": f"teko-{n:06d}",
            "title": f"{_sentence(rng, 5)[:-1]} {n}",
            "summary": _sentence(rng, 18)[:290],
            "organisation": rng.choice(orgs),
            "sectors": rng.sample(sectors, rng.randint(1, 2)),
            "themes": rng.sample(themes, rng.randint(1, 3)),
            "published": (start + timedelta(days=rng.randint(0, 3500))).isoformat(),
            "background": _paragraphs(rng, 1),
            "actions": _paragraphs(rng, 2) + "\n\n- " + _sentence(rng, 6) + "\n- " + _sentence(rng, 6),
            "results": _paragraphs(rng, 1),
            "tips": _sentence(rng, 12),
            "keywords": sorted(set(rng.choices(WORDS[:300], k=3))),
        }
        (target / "practices" / f"{record['id']}.yml").write_text(dump(record), encoding="utf-8")
    _comms_records(repo, target, rng, practices, orgs)
    return target


def _comms_records(repo: Path, target: Path, rng: random.Random, practices: int, orgs: list[str]) -> None:
    """Adoptions (one per ten practices), campaigns, lists and awards over the synthetic practices,
    and the bundled knowledge base with its links to real practices removed."""
    ids = [f"teko-{n:06d}" for n in range(practices)]
    folders = {name: target / "data" / name for name in ("adoptions", "campaigns", "lists", "awards")}
    for folder in folders.values():
        folder.mkdir(parents=True, exist_ok=True)
    owners = {}
    for path in (target / "practices").glob("*.yml"):
        owners[path.stem] = re.search(r"^organisation: (\S+)", path.read_text(encoding="utf-8"), re.M).group(1)
    seen = set()
    while len(seen) < practices // 10:
        practice, org = rng.choice(ids), rng.choice(orgs)
        if org == owners[practice] or (practice, org) in seen:
            continue
        seen.add((practice, org))
        adoption_id = f"{practice}-{org}"
        (folders["adoptions"] / f"{adoption_id}.yml").write_text(dump({
            "id": adoption_id, "practice": practice, "organisation": org,
            "date": (date(2016, 1, 1) + timedelta(days=rng.randint(0, 3000))).isoformat()}), encoding="utf-8")
    for n in range(5):
        start = date(2016 + n, 3, 1)
        start += timedelta(days=-start.weekday() % 7)  # the first Monday of March: weeks start on Mondays
        (folders["campaigns"] / f"kampanja-{n}.yml").write_text(dump({
            "id": f"kampanja-{n}", "title": f"Kampanja {n}", "description": _paragraphs(rng, 1),
            "start": start.isoformat(), "end": (start + timedelta(days=120)).isoformat(), "goal": 100,
            "weekly": [{"week_start": (start + timedelta(days=7 * w)).isoformat(), "practice": rng.choice(ids)}
                       for w in range(12)]}), encoding="utf-8")
    for n in range(10):
        (folders["lists"] / f"lista-{n}.yml").write_text(dump({
            "id": f"lista-{n}", "title": f"Lista numero {n}", "intro": _sentence(rng, 12),
            "items": [{"practice": p, "comment": _sentence(rng, 6)} for p in rng.sample(ids, min(12, len(ids)))]}),
            encoding="utf-8")
    (folders["awards"] / "gaala.yml").write_text(dump({
        "id": "gaala", "title": "Gaala", "date": "2019-11-20", "campaign": "kampanja-3",
        "categories": [{"id": "innostavat-teot", "name": "Innostavat teot"}],
        "winners": [{"category": "innostavat-teot", "practice": p} for p in rng.sample(ids, min(20, len(ids)))]}),
        encoding="utf-8")
    shutil.copy(repo / "data/support-menu.yml", target / "data/support-menu.yml")
    for name in ("questions", "processes", "plans"):
        (target / "data" / name).mkdir(exist_ok=True)
        for path in (repo / "data" / name).glob("*.yml"):
            text = re.sub(r"^practices?: .*\n", "", path.read_text(encoding="utf-8"), flags=re.M)
            text = re.sub(r"^organisation: .*$", f"organisation: {orgs[0]}", text, flags=re.M)
            (target / "data" / name / path.name).write_text(text, encoding="utf-8")


def make_baseline(target: Path, pages: int, seed: int = 1, repo: Path | None = None, nav_entries: int = 1) -> Path:
    """A plain Material site with ``pages`` bare Markdown pages (not in the nav) and no kehto code.

    ``nav_entries`` > 1 gives it a nav as large as kehto's, shown as tabs, for a like-for-like
    comparison: Material renders the nav into every page.
    """
    rng = random.Random(seed)
    _vocabulary(repo or Path(__file__).resolve().parent.parent)
    shutil.rmtree(target, ignore_errors=True)
    docs = target / "docs" / "p"
    docs.mkdir(parents=True)
    (target / "docs" / "index.md").write_text("# Etusivu\n", encoding="utf-8")
    for n in range(pages):
        text = (f"# {_sentence(rng, 5)[:-1]} {n}\n\n{_sentence(rng, 18)}\n\n## Tausta\n\n{_paragraphs(rng, 1)}\n\n"
                f"## Mitä tehtiin\n\n{_paragraphs(rng, 2)}\n\n## Tulokset\n\n{_paragraphs(rng, 1)}\n")
        (docs / f"{n:06d}.md").write_text(text, encoding="utf-8")
    extra = [f"s{n}.md" for n in range(nav_entries - 1)]
    for name in extra:
        (target / "docs" / name).write_text(f"# {name}\n", encoding="utf-8")
    features = "  features:\n    - navigation.tabs\n" if extra else ""
    nav = "".join(f"  - {name}\n" for name in ["index.md", *extra])
    (target / "mkdocs.yml").write_text(
        f"site_name: baseline\ntheme:\n  name: material\n  language: fi\n  font: false\n{features}"
        f"plugins: []\nnav:\n{nav}not_in_nav: |\n  /p/\n", encoding="utf-8")
    return target


_TAG = re.compile(r"<[^>]*>")
_SPACE = re.compile(r"\s+")
_FRONT = re.compile(r"---\n(.*?)\n---\n", re.S)


def _as_text(html_body: str, words_per_paragraph: int = 60) -> str:
    """An HTML body as Markdown paragraphs of its visible words (no markup left to parse)."""
    import html

    words = html.unescape(_SPACE.sub(" ", _TAG.sub(" ", html_body))).split()
    return "\n\n".join(html.escape(" ".join(words[i:i + words_per_paragraph]), quote=False)
                       for i in range(0, len(words), words_per_paragraph)) + "\n"


def make_same_pages(build: Path, target: Path, as_text: bool) -> Path:
    """A plain Material project of exactly the pages `kehto build` wrote into ``build`` (its
    ``pages`` folder and ``mkdocs.yml``): the same paths, titles, front matter, nav and files, with
    no kehto code (no hooks, no theme overrides). ``as_text``: each generated page's HTML body becomes
    Markdown paragraphs of its visible words (what the same pages would cost written by hand);
    else the bodies stay HTML, which Python-Markdown's raw-HTML parser then reads (what a plain
    engine does with kehto's page files)."""
    import yaml

    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(build / "pages", target / "pages")
    if as_text:
        for path in (target / "pages").rglob("*.md"):
            text = path.read_text(encoding="utf-8")
            front = _FRONT.match(text)
            if front and "kehto_generated: true" in front.group(1):
                path.write_text(f"---\n{front.group(1)}\n---\n{_as_text(text[front.end():])}", encoding="utf-8")
    config = yaml.safe_load((build / "mkdocs.yml").read_text(encoding="utf-8"))
    for key in ("hooks", "site_dir"):
        config.pop(key, None)
    config["plugins"] = []
    config["theme"] = {key: value for key, value in config["theme"].items() if key not in ("custom_dir", "palette")}
    config["theme"]["language"] = "fi"
    config["docs_dir"] = "pages"
    (target / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    return target
