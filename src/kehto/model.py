"""The registry's domain objects, built from records that passed their schema."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

ORGANISATION_TYPES = {
    "kunta": "kunta",
    "kaupunki": "kaupunki",
    "kuntayhtyma": "kuntayhtymä",
    "kunnallinen-yhtio": "kunnallinen yhtiö",
    "hyvinvointialue": "hyvinvointialue",
    "muu": "muu organisaatio",
}


@dataclass(frozen=True)
class Term:
    """One class of a taxonomy: a service sector, a theme or a region."""

    id: str
    name: str
    description: str = ""
    source: str = ""


@dataclass
class Taxonomy:
    """Service sectors, themes or regions, in the order the file lists them."""

    kind: str
    title: str
    description: str = ""
    items: dict[str, Term] = field(default_factory=dict)

    def name(self, term_id: str) -> str:
        term = self.items.get(term_id)
        return term.name if term else term_id


@dataclass(frozen=True)
class Source:
    """The document a record was written from."""

    document: str
    title: str
    note: str = ""


@dataclass
class Organisation:
    """An organisation that publishes practices."""

    id: str
    name: str
    type: str
    region: str
    website: str = ""
    description: str = ""
    source: Source | None = None
    path: str = ""

    @property
    def type_label(self) -> str:
        return ORGANISATION_TYPES.get(self.type, self.type)


@dataclass(frozen=True)
class Contact:
    name: str
    role: str = ""
    email: str = ""


@dataclass(frozen=True)
class Link:
    title: str
    url: str


@dataclass
class Practice:
    """A development practice (kehittämisteko)."""

    id: str
    title: str
    summary: str
    organisation: str
    sectors: tuple[str, ...]
    themes: tuple[str, ...]
    published: date
    actions: str
    published_precision: str = "day"
    # When the registry received the record (intake, issue, `kehto new`); None for records
    # written before routes set it. Campaigns count their yield by this, not by `published`.
    submitted: date | None = None
    background: str = ""
    results: str = ""
    tips: str = ""
    contact: Contact | None = None
    links: tuple[Link, ...] = ()
    keywords: tuple[str, ...] = ()
    support_categories: tuple[str, ...] = ()
    source: Source | None = None
    path: str = ""

    @property
    def year(self) -> int:
        return self.published.year


def source_from(data: dict | None) -> Source | None:
    if not data:
        return None
    return Source(data["document"], data["title"], data.get("note", ""))


def practice_from(data: dict, path: str = "") -> Practice:
    """A :class:`Practice` from a schema-valid record (the date already checked)."""
    contact = data.get("contact")
    return Practice(
        id=data["id"],
        title=data["title"].strip(),
        summary=data["summary"].strip(),
        organisation=data["organisation"],
        sectors=tuple(data["sectors"]),
        themes=tuple(data["themes"]),
        published=date.fromisoformat(data["published"]),
        published_precision=data.get("published_precision", "day"),
        submitted=date.fromisoformat(data["submitted"]) if data.get("submitted") else None,
        background=data.get("background", ""),
        actions=data["actions"],
        results=data.get("results", ""),
        tips=data.get("tips", ""),
        contact=Contact(contact["name"], contact.get("role", ""), contact.get("email", "")) if contact else None,
        links=tuple(Link(link["title"], link["url"]) for link in data.get("links", [])),
        keywords=tuple(data.get("keywords", [])),
        support_categories=tuple(data.get("support_categories", [])),
        source=source_from(data.get("source")),
        path=path,
    )


def organisation_from(data: dict, path: str = "") -> Organisation:
    """An :class:`Organisation` from a schema-valid record."""
    return Organisation(
        id=data["id"], name=data["name"].strip(), type=data["type"], region=data["region"],
        website=data.get("website", ""), description=data.get("description", ""),
        source=source_from(data.get("source")), path=path,
    )


def taxonomy_from(kind: str, data: dict) -> Taxonomy:
    """A :class:`Taxonomy` from a schema-valid taxonomy file."""
    items = {}
    for item in data["items"]:
        items.setdefault(item["id"], Term(item["id"], item["name"], item.get("description", ""),
                                          item.get("source", "")))
    return Taxonomy(kind, data["title"], data.get("description", ""), items)
