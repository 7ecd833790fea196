"""Every path of the site, built in one place.

Paths are site-root-relative directory URLs (``teot/<id>/``) or file paths
(``data/teot.json``). Python modules call these functions, kehto's templates
get this module as the global ``urls``, the theme's templates get
:func:`theme_paths` as ``config.extra.urls``, and the browser scripts get the
paths they need as data attributes rendered from here. Nothing else spells a
path, which ``tests/test_urls.py`` checks.
"""

from __future__ import annotations

# The folders of the site, by what they hold. Finnish, as the site's addresses are.
SECTIONS = {
    "practices": "teot/",
    "sectors": "palvelualat/",
    "themes": "teemat/",
    "organisations": "organisaatiot/",
    "lists": "listat/",
    "campaigns": "kampanjat/",
    "awards": "palkinnot/",
    "statistics": "tilastot/",
    "methods": "menetelmat/",
    "support_menu": "tukivalikko/",
    "question_banks": "kysymykset/",
    "processes": "prosessit/",
    "templates": "pohjat/",
    "search": "haku/",
    "submit": "lisaa/",
}
PAGE = "sivu/"  # the pages of a paginated listing: <base>sivu/2/
FEED = "syote.xml"
EXPORT_DIR = "data/"
PLAN_TEMPLATE = "kehittamissuunnitelma"
ASSETS = "assets/"  # the hand-written scripts and styles (content/assets/)
# The files beside a list's or campaign's page (the share image also beside the home page).
COLLECTION_FILES = {"json": "teot.json", "csv": "teot.csv", "newsletter_md": "uutiskirje.md.txt",
                    "newsletter_html": "uutiskirje.html", "newsletter_txt": "uutiskirje.txt",
                    "embed": "upotus.html", "share_image": "jako.png"}
CAMPAIGN_FILES = {"weeks": "viikot.csv", "organisations": "organisaatiot.csv"}
SEARCH_WORDS = "sanat.json"  # the search's word list for corrections, beside the search page
SEARCH_ORDER = "jarjestys.json"  # the search's sort orders (kehto.search_index), beside the search page
SEARCH_BUNDLE = "pagefind/"  # the search index and Pagefind's script (written by kehto.search)
SEARCH_LANGUAGE = "fi"  # the language Pagefind indexes in (kehto.search); it names the WebAssembly file
# A word every indexed page carries (hidden, last; the ``search_terms`` macro). The search page asks
# for it when there are only filters: Pagefind's search without words loads nearly every chunk
# of its word index (8.9 MB at 10,000 practices), this word's chunk is one (about 25 KB).
SEARCH_EVERY_PAGE = "xqkaikkixq"
# A filter kehto adds to the index after Pagefind (``search_index.mark_first_pages``): its one value
# holds the index's first pages, among which the search page looks for a common word's first results.
SEARCH_FIRST_PAGES = "alku"
# What the forms fetch while someone types, under the submit section (kehto.form_data).
FORM_LOOKUP_DIR = "haku/"
FORM_LOOKUPS = {"organisations": "organisaatiot/{key}.json", "titles": "nimet/{key}.json", "record": "tietueet/{id}.json"}


def section(name: str) -> str:
    """The index page of a section: ``section("practices")`` is ``teot/``."""
    return SECTIONS[name]


def home() -> str:
    return ""


def practices() -> str:
    return SECTIONS["practices"]


def practice(practice_id: str) -> str:
    return f"{SECTIONS['practices']}{practice_id}/"


def sector(term_id: str) -> str:
    return f"{SECTIONS['sectors']}{term_id}/"


def theme(term_id: str) -> str:
    return f"{SECTIONS['themes']}{term_id}/"


def theme_feed(term_id: str) -> str:
    return theme(term_id) + FEED


def organisation(org_id: str) -> str:
    return f"{SECTIONS['organisations']}{org_id}/"


def top_list(list_id: str) -> str:
    return f"{SECTIONS['lists']}{list_id}/"


def campaign(campaign_id: str) -> str:
    return f"{SECTIONS['campaigns']}{campaign_id}/"


def campaign_practices(campaign_id: str) -> str:
    """All practices of a campaign (its landing page shows the first few)."""
    return campaign(campaign_id) + SECTIONS["practices"]


def campaign_file(campaign_id: str, what: str) -> str:
    """A campaign's own table beside its page: ``weeks`` (yield per week) or ``organisations`` (leaderboard)."""
    return campaign(campaign_id) + CAMPAIGN_FILES[what]


def statistics_csv(table_id: str) -> str:
    return f"{SECTIONS['statistics']}{table_id}.csv"


def question_bank(bank_id: str) -> str:
    return f"{SECTIONS['question_banks']}{bank_id}/"


def process(guide_id: str) -> str:
    return f"{SECTIONS['processes']}{guide_id}/"


def template(name: str = PLAN_TEMPLATE) -> str:
    """A fill-in template's page (``pohjat/kehittamissuunnitelma/``)."""
    return f"{SECTIONS['templates']}{name}/"


def plan(plan_id: str) -> str:
    return f"{template()}{plan_id}/"


