"""Pages as files, and the site engine that builds them.

``kehto build`` does not need the engine to know anything about kehto: it
validates the registry and writes every generated page, as it is rendered, into
a build folder beside a copy of the hand-written pages (``docs_dir``), in a child
process that ends before the engine starts; then it writes an engine config that
points at that folder and runs the engine. MkDocs 1.6 is the default;
ProperDocs (MkDocs' maintained fork) and Zensical (Material's successor) read
the same folder and config. With MkDocs and ProperDocs the kehto hook stays
in the config as a speed-up only: it lets generated pages skip Python-Markdown.

Each generated page says where its record's file is (``edit_url`` in its front
matter), so the theme's edit link points at the record in every engine.
"""

from __future__ import annotations

import multiprocessing
import os
import shutil
import subprocess
import sys
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import yaml

from . import kinds, schemas, search_terms, urls
from .registry import Registry
from .report import Report
from .settings import Settings
from .site import GeneratedPage, SiteOptions

GENERATED_MARK = "kehto_generated"  # front-matter key of every generated page


class ConfigError(ValueError):
    """The engine config (mkdocs.yml) cannot be read; the message says why, in Finnish."""


class _Loader(yaml.SafeLoader):
    """YAML of mkdocs.yml: MkDocs' ``!ENV`` tag (``!ENV [NAME, default]``) is read here too."""


def _env_tag(loader: _Loader, node: yaml.Node):
    names = [loader.construct_scalar(node)] if isinstance(node, yaml.ScalarNode) else loader.construct_sequence(node)
    *variables, default = names if len(names) > 1 else (*names, None)
    for name in variables:
        if name in os.environ:
            return yaml.safe_load(os.environ[name]) if os.environ[name] != "" else ""
    return default


_Loader.add_constructor("!ENV", _env_tag)


def load_config(path: Path) -> dict:
    """``mkdocs.yml`` as a dict, environment variables resolved."""
    try:
        config = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"{path.name}: asetustiedostoa ei voi lukea ({exc}).") from None
    if not isinstance(config, dict):
        raise ConfigError(f"{path.name}: asetustiedostossa pitää olla avain–arvo-pareja.")
    return config


def site_options(config: dict, settings: Settings, registry: Registry, root: Path, analyser=None,
                 terms_memo: search_terms.TermsMemo | None = None) -> SiteOptions:
    """What the pages need to know about the site: one place for the hook and ``kehto build``.

    ``analyser``: a :class:`kehto.finnish.Analyser` kept by the caller (``make serve``); else one is
    read from the cache under ``root`` for this call. ``terms_memo``: the search words of pages found
    by the last call (``make serve``).
    """
    if analyser is not None and settings.finnish_search:
        terms = search_terms.collect(registry, analyser, terms_memo)
    else:
        terms = search_terms.search_terms(registry, root, finnish=settings.finnish_search)
    templates = root / "templates"
    return SiteOptions(repo_url=config.get("repo_url") or "", site_url=config.get("site_url") or "",
                       edit_branch=settings.edit_branch, editors_email=settings.editors_email,
                       intake_url=settings.intake_url.rstrip("/"),
                       practice_schema=schemas.load_schema(str(root / "schemas"), "practice"),
                       search_terms=terms.by_page, search_words=terms.vocabulary,
                       template_dirs=(str(templates),) if templates.is_dir() else ())


def marked(page: GeneratedPage, edit_url: str) -> str:
    """A generated page's Markdown with the generated mark and its edit link in the front matter."""
    text = page.content
    lines = f"{GENERATED_MARK}: true\n" + (f"edit_url: {edit_url}\n" if edit_url else "")
    return "---\n" + lines + text[4:] if text.startswith("---\n") else "---\n" + lines + "---\n" + text


def _page_bytes(page: GeneratedPage, options: SiteOptions) -> bytes:
    if isinstance(page.content, bytes):
        return page.content
    text = marked(page, options.edit_url(page.edit_path)) if page.src_uri.endswith(".md") else page.content
    return text.encode("utf-8")


