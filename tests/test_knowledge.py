"""The knowledge base on the bundled content: pages, links both ways, downloads, print view, search."""

from __future__ import annotations

import csv
import io
import re
import zipfile

import pytest
from openpyxl import load_workbook

from browser import open_site
from conftest import REPO
from kehto import validate
from kehto.knowledge import PLAN_COLUMNS
from kehto.load import Project

LABELS = [label for _, label in PLAN_COLUMNS]


@pytest.fixture(scope="module")
def registry():
    registry, report = validate.build(Project(REPO))
    assert report.ok
    return registry


def _html(site, path: str) -> str:
    return (site / path / "index.html").read_text(encoding="utf-8")


def test_the_seed_records_are_there(registry):
    assert [c.id for c in registry.support_menu.categories] == [
        "johtaminen-ja-tyoyhteiso", "henkilostosuunnittelu-ja-palvelussuhde", "osaaminen-ja-pedagogiikka", "talous",
        "viestinta"]
    assert [s.title for s in registry.question_banks["vatupassi"].sections] == [
        "Tiedänkö?", "Osaanko?", "Kykenenkö?", "Haluanko?"]
    assert len(registry.processes["helsinki-kohdennettu-tyoyhteisotuki"].steps) == 4
    assert registry.processes["helsinki-kohdennettu-tyoyhteisotuki"].variants[0].title.startswith("Kevennetty malli")
    assert len(registry.processes["kunteko-kehittamispolku"].steps) == 4
    assert {"pello-jatkuva-kehittaminen", "verme-vertaisryhmamentorointi", "vatupassi-keskustelu"} <= set(
        registry.processes)
    assert {row.get("urgency") for row in registry.plans["kuopio-lastensuojelu-2020-2022"].rows} == {1, 2, 3, None}
    for record in [*registry.question_banks.values(), *registry.processes.values(), *registry.plans.values()]:
        assert record.source and record.source.document.endswith(".txt"), record.id


@pytest.mark.parametrize("practice, target", [
    ("helsinki-kohdennettu-tyoyhteisotuki", "prosessit/helsinki-kohdennettu-tyoyhteisotuki/"),
    ("evira-vatupassi", "kysymykset/vatupassi/"),
    ("evira-vatupassi", "prosessit/vatupassi-keskustelu/"),
    ("oulu-vertaisryhmamentorointi-verme", "prosessit/verme-vertaisryhmamentorointi/"),
    ("pello-tyohyvinvoinnin-jatkuva-kehittaminen", "kysymykset/pello-kehittamiskysymykset/"),
    ("kuopio-lastensuojelu-toimenpideohjelma", "pohjat/kehittamissuunnitelma/kuopio-lastensuojelu-2020-2022/"),
])
def test_practices_and_knowledge_link_both_ways(real_site, practice, target):
    assert f'href="../../{target}"' in _html(real_site, f"teot/{practice}")
    depth = "../" * target.count("/")
    assert f'href="{depth}teot/{practice}/"' in _html(real_site, target.rstrip("/"))


def test_support_category_links_practices_and_methods(real_site):
    html = _html(real_site, "tukivalikko")
    section = html.split('id="johtaminen-ja-tyoyhteiso"', 1)[1].split("</section>", 1)[0]
    assert 'href="../teot/arkea-hr-lahituki-esihenkiloille/"' in section
    assert 'href="../prosessit/helsinki-kohdennettu-tyoyhteisotuki/"' in section
    assert 'href="../kysymykset/varhaisen-tuen-kysymykset/"' in section
    practice = _html(real_site, "teot/arkea-hr-lahituki-esihenkiloille")
    assert 'href="../../kysymykset/varhaisen-tuen-kysymykset/"' in practice  # shared support category


def test_steps_name_their_question_banks_and_templates(real_site):
    html = _html(real_site, "prosessit/pello-jatkuva-kehittaminen")
    workshop = html.split('id="vaihe-6"', 1)[1].split("</li>\n", 1)[0]
    assert 'href="../../kysymykset/pello-kehittamiskysymykset/"' in workshop
    assert 'href="../../pohjat/kehittamissuunnitelma/"' in workshop
    assert html.count('class="kehto-step"') == 7 and "Roolit ja vastuut" in html


