"""The submission form in real Chromium, as a contributor uses it."""

from __future__ import annotations

import string
from pathlib import Path
from datetime import date

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from browser import open_site
from conftest import build_site
from kehto import days, yamlio, yamlwrite
from kehto.cli import main
from kehto.load import Project
from kehto.submit import check_record

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def form_page(example_site):
    with open_site(example_site) as (base, page, errors):
        page.goto(base + "lisaa/")
        page.wait_for_function("document.getElementById('kehto-form').dataset.ready === 'true'")
        yield base, page, errors


def _submit(page, form="#kehto-practice-form", root="#kehto-form"):
    """Press the form's submit button and wait until the form has handled it (the checks are asynchronous)."""
    before = page.get_attribute(root, "data-checked") or "0"
    page.click(f"{form} button[type=submit]")
    page.wait_for_function(f"(document.querySelector('{root}').dataset.checked || '0') !== '{before}'")


def _submit_adoption(page):
    _submit(page, "#kehto-adopt-form", "#kehto-adopt")


def test_fill_mistake_reload_and_submit(form_page, registry_dir, tmp_path):
    base, page, errors = form_page
    page.fill("#f-title", "Kesätyöntekijöiden yhteinen aloituspäivä")
    assert page.input_value("#f-id") == "kesatyontekijoiden-yhteinen-aloituspaiva"  # proposed, ä → a
    page.fill("#f-summary", "Liian lyhyt")
    _submit(page)
    error = page.locator("#f-summary-error")
    assert error.is_visible() and error.inner_text() == "Teksti on liian lyhyt: 11 merkkiä, vähintään 30."
    assert page.get_attribute("#f-summary", "aria-invalid") == "true"
    assert page.evaluate("document.activeElement.id") == "kehto-form-summary"
    assert "Tiivistelmä: Teksti on liian lyhyt" in page.inner_text("#kehto-form-summary")
    assert page.locator("#f-organisation-error").inner_text() == "Tämä tieto on pakollinen."
    # fix it as a user would
    page.fill("#f-summary", "Kesätyöntekijät perehdytetään yhteisessä aloituspäivässä ja vertaisparin tuella.")
    assert not page.locator("#f-summary-error").is_visible()
    assert page.inner_text("#f-summary-count") == "80 / 300 merkkiä"
    page.fill("#f-organisation", "Testikunta")
    page.check("#f-sectors-koko-kunta")
    page.check("#f-themes-perehdytys")
    page.fill("#f-published", "2024-06-01")
    page.fill("#f-actions", "Aloituspäivä koottiin yhdessä yksiköiden kanssa.\n\n- vertaispari\n- tarkistuslista")
    page.click("details[data-group=contact] summary")
    page.fill("#f-contact-name", "Maija Meikäläinen")
    page.wait_for_timeout(400)  # the draft is saved 300 ms after typing stops
    page.reload()
    page.wait_for_function("document.getElementById('kehto-form').dataset.ready === 'true'")
    assert page.input_value("#f-title") == "Kesätyöntekijöiden yhteinen aloituspäivä"
    assert page.input_value("#f-summary").startswith("Kesätyöntekijät perehdytetään")
    assert page.input_value("#f-organisation") == "Testikunta"
    assert page.is_checked("#f-sectors-koko-kunta") and page.is_checked("#f-themes-perehdytys")
    assert page.input_value("#f-contact-name") == "Maija Meikäläinen"
    assert page.input_value("#f-actions").endswith("- tarkistuslista")
    _submit(page)
    assert page.locator("#kehto-result").is_visible()
    assert page.evaluate("document.activeElement.id") == "kehto-result-heading"
    yaml_text = page.inner_text("#kehto-yaml")
    pr = page.get_attribute("#kehto-pr-link", "href")
    assert pr.startswith("https://github.com/kehto-rekisteri/kehto/new/main?filename=practices%2Fkesatyontekijoiden")
    # the file the form produced passes kehto validate and builds into a page
    target = registry_dir / "practices/kesatyontekijoiden-yhteinen-aloituspaiva.yml"
    target.write_text(yaml_text, encoding="utf-8")
    assert main(["--root", str(registry_dir), "validate", str(target)]) == 0
    build_site(registry_dir, tmp_path / "site")
    html = (tmp_path / "site/teot/kesatyontekijoiden-yhteinen-aloituspaiva/index.html").read_text(encoding="utf-8")
    assert "Kesätyöntekijöiden yhteinen aloituspäivä" in html and "Maija Meikäläinen" in html
    assert errors == []


