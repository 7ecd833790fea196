"""kehto's settings in ``mkdocs.yml`` (``extra.kehto``), typed.

Every setting is declared once, with its type and default; a misspelt or
mistyped setting is an error with a Finnish message, never silently ignored
(as MkDocs' own plugins do with ``base.Config``).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, fields


class SettingsError(ValueError):
    """A setting under ``extra.kehto`` is unknown or has the wrong type (message in Finnish)."""


@dataclass(frozen=True)
class Settings:
    """The settings and their defaults."""

    root: str = "."  # where the records are, relative to mkdocs.yml
    docs_path: str = "content"  # the hand-written pages' folder in the repository (edit links)
    edit_branch: str = "main"
    search: bool = True  # build the Pagefind index
    finnish_search: bool = True  # base forms and compound parts in the index (kehto.finnish)
    editors_email: str = ""  # where the form's "send by e-mail" goes; empty hides it
    # The intake service's base URL (KEHTO_INTAKE_URL); empty: the forms offer only the
    # pull request, issue, e-mail and download routes.
    intake_url: str = ""
    # False when the pages are already files (``kehto build`` writes them): the hook then only
    # lets generated pages skip Python-Markdown.
    generate_pages: bool = True


_TYPE_NAMES = {bool: "true tai false", str: "teksti"}


def parse(values: dict | None) -> Settings:
    """Settings from the ``extra.kehto`` mapping; raises :class:`SettingsError` on any mistake."""
    if values is None:
        return Settings()
    if not isinstance(values, dict):
        raise SettingsError("mkdocs.yml: extra.kehto: asetusten pitää olla avain–arvo-pareja. "
                            "Korjaus: kirjoita asetukset sisennettyinä rivien alle, esim. `search: true`.")
    known = {f.name: f for f in fields(Settings)}
    problems = []
    for key, value in values.items():
        if key not in known:
            close = difflib.get_close_matches(str(key), known, n=1)
            hint = f"Tarkoititko `{close[0]}`?" if close else "Tunnetut asetukset: " + ", ".join(known) + "."
            problems.append(f"mkdocs.yml: extra.kehto.{key}: tuntematon asetus. Korjaus: {hint}")
            continue
        expected = type(getattr(Settings(), key))
        if expected is str and value is None:
            continue  # an empty value (e.g. an unset environment variable) means the default
        if not isinstance(value, expected):
            problems.append(f"mkdocs.yml: extra.kehto.{key}: arvon pitää olla {_TYPE_NAMES[expected]}, "
                            f"nyt {value!r}. Korjaus: kirjoita {_TYPE_NAMES[expected]}.")
    if problems:
        raise SettingsError("\n".join(problems))
    return Settings(**{k: v for k, v in values.items() if v is not None})
