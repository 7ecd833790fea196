"""Finding record files and reading them into raw records.

Reading never raises on bad input: a file that cannot be read or parsed becomes
a :class:`RawRecord` whose ``error`` says why, with a line number when there is one.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from . import kinds, yamlio
from .report import Problem

MAX_BYTES = 1_000_000  # a practice is a few kilobytes; anything this large is a mistake
SUFFIXES = (".yml", ".yaml")


@dataclass
class RawRecord:
    """One record file after reading: a parsed document or the reason it has none."""

    kind: str  # a name from kehto.kinds: practice, organisation, sectors, campaign, ...
    path: Path
    display: str  # the path shown to people, relative to the repository where possible
    document: yamlio.Document | None = None
    error: Problem | None = None

    @property
    def stem(self) -> str:
        return self.path.stem


@dataclass(frozen=True)
class Project:
    """Where a registry's records and schemas live."""

    root: Path

    @property
    def schema_dir(self) -> Path:
        return self.root / "schemas"

    def display(self, path: Path) -> str:
        try:
            return path.resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return str(path)

    def kind_of(self, path: Path) -> str:
        """The record kind of a file, from where it is in the repository."""
        rel = self.display(path)
        for kind in kinds.KINDS:
            if rel == kind.file or (kind.folder and rel.startswith(kind.folder + "/")):
                return kind.name
        return _kind_from_modeline(path)  # a file from elsewhere, e.g. downloaded from the web form

    def record_files(self) -> list[tuple[str, Path, str]]:
        """Every record file of the repository as ``(kind, path, display path)``, in a stable order."""
        files = []
        for kind in kinds.KINDS:
            if kind.file:
                if kind.required or (self.root / kind.file).exists():
                    files.append((kind.name, self.root / kind.file, kind.file))
                continue
            directory = self.root / kind.folder
            if directory.is_dir():
                names = sorted(n for n in os.listdir(directory) if n.endswith(SUFFIXES))
                files.extend((kind.name, directory / n, f"{kind.folder}/{n}") for n in names)
        return files


def _kind_from_modeline(path: Path) -> str:
    """The kind named by an editor modeline (``$schema=../schemas/adoption.schema.json``)."""
    try:
        with path.open("rb") as handle:
            head = handle.read(300).decode("utf-8", "replace")
    except OSError:
        return "practice"
    for kind in kinds.KINDS:
        if kind.folder and f"/{kind.schema}.schema.json" in head:
            return kind.name
    return "practice"


def read(project: Project, kind: str, path: Path, display: str | None = None) -> RawRecord:
    """Read and parse one record file; problems become the record's ``error``."""
    display = display or project.display(path)
    record = RawRecord(kind, path, display)
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            record.error = Problem(display, 1, 1, "", f"tiedosto on liian suuri ({size / 1_000_000:.1f} Mt); tietueen "
                                   "enimmäiskoko on 1 Mt.", "Tarkista, että tiedostossa on vain yksi tietue eikä "
                                   "liitteitä tai kuvia.")
            return record
        raw = path.read_bytes()
    except FileNotFoundError:
        record.error = Problem(display, 1, 1, "", "tiedostoa ei löydy.", "Tarkista tiedoston nimi ja polku.")
        return record
    except OSError as exc:
        record.error = Problem(display, 1, 1, "", f"tiedostoa ei voi lukea ({exc.strerror}).",
                               "Tarkista tiedoston oikeudet.")
        return record
    return parse(record, raw)


def parse(record: RawRecord, raw: bytes) -> RawRecord:
    """Parse a record's bytes (read from its file, or held in memory) into its ``document`` or ``error``."""
    display = record.display

    def fail(message: str, hint: str, line: int = 1, column: int = 1) -> RawRecord:
        record.error = Problem(display, line, column, "", message, hint)
        return record

    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return fail("tiedosto ei ole UTF-8-merkistössä.", "Tallenna tiedosto UTF-8-muodossa.", line)
    if "\x00" in text:
        return fail("tiedostossa on NUL-merkki, eli se ei ole tekstitiedosto.", "Tallenna tiedosto tekstinä.")
    try:
        record.document = yamlio.parse(text)
    except yamlio.YamlError as exc:
        hint = "Tarkista rivi ja sitä edeltävä rivi." if exc.line > 1 else "Kirjoita tiedostoon tietueen kentät."
        message = exc.message if exc.message.endswith(".") else exc.message + "."
        return fail(message, hint, exc.line, exc.column)
    return record


def read_all(project: Project, extra: list[Path] | None = None) -> list[RawRecord]:
    """Every record of the repository, plus ``extra`` files from outside it."""
    seen = set()
    records = []
    for kind, path, display in project.record_files():
        seen.add(display)
        records.append(read(project, kind, path, display))
    for path in extra or []:
        display = project.display(path)
        if display not in seen:
            seen.add(display)
            records.append(read(project, project.kind_of(path), path, display))
    return records
