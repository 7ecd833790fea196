"""`make serve` regenerates only what an edit changed, and the result is the same site as a full generation.

A :class:`kehto.serving.Session` keeps the parsed records and the last pages between rebuilds; after
any sequence of edits its pages, written as files, equal byte for byte those of a fresh
check-and-generate of the same files.
"""

from __future__ import annotations

import filecmp
import random
import shutil
import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import REPO, make_comms_registry
from kehto import engine, serving, site, urls, validate
from kehto import settings as kehto_settings
from kehto.load import Project

CONFIG = engine.load_config(REPO / "mkdocs.yml")
SETTINGS = kehto_settings.parse(CONFIG["extra"].get("kehto"))
THEMES = ["tyohyvinvointi", "perehdytys", "vertaistuki-ja-mentorointi"]


def _edit(path: Path, change) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _practice(root: Path, rng: random.Random) -> Path:
    return rng.choice(sorted((root / "practices").glob("*.yml")))


def retitle(root: Path, rng: random.Random) -> None:
    _edit(_practice(root, rng), lambda d: d.update(title=f"Muokattu {rng.randrange(100)} {d['title']}"))


def retitle_every(root: Path, rng: random.Random) -> None:
    """Every practice at once: any page that shows a practice must change."""
    for path in sorted((root / "practices").glob("*.yml")):
        _edit(path, lambda d: d.update(title=f"{d['title']} {rng.randrange(100)}"))


def rethemed(root: Path, rng: random.Random) -> None:
    _edit(_practice(root, rng), lambda d: d.update(themes=rng.sample(THEMES, rng.randint(1, 3))))


def redated(root: Path, rng: random.Random) -> None:
    _edit(_practice(root, rng), lambda d: d.update(published=f"20{rng.randint(15, 23)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}"))


def added(root: Path, rng: random.Random) -> None:
    source = _practice(root, rng)
    new_id = f"uusi-{rng.randrange(1000)}"
    data = yaml.safe_load(source.read_text(encoding="utf-8"))
    data.update(id=new_id, title=f"Uusi teko {new_id}")
    (root / "practices" / f"{new_id}.yml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


def removed(root: Path, rng: random.Random) -> None:
    new = sorted((root / "practices").glob("uusi-*.yml"))
    if new:
        rng.choice(new).unlink()


def renamed_organisation(root: Path, rng: random.Random) -> None:
    path = rng.choice(sorted((root / "data" / "organisations").glob("*.yml")))
    _edit(path, lambda d: d.update(name=f"{d['name']} {rng.randrange(100)}"))


def broken(root: Path, rng: random.Random) -> None:
    """A schema error in a practice nothing refers to (the registry is built without it)."""
    _edit(root / "practices" / "mentorointi-uusille.yml", lambda d: d.update(themes=["ei-tallaista"]))


def fixed(root: Path, rng: random.Random) -> None:
    _edit(root / "practices" / "mentorointi-uusille.yml", lambda d: d.update(themes=["perehdytys"]))


EDITS = [retitle, retitle_every, rethemed, redated, added, removed, renamed_organisation, broken, fixed]


def _full(root: Path, target: Path) -> None:
    registry, _ = validate.build(Project(root))
    options = engine.site_options(CONFIG, SETTINGS, registry, root)
    engine.sync_pages(site.generate(registry, options, workers=1), target, options)


def _incremental(session: serving.Session, target: Path) -> None:
    registry, _ = session.check()
    pages, options = session.pages(CONFIG, SETTINGS, registry)
    engine.sync_pages(pages, target, options, written_before=session.written)


def _same_files(first: Path, second: Path) -> None:
    names = sorted(p.relative_to(first).as_posix() for p in first.rglob("*") if p.is_file())
    assert names == sorted(p.relative_to(second).as_posix() for p in second.rglob("*") if p.is_file())
    _, mismatch, errors = filecmp.cmpfiles(first, second, names, shallow=False)
    assert not mismatch and not errors, mismatch[:5]


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(edits=st.lists(st.tuples(st.sampled_from(EDITS), st.integers(0, 2**16)), min_size=1, max_size=5))
def test_incremental_pages_equal_a_full_generation(edits):
    with tempfile.TemporaryDirectory() as folder:
        root = make_comms_registry(Path(folder) / "registry")
        session = serving.Session(root)
        _incremental(session, Path(folder) / "served")
        for edit, seed in edits:
            edit(root, random.Random(seed))
            _incremental(session, Path(folder) / "served")
            shutil.rmtree(Path(folder) / "full", ignore_errors=True)
            _full(root, Path(folder) / "full")
            _same_files(Path(folder) / "served", Path(folder) / "full")


def test_an_edited_title_renders_only_the_pages_that_show_the_practice(tmp_path):
    root = make_comms_registry(tmp_path / "registry")
    session = serving.Session(root)
    registry, _ = session.check()
    session.pages(CONFIG, SETTINGS, registry)
    everything = session.memo.rendered
    retitle_path = root / "practices" / "mentorointi-uusille.yml"
    _edit(retitle_path, lambda d: d.update(title="Vertaismentorointi uusille ja vanhoille opettajille"))
    registry, _ = session.check()
    assert session.reread == 1  # only the edited file was read again
    pages, _ = session.pages(CONFIG, SETTINGS, registry)
    page = next(p for p in pages if p.src_uri == urls.source(urls.practice("mentorointi-uusille")))
    assert "uusille ja vanhoille opettajille" in page.content
    assert 0 < session.memo.rendered < everything / 2, (session.memo.rendered, everything)
    assert session.memo.reused > everything / 2
    untouched = next(p for p in pages if p.src_uri == urls.source(urls.practice("vuositeko")))
    assert "uusille ja vanhoille" not in untouched.content  # a page not showing the practice, reused as it was


def test_another_kind_of_record_renders_every_page_again(tmp_path):
    root = make_comms_registry(tmp_path / "registry")
    session = serving.Session(root)
    registry, _ = session.check()
    session.pages(CONFIG, SETTINGS, registry)
    everything = session.memo.rendered
    renamed_organisation(root, random.Random(1))
    registry, _ = session.check()
    session.pages(CONFIG, SETTINGS, registry)
    assert session.memo.rendered == everything and session.memo.reused == 0