def test_plan_template_downloads_have_the_columns(real_site):
    folder = real_site / "pohjat/kehittamissuunnitelma"
    book = load_workbook(folder / "kehittamissuunnitelma.xlsx")
    sheet = book["Kehittämissuunnitelma"]
    assert [c.value for c in sheet[1]] == LABELS
    assert sheet.freeze_panes == "A2"
    assert all(cell.value is None for row in sheet.iter_rows(min_row=2) for cell in row)  # an empty template
    (rule,) = sheet.data_validations.dataValidation
    assert (rule.type, rule.formula1, rule.formula2) == ("whole", "1", "3") and "G2" in str(rule.sqref)
    assert book["Ohje"]["A1"].value == "Kehittämissuunnitelman pohja"
    text = (folder / "kehittamissuunnitelma.csv").read_text(encoding="utf-8-sig")
    assert next(csv.reader(io.StringIO(text), delimiter=";")) == LABELS


def test_worked_example_plan(real_site, registry):
    plan = registry.plans["kuopio-lastensuojelu-2020-2022"]
    folder = real_site / "pohjat/kehittamissuunnitelma/kuopio-lastensuojelu-2020-2022"
    sheet = load_workbook(folder / "kehittamissuunnitelma.xlsx")["Kehittämissuunnitelma"]
    values = [[c.value for c in row] for row in sheet.iter_rows(min_row=2, max_row=1 + len(plan.rows))]
    assert [v[0] for v in values] == [row["target"] for row in plan.rows]
    assert [v[LABELS.index("Kiireellisyys (1–3)")] for v in values] == [row.get("urgency") for row in plan.rows]
    rows = list(csv.reader(io.StringIO((folder / "kehittamissuunnitelma.csv").read_text(encoding="utf-8-sig")),
                           delimiter=";"))
    assert rows[0] == LABELS and len(rows) == len(plan.rows) + 1
    html = _html(real_site, "pohjat/kehittamissuunnitelma/kuopio-lastensuojelu-2020-2022")
    assert html.count('<th scope="row">') == len(plan.rows) and "1 – heti" in html


@pytest.mark.browser
def test_question_bank_prints_as_cards_without_site_chrome(real_site, registry):
    bank = registry.question_banks["pello-kehittamiskysymykset"]
    questions = [q.text for s in bank.sections for q in s.questions]
    with open_site(real_site) as (base, page, errors):
        page.goto(base + "kysymykset/pello-kehittamiskysymykset/")
        assert page.locator(".md-header").is_visible()  # on screen the site is all there
        page.emulate_media(media="print")
        for chrome in (".md-header", ".md-tabs", ".md-sidebar--primary", ".md-footer", "nav.md-nav",
                       ".kehto-header-search", "button"):
            assert all(not item.is_visible() for item in page.locator(chrome).all()), chrome
        shown = page.locator(".kehto-question__text").all_inner_texts()
        assert shown == questions
        cards = page.locator("li.kehto-question")
        assert cards.count() == len(questions) == bank.question_count
        style = cards.first.evaluate("e => [getComputedStyle(e).breakInside, getComputedStyle(e).borderTopStyle]")
        assert style == ["avoid", "solid"]
        # every card names its section, so a card still makes sense on its own
        assert cards.first.locator(".kehto-question__section").inner_text() == bank.sections[0].title.upper()
        assert errors == []


@pytest.mark.browser
def test_a_question_finds_its_bank_and_the_kind_filter_narrows(real_site):
    with open_site(real_site) as (base, page, errors):
        page.goto(base + "haku/?q=" + "Mitä hyvä työkyky tarkoittaa sinulle")
        page.wait_for_function("document.getElementById('kehto-search').dataset.state === 'done'", timeout=15000)
        links = page.locator("#kehto-results .kehto-result__title a").evaluate_all("a => a.map(x => x.href)")
        assert any(link.endswith("/kysymykset/varhaisen-tuen-kysymykset/") for link in links[:3]), links
        page.goto(base + "haku/?q=VaTuPassi&tyyppi=prosessikuvaus")
        page.wait_for_function("document.getElementById('kehto-search').dataset.state === 'done'", timeout=15000)
        links = page.locator("#kehto-results .kehto-result__title a").evaluate_all("a => a.map(x => x.href)")
        assert links and all("/prosessit/" in link for link in links), links
        assert any(link.endswith("/prosessit/vatupassi-keskustelu/") for link in links)
        meta = page.locator("#kehto-results .kehto-result__meta").first.inner_text()
        assert meta.startswith("Prosessikuvaus")
        assert page.locator("#kehto-f-tyyppi").input_value() == "prosessikuvaus"
        assert errors == []


