"""Every kind of record, declared once.

A :class:`Kind` says where a kind's files are, which schema checks them, how a
valid record becomes a model object, which fields name other records, which
dates must be real (and which must be Mondays), which other rules a schema
cannot state apply, where its page is, how the search labels and counts it,
how ``kehto list`` shows it, and whether an issue (its own GitHub issue form) can add it. Loading, validation,
references, the registry, the pages, the search and the CLI all iterate
:data:`KINDS`, so a new kind is a schema, one entry here, a dataclass with a
builder, and a template.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from . import comms, knowledge, model, synonyms, urls


@dataclass(frozen=True)
class IssueForm:
    """A kind's GitHub issue form (``kehto schema issue-form --kind``): its file and texts."""

    file: str  # the committed form under .github/ISSUE_TEMPLATE/
    name: str
    description: str
    title: str  # the issue title's prefix
    intro: str


@dataclass(frozen=True)
class Kind:
    """One kind of record."""

    name: str
    schema: str  # schemas/<schema>.schema.json
    file: str = ""  # the one file of the kind ...
    folder: str = ""  # ... or the folder with one file per record
    required: bool = True  # a missing single file is an error
    attribute: str = ""  # where the registry keeps the records (registry.of_kind(name))
    build: Callable[[dict, str], Any] | None = None  # valid document and its path -> model object
    references: tuple[tuple[str, str], ...] = ()  # (dotted field, ``*`` for list items; target kind)
    past_dates: tuple[str, ...] = ()  # dates that must exist and not be in the future
    calendar_dates: tuple[str, ...] = ()  # dates that must exist (may be ahead: a planned campaign)
    mondays: tuple[str, ...] = ()  # dates (dotted field, ``*`` for list items) that must fall on a Monday
    url: Callable[[str], str] | None = None  # record id -> page path (kehto.urls)
    search: tuple[str, str] | None = None  # the search's record-kind filter: (value, label)
    counted: tuple[str, str] = ()  # how the search counts it, one and several: "1 kysymyspakka", "3 kysymyspakkaa"
    search_pages: int = 0  # searchable pages of the kind beyond one per record (the plan template)
    # Its pages carry no kind filter value: the search counts them as the results less the other
    # kinds and filters them as "none of the others". One kind, the most numerous, so the kind
    # filter every search downloads does not grow with the registry (22 KB at 10 000 practices).
    search_unmarked: bool = False
    search_text: Callable[[Any], list[str]] | None = None  # texts the Finnish analysis reads for the page
    rules: Callable[[dict, Callable], None] | None = None  # checks a schema cannot express: (document, problem)
    listing: str = ""  # `kehto list <listing>`
    rows: Callable[[Any], list[tuple[str, str]]] | None = None  # `kehto list` of a one-file kind: record -> rows
    template: str = ""  # page template, for kinds whose page needs only the record (``record``)
    noun: tuple[str, str] = ("tietueen", "tietueesta")  # "tarkistin <noun[0]>", "kiitos <noun[1]>"
    by_issue: bool = False  # an issue (and the bot's pull request) can add records of this kind
    issue_form: IssueForm | None = None  # ... through its own issue form


def _bank_text(bank: knowledge.QuestionBank) -> list[str]:
    return [bank.title, bank.summary, bank.when] + [
        part for s in bank.sections for q in s.questions for part in (s.title, s.intro, q.text, *q.follow_up)]


def _process_text(guide: knowledge.ProcessGuide) -> list[str]:
    return [guide.title, guide.summary] + [
        part for step in guide.steps for part in (step.title, step.goal, step.participants, *step.details,
                                                   *step.outputs)] + [
        part for note in (*guide.variants, *guide.roles) for part in (note.title, note.text)]


def _plan_text(plan: knowledge.Plan) -> list[str]:
    return [plan.title, plan.summary] + [str(value) for row in plan.rows for value in row.values()]


def _menu_text(menu: knowledge.SupportMenu) -> list[str]:
    return [menu.title, menu.description] + [
        part for c in menu.categories for a in c.actions for part in (c.name, a.title, a.what, a.when)]


TAXONOMIES = {"sectors": "data/sectors.yml", "themes": "data/themes.yml", "regions": "data/regions.yml"}

