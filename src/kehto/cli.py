"""The ``kehto`` command.

Exit codes: 0 all well, 1 a record is invalid (or the build failed), 2 the
command was used wrongly. Messages for contributors are in Finnish.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from . import days, kinds
from . import report as reports
from . import siteurl
from . import validate as validation
from .load import Project

ENGINES = ("mkdocs", "properdocs", "zensical")  # kehto build --engine; see kehto.engine


def _received_day(text: str) -> str:
    from .submit import received_day

    try:
        return received_day(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"päivä {text!r} ei ole muotoa VVVV-KK-PP eikä ISO-aikaleima") from None


def _site_address(text: str) -> str:
    try:
        return siteurl.address(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # argparse's own messages, with exit code 2
        self.print_usage(sys.stderr)
        print(f"kehto: virheellinen komento: {message}", file=sys.stderr)
        raise SystemExit(2)


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="kehto", description="Kehittämistekojen rekisteri: tarkistus, rakennus ja luettelot.")
    parser.add_argument("--root", type=Path, default=None,
                        help="rekisterin juurikansio (oletus: nykyinen kansio tai sen yläkansio, jossa on mkdocs.yml)")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    check = commands.add_parser("validate", help="tarkista tietueet ja näytä kaikki ongelmat")
    check.add_argument("paths", nargs="*", type=Path, help="tarkistettavat tiedostot tai kansiot (oletus: koko rekisteri)")
    check.add_argument("--format", choices=("text", "json", "github"), default="text",
                       help="tulosteen muoto (github: huomautukset pull requestin riveille)")

    build = commands.add_parser("build", help="rakenna sivusto ja hakuindeksi")
    build.add_argument("--site-dir", type=Path, default=None, help="mihin sivusto kirjoitetaan (oletus: site/)")
    build.add_argument("--engine", choices=ENGINES, default="mkdocs",
                       help="sivustomoottori: mkdocs (oletus), properdocs tai zensical; kaikki samoista sivuista")
    build.add_argument("--production", action="store_true",
                       help="julkaistava sivusto: vaatii oikean osoitteen (KEHTO_SITE_URL), muuten rakennus pysähtyy")

    listing = commands.add_parser("list", help="luettele tunnisteet, joihin tietue voi viitata")
    listing.add_argument("what", choices=(*(k.listing for k in kinds.KINDS if k.listing), "support-categories"))

    schema = commands.add_parser("schema", help="skeemasta tuotetut tiedostot")
    schema.add_argument("what", choices=("issue-form",))
    schema.add_argument("--kind", choices=tuple(kinds.issue_forms()), default="practice",
                        help="minkä tietueen lomake: practice (teko, oletus) tai adoption (otettu mallia)")
    schema.add_argument("--output", type=Path, default=None, help="kirjoita tiedostoon (oletus: tulosta)")

    issue = commands.add_parser("from-issue", help="tee issuesta (lomake tai YAML-lohko) teon tai käyttöönoton tiedosto")
    issue.add_argument("body", nargs="?", type=Path, default=None, help="issuen teksti tiedostosta (oletus: syöte)")
    issue.add_argument("--write", action="store_true",
                       help="kirjoita practices/<tunniste>.yml (tai data/adoptions/<tunniste>.yml), jos tiedot ovat kunnossa")
    issue.add_argument("--kind", choices=("auto", *kinds.issue_forms()), default="auto",
                       help="issuen tietue: auto (päätellään issuesta, oletus), practice tai adoption")
    issue.add_argument("--comment", type=Path, default=None, help="kirjoita tarkistuksen tulos Markdown-kommentiksi")
    issue.add_argument("--submitted", type=_received_day, default=None, metavar="PÄIVÄ",
                       help="vastaanottopäivä (submitted): issuen luontiaika, VVVV-KK-PP tai ISO-aikaleima "
                            "(muunnetaan Suomen aikaan), esim. ${{ github.event.issue.created_at }}")

    export = commands.add_parser("export", help="vie teot, listat, kampanjat, tilastot ja syötteet tiedostoiksi")
    export.add_argument("--output", type=Path, default=Path("vienti"), help="kansio, johon tiedostot kirjoitetaan (oletus: vienti/)")
    export.add_argument("--site-url", default="http://127.0.0.1:8000/", type=_site_address,
                        help="sivuston osoite linkkeihin ja syötteisiin (oletus: http://127.0.0.1:8000/)")

    bot = commands.add_parser("bot-plan", help="issuebotin päätös: saako issuen muutos päivittää pull requestin")
    bot.add_argument("--issue", type=int, required=True, help="issuen numero")
    bot.add_argument("--event", required=True, help="issuen tapahtuma (opened, edited, labeled)")
    bot.add_argument("--label", default="", help="lisätty tunniste, kun tapahtuma on labeled")
    bot.add_argument("--check-status", type=int, default=0, help="from-issue-komennon paluuarvo (0: tiedot kunnossa)")
    bot.add_argument("--check-comment", type=Path, default=None, help="from-issue-komennon kirjoittama kommentti")
    bot.add_argument("--pull-requests", type=Path, default=None,
                     help="gh pr list --json number,state,reviews,files,commits -tuloste issuen haarasta")
    bot.add_argument("--pr-tree", type=Path, default=None, help="kansio, johon pull requestin haara on haettu")
    bot.add_argument("--output", type=Path, required=True, help="kansio kommenteille issue-comment.md ja pr-comment.md")

    new = commands.add_parser("new", help="luo uusi teko kysymällä tai valitsimilla")
    for name, text in (("title", "otsikko"), ("summary", "tiivistelmä"), ("organisation", "organisaation tunniste"),
                       ("published", "julkaisupäivä VVVV-KK-PP (oletus: tänään)"), ("actions", "mitä tehtiin"),
                       ("id", "tunniste (oletus: otsikosta)"), ("background", "tausta ja tarve"),
                       ("results", "tulokset"), ("tips", "vinkit muille")):
        new.add_argument(f"--{name}", help=text)
    new.add_argument("--sector", action="append", dest="sectors", help="palvelualan tunniste (voi toistaa)")
    new.add_argument("--theme", action="append", dest="themes", help="teeman tunniste (voi toistaa)")
    new.add_argument("--output", type=Path, default=None, help="mihin tiedosto kirjoitetaan (oletus: practices/<tunniste>.yml)")

    from .intake.serve import add_parser as add_intake  # no web packages imported until the command runs

    add_intake(commands)
    return parser


def find_root(start: Path) -> Path:
    """The nearest folder from ``start`` upwards that holds ``mkdocs.yml``."""
    for folder in (start, *start.parents):
        if (folder / "mkdocs.yml").is_file():
            return folder
    return start


def _record_paths(root: Path, paths: list[Path]) -> tuple[list[Path], list[str]]:
    files, missing = [], []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(p for p in path.rglob("*") if p.suffix in (".yml", ".yaml") and p.is_file()))
        elif path.is_file():
            files.append(path)
        else:
            missing.append(str(path))
    return files, missing


def cmd_validate(args, project: Project) -> int:
    files, missing = _record_paths(project.root, args.paths)
    if missing:
        print(f"kehto: tiedostoa tai kansiota ei löydy: {', '.join(missing)}", file=sys.stderr)
        return 2
    _, report = validation.build(project, extra=files, parallel=True)
    if args.paths:
        report = report.only({project.display(p) for p in files})
    formatter = {"json": reports.format_json, "github": reports.format_github}.get(args.format, reports.format_text)
    print(formatter(report))
    return 0 if report.ok else 1


def cmd_build(args, project: Project) -> int:
    """Write the pages as files, build them with the chosen engine into a fresh folder and swap it in,
    so a failed build leaves the old site."""
    from . import engine, search
    from . import settings as kehto_settings

    started = time.perf_counter()
    try:
        config = engine.load_config(project.root / "mkdocs.yml")
        settings = kehto_settings.parse((config.get("extra") or {}).get("kehto"))
    except (engine.ConfigError, kehto_settings.SettingsError) as exc:
        print(f"kehto: {exc}", file=sys.stderr)
        return 1
    # Before any engine runs, so a production build stops the same with every engine.
    problem, note = siteurl.check(config.get("site_url") or "", production=args.production)
    if problem:
        print(f"kehto: {problem}", file=sys.stderr)
        return 1
    if note:
        print(f"kehto: {note}", file=sys.stderr)
    root = (project.root / settings.root).resolve()
    site_dir = (args.site_dir or project.root / "site").resolve()
    work = project.root / ".cache" / "kehto" / "build"
    work.mkdir(parents=True, exist_ok=True)
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".kehto-build-", dir=site_dir.parent))
    paths = engine.BuildPaths(project.root, work, staging)
    # The engine starts now and loads itself while the pages are written (engine.RunningEngine).
    running = engine.start_engine(config, settings, paths, args.engine)
    # The records are checked and the pages written in a child process: its memory (the registry, the
    # pages) is given back before the engine builds.
    try:
        report, failure = engine.in_child(engine.generate_files, root, config, settings,
                                          project.root / config.get("docs_dir", "docs"), paths.pages)
    except BaseException:
        running.result()  # not released: the engine stops
        shutil.rmtree(staging, ignore_errors=True)
        raise
    published = engine.publishable(config, report) and not failure
    running.release(published)
    result = running.result()
    if not published:
        shutil.rmtree(staging, ignore_errors=True)
        if failure:
            print(f"kehto: {failure}", file=sys.stderr)
            return 1
        print(reports.format_text(report))
        print("kehto: sivustoa ei rakennettu: korjaa ensin rekisterin virheet; aiempi sivusto jäi ennalleen.",
              file=sys.stderr)
        return 1
    if result.returncode == 0 and settings.search:
        try:
            search.index_site(staging)
        except search.IndexError_ as exc:
            result = subprocess.CompletedProcess(result.args, 1, "", str(exc))
    if result.returncode != 0:
        shutil.rmtree(staging, ignore_errors=True)
        print((result.stdout + result.stderr).strip(), file=sys.stderr)
        print(f"kehto: sivuston rakentaminen ({args.engine}) epäonnistui; aiempi sivusto jäi ennalleen.",
              file=sys.stderr)
        return 1
    previous = site_dir.with_name(site_dir.name + ".old")
    shutil.rmtree(previous, ignore_errors=True)
    if site_dir.exists():
        site_dir.rename(previous)
    staging.rename(site_dir)
    shutil.rmtree(previous, ignore_errors=True)
    print(f"Sivusto rakennettu kansioon {site_dir} ({args.engine}, {time.perf_counter() - started:.1f} s).")
    return 0


def cmd_list(args, project: Project) -> int:
    registry, _ = validation.build(project, duplicates=False)  # reading only: no title comparison
    if args.what == "support-categories":
        rows = [(c.id, c.name) for c in (registry.support_menu.categories if registry.support_menu else ())]
    else:
        kind = next(k for k in kinds.KINDS if k.listing == args.what)
        records = registry.of_kind(kind.name)
        if kind.schema == "taxonomy":  # one file of terms
            rows = [(t.id, t.name) for taxonomy in records.values() for t in taxonomy.items.values()]
        elif kind.rows is not None:  # one file that lists other things (the synonym list)
            rows = [row for record in records.values() for row in kind.rows(record)]
        else:
            rows = [(i, getattr(records[i], "title", None) or getattr(records[i], "name", "")) for i in sorted(records)]
    for row_id, name in rows:
        print(f"{row_id}\t{name}")
    return 0


def cmd_export(args, project: Project) -> int:
    """The site's exported files, written to a folder: the same text the site publishes."""
    from .export import export_files

    registry, report = validation.build(project, duplicates=False)  # duplicates are warnings: not needed here
    if not report.ok:
        print(reports.format_text(report))
        print("Vientiä ei tehty: korjaa ensin rekisterin virheet.", file=sys.stderr)
        return 1
    files = export_files(registry, args.site_url, days.today())
    for rel, text in sorted(files.items()):
        target = args.output / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8", newline="")
    print(f"Kirjoitettu {len(files)} tiedostoa kansioon {args.output}.")
    return 0