def test_kind_filter_counts_on_the_search_page(real_site, registry):
    html = _html(real_site, "haku")
    select = html.split('id="kehto-f-tyyppi"', 1)[1].split("</select>", 1)[0]
    options = re.findall(r'<option value="(\w+)" data-label="([^"]+)"[^>]*>[^(]+\((\d+)\)', select)
    assert options == [("kehittamisteko", "Kehittämisteko", str(len(registry.practices))),
                       ("prosessikuvaus", "Prosessikuvaus", str(len(registry.processes))),
                       ("kysymyspakka", "Kysymyspakka", str(len(registry.question_banks))),
                       ("kehittamissuunnitelma", "Kehittämissuunnitelma", str(len(registry.plans) + 1)),
                       ("tukivalikko", "Tukivalikko", "1")]


def test_the_workbook_is_reproducible():
    """Two builds a second apart give the same .xlsx bytes (no timestamps inside)."""
    import time

    from kehto.workbook import plan_xlsx

    first = plan_xlsx("Pohja")
    time.sleep(1.1)
    assert plan_xlsx("Pohja") == first


@pytest.mark.browser
def test_finnish_search_reaches_inside_the_knowledge_base(real_site):
    """A compound part finds a question bank whose text has it only inside longer words."""
    bank = (real_site / "kysymykset/varhaisen-tuen-kysymykset/index.html").read_text(encoding="utf-8")
    visible = bank.split('class="kehto-search-terms"', 1)[0] + bank.split('class="kehto-search-terms"', 1)[1].split("</p>", 1)[1]
    assert not re.search(r"\bkeskustelu\b", visible, re.I)  # only "kehityskeskusteluun" and the like
    with open_site(real_site) as (base, page, errors):
        page.goto(base + "haku/?q=keskustelu&tyyppi=kysymyspakka")
        page.wait_for_function("document.getElementById('kehto-search').dataset.state === 'done'", timeout=15000)
        links = page.locator("#kehto-results .kehto-result__title a").evaluate_all("a => a.map(x => x.href)")
        assert any(link.endswith("/kysymykset/varhaisen-tuen-kysymykset/") for link in links), links
        assert errors == []


def test_theme_pages_list_their_methods(real_site, registry):
    html = _html(real_site, "teemat/varhainen-tuki")
    methods = html.split('id="menetelmat"', 1)[1].split("</section>", 1)[0]
    expected = [g.id for g in registry.processes.values() if "varhainen-tuki" in g.themes] + [
        b.id for b in registry.question_banks.values() if "varhainen-tuki" in b.themes]
    assert len(expected) >= 3
    for record_id in expected:
        assert f"/{record_id}/" in methods, record_id
    assert 'href="../../teemat/varhainen-tuki/syote.xml" type="application/atom+xml">Tilaa teeman uudet teot' in html


@pytest.mark.browser
def test_the_plan_template_prints_as_a_blank_form(real_site):
    with open_site(real_site) as (base, page, errors):
        page.goto(base + "pohjat/kehittamissuunnitelma/")
        page.emulate_media(media="print")
        assert not page.locator(".md-header").is_visible() and not page.locator(".md-footer").is_visible()
        assert not page.locator(".kehto-downloads").is_visible()  # no buttons on paper
        table = page.locator("table.kehto-plan-table--blank")
        assert table.is_visible()
        assert table.locator("thead th").all_inner_texts() == LABELS
        assert table.locator("tbody tr").count() == 6
        assert errors == []


def test_workbook_cells_never_start_a_formula():
    """A plan title or row written as ``=HYPERLINK(...)`` stays text in the .xlsx: read back, the
    cell is a string (not a formula) holding exactly what the author wrote."""
    from kehto.workbook import plan_xlsx

    hostile = '=HYPERLINK("https://paha.example";"klikkaa")'
    rows = [{"target": hostile, "goal": "+358 40 123", "measure": "-1", "action": "@SUM(A1)",
             "responsible": "Tiimi", "urgency": 2}]
    data = plan_xlsx(hostile, rows, blank_rows=1)
    book = load_workbook(io.BytesIO(data))
    row = book["Kehittämissuunnitelma"][2]
    for cell, expected in zip(row[:4], (hostile, "+358 40 123", "-1", "@SUM(A1)")):
        assert (cell.value, cell.data_type, cell.quotePrefix) == (expected, "s", True)
    assert (row[4].value, row[4].quotePrefix) == ("Tiimi", False)
    assert row[LABELS.index("Kiireellisyys (1–3)")].value == 2
    title = book["Ohje"]["A1"]
    assert (title.value, title.data_type) == (hostile, "s")
    sheets = zipfile.ZipFile(io.BytesIO(data))
    assert not any(b"<f>" in sheets.read(name) for name in sheets.namelist() if name.startswith("xl/worksheets/"))