class PageWriter:
    """Writes generated pages as files under ``target`` as they come (:func:`kehto.site.generate`'s sink),
    then, in :meth:`finish`, makes ``target`` hold exactly those pages: files of pages that are gone are
    deleted. Only files whose bytes changed are written, so unchanged files keep their modification time
    and an engine's incremental build (``mkdocs serve --dirty``) renders only what changed.
    ``written_before`` (``make serve``: kept between calls) maps each path to the page object last
    written there; a page that is the very same object is not compared again.
    """

    def __init__(self, target: Path, options: SiteOptions, written_before: dict | None = None):
        self.target, self.options, self.before = target, options, written_before
        self.wanted: set[str] = set()  # paths of this generation's pages (also those written by workers)
        self.written = 0
        self._pages: dict[str, GeneratedPage] = {}  # kept only with written_before
        self._made: set[Path] = set()

    def write(self, page: GeneratedPage) -> None:
        self.wanted.add(page.src_uri)
        if self.before is not None:
            self._pages[page.src_uri] = page
            if self.before.get(page.src_uri) is page:
                return
        path = self.target / page.src_uri
        if path.parent not in self._made:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._made.add(path.parent)
        self.written += _write_if_changed(path, _page_bytes(page, self.options))

    def finish(self, keep: Path | None = None) -> int:
        """Copy what ``keep`` holds (the hand-written pages; generated pages win), delete the rest.
        Returns the number of files written."""
        kept = {p.relative_to(keep).as_posix(): p for p in keep.rglob("*") if p.is_file()} if keep else {}
        for rel, source in kept.items():
            if rel not in self.wanted:
                self.written += _write_if_changed(self.target / rel, source.read_bytes())
        if self.target.exists():
            for path in sorted(self.target.rglob("*"), reverse=True):
                rel = path.relative_to(self.target).as_posix()
                if path.is_file() and rel not in self.wanted and rel not in kept:
                    path.unlink()
                elif path.is_dir() and not any(path.iterdir()):
                    path.rmdir()
        if self.before is not None:
            self.before.clear()
            self.before.update(self._pages)
        return self.written


def sync_pages(pages, target: Path, options: SiteOptions, keep: Path | None = None,
               written_before: dict | None = None) -> int:
    """Make ``target`` hold exactly ``pages`` (and what ``keep`` holds), as :class:`PageWriter` does.
    Returns the number of files written."""
    writer = PageWriter(target, options, written_before)
    for page in pages:
        writer.write(page)
    return writer.finish(keep)


def _write_if_changed(path: Path, content: bytes) -> int:
    try:
        if path.stat().st_size == len(content) and path.read_bytes() == content:
            return 0
    except FileNotFoundError:
        pass
    try:
        path.write_bytes(content)
    except FileNotFoundError:  # a new folder (PageWriter.write makes each folder once, before)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    return 1


def publishable(config: dict, report: Report) -> bool:
    """Whether a site may be built from records with this report: no errors, and no warnings
    when the config is ``strict`` (as ``mkdocs build --strict``)."""
    return report.ok and not (config.get("strict") and report.warnings)


def generate_files(root: Path, config: dict, settings: Settings, docs_dir: Path, target: Path) -> tuple[Report, str]:
    """``kehto build``'s first half: check the records of ``root`` and, when they may be published
    (no errors; no warnings under ``strict``), write every page under ``target`` as it is rendered.
    Returns the report and, when the pages could not be made, why (else "")."""
    from . import share, site, validate
    from .load import Project

    registry, report = validate.build(Project(root), parallel=True)
    if not publishable(config, report):
        return report, ""
    options = site_options(config, settings, registry, root)
    writer = PageWriter(target, options)
    try:
        site.generate(registry, options, sink=writer)
    except share.FontMissing as exc:
        return report, str(exc)
    writer.finish(keep=docs_dir)
    return report, ""


def in_child(function, *args):
    """``function(*args)`` in a forked child process, so that the memory it takes is given back when
    it returns (``kehto build``: the registry and the pages are gone before the engine starts).
    Where processes cannot be forked, in this process."""
    if "fork" not in multiprocessing.get_all_start_methods():
        return function(*args)
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork")) as pool:
        return pool.submit(function, *args).result()


@dataclass(frozen=True)
class BuildPaths:
    """Where one build's pages, engine config and site go."""

    config_dir: Path  # the folder of the project's mkdocs.yml
    work: Path  # the build folder: pages/ and the engine's config
    site_dir: Path

    @property
    def pages(self) -> Path:
        return self.work / "pages"

    @property
    def config(self) -> Path:
        return self.work / "mkdocs.yml"


def engine_config(config: dict, settings: Settings, paths: BuildPaths, engine: str) -> dict:
    """The project's config pointed at the build folder, for ``engine``."""
    derived = {k: v for k, v in config.items() if k not in ("watch", "hooks", "plugins")}
    # Paths relative to the engine config's folder (Zensical rejects absolute ones).
    relative = (lambda path: os.path.relpath(path, paths.work))
    absolute = (lambda value: relative((paths.config_dir / value).resolve()))
    derived["docs_dir"] = relative(paths.pages)
    derived["site_dir"] = relative(_engine_site_dir(paths, engine))
    # Hand-written pages keep their place in the repository for edit links; generated ones say theirs.
    derived["edit_uri"] = f"edit/{settings.edit_branch}/{settings.docs_path}/"
    theme = dict(derived.get("theme") or {})
    if theme.get("custom_dir"):
        theme["custom_dir"] = absolute(theme["custom_dir"])
    derived["theme"] = theme
    extra = dict(derived.get("extra") or {})
    extra["urls"] = urls.theme_paths()
    extra["kehto"] = {**(extra.get("kehto") or {}), "generate_pages": False, "search": False}
    derived["extra"] = extra
    record_urls = sorted({kind.url("*") for kind in kinds.KINDS if kind.url})
    derived["not_in_nav"] = "\n".join([*(config.get("not_in_nav") or "").split(), *urls.not_in_nav(record_urls)]) + "\n"
    plugins = list(config.get("plugins") or [])
    if engine != "zensical":
        derived["hooks"] = [absolute(h) for h in config.get("hooks") or []]  # a speed-up, not a requirement
        derived["plugins"] = plugins
    return derived


