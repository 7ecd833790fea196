"""One real MkDocs build of the example registry, checked by reading its HTML."""

from __future__ import annotations

import re
import shutil

from conftest import REPO, build_site
from sitecheck import broken_links, pages


def _html(site, path):
    return (site / path).read_text(encoding="utf-8")


def test_pages_for_every_record_and_index(example_site):
    for path in ["index.html", "haku/index.html", "teot/index.html", "palvelualat/index.html", "teemat/index.html",
                 "organisaatiot/index.html", "teot/mentorointi-uusille/index.html", "teot/jaksamisen-tuki/index.html",
                 "palvelualat/koko-kunta/index.html", "teemat/perehdytys/index.html",
                 "organisaatiot/esimerkkikaupunki/index.html", "organisaatiot/hiljainen-kuntayhtyma/index.html",
                 "osallistu/index.html", "tietoa/index.html", "pagefind/pagefind.js"]:
        assert (example_site / path).exists(), path


def test_practice_page_content(example_site):
    html = _html(example_site, "teot/mentorointi-uusille/index.html")
    assert '<html lang="fi"' in html
    assert "<title>Vertaismentorointi uusille opettajille - kehto</title>" in html
    assert 'href="../../organisaatiot/esimerkkikaupunki/">Esimerkkikaupunki</a>' in html
    assert 'href="../../palvelualat/opetus-ja-kasvatus/">Opetus ja kasvatus</a>' in html
    assert 'href="../../teemat/perehdytys/">Perehdytys</a>' in html
    assert "<strong>yksin</strong>" in html  # Markdown in long text fields
    assert "<li>aiheet nousevat ryhmästä</li>" in html
    assert 'href="mailto:maija.meikalainen@esimerkki.fi"' in html
    assert "<cite>Esimerkkiasiakirja</cite>" in html
    # related practice from the same organisation and theme
    assert 'href="../../teot/perehdytyskansio/">Sähköinen perehdytyskansio</a>' in html
    assert "https://github.com/kehto-rekisteri/kehto/edit/main/practices/mentorointi-uusille.yml" in html
    # what Pagefind indexes
    assert "data-pagefind-body" in html
    assert '<data data-pagefind-filter="teema[value]" value="vertaistuki-ja-mentorointi"></data>' in html
    assert '<data data-pagefind-filter="maakunta[value]" value="uusimaa"></data>' in html
    assert '<data data-pagefind-sort="julkaistu[value]" value="2021-03-15"></data>' in html


def test_not_found_page_is_finnish(example_site):
    html = _html(example_site, "404.html")
    assert "<h1>Sivua ei löytynyt</h1>" in html and 'action="/haku/"' in html


def test_organisation_page_links_its_record(example_site):
    html = _html(example_site, "organisaatiot/testikunta/index.html")
    assert "https://github.com/kehto-rekisteri/kehto/edit/main/data/organisations/testikunta.yml" in html
    assert 'href="https://testikunta.example.fi"' in html


def test_date_precision_is_shown(example_site):
    html = _html(example_site, "teot/jaksamisen-tuki/index.html")
    assert '<time datetime="2019-06-01">2019</time>' in html and "lähde kertoo vain vuoden" in html


def test_record_pages_are_not_in_the_nav(example_site):
    home = _html(example_site, "index.html")
    nav = home[home.index('<nav class="md-nav md-nav--primary'):]
    nav = nav[: nav.index("</nav>")]
    assert "Teot" in nav and "Palvelualat" in nav
    assert "mentorointi-uusille" not in nav and "teemat/perehdytys" not in nav


def test_index_pages_list_and_count(example_site):
    overview = _html(example_site, "teemat/index.html")
    assert re.search(r'href="../teemat/perehdytys/">Perehdytys</a>\s*<span class="kehto-term__count">2 ', overview)
    all_practices = _html(example_site, "teot/index.html")
    titles = re.findall(r'<h2 class="kehto-card__title"><a href="[^"]+">([^<]+)</a>', all_practices)
    assert titles == ["Vertaismentorointi uusille opettajille", "Sähköinen perehdytyskansio",
                      "Työssä jaksamisen tuki kotihoidossa"]  # newest first
    empty = _html(example_site, "organisaatiot/hiljainen-kuntayhtyma/index.html")
    assert "ei ole vielä yhtään kehittämistekoa" in empty
    home = _html(example_site, "index.html")
    assert "<strong>3</strong> kehittämistekoa" in home and "<strong>2</strong> organisaatiolta" in home


def test_search_is_in_the_header_of_every_page(example_site):
    for page in pages(example_site):
        if page.parent.name == "pagefind" or page.name in ("404.html", "upotus.html"):
            continue  # upotus.html: a standalone embed for other sites' iframes, without the site's header
        html = page.read_text(encoding="utf-8")
        assert 'class="kehto-header-search"' in html, page
        assert "api.github.com" not in html


def test_no_broken_internal_links(example_site):
    assert broken_links(example_site) == []


def test_no_broken_links_in_the_bundled_site(real_site):
    assert broken_links(real_site) == []
    assert len(list((real_site / "teot").glob("*/index.html"))) >= 40


def test_record_error_fails_the_build_with_validate_messages(registry_dir, tmp_path):
    path = registry_dir / "practices/perehdytyskansio.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("themes: [perehdytys]", "themes: [perehdytyss]"),
                    encoding="utf-8")
    result = build_site(registry_dir, tmp_path / "site", check=False)
    assert result.returncode != 0
    output = result.stdout + result.stderr
    assert ('practices/perehdytyskansio.yml:6:10: themes[1]: teemaa "perehdytyss" ei ole luokituksessa. '
            'Korjaus: Tarkoititko "perehdytys"?') in output
    assert "Traceback" not in output


def test_kehto_build_keeps_the_previous_site_when_a_build_fails(registry_dir, tmp_path):
    from kehto.cli import main

    shutil.copy(REPO / "mkdocs.yml", registry_dir)
    for folder in ("content", "overrides", "hooks", "src/kehto/templates"):
        shutil.copytree(REPO / folder, registry_dir / folder)
    site = tmp_path / "site"
    assert main(["--root", str(registry_dir), "build", "--site-dir", str(site)]) == 0
    before = (site / "index.html").read_text(encoding="utf-8")
    (registry_dir / "practices/rikki.yml").write_text("id: [\n", encoding="utf-8")
    assert main(["--root", str(registry_dir), "build", "--site-dir", str(site)]) == 1
    assert (site / "index.html").read_text(encoding="utf-8") == before
    assert not list(tmp_path.glob(".kehto-build-*"))
