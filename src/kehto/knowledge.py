"""The knowledge base: the support menu, guiding question banks, process guides and plans.

Practices are examples; these records are the method next to them. Each links
to practices by theme, support category or an explicit list of practice ids.
"""

from __future__ import annotations

from dataclasses import dataclass

from .model import Source, source_from

# The development plan's columns, in the order the sources use them (Pello's team
# plan and Kuopio's action programme): the template and every plan record share them.
PLAN_COLUMNS = (
    ("target", "Kehittämiskohde"),
    ("goal", "Tavoite"),
    ("measure", "Mittari"),
    ("action", "Käytännön toimenpide"),
    ("responsible", "Vastuuhenkilöt"),
    ("schedule", "Aikataulu"),
    ("urgency", "Kiireellisyys (1–3)"),
    ("follow_up", "Seuranta ja arviointi"),
)
URGENCY = {1: "1 – heti", 2: "2 – lähiaikoina", 3: "3 – myöhemmin"}
# Templates a process step can name; each has a page at urls.template(name).
TEMPLATES = {"kehittamissuunnitelma": "Kehittämissuunnitelman pohja"}


@dataclass(frozen=True)
class SupportAction:
    title: str
    what: str
    provider: str
    when: str


@dataclass(frozen=True)
class SupportCategory:
    id: str
    name: str
    description: str
    actions: tuple[SupportAction, ...]


@dataclass(frozen=True)
class SupportMenu:
    """What an HR unit offers work communities, by category (``data/support-menu.yml``)."""

    title: str
    description: str
    categories: tuple[SupportCategory, ...]
    source: Source | None = None
    path: str = ""

    def category(self, category_id: str) -> SupportCategory | None:
        return next((c for c in self.categories if c.id == category_id), None)


@dataclass(frozen=True)
class Question:
    text: str
    follow_up: tuple[str, ...] = ()


@dataclass(frozen=True)
class QuestionSection:
    title: str
    questions: tuple[Question, ...]
    intro: str = ""


@dataclass(frozen=True)
class QuestionBank:
    """Guiding questions for a team discussion, in sections (``data/questions/``)."""

    id: str
    title: str
    summary: str
    when: str
    sections: tuple[QuestionSection, ...]
    themes: tuple[str, ...] = ()
    support_categories: tuple[str, ...] = ()
    practices: tuple[str, ...] = ()
    source: Source | None = None
    path: str = ""

    @property
    def question_count(self) -> int:
        return sum(len(section.questions) for section in self.sections)


@dataclass(frozen=True)
class Step:
    title: str
    goal: str
    participants: str = ""
    duration: str = ""
    outputs: tuple[str, ...] = ()
    details: tuple[str, ...] = ()
    question_banks: tuple[str, ...] = ()
    templates: tuple[str, ...] = ()


@dataclass(frozen=True)
class Note:
    title: str
    text: str


@dataclass(frozen=True)
class ProcessGuide:
    """A step-by-step process (``data/processes/``)."""

    id: str
    title: str
    summary: str
    steps: tuple[Step, ...]
    variants: tuple[Note, ...] = ()
    roles: tuple[Note, ...] = ()
    themes: tuple[str, ...] = ()
    support_categories: tuple[str, ...] = ()
    practices: tuple[str, ...] = ()
    source: Source | None = None
    path: str = ""

    @property
    def question_banks(self) -> tuple[str, ...]:
        """Every question bank a step uses, in order of first use."""
        return tuple(dict.fromkeys(bank for step in self.steps for bank in step.question_banks))


@dataclass(frozen=True)
class Plan:
    """A filled-in development plan (``data/plans/``), in the template's columns."""

    id: str
    title: str
    organisation: str
    period: str
    summary: str
    rows: tuple[dict, ...]
    practice: str = ""
    source: Source | None = None
    path: str = ""


def support_menu_from(data: dict, path: str = "") -> SupportMenu:
    categories = tuple(
        SupportCategory(c["id"], c["name"], c["description"],
                        tuple(SupportAction(a["title"], a["what"], a["provider"], a["when"]) for a in c["actions"]))
        for c in data["categories"])
    return SupportMenu(data["title"], data["description"], categories, source_from(data.get("source")), path)


def question_bank_from(data: dict, path: str = "") -> QuestionBank:
    sections = tuple(
        QuestionSection(s["title"], tuple(Question(q["text"], tuple(q.get("follow_up", []))) for q in s["questions"]),
                        s.get("intro", ""))
        for s in data["sections"])
    return QuestionBank(data["id"], data["title"].strip(), data["summary"].strip(), data["when"], sections,
                        tuple(data.get("themes", [])), tuple(data.get("support_categories", [])),
                        tuple(data.get("practices", [])), source_from(data.get("source")), path)


def process_from(data: dict, path: str = "") -> ProcessGuide:
    steps = tuple(Step(s["title"], s["goal"], s.get("participants", ""), s.get("duration", ""),
                       tuple(s.get("outputs", [])), tuple(s.get("details", [])),
                       tuple(s.get("question_banks", [])), tuple(s.get("templates", [])))
                  for s in data["steps"])
    return ProcessGuide(
        data["id"], data["title"].strip(), data["summary"].strip(), steps,
        tuple(Note(v["title"], v["text"]) for v in data.get("variants", [])),
        tuple(Note(r["role"], r["tasks"]) for r in data.get("roles", [])),
        tuple(data.get("themes", [])), tuple(data.get("support_categories", [])), tuple(data.get("practices", [])),
        source_from(data.get("source")), path)


def plan_from(data: dict, path: str = "") -> Plan:
    return Plan(data["id"], data["title"].strip(), data["organisation"], data["period"], data["summary"].strip(),
                tuple(dict(row) for row in data["rows"]), data.get("practice", ""),
                source_from(data.get("source")), path)
