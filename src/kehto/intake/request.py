"""From a request body to the record files a submission adds or changes, or a Finnish refusal.

Pure functions over the parsed JSON and the registry snapshot; the web layer
(:mod:`kehto.intake.app`) only maps :class:`Refusal` to an HTTP answer.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
from dataclasses import dataclass, field
from datetime import date

from .. import yamlio
from ..load import Project
from ..report import Problem
from ..validate import _BIDI, _CONTROL
from . import check

KINDS = ("practice", "adoption", "correction")
RECORD_KIND = {"practice": "practice", "adoption": "adoption", "correction": "practice"}
FIELDS = {"kind": str, "record": dict, "organisation": dict, "message": str, "consent": bool, "website": str,
          "altcha": str}
MESSAGE_MAX = 2000


class Refusal(Exception):
    """A request the service does not accept: HTTP status, error code, Finnish message, problems."""

    def __init__(self, status: int, error: str, message: str, problems: list[Problem] | None = None):
        super().__init__(message)
        self.status, self.error, self.message, self.problems = status, error, message, problems or []


@dataclass
class Submission:
    """A checked submission, ready to be stored."""

    kind: str
    record_id: str
    title: str
    files: dict[str, str]  # path -> text, exactly what the branch will add or change
    new_files: list[str]  # files the branch adds (claimed against other open submissions)
    message: str
    content_hash: str
    payload: dict = field(repr=False, default_factory=dict)


def new_receipt() -> str:
    """An opaque, unguessable receipt id: 26 characters of lower-case base32 (128 random bits)."""
    return base64.b32encode(os.urandom(16)).decode("ascii").rstrip("=").lower()


def is_receipt(text: str) -> bool:
    return len(text) == 26 and all(c in "abcdefghijklmnopqrstuvwxyz234567" for c in text)


def parse_body(body: bytes) -> dict:
    """The JSON object of a request, or a 400 :class:`Refusal` naming what is wrong."""
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise Refusal(400, "malformed", "Pyyntö ei ole kelvollista JSONia (UTF-8).") from None
    if not isinstance(data, dict):
        raise Refusal(400, "malformed", "Pyynnön pitää olla JSON-olio, jossa on kentät kind ja record.")
    unknown = sorted(set(data) - set(FIELDS))
    if unknown:
        raise Refusal(400, "unknown-field", f"Tuntematon kenttä: {', '.join(unknown)[:200]}.")
    for key, kind in FIELDS.items():
        if key in data and not isinstance(data[key], kind):
            name = {str: "tekstiä", dict: "olio", bool: "true tai false"}[kind]
            raise Refusal(400, "wrong-type", f"Kentän {key} pitää olla {name}.")
    if data.get("kind") not in KINDS:
        raise Refusal(400, "unknown-kind", "Tuntematon lähetyksen laji; sallittuja ovat practice (teko), "
                                           "adoption (otettu mallia) ja correction (korjausehdotus).")
    if "record" not in data:
        raise Refusal(400, "missing-record", "Pyynnöstä puuttuu tietue (record).")
    if data.get("website"):
        raise Refusal(400, "rejected", "Lähetystä ei voitu ottaa vastaan.")  # honeypot: only bots fill it
    return data


def _problem(field_name: str, message: str, hint: str, path: str = "") -> Problem:
    return Problem(path, 1, 1, field_name, message, hint)


def _message_problems(data: dict) -> list[Problem]:
    message = data.get("message", "")
    problems = []
    if data["kind"] == "correction" and not message.strip():
        problems.append(_problem("message", "kerro, mikä teon tiedoissa on väärin tai puuttuu.",
                                 "Kirjoita viestiin korjattava kohta ja oikea tieto."))
    if len(message) > MESSAGE_MAX:
        problems.append(_problem("message", f"viesti on liian pitkä ({len(message)} merkkiä).",
                                 f"Lyhennä viesti enintään {MESSAGE_MAX} merkkiin."))
    if _BIDI.search(message) or _CONTROL.search(message):
        problems.append(_problem("message", "viestissä on näkymättömiä ohjaus- tai suunnanvaihtomerkkejä.",
                                 "Poista merkit; ne ovat voineet tulla mukaan kopioidessa."))
    return problems


def prepare(data: dict, project: Project, today: date) -> Submission:
    """Check a parsed request against the registry snapshot; a 422 :class:`Refusal` lists every problem."""
    kind, record = data["kind"], dict(data["record"])
    record_kind = RECORD_KIND[kind]
    own_path = check.file_path(project, record_kind, record)
    record_id = record.get("id") if isinstance(record.get("id"), str) else ""
    problems = _message_problems(data)
    documents = [(record_kind, record)]
    organisation = data.get("organisation")
    if kind == "correction":
        if organisation is not None:
            problems.append(_problem("organisation", "korjausehdotukseen ei voi liittää uutta organisaatiota.",
                                     "Kerro organisaation muutos viestissä."))
        if not record_id or not check.exists(project, "practice", record_id):
            problems.append(_problem("id", f"korjattavaa tekoa \"{record_id}\" ei ole rekisterissä.",
                                     "Lähetä korjaus teon sivun Ehdota korjausta -lomakkeella.", own_path))
        else:
            old = yamlio.parse((project.root / own_path).read_text(encoding="utf-8")).data
            record.pop("submitted", None)  # a correction is no new arrival: keep the original date
            if isinstance(old, dict) and old.get("submitted"):
                record["submitted"] = old["submitted"]
            if record == old:
                problems.append(_problem("id", "korjausehdotus ei muuta teon tietoja.",
                                         "Muuta lomakkeella kenttää, jonka tieto on väärin.", own_path))
    else:
        record["submitted"] = today.isoformat()
        if record_id and check.exists(project, record_kind, record_id):
            problems.append(_problem("id", f"tunniste \"{record_id}\" on jo käytössä tiedostossa {own_path}.",
                                     "Valitse tälle tietueelle toinen tunniste.", own_path))
    if organisation is not None:
        org_id = organisation.get("id") if isinstance(organisation.get("id"), str) else ""
        org_path = check.file_path(project, "organisation", organisation)
        if org_id and check.exists(project, "organisation", org_id):
            problems.append(_problem("id", f"organisaatio \"{org_id}\" on jo rekisterissä.",
                                     "Valitse organisaatio luettelosta äläkä lisää sitä uutena.", org_path))
        elif org_id and record.get("organisation") != org_id:
            problems.append(_problem("organisation", f"uusi organisaatio \"{org_id}\" ei ole tietueen organisaatio.",
                                     f"Kirjoita tietueen organisaatioksi {org_id} tai jätä uusi organisaatio pois.",
                                     own_path))
        if kind != "correction":
            documents.append(("organisation", organisation))
    if isinstance(record.get("contact"), dict) and record["contact"] and data.get("consent") is not True:
        problems.append(_problem("contact", "yhteyshenkilön nimi ja sähköposti julkaistaan rekisterissä vain hänen "
                                            "luvallaan.", "Merkitse suostumus tai poista yhteyshenkilön tiedot.",
                                 own_path))
    files, report = check.check_files(project, documents, today)
    problems += report.errors
    if problems:
        count = len(problems)
        raise Refusal(422, "invalid", f"Lähetyksessä on {count} korjattavaa kohtaa." if count > 1
                      else "Lähetyksessä on 1 korjattava kohta.", problems)
    canonical = json.dumps({"kind": kind, "files": {p: t for p, t in files.items()}}, sort_keys=True,
                           ensure_ascii=False)
    title = record.get("title") if isinstance(record.get("title"), str) else record_id
    new_files = [path for path in files if not (kind == "correction" and path == own_path)]
    return Submission(kind, record_id, title, files, new_files, data.get("message", ""),
                      hashlib.sha256(canonical.encode("utf-8")).hexdigest(),
                      {k: v for k, v in data.items() if k in ("kind", "record", "organisation", "consent")})


def problem_json(problem: Problem) -> dict:
    """A problem as the API's 422 answer carries it (the fields of ``kehto validate --format json``)."""
    return {"file": problem.path, "field": problem.field, "line": problem.line, "column": problem.column,
            "message": problem.message, "hint": problem.hint, "severity": problem.severity}


__all__ = ["Refusal", "Submission", "parse_body", "prepare", "new_receipt", "is_receipt", "problem_json"]
