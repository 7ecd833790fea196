"""The site's forms against the REAL intake service, in real Chromium.

The site is built with KEHTO_INTAKE_URL pointing at ``kehto intake serve`` on a free
port, with a real SQLite file and a real bare git repository as the registry's remote
(tests/intake_service.py). Nothing between the browser and git is mocked.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from browser import browser, page_errors, serve
from conftest import build_site, make_registry
from intake_service import Intake, branch_files, free_port, git, intake_branches, make_remote, wait_for
from kehto.cli import main

pytestmark = pytest.mark.browser


def _build(registry: Path, site: Path, intake_url: str) -> Path:
    old = os.environ.get("KEHTO_INTAKE_URL")
    os.environ["KEHTO_INTAKE_URL"] = intake_url
    try:
        build_site(registry, site)
    finally:
        if old is None:
            os.environ.pop("KEHTO_INTAKE_URL")
        else:
            os.environ["KEHTO_INTAKE_URL"] = old
    return site


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    """(site base URL, browser page, intake, bare remote, page errors, browser): one service for the module."""
    base = tmp_path_factory.mktemp("intake-e2e")
    registry = make_registry(base / "registry")
    remote = make_remote(base, registry)
    port = free_port()
    site = _build(registry, base / "site", f"http://127.0.0.1:{port}")
    with serve(site) as site_url, browser() as chromium:
        intake = Intake(base / "intake", remote, port=port,
                        env={"KEHTO_INTAKE_ALLOW_ORIGIN": site_url.rstrip("/")}).start()
        context = chromium.new_context(locale="fi-FI", timezone_id="Europe/Helsinki")
        page = context.new_page()
        errors = page_errors(page)
        try:
            yield site_url, page, intake, remote, errors, chromium
        finally:
            context.close()
            intake.stop()


def _submit(page, form="#kehto-practice-form", root="#kehto-form"):
    before = page.get_attribute(root, "data-checked") or "0"
    page.click(f"{form} button[type=submit]")
    page.wait_for_function(f"(document.querySelector('{root}').dataset.checked || '0') !== '{before}'", timeout=60000)


def _open(page, url, root="#kehto-form"):
    page.goto(url)
    page.wait_for_function(f"document.querySelector('{root}').dataset.ready === 'true'")


def _fill_new_practice(page, title, org_name):
    page.fill("#f-title", title)
    page.fill("#f-summary", "Uusi organisaatio kertoo ensimmäisen tekonsa rekisteriin lomakkeen kautta.")
    page.fill("#f-organisation", org_name)
    page.check("#kehto-new-org")
    page.fill("#f-new-org-name", org_name)
    page.select_option("#f-new-org-type", "kunta")
    page.select_option("#f-new-org-region", "pohjois-pohjanmaa")
    page.check("#f-sectors-koko-kunta")
    page.check("#f-themes-tyohyvinvointi")
    page.fill("#f-actions", "Kokeilimme uutta tapaa puoli vuotta ja kirjasimme, mitä opimme.")


def test_new_organisation_and_practice_arrive_as_one_branch_that_kehto_validate_accepts(live, tmp_path):
    site_url, page, intake, remote, errors, _ = live
    _open(page, site_url + "lisaa/")
    _fill_new_practice(page, "Pohjoisen kunnan kävelykokoukset", "Pohjoisen pikkukunta")
    page.click("details[data-group=contact] summary")
    page.fill("#f-contact-name", "Maija Meikäläinen")
    _submit(page)
    # the contact's consent is asked before anything is sent
    assert "suostumuksella" in page.inner_text("#kehto-consent-error")
    assert not intake.rows()
    page.check("#kehto-consent")
    _submit(page)
    assert page.locator("#kehto-sent").is_visible(), page.inner_text("#kehto-send-error")
    receipt = page.inner_text("#kehto-receipt")
    assert receipt and page.evaluate("document.activeElement.id") == "kehto-sent-heading"
    # the receipt's status page
    page.click("#kehto-status-link")
    page.wait_for_url(f"**/lisaa/tila/?kuitti={receipt}")
    page.wait_for_function("document.getElementById('kehto-status').dataset.ready === 'true'")
    assert page.inner_text("#kehto-status-title").startswith("Pohjoisen kunnan kävelykokoukset: ")
    assert page.locator("#kehto-status-steps li[data-step=received]").get_attribute("class") == "kehto-steps__done"
    # the worker hands it to git: one branch with exactly the two files
    branch = f"intake/{receipt}"
    wait_for(lambda: branch in intake_branches(remote), 60, "the intake branch")
    assert branch_files(remote, branch) == {"practices/pohjoisen-kunnan-kavelykokoukset.yml",
                                            "data/organisations/pohjoisen-pikkukunta.yml"}
    work = tmp_path / "clone"
    git("clone", "--quiet", "--branch", branch, str(remote), str(work))
    assert main(["--root", str(work), "validate"]) == 0
    practice = (work / "practices/pohjoisen-kunnan-kavelykokoukset.yml").read_text(encoding="utf-8")
    assert "submitted: " in practice and "Maija Meikäläinen" in practice
    # once the branch is pushed, the status page says it is being processed
    wait_for(lambda: intake.get(f"/api/submissions/{receipt}")[1]["status"] == "processing", 60, "processing")
    page.reload()
    page.wait_for_function("document.getElementById('kehto-status').dataset.ready === 'true'")
    current = page.locator("#kehto-status-steps li[aria-current=step]")
    assert current.get_attribute("data-step") == "processing"
    # the editors merge it (here: main fast-forwarded to the branch in the bare remote)
    git("--git-dir", str(remote), "update-ref", "refs/heads/main", f"refs/heads/{branch}")
    wait_for(lambda: intake.get(f"/api/submissions/{receipt}")[1]["status"] == "published", 60, "published")
    page.reload()
    page.wait_for_function("document.getElementById('kehto-status').dataset.ready === 'true'")
    assert page.inner_text("#kehto-status-steps li[data-step=done]") == "Julkaistu"
    assert "julkaistu rekisterissä" in page.inner_text("#kehto-status-now")
    assert errors == []


def test_the_services_problems_are_shown_at_the_fields(live):
    """A new organisation whose id is already taken: only the service knows; its answer lands at the field."""
    site_url, page, intake, remote, errors, _ = live
    _open(page, site_url + "lisaa/")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("#kehto-clear")
    _fill_new_practice(page, "Testikunnan toinen teko uutena", "Testikunta")
    before = len(intake.rows())
    _submit(page)
    assert page.locator("#kehto-sent").is_hidden()
    assert "on jo rekisterissä" in page.inner_text("#f-new-org-error")
    assert "Uusi organisaatio: " in page.inner_text("#kehto-form-summary")
    assert "korjattava" in page.inner_text("#kehto-send-error")
    assert len(intake.rows()) == before
    assert errors == []


def test_a_correction_goes_to_the_service_with_its_message(live, tmp_path):
    site_url, page, intake, remote, errors, _ = live
    page.goto(site_url + "teot/perehdytyskansio/")
    page.click("text=Ehdota korjausta tähän tekoon")
    page.wait_for_url("**/lisaa/korjaus/?teko=perehdytyskansio")
    page.wait_for_function("document.getElementById('kehto-form').dataset.ready === 'true'")
    assert page.input_value("#f-title") == "Sähköinen perehdytyskansio"
    assert page.get_attribute("#f-id", "readonly") is not None
    page.fill("#f-summary", "Koko kaupungin yhteinen sähköinen perehdytyskansio korvasi paperiset kansiot vuonna 2020.")
    _submit(page)
    assert page.inner_text("#f-message-error") == "Kerro, mitä pitää korjata."
    page.fill("#f-message", "Vuosiluku puuttui tiivistelmästä.")
    _submit(page)
    assert page.locator("#kehto-sent").is_visible(), page.inner_text("#kehto-send-error")
    receipt = page.inner_text("#kehto-receipt")
    branch = f"intake/{receipt}"
    wait_for(lambda: branch in intake_branches(remote), 60, "the correction branch")
    assert branch_files(remote, branch) == {"practices/perehdytyskansio.yml"}
    text = git("--git-dir", str(remote), "show", f"{branch}:practices/perehdytyskansio.yml")
    assert "vuonna 2020" in text
    # the editors close it without merging: the status page says it was returned
    wait_for(lambda: intake.get(f"/api/submissions/{receipt}")[1]["status"] == "processing", 60, "processing")
    git("--git-dir", str(remote), "branch", "-D", branch)
    wait_for(lambda: intake.get(f"/api/submissions/{receipt}")[1]["status"] == "returned", 60, "returned")
    page.click("#kehto-status-link")
    page.wait_for_function("document.getElementById('kehto-status').dataset.ready === 'true'")
    assert page.inner_text("#kehto-status-steps li[data-step=done]") == "Palautettu"
    assert page.get_attribute("#kehto-status-steps li[data-step=done]", "aria-current") == "step"
    assert errors == []


def test_without_the_service_the_draft_stays_and_the_form_says_so(live, tmp_path):
    """The service cannot be reached (nothing listens on the port): nothing is lost."""
    chromium = live[-1]
    registry = make_registry(tmp_path / "registry")
    site = _build(registry, tmp_path / "site", f"http://127.0.0.1:{free_port()}")
    with serve(site) as site_url:
        page = chromium.new_context(locale="fi-FI", timezone_id="Europe/Helsinki").new_page()
        _open(page, site_url + "lisaa/mallia/?teko=perehdytyskansio", "#kehto-adopt")
        page.fill("#a-organisation", "Testikunta")
        page.fill("#a-date", "2023-05-01")
        _submit(page, "#kehto-adopt-form", "#kehto-adopt")
        error = page.inner_text("#kehto-adopt-send-error")
        assert "yhteyttä lähetyspalveluun ei saatu" in error and "Luonnos on tallessa" in error
        page.reload()
        page.wait_for_function("document.getElementById('kehto-adopt').dataset.ready === 'true'")
        assert page.input_value("#a-organisation") == "Testikunta" and page.input_value("#a-date") == "2023-05-01"


def test_an_adoption_goes_to_the_service(live):
    site_url, page, intake, remote, errors, _ = live
    _open(page, site_url + "lisaa/mallia/?teko=perehdytyskansio", "#kehto-adopt")
    page.fill("#a-organisation", "Testikunta")
    page.fill("#a-date", "2023-05-01")
    _submit(page, "#kehto-adopt-form", "#kehto-adopt")
    assert page.locator("#kehto-adopt-sent").is_visible(), page.inner_text("#kehto-adopt-send-error")
    receipt = page.inner_text("#kehto-adopt-receipt")
    assert page.get_attribute("#kehto-adopt-status-link", "href").endswith(f"lisaa/tila/?kuitti={receipt}")
    wait_for(lambda: f"intake/{receipt}" in intake_branches(remote), 60, "the adoption branch")
    assert branch_files(remote, f"intake/{receipt}") == {"data/adoptions/perehdytyskansio-testikunta.yml"}
    assert errors == []