def plan_file(extension: str, plan_id: str | None = None) -> str:
    """The plan template (or one plan) as a download: ``extension`` is ``csv`` or ``xlsx``."""
    return (plan(plan_id) if plan_id else template()) + f"{PLAN_TEMPLATE}.{extension}"


def adopt() -> str:
    """The "we adopted this" form."""
    return SECTIONS["submit"] + "mallia/"


def correction() -> str:
    """The form that proposes a correction to a practice (``?teko=<id>``)."""
    return SECTIONS["submit"] + "korjaus/"


def submission_status() -> str:
    """The page that follows a submission sent to the intake service (``?kuitti=<receipt>``)."""
    return SECTIONS["submit"] + "tila/"


def form_lookup(what: str, **parts: str) -> str:
    """A small file the forms fetch while someone types (kehto.form_data): ``organisations`` and
    ``titles`` by ``key`` (the first letters), a practice's ``record`` by ``id``."""
    return SECTIONS["submit"] + FORM_LOOKUP_DIR + FORM_LOOKUPS[what].format(**parts)


def form_paths() -> dict[str, str]:
    """The paths the form scripts use, ``{key}`` and ``{id}`` left for the browser to fill in."""
    return {"organisations": form_lookup("organisations", key="{key}"), "titles": form_lookup("titles", key="{key}"),
            "record": form_lookup("record", id="{id}"), "practice": practice("{id}"),
            "organisation": organisation("{id}"), "form": SECTIONS["submit"], "adoption": adopt(),
            "correction": correction(), "status": submission_status()}


def search_bundle(name: str = "") -> str:
    """The search index's folder, or a file in it: ``search_bundle("pagefind.js")``."""
    return SEARCH_BUNDLE + name


def search_wasm() -> str:
    """Pagefind's WebAssembly for the index's language, which the search page preloads."""
    return search_bundle(f"wasm.{SEARCH_LANGUAGE}.pagefind")


def search_words() -> str:
    """The site's most common words, from which the search page suggests a correction ("Tarkoititko ...?")."""
    return SECTIONS["search"] + SEARCH_WORDS


def search_order() -> str:
    """The search's sort orders (page ids by publication date), fetched only when the user sorts."""
    return SECTIONS["search"] + SEARCH_ORDER


def feed() -> str:
    return FEED


def export(name: str) -> str:
    """A registry-wide export: ``export("json")`` is ``data/teot.json``; also ``csv`` and ``schema``."""
    return EXPORT_DIR + {"json": "teot.json", "csv": "teot.csv", "schema": "teot.schema.json"}[name]


def collection_file(base: str, what: str) -> str:
    """A file beside a list's or campaign's page ``base``: ``json``, ``csv``, the newsletter snippets
    ``newsletter_md``, ``newsletter_html`` and ``newsletter_txt``, the ``embed`` page and the ``share_image``."""
    return base + COLLECTION_FILES[what]


def share_image(base: str = "") -> str:
    """The share image (1200×630 PNG) of the page at ``base``; the home page's is every other page's."""
    return collection_file(base, "share_image")


def asset(name: str) -> str:
    """A hand-written script or style: ``asset("kehto-copy.js")`` is ``assets/kehto-copy.js``."""
    return ASSETS + name


def absolute(site_url: str, path: str) -> str:
    """The full address of a site path, for links that leave the site (feeds, snippets, embeds, share tags)."""
    return site_url.rstrip("/") + "/" + path.lstrip("/")


def paginated(base: str, number: int) -> str:
    """Page ``number`` of a listing at ``base`` (page 1 is ``base`` itself)."""
    return base if number == 1 else f"{base}{PAGE}{number}/"


def source(url: str) -> str:
    """The Markdown file of a page: ``teot/x/`` -> ``teot/x/index.md``."""
    return url + "index.md"


def url_of(src_uri: str) -> str:
    """``teot/x/index.md`` -> ``teot/x/`` (directory URLs)."""
    return "" if src_uri == "index.md" else src_uri[: -len("index.md")]


def theme_paths() -> dict[str, str]:
    """The paths the theme's own templates (overrides/) link to, as ``config.extra.urls``."""
    return {"search": SECTIONS["search"], "practices": practices(), "statistics": SECTIONS["statistics"],
            "awards": SECTIONS["awards"], "feed": feed(), "share_image": share_image(home())}


def not_in_nav(record_urls: list[str] = ()) -> list[str]:
    """Globs (gitignore style, as MkDocs' ``not_in_nav``) of the generated pages kept out of the nav:
    ``record_urls`` (a kind's record page with ``*`` for the id) and the pages not in the nav.

    Only for engines that read the pages as files; the MkDocs hook marks each
    generated file itself.
    """
    folders = ("practices", "sectors", "themes", "organisations", "lists", "campaigns")
    return ([f"/{SECTIONS[f]}*/" for f in folders]
            + [f"/{SECTIONS[s]}" for s in ("statistics", "awards", "support_menu", "question_banks", "processes",
                                             "templates")]
            + [f"/{url}" for url in (adopt(), correction(), submission_status())] + [f"/{url}" for url in record_urls])