def engine_command(engine: str, paths: BuildPaths) -> list[str]:
    """The command that builds the site from the build folder."""
    if engine == "zensical":
        return [shutil.which("zensical") or "zensical", "build", "--clean", "-f", str(paths.config)]
    return [sys.executable, "-m", engine, "build", "--strict", "--quiet", "-f", str(paths.config),
            "-d", str(paths.site_dir)]


def _engine_site_dir(paths: BuildPaths, engine: str) -> Path:
    # Zensical writes only inside the folder of its config; the site is moved out afterwards.
    return paths.work / "site" if engine == "zensical" else paths.site_dir


PAGES_READY_ENV = "KEHTO_PAGES_READY_FD"  # the engine's hook waits on this pipe before it reads the pages


class RunningEngine:
    """An engine process started before the pages exist (:func:`start_engine`).

    With MkDocs and ProperDocs on POSIX the engine starts at once and spends the page generation
    importing itself, its theme and its config; the kehto hook (``on_pre_build``) says on one pipe that
    it waits, then waits on another until :meth:`release` says whether the pages were written. An
    engine that did not wait (a project whose hooks file predates this, or one that failed early) is
    run again once the pages are there. Zensical runs no hooks, so it starts only at :meth:`release`."""

    def __init__(self, config: dict, settings: Settings, paths: BuildPaths, engine: str):
        self.paths, self.engine = paths, engine
        paths.pages.mkdir(parents=True, exist_ok=True)  # the engine checks that its docs_dir exists
        paths.config.write_text(yaml.safe_dump(engine_config(config, settings, paths, engine), allow_unicode=True,
                                               sort_keys=False), encoding="utf-8")
        self.process: subprocess.Popen | None = None
        self.missing = False
        self._go = self._waiting = None  # kehto's ends of the two pipes
        if engine != "zensical" and os.name == "posix":
            go, self._go = os.pipe()
            self._waiting, waiting = os.pipe()
            try:
                self._start({PAGES_READY_ENV: f"{go},{waiting}"}, (go, waiting))
            finally:
                os.close(go)
                os.close(waiting)

    def _start(self, env: dict, fds: tuple = ()) -> None:
        try:
            self.process = subprocess.Popen(engine_command(self.engine, self.paths), cwd=self.paths.work,
                                            env=dict(os.environ, NO_MKDOCS_2_WARNING="1", **env), pass_fds=fds,
                                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        except FileNotFoundError:
            self.missing = True

    def release(self, pages_written: bool) -> None:
        """Tell a waiting engine to build (``pages_written``) or to stop; start one that did not wait."""
        if self._go is not None:
            # the hook says "w" when it waits; an engine that ends without waiting closes the pipe
            waited = self.process is not None and os.read(self._waiting, 1) == b"w"
            try:
                os.write(self._go, b"1" if pages_written and waited else b"0")
            except BrokenPipeError:
                pass
            finally:
                os.close(self._go)
                os.close(self._waiting)
                self._go = self._waiting = None
            if not waited and self.process is not None:
                self.process.communicate()  # it built from pages that were not all there: not used
                self.process = None
        if pages_written and self.process is None and not self.missing:
            self._start({})

    def result(self) -> subprocess.CompletedProcess:
        """Wait for the engine; the site is in ``paths.site_dir`` when it succeeded."""
        if self._go is not None:
            self.release(False)  # never released: the engine stops
        if self.process is None:
            why = f"kehto: {self.engine} ei ole asennettu (pip install {self.engine})." if self.missing else ""
            return subprocess.CompletedProcess([self.engine], 1, "", why)
        stdout, stderr = self.process.communicate()
        built = _engine_site_dir(self.paths, self.engine)
        if self.process.returncode == 0 and built != self.paths.site_dir:
            shutil.rmtree(self.paths.site_dir, ignore_errors=True)
            shutil.move(str(built), str(self.paths.site_dir))
        return subprocess.CompletedProcess(self.process.args, self.process.returncode, stdout, stderr)


def start_engine(config: dict, settings: Settings, paths: BuildPaths, engine: str) -> RunningEngine:
    """Write the engine config and start ``engine`` on ``paths`` (see :class:`RunningEngine`)."""
    return RunningEngine(config, settings, paths, engine)


def wait_for_pages() -> bool:
    """In the engine process started by :class:`RunningEngine`: block until kehto has written the
    pages; whether it did. True at once when the engine was not started that way."""
    fds = os.environ.pop(PAGES_READY_ENV, None)
    if fds is None:
        return True
    go, waiting = (int(fd) for fd in fds.split(","))
    os.write(waiting, b"w")
    os.close(waiting)
    with os.fdopen(go, "rb") as pipe:
        return pipe.read(1) == b"1"
