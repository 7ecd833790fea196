"""Problems found in records, collected into a report and printed separately.

Validation never raises on bad input: every check appends :class:`Problem` values
to a :class:`Report`, and a reporter turns the report into text or JSON.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with one record, with where it is and how to fix it."""

    path: str
    line: int
    column: int
    field: str
    message: str
    hint: str = ""
    severity: str = ERROR

    def as_text(self) -> str:
        """``file:line:column: field: message. Korjaus: hint`` in one line."""
        label = "varoitus: " if self.severity == WARNING else ""
        text = f"{self.path}:{self.line}:{self.column}: {self.field or '-'}: {label}{self.message}"
        if self.hint:
            text += f" Korjaus: {self.hint}"
        return " ".join(text.splitlines())  # one problem, one line, whatever a quoted value holds


@dataclass
class Report:
    """Every problem found in one validation run."""

    problems: list[Problem] = field(default_factory=list)
    files_checked: int = 0

    def add(self, problem: Problem) -> None:
        self.problems.append(problem)

    def extend(self, problems) -> None:
        self.problems.extend(problems)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == WARNING]

    @property
    def ok(self) -> bool:
        """True when no record has an error (warnings do not fail a build)."""
        return not self.errors

    def sorted(self) -> list[Problem]:
        return sorted(set(self.problems))

    def only(self, paths: set[str]) -> "Report":
        """The part of this report that concerns the given files."""
        return Report([p for p in self.problems if p.path in paths], len(paths))


def format_text(report: Report) -> str:
    """One line per problem, then a one-line summary in Finnish."""
    lines = [p.as_text() for p in report.sorted()]
    lines.append(summary(report))
    return "\n".join(lines)


def summary(report: Report) -> str:
    """For example ``2 virhettä ja 1 varoitus 45 tiedostossa.``"""
    errors, warnings = len(report.errors), len(report.warnings)
    files = f"{report.files_checked} tiedostossa" if report.files_checked != 1 else "1 tiedostossa"
    if not errors and not warnings:
        return f"Kaikki kunnossa: ei virheitä {files}."
    parts = []
    if errors:
        parts.append(f"{errors} virhe" if errors == 1 else f"{errors} virhettä")
    if warnings:
        parts.append(f"{warnings} varoitus" if warnings == 1 else f"{warnings} varoitusta")
    return f"{' ja '.join(parts)} {files}."


def format_json(report: Report) -> str:
    """The same problems as a JSON document for editors and CI annotations."""
    return json.dumps(
        {
            "ok": report.ok,
            "files_checked": report.files_checked,
            "errors": len(report.errors),
            "warnings": len(report.warnings),
            "problems": [asdict(p) for p in report.sorted()],
        },
        ensure_ascii=False,
        indent=2,
    )


def _github_escape(text: str, property_value: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if property_value:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


def format_github(report: Report) -> str:
    """GitHub Actions workflow commands: each problem becomes an annotation on its line."""
    lines = []
    for p in report.sorted():
        level = "warning" if p.severity == WARNING else "error"
        message = p.message + (f" Korjaus: {p.hint}" if p.hint else "")
        lines.append(f"::{level} file={_github_escape(p.path, True)},line={p.line},col={p.column},"
                     f"title={_github_escape(p.field or 'tiedosto', True)}::{_github_escape(message)}")
    lines.append(summary(report))
    return "\n".join(lines)