# In this order the kinds are read, and shown in the search's record-kind filter.
KINDS: tuple[Kind, ...] = (
    *(Kind(name, "taxonomy", file=path, attribute=name, listing=name) for name, path in TAXONOMIES.items()),
    Kind("organisation", "organisation", folder="data/organisations", attribute="organisations",
         build=model.organisation_from, references=(("region", "regions"),), url=urls.organisation,
         listing="organisations", by_issue=True),
    Kind("practice", "practice", folder="practices", attribute="practices", build=model.practice_from,
         references=(("organisation", "organisation"), ("sectors.*", "sectors"), ("themes.*", "themes"),
                     ("support_categories.*", "support-category")),
         past_dates=("published", "submitted"), url=urls.practice, search=("kehittamisteko", "Kehittämisteko"),
         counted=("kehittämisteko", "kehittämistekoa"), listing="practices", noun=("kehittämisteon", "teosta"),
         search_unmarked=True, by_issue=True, issue_form=IssueForm(
             "kehittamisteko.yml", "Lisää kehittämisteko", "Kerro kehittämisteosta – ylläpitäjät lisäävät sen rekisteriin.",
             "Kehittämisteko: ",
             "Kerro kehittämisteosta: pakolliset kohdat ensin, muut tarpeen mukaan. Lomakkeen tiedot "
             "tarkistetaan automaattisesti, ja tarkistuksen tulos tulee kommenttina tähän issueen. "
             "Kun tiedot ovat kunnossa, teosta avataan pull request ylläpitäjien hyväksyttäväksi.")),
    Kind("list", "list", folder="data/lists", attribute="lists", build=comms.top_list_from,
         references=(("items.*.practice", "practice"),), past_dates=("published",), url=urls.top_list),
    Kind("adoption", "adoption", folder="data/adoptions", attribute="adoptions", build=comms.adoption_from,
         references=(("practice", "practice"), ("organisation", "organisation")), past_dates=("date", "submitted"),
         noun=("käyttöönoton", "käyttöönotosta"), by_issue=True, issue_form=IssueForm(
             "otettu-mallia.yml", "Otimme mallia", "Kerro, että organisaationne otti käyttöön toisen tekemän kehittämisteon.",
             "Otimme mallia: ",
             "Kerro, mistä kehittämisteosta organisaationne otti mallia. Tiedot tarkistetaan automaattisesti, "
             "ja tarkistuksen tulos tulee kommenttina tähän issueen. Kun tiedot ovat kunnossa, käyttöönotosta "
             "avataan pull request, ja se näkyy teon sivulla.")),
    Kind("campaign", "campaign", folder="data/campaigns", attribute="campaigns", build=comms.campaign_from,
         references=(("weekly.*.practice", "practice"),), calendar_dates=("start", "end"),
         mondays=("weekly.*.week_start",), url=urls.campaign,
         listing="campaigns"),
    Kind("award", "award", folder="data/awards", attribute="awards", build=comms.award_from,
         references=(("campaign", "campaign"), ("winners.*.practice", "practice"),
                     ("winners.*.organisation", "organisation")), past_dates=("date",)),
    Kind("process", "process", folder="data/processes", attribute="processes", build=knowledge.process_from,
         references=(("themes.*", "themes"), ("support_categories.*", "support-category"),
                     ("practices.*", "practice"), ("steps.*.question_banks.*", "question-bank")),
         url=urls.process, search=("prosessikuvaus", "Prosessikuvaus"), counted=("prosessikuvaus", "prosessikuvausta"),
         search_text=_process_text),
    Kind("question-bank", "question-bank", folder="data/questions", attribute="question_banks",
         build=knowledge.question_bank_from,
         references=(("themes.*", "themes"), ("support_categories.*", "support-category"),
                     ("practices.*", "practice")),
         url=urls.question_bank, search=("kysymyspakka", "Kysymyspakka"), counted=("kysymyspakka", "kysymyspakkaa"),
         search_text=_bank_text, listing="question-banks"),
    Kind("plan", "plan", folder="data/plans", attribute="plans", build=knowledge.plan_from,
         references=(("organisation", "organisation"), ("practice", "practice")), url=urls.plan,
         search=("kehittamissuunnitelma", "Kehittämissuunnitelma"),
         counted=("kehittämissuunnitelma", "kehittämissuunnitelmaa"), search_pages=1, search_text=_plan_text),
    Kind("support-menu", "support-menu", file="data/support-menu.yml", required=False, attribute="support_menu",
         build=knowledge.support_menu_from, url=lambda _id: urls.section("support_menu"),
         search=("tukivalikko", "Tukivalikko"), counted=("tukivalikko", "tukivalikkoa"), search_text=_menu_text),
    Kind("synonyms", "synonyms", file="data/synonyms.yml", required=False, build=synonyms.synonyms_from,
         rules=synonyms.check, listing="synonyms", rows=synonyms.Synonyms.rows),  # the search's terminology list
)


def kind(name: str) -> Kind:
    """The kind called ``name`` (KeyError for an unknown one)."""
    return {k.name: k for k in KINDS}[name]


def unmarked_search_kind() -> str:
    """The search's record-kind value of the kind whose pages carry none (``Kind.search_unmarked``)."""
    (value,) = [k.search[0] for k in KINDS if k.search and k.search_unmarked]
    return value


def issue_forms() -> dict[str, IssueForm]:
    """Kind name -> its issue form, for the kinds that have one."""
    return {k.name: k.issue_form for k in KINDS if k.issue_form}


def record_kinds() -> tuple[Kind, ...]:
    """Kinds whose records are built into the registry (not the taxonomies)."""
    return tuple(k for k in KINDS if k.build is not None)