_OS_REASONS = {FileNotFoundError: "tiedostoa tai kansiota ei löydy", PermissionError: "ei käyttöoikeutta",
               IsADirectoryError: "on kansio eikä tiedosto", NotADirectoryError: "polun osa ei ole kansio"}


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "intake":  # the service checks against its own clone of the remote, not --root
        from .intake.serve import cmd_intake

        return cmd_intake(args)
    root = (args.root or find_root(Path.cwd())).resolve()
    if not (root / "schemas").is_dir():
        print(f"kehto: kansiosta {root} ei löydy rekisteriä (schemas/ puuttuu). Anna polku valitsimella --root.",
              file=sys.stderr)
        return 2
    project = Project(root)
    from .bot import cmd_bot_plan
    from .submit import cmd_from_issue, cmd_new, cmd_schema

    handlers = {"validate": cmd_validate, "build": cmd_build, "list": cmd_list, "schema": cmd_schema,
                "from-issue": cmd_from_issue, "new": cmd_new, "export": cmd_export, "bot-plan": cmd_bot_plan}
    try:
        code = handlers[args.command](args, project)
        sys.stdout.flush()  # a closed pipe shows here, not in the interpreter's flush at exit
        return code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # the reader stopped early (`kehto list practices | head -1`): not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # the exit flush has nowhere to fail
        return 141  # 128 + SIGPIPE, as a shell reports a command stopped by a closed pipe
    except OSError as exc:  # a path given on the command line that cannot be read or written
        print(f"kehto: {exc.filename}: {_OS_REASONS.get(type(exc), exc.strerror)}. Tarkista polku.", file=sys.stderr)
        return 2
    except Exception as exc:  # a bug in kehto: say so plainly, never dump a traceback on a contributor
        print(f"kehto: odottamaton sisäinen virhe ({type(exc).__name__}: {exc}). "
              "Ilmoita tästä ylläpitäjille.", file=sys.stderr)
        return 3


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
