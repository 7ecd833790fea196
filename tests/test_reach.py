"""Campaigns travel beyond the site: share tags and images, snippets, embeds, a production build.

One production build of the comms corpus (tests/examples/comms) with a public
``site_url`` under a sub-path, read as a crawler, a newsletter tool and an
intranet page embedding it (Chromium, another origin) would read it.
"""

from __future__ import annotations

import os
import re
import struct
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import markdown
import pytest

from browser import browser, serve
from conftest import REPO, make_comms_registry
from kehto import share, siteurl
from kehto.cli import ENGINES
from sitecheck import pages

SITE_URL = "https://kehto.example/rekisteri/"


def _build(records: Path, site: Path, **env) -> subprocess.CompletedProcess:
    environment = {key: value for key, value in os.environ.items() if key not in ("KEHTO_SITE_URL", "KEHTO_PRODUCTION")}
    environment.update(KEHTO_ROOT=str(records), NO_MKDOCS_2_WARNING="1", **env)
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(REPO / "mkdocs.yml"),
                           "-d", str(site)], env=environment, capture_output=True, text=True)


@pytest.fixture(scope="module")
def public_site(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("public")
    result = _build(make_comms_registry(base / "registry"), base / "site", KEHTO_SITE_URL=SITE_URL,
                    KEHTO_PRODUCTION="1")
    assert result.returncode == 0, result.stderr
    assert "Esikatselu" not in result.stderr
    return base / "site"


class _Meta(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.meta: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and (attrs.get("property") or attrs.get("name")):
            self.meta[attrs.get("property") or attrs.get("name")] = attrs.get("content", "")


def share_tags(page: Path) -> dict[str, str]:
    parser = _Meta()
    parser.feed(page.read_text(encoding="utf-8"))
    return {k: v for k, v in parser.meta.items() if k.startswith(("og:", "twitter:"))}


def png_size(path: Path) -> tuple[int, int]:
    """Width and height from a PNG's IHDR chunk."""
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n" and head[12:16] == b"IHDR", path
    return struct.unpack(">II", head[16:24])


def test_every_page_has_share_tags_with_absolute_urls(public_site):
    checked = 0
    for page in pages(public_site):
        if page.name == "upotus.html":
            continue  # an embed, not a page to share
        tags = share_tags(page)
        assert tags["og:title"] and tags["og:description"] and tags["twitter:card"] == "summary_large_image", page
        assert tags["og:image"] == tags["twitter:image"] and tags["og:image"].startswith(SITE_URL), page
        image = public_site / tags["og:image"][len(SITE_URL):]
        assert png_size(image) == (1200, 630), page
        if page.name == "index.html":
            folder = page.parent.relative_to(public_site).as_posix()
            assert tags["og:url"] == SITE_URL + ("" if folder == "." else folder + "/"), page
        checked += 1
    assert checked > 30


def test_home_lists_and_campaigns_have_their_own_share_image(public_site):
    own = {"": "jako.png", "listat/testilista/": "listat/testilista/jako.png",
           "listat/uusimmat/": "listat/uusimmat/jako.png",
           "kampanjat/testikampanja/": "kampanjat/testikampanja/jako.png",
           "teot/perehdytyskansio/": "jako.png", "tilastot/": "jako.png"}  # practices share the home page's
    for page, image in own.items():
        tags = share_tags(public_site / page / "index.html")
        assert tags["og:image"] == SITE_URL + image, page
    campaign = share_tags(public_site / "kampanjat/testikampanja/index.html")
    assert campaign["og:title"] == "Testikampanja maaliskuussa"
    assert campaign["og:description"] == "Kampanja kerää tekoja maaliskuussa 2023."
    assert campaign["og:url"] == SITE_URL + "kampanjat/testikampanja/"
    for listing in ("listat/testilista/", "listat/eniten-mallia/", "kampanjat/testikampanja/"):
        assert png_size(public_site / listing / "jako.png") == (1200, 630)


def _glyph(text: str, face) -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("L", (120, 120), 0)
    ImageDraw.Draw(image).text((10, 10), text, font=face, fill=255)
    return image.tobytes()


def test_finnish_letters_render_as_themselves():
    """ä, ö and å are drawn with their own glyphs: not as a, o or the missing-glyph box."""
    face = share.font(64, bold=True)
    missing = _glyph("\u4e00", face)  # a CJK character the font lacks
    for letter, plain in (("ä", "a"), ("ö", "o"), ("å", "a"), ("Ä", "A"), ("Ö", "O")):
        drawn = _glyph(letter, face)
        assert drawn != _glyph(plain, face) and drawn != missing and any(drawn), letter


def test_pillows_own_font_is_no_fallback_and_a_missing_font_is_named(monkeypatch):
    """Pillow's embedded font draws ä as the missing-glyph box: without a real font the build says what to install."""
    from PIL import ImageFont

    embedded = ImageFont.load_default(64)
    assert _glyph("ä", embedded) == _glyph("\u4e00", embedded)
    monkeypatch.setattr(share, "FONTS", ())
    monkeypatch.delenv(share.FONT_ENV, raising=False)
    share.font.cache_clear()
    try:
        with pytest.raises(share.FontMissing, match="apt-get install fonts-dejavu-core"):
            share.font(30)
        monkeypatch.setenv(share.FONT_ENV, "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf")
        if not Path("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf").is_file():
            pytest.skip("DejaVu Serif is not installed")
        assert share.font(30).getname()[0] == "DejaVu Serif"
    finally:
        share.font.cache_clear()


@pytest.mark.parametrize("engine", ENGINES)
def test_a_production_build_without_a_public_address_stops(tmp_path, engine):
    """kehto build checks the address itself, before the engine runs: the same with an engine that runs
    no hooks (Zensical), installed or not."""
    env = {key: value for key, value in os.environ.items() if key not in ("KEHTO_SITE_URL", "KEHTO_PRODUCTION")}
    result = subprocess.run([sys.executable, "-m", "kehto.cli", "--root", str(REPO), "build", "--production",
                             "--engine", engine, "--site-dir", str(tmp_path / "site")],
                            capture_output=True, text=True, env=env)
    assert result.returncode == 1
    assert "Julkaistava sivusto tarvitsee oikean osoitteen, mutta osoite on http://127.0.0.1:8000/" in result.stderr
    assert "KEHTO_SITE_URL" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "site").exists()
    assert siteurl.production_problem("https://kehto.example/") == ""
    assert [siteurl.is_local(u) for u in ("", "http://localhost:8000/", "http://127.0.0.1:8000/",
                                           "https://kehto-rekisteri.github.io/kehto/")] == [True, True, True, False]


def test_the_deploy_workflow_builds_for_production_daily():
    workflow = (REPO / ".github/workflows/deploy.yml").read_text(encoding="utf-8")
    assert re.search(r'^  schedule:\n(?:  #.*\n)*    - cron: "\d+ \d+ \* \* \*"', workflow, re.M)
    assert "run: kehto build --production" in workflow


def test_a_local_build_says_so_in_its_log(registry_dir, tmp_path):
    result = _build(registry_dir, tmp_path / "site")
    assert result.returncode == 0, result.stderr
    assert ("kehto: Esikatselu: sivuston osoite on http://127.0.0.1:8000/, joten syötteiden, uutiskirjepätkien, "
            "upotuskoodien ja CSV-tiedostojen linkit osoittavat tälle koneelle.") in result.stderr


def test_a_local_preview_says_its_links_point_here(comms_site, public_site):
    local = (comms_site / "kampanjat/testikampanja/index.html").read_text(encoding="utf-8")
    assert 'class="kehto-local-note"' in local and "<code>http://127.0.0.1:8000/</code>" in local
    public = (public_site / "kampanjat/testikampanja/index.html").read_text(encoding="utf-8")
    assert "kehto-local-note" not in public
    assert f'src="{SITE_URL}kampanjat/testikampanja/upotus.html"' in public.replace("&#34;", '"').replace(
        "&lt;", "<").replace("&gt;", ">")  # the embed code, shown as text


def test_snippets_render_with_absolute_links(public_site):
    base = public_site / "kampanjat/testikampanja"
    html = markdown.markdown((base / "uutiskirje.md.txt").read_text(encoding="utf-8"))
    links = re.findall(r'href="([^"]+)"', html)
    assert links and all(link.startswith(SITE_URL + "teot/") for link in links)
    assert "<h3>Aktiivisimmat organisaatiot</h3>" in html and "<li>Esimerkkikaupunki – 2 tekoa</li>" in html
    assert "<strong>Tavoite:</strong> 3 / 4 tekoa (75 %)" in html and "#testiteot" in html
    text = (base / "uutiskirje.txt").read_text(encoding="utf-8")
    assert "Tavoite: 3 / 4 tekoa (75 %)" in text and f"{SITE_URL}teot/perehdytyskansio/" in text
    fragment = (base / "uutiskirje.html").read_text(encoding="utf-8")
    assert "<html" not in fragment and "<body" not in fragment  # a fragment to paste into an HTML block
    with browser() as chromium:
        page = chromium.new_page()
        for source in (fragment, html):  # the HTML fragment, and the Markdown as a newsletter tool renders it
            page.set_content(source)
            assert page.locator("h2").inner_text() == "Testikampanja maaliskuussa"
            hrefs = page.locator("a").evaluate_all("links => links.map(a => a.href)")
            assert SITE_URL + "teot/perehdytyskansio/" in hrefs and all(h.startswith(SITE_URL) for h in hrefs)
            assert page.locator("ol li").all_inner_texts() == ["Esimerkkikaupunki – 2 tekoa", "Testikunta – 1 teko"]
            assert page.locator("ul li").count() == 3


def test_copy_buttons_work_from_the_keyboard(public_site):
    with serve(public_site) as base, browser() as chromium:
        context = chromium.new_context(locale="fi-FI", permissions=["clipboard-read", "clipboard-write"])
        page = context.new_page()
        page.goto(base + "kampanjat/testikampanja/")
        button = page.get_by_role("button", name="Kopioi Markdown-pätkä")
        assert button.is_visible()
        button.focus()
        page.keyboard.press("Enter")
        status = page.locator(".kehto-copy-status")
        status.filter(has_text="Kopioitu").wait_for()
        assert status.get_attribute("aria-live") == "polite"
        copied = page.evaluate("navigator.clipboard.readText()")
        assert copied == (public_site / "kampanjat/testikampanja/uutiskirje.md.txt").read_text(encoding="utf-8")
        page.get_by_role("button", name="Kopioi upotuskoodi").focus()
        page.keyboard.press("Enter")
        page.wait_for_function("navigator.clipboard.readText().then(t => t.startsWith('<iframe'))")
        context.close()


def test_the_embed_works_inside_an_iframe_on_another_origin(public_site, tmp_path):
    embed = public_site / "kampanjat/testikampanja/upotus.html"
    text = embed.read_text(encoding="utf-8")
    assert len(text.encode()) < 8000 and "assets/" not in text and "<script" not in text  # no Material bundle
    assert '<base target="_blank">' in text
    host = tmp_path / "intranet"
    host.mkdir()
    with serve(public_site) as registry_base:
        (host / "index.html").write_text(
            '<!doctype html><html lang="fi"><title>Intranet</title><h1>Intranet</h1>'
            f'<iframe src="{registry_base}kampanjat/testikampanja/upotus.html" title="Kampanja" width="400" '
            'height="400"></iframe>', encoding="utf-8")
        with serve(host) as intranet_base, browser() as chromium:
            assert intranet_base.rsplit(":", 1)[1] != registry_base.rsplit(":", 1)[1]  # two origins
            context = chromium.new_context(locale="fi-FI", timezone_id="Europe/Helsinki")
            context.route("https://kehto.example/**", lambda route: route.fulfill(body="rekisteri", content_type="text/plain"))
            page = context.new_page()
            response_headers = {}
            page.on("response", lambda r: response_headers.update(r.headers) if r.url.endswith("upotus.html") else None)
            page.goto(intranet_base)
            frame = page.frame_locator("iframe")
            assert frame.locator("h1").inner_text() == "Testikampanja maaliskuussa"
            assert frame.locator("label").inner_text() == "3 / 4 tekoa"
            assert frame.locator("li").count() == 3
            assert "x-frame-options" not in response_headers and "content-security-policy" not in response_headers
            with context.expect_page() as opened:
                frame.locator("li a").first.click()
            assert opened.value.url == SITE_URL + "teot/kampanja-loppu/"
            assert page.url == intranet_base  # the intranet page stays where it was
            context.close()