def test_clear_empties_the_form_and_the_draft(form_page):
    base, page, errors = form_page
    page.fill("#f-title", "Jotain kirjoitettua")
    page.wait_for_timeout(400)
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("#kehto-clear")
    assert page.input_value("#f-title") == ""
    assert page.input_value("#f-published") == days.today().isoformat()  # today again, not blank
    page.reload()
    page.wait_for_function("document.getElementById('kehto-form').dataset.ready === 'true'")
    assert page.input_value("#f-title") == ""
    assert errors == []


def test_unknown_organisation_and_duplicate_title_are_pointed_out(form_page):
    base, page, errors = form_page
    page.fill("#f-title", "Sähköinen perehdytys-kansio")
    page.press("#f-title", "Tab")
    page.wait_for_selector("#f-title-duplicate a")
    assert page.inner_text("#f-title-duplicate a") == "Sähköinen perehdytyskansio"
    page.fill("#f-organisation", "Kuvitteellinen kunta")
    page.press("#f-organisation", "Tab")
    assert "Organisaatiota ei löydy rekisteristä" in page.inner_text("#f-organisation-error")
    assert errors == []


_safe_char = st.characters(exclude_categories=("Cs", "Cc"), exclude_characters="\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_line = st.text(_safe_char, min_size=1, max_size=60)
_prose = st.lists(st.one_of(_line, st.just(""), st.just("- kohta"), st.just("  sisennetty")), min_size=1,
                  max_size=6).map("\n".join)


@st.composite
def practices(draw):
    record = {
        "id": draw(st.from_regex(r"[a-z0-9]{3,12}(-[a-z0-9]{1,8}){0,3}", fullmatch=True)),
        "title": draw(st.text(_safe_char, min_size=5, max_size=120)),
        "summary": draw(st.text(_safe_char, min_size=30, max_size=300)),
        "organisation": draw(st.sampled_from(["esimerkkikaupunki", "testikunta"])),
        "sectors": draw(st.lists(st.sampled_from(["opetus-ja-kasvatus", "sosiaali-ja-terveysala", "koko-kunta"]),
                                 min_size=1, max_size=3, unique=True)),
        "themes": draw(st.lists(st.sampled_from(["tyohyvinvointi", "perehdytys", "vertaistuki-ja-mentorointi"]),
                                min_size=1, max_size=3, unique=True)),
        "published": draw(st.dates(date(2000, 1, 1), date(2025, 12, 31))).isoformat(),
        "actions": draw(_prose.filter(lambda t: len(t) >= 30)),
    }
    for key in ("background", "results", "tips"):
        if draw(st.booleans()):
            record[key] = draw(_prose)
    if draw(st.booleans()):
        record["contact"] = {"name": draw(st.text(_safe_char, min_size=2, max_size=40))}
    if draw(st.booleans()):
        record["links"] = [{"title": draw(st.text(_safe_char, min_size=2, max_size=40)),
                            "url": "https://esimerkki.fi/" + draw(st.text(string.ascii_letters, max_size=10))}]
    if draw(st.booleans()):
        record["keywords"] = draw(st.lists(st.text(_safe_char, min_size=2, max_size=20), max_size=4, unique=True))
    return record


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(record=practices())
def test_form_yaml_round_trips_any_valid_practice(form_page, registry_dir, record):
    _, report = check_record(Project(registry_dir), record)
    assume(report.ok)
    base, page, errors = form_page
    text = page.evaluate("record => window.kehtoForm.toYaml(record)", record)
    loaded = yamlio.parse(text).data
    assert loaded == record
    assert yamlio.parse(yamlwrite.dump(loaded)).data == record


def test_new_organisation_is_proposed_as_its_own_file(form_page):
    base, page, errors = form_page
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("#kehto-clear")
    page.fill("#f-title", "Uuden organisaation teko")
    page.fill("#f-summary", "Organisaatio, jota ei vielä ole rekisterissä, kertoo ensimmäisen tekonsa.")
    page.fill("#f-organisation", "Pohjoisen hyvinvointialue")
    page.press("#f-organisation", "Tab")  # leave the field, closing its suggestion list
    page.keyboard.press("Space")  # the next control is the "not in the list" checkbox
    assert page.is_checked("#kehto-new-org")
    assert page.input_value("#f-new-org-name") == "Pohjoisen hyvinvointialue"
    page.check("#f-sectors-koko-kunta")
    page.check("#f-themes-tyohyvinvointi")
    page.fill("#f-actions", "Kuvaus siitä, mitä tehtiin, riittävän pitkästi.")
    _submit(page)
    assert "Kerro uuden organisaation tyyppi, maakunta." in page.inner_text("#f-new-org-error")
    page.select_option("#f-new-org-type", "hyvinvointialue")
    page.select_option("#f-new-org-region", "pohjois-pohjanmaa")
    _submit(page)
    assert 'organisation: "pohjoisen-hyvinvointialue"' in page.inner_text("#kehto-yaml")
    org_yaml = yamlio.parse(page.inner_text("#kehto-org-yaml")).data
    assert org_yaml == {"id": "pohjoisen-hyvinvointialue", "name": "Pohjoisen hyvinvointialue",
                        "type": "hyvinvointialue", "region": "pohjois-pohjanmaa"}
    assert page.inner_text("#kehto-org-yaml-name") == "data/organisations/pohjoisen-hyvinvointialue.yml"
    assert errors == []


def test_adoption_form_from_a_practice_page(form_page, registry_dir, tmp_path):
    """"Otimme mallia tästä" on a practice page → the small form, prefilled; mistakes; draft; valid file."""
    base, page, errors = form_page
    page.goto(base + "teot/perehdytyskansio/")
    page.click("text=Otimme mallia tästä")
    page.wait_for_url("**/lisaa/mallia/?teko=perehdytyskansio")
    page.wait_for_function("document.getElementById('kehto-adopt').dataset.ready === 'true'")
    assert page.input_value("#a-practice") == "Sähköinen perehdytyskansio"
    assert page.input_value("#a-date") == days.today().isoformat()
    page.fill("#a-organisation", "Esimerkkikaupunki")  # the practice's own organisation
    page.fill("#a-date", "2999-01-01")
    _submit_adoption(page)
    assert page.inner_text("#a-organisation-error") == "Organisaatio ei voi ottaa mallia omasta teostaan."
    assert page.inner_text("#a-date-error").startswith("Päivämäärä on tulevaisuudessa.")
    assert page.evaluate("document.activeElement.id") == "kehto-adopt-summary"
    assert page.locator("#kehto-adopt-result").is_hidden()
    page.fill("#a-organisation", "Testikunta")
    page.fill("#a-date", "2023-05-01")
    page.fill("#a-note", "Otimme rungon käyttöön.")
    page.reload()  # the draft survives a reload
    page.wait_for_function("document.getElementById('kehto-adopt').dataset.ready === 'true'")
    assert page.input_value("#a-organisation") == "Testikunta" and page.input_value("#a-note") == "Otimme rungon käyttöön."
    _submit_adoption(page)
    assert page.locator("#kehto-adopt-result").is_visible()
    assert page.inner_text("#kehto-adopt-name") == "data/adoptions/perehdytyskansio-testikunta.yml"
    text = page.inner_text("#kehto-adopt-yaml")
    assert "/new/main?filename=data%2Fadoptions%2Fperehdytyskansio-testikunta.yml" in page.get_attribute(
        "#kehto-adopt-pr-link", "href")
    assert errors == []
    target = registry_dir / "data/adoptions/perehdytyskansio-testikunta.yml"
    target.parent.mkdir(parents=True)
    target.write_text(text, encoding="utf-8")
    assert main(["--root", str(registry_dir), "validate", str(target)]) == 0
    assert yamlio.parse(text).data == {"id": "perehdytyskansio-testikunta", "practice": "perehdytyskansio",
                                       "organisation": "testikunta", "date": "2023-05-01",
                                       "submitted": days.today().isoformat(), "note": "Otimme rungon käyttöön."}


def _fresh(page, base):
    page.goto(base + "lisaa/")
    page.wait_for_function("document.getElementById('kehto-form').dataset.ready === 'true'")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("#kehto-clear")


def _fill_required(page, title):
    page.fill("#f-title", title)
    page.fill("#f-summary", "Kesätyöntekijät perehdytetään yhteisessä aloituspäivässä ja vertaisparin tuella.")
    page.fill("#f-organisation", "Testikunta")
    page.check("#f-sectors-koko-kunta")
    page.check("#f-themes-perehdytys")
    page.fill("#f-actions", "Aloituspäivä koottiin yhdessä yksiköiden kanssa ja sitä kehitetään palautteen pohjalta.")


def test_keywords_are_limited_one_by_one_not_as_a_line(form_page, registry_dir):
    """The comma-separated line may be longer than one keyword's limit: nothing is cut silently."""
    base, page, errors = form_page
    _fresh(page, base)
    _fill_required(page, "Asiasanojen pituuden testi")
    page.click("details[data-group=keywords] summary")
    words = ["perehdytys", "kesätyöntekijät", "vertaispari", "aloituspäivä", "tarkistuslista", "palaute"]
    page.fill("#f-keywords", ", ".join(words))
    assert len(page.input_value("#f-keywords")) > 60
    help_text = page.inner_text("#f-keywords-help")
    assert help_text.count("pilkulla") == 1
    _submit(page)
    text = page.inner_text("#kehto-yaml")
    assert yamlio.parse(text).data["keywords"] == words
    target = registry_dir / "practices/asiasanojen-pituuden-testi.yml"
    target.write_text(text, encoding="utf-8")
    assert main(["--root", str(registry_dir), "validate", str(target)]) == 0
    page.fill("#f-keywords", "perehdytys, " + "a" * 61)
    _submit(page)
    assert page.inner_text("#f-keywords-error") == "Teksti on liian pitkä: 61 merkkiä, enintään 60."
    assert errors == []


@pytest.mark.parametrize(("precision", "typed", "published"), [("month", "2023-04", "2023-04-01"), ("year", "2019", "2019-01-01")])
def test_a_date_known_to_the_month_or_year(form_page, registry_dir, precision, typed, published):
    base, page, errors = form_page
    _fresh(page, base)
    _fill_required(page, f"Tarkkuuden testi {precision}")
    page.select_option("#f-published-precision", precision)
    assert page.get_attribute("#f-published", "type") == ("month" if precision == "month" else "number")
    page.fill("#f-published", typed)
    _submit(page)
    text = page.inner_text("#kehto-yaml")
    data = yamlio.parse(text).data
    assert (data["published"], data["published_precision"]) == (published, precision)
    target = registry_dir / f"practices/{data['id']}.yml"
    target.write_text(text, encoding="utf-8")
    assert main(["--root", str(registry_dir), "validate", str(target)]) == 0
    page.reload()  # the draft keeps the precision and the value
    page.wait_for_function("document.getElementById('kehto-form').dataset.ready === 'true'")
    assert page.input_value("#f-published-precision") == precision and page.input_value("#f-published") == typed
    assert errors == []


def test_optional_section_headings_keep_their_icon_beside_the_text(form_page):
    base, page, errors = form_page
    box = page.evaluate("""() => {
        const summary = document.querySelector('details[data-group=contact] summary');
        const icon = getComputedStyle(summary, '::before');
        const style = getComputedStyle(summary);
        return {iconRight: parseFloat(icon.left) + parseFloat(icon.width), textLeft: parseFloat(style.paddingLeft),
                content: icon.content};
    }""")
    assert box["content"] != "none"  # Material's icon is there ...
    assert box["iconRight"] <= box["textLeft"]  # ... and ends before the text begins


def test_a_new_organisation_travels_with_its_practice_on_every_route(form_page):
    base, page, errors = form_page
    _fresh(page, base)
    _fill_required(page, "Uuden organisaation reitit")
    page.fill("#f-organisation", "Pohjoisen pikkukunta")
    page.check("#kehto-new-org")
    page.select_option("#f-new-org-type", "kunta")
    page.select_option("#f-new-org-region", "pohjois-pohjanmaa")
    _submit(page)
    # a GitHub new-file link carries one file: not offered, and the page says why
    assert page.locator("#kehto-send-pr").is_hidden()
    assert "vain yhden tiedoston" in page.inner_text("#kehto-pr-one-file")
    issue = page.get_attribute("#kehto-issue-link", "href")
    from urllib.parse import parse_qs, urlparse
    body = parse_qs(urlparse(issue).query)["body"][0]
    practice, organisation = body.split("```yaml\n", 1)[1].split("```", 1)[0].split("\n# --- data/organisations/pohjoisen-pikkukunta.yml\n")
    assert yamlio.parse(practice).data["organisation"] == "pohjoisen-pikkukunta"
    assert "submitted" not in yamlio.parse(practice).data  # the issue's own creation day is used
    assert yamlio.parse(organisation).data["name"] == "Pohjoisen pikkukunta"
    # the download: two files, each as it goes into the repository
    with page.expect_download() as first:
        page.click("#kehto-download")
    with page.expect_download() as second:
        page.click("#kehto-download-org")
    assert first.value.suggested_filename == "uuden-organisaation-reitit.yml"
    assert second.value.suggested_filename == "pohjoisen-pikkukunta.yml"
    downloaded = yamlio.parse(Path(first.value.path()).read_text(encoding="utf-8")).data
    assert downloaded["submitted"] == days.today().isoformat()
    assert yamlio.parse(Path(second.value.path()).read_text(encoding="utf-8")).data["id"] == "pohjoisen-pikkukunta"
    assert errors == []


def test_correction_form_without_the_service(form_page, registry_dir):
    base, page, errors = form_page
    page.goto(base + "teot/perehdytyskansio/")
    page.click("text=Ehdota korjausta tähän tekoon")
    page.wait_for_url("**/lisaa/korjaus/?teko=perehdytyskansio")
    page.wait_for_function("document.getElementById('kehto-form').dataset.ready === 'true'")
    assert page.input_value("#f-title") == "Sähköinen perehdytyskansio"
    assert page.input_value("#f-organisation") == "esimerkkikaupunki"
    assert page.is_checked("#f-themes-perehdytys")
    page.fill("#f-title", "Sähköinen perehdytyskansio intrassa")
    _submit(page)
    assert page.inner_text("#f-message-error") == "Kerro, mitä pitää korjata."
    page.fill("#f-message", "Kansio on nykyään intrassa.")
    _submit(page)
    text = page.inner_text("#kehto-yaml")
    assert page.inner_text("#kehto-yaml-name") == "practices/perehdytyskansio.yml"
    assert page.get_attribute("#kehto-pr-link", "href").endswith("/edit/main/practices/perehdytyskansio.yml")
    assert "Kansio%20on%20nyky%C3%A4%C3%A4n%20intrassa." in page.get_attribute("#kehto-issue-link", "href")
    target = registry_dir / "practices/perehdytyskansio.yml"
    target.write_text(text, encoding="utf-8")
    assert main(["--root", str(registry_dir), "validate"]) == 0
    assert yamlio.parse(text).data["title"] == "Sähköinen perehdytyskansio intrassa"
    assert errors == []


def test_adoption_form_downloads_its_file(form_page, registry_dir):
    base, page, errors = form_page
    page.goto(base + "lisaa/mallia/?teko=perehdytyskansio")
    page.wait_for_function("document.getElementById('kehto-adopt').dataset.ready === 'true'")
    page.fill("#a-organisation", "Testikunta")
    page.fill("#a-date", "2023-05-01")
    _submit_adoption(page)
    with page.expect_download() as download:
        page.click("#kehto-adopt-download")
    assert download.value.suggested_filename == "perehdytyskansio-testikunta.yml"
    target = registry_dir / "data/adoptions/perehdytyskansio-testikunta.yml"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(Path(download.value.path()).read_text(encoding="utf-8"), encoding="utf-8")
    assert main(["--root", str(registry_dir), "validate", str(target)]) == 0
    assert errors == []


def test_a_taken_id_is_found_without_loading_every_id(form_page):
    """The id check asks whether the practice's page exists (one HEAD request), not a list of all ids."""
    base, page, errors = form_page
    _fresh(page, base)
    _fill_required(page, "Toinen perehdytyskansio")
    page.fill("#f-id", "perehdytyskansio")
    requests = []

    def seen(request):
        requests.append((request.method, request.url))

    page.on("request", seen)
    _submit(page)
    page.remove_listener("request", seen)
    assert page.inner_text("#f-id-error") == "Tunniste on jo käytössä toisella teolla; muuta sitä hieman."
    assert ("HEAD", base + "teot/perehdytyskansio/") in requests
    page.fill("#f-id", "toinen-perehdytyskansio")
    _submit(page)
    assert page.locator("#kehto-result").is_visible()
    assert errors == []


@pytest.mark.parametrize("zone", ["Etc/GMT+12", "Etc/GMT-14"])
def test_forms_use_the_day_in_finland_wherever_the_writer_is(form_page, zone):
    """The forms' "today" (default dates, the future-date check) is today in Finland, as in
    ``kehto validate``. UTC-12 and UTC+14 cannot both share Finland's date at any hour."""
    base, shared, _ = form_page
    context = shared.context.browser.new_context(locale="fi-FI", timezone_id=zone)
    try:
        page = context.new_page()
        page.goto(base + "lisaa/mallia/?teko=perehdytyskansio")
        page.wait_for_function("document.getElementById('kehto-adopt').dataset.ready === 'true'")
        assert page.evaluate("window.kehtoForm.today()") == days.today().isoformat()
        assert page.input_value("#a-date") == days.today().isoformat()
        page.goto(base + "lisaa/")
        page.wait_for_function("document.getElementById('kehto-form').dataset.ready === 'true'")
        assert page.get_attribute("#f-published", "max") == days.today().isoformat()
    finally:
        context.close()
