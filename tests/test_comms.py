"""The communications toolkit on a registry with known data: exact figures everywhere.

The corpus (tests/examples/registry + tests/examples/comms) has 7 practices from
2 of 3 organisations (one has none), one practice in two sectors, no practice in
2022, a campaign 1.–31.3.2023 with practices received (``submitted``) on both
boundary days, one received the day after, one from 2020 received during the
campaign (tests/examples/comms/practices/perehdytyskansio.yml overrides the
registry's copy) and one without a received date, three adoptions (one received
during the campaign), an award and a list.
"""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
from datetime import date

import feedparser
import jsonschema
import markdown
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import make_comms_registry
from kehto import campaigns, days, export, snippets, stats, validate
from kehto.load import Project
from kehto.model import Organisation, Practice, Taxonomy, Term
from kehto.registry import Registry

TODAY = date(2023, 11, 23)
SITE_URL = "https://kehto.example/"


@pytest.fixture(scope="module")
def registry(tmp_path_factory):
    root = make_comms_registry(tmp_path_factory.mktemp("comms") / "registry")
    registry, report = validate.build(Project(root))
    assert report.ok, report.problems
    return registry


def test_statistics_are_exact(registry):
    s = stats.statistics(registry, TODAY)
    assert (s.total, s.contributing, s.organisations) == (7, 2, 3)
    assert [(x.id, x.count, x.share) for x in s.sectors] == [
        ("koko-kunta", 5, 71.4), ("opetus-ja-kasvatus", 2, 28.6), ("sosiaali-ja-terveysala", 1, 14.3)]
    assert [(x.id, x.count) for x in s.themes] == [("perehdytys", 4), ("tyohyvinvointi", 3),
                                                   ("vertaistuki-ja-mentorointi", 1)]
    assert [(x.id, x.count) for x in s.regions] == [("uusimaa", 4), ("pohjois-pohjanmaa", 3)]
    assert [(y.year, y.total, y.new, y.per_month) for y in s.years] == [
        (2019, 1, 1, 0.1), (2020, 2, 1, 0.1), (2021, 3, 1, 0.1), (2022, 3, 0, 0.0), (2023, 7, 4, 0.4)]
    later = stats.statistics(registry, date(2025, 2, 1)).years  # to the current year, though nothing is new
    assert [(y.year, y.total, y.new, y.per_month) for y in later[-3:]] == [
        (2023, 7, 4, 0.3), (2024, 7, 0, 0.0), (2025, 7, 0, 0.0)]
    assert [(o.id, n) for o, n in s.top_organisations] == [("esimerkkikaupunki", 4), ("testikunta", 3)]
    assert s.by_type == [("Kaupunki", 1, 4), ("Kunta", 1, 3)]  # row headings: capitalised
    assert sorted(s.top_by_year) == [2019, 2020, 2021, 2023]  # no list for a year without practices
    assert (s.adoptions, s.adopted, s.adopters) == (3, 2, 3)
    assert [(p.id, n) for p, n in s.top_adopted] == [("perehdytyskansio", 2), ("jaksamisen-tuki", 1)]
    assert [(o.id, n) for o, n in s.top_by_year[2023]] == [("esimerkkikaupunki", 2), ("testikunta", 2)]


def test_statistics_page_of_a_real_build(comms_site):
    html = (comms_site / "tilastot/index.html").read_text(encoding="utf-8")
    totals = dict(re.findall(r'<dd id="tilasto-(\w+)">(\d+)</dd>', html))
    assert totals == {"teot": "7", "organisaatiot": "2", "rekisteri": "3", "mallia": "3"}
    assert re.findall(r'<dd id="tilasto-mallia(?:-\w+)?">(\d+)</dd>', html) == ["3", "2", "3"]
    assert (comms_site / "tilastot/mallia.csv").read_text(encoding="utf-8-sig").splitlines() == [
        "sija;teko;organisaatio;otettu_mallia", "1;Sähköinen perehdytyskansio;Esimerkkikaupunki;2",
        "2;Työssä jaksamisen tuki kotihoidossa;Testikunta;1"]
    growth = html.split('id="kasvu"', 1)[1].split("</table>", 1)[0]
    rows = [re.findall(r"<t[hd][^>]*>([^<]*)</t[hd]>", row) for row in re.findall(r"<tr>(.*?)</tr>", growth)]
    assert rows[1:6] == [["2019", "1", "1", "0,1"], ["2020", "2", "1", "0,1"], ["2021", "3", "1", "0,1"],
                         ["2022", "3", "0", "0,0"], ["2023", "7", "4", "0,3"]]  # built later: 2023 has 12 months
    # the table runs to the current year, years without new practices included
    assert rows[6:] == [[str(year), "7", "0", "0,0"] for year in range(2024, days.today().year + 1)]
    # the chart: HTML bars as long as the figures, labelled for screen readers by a summary
    chart = html.split('id="palvelualat"', 1)[1].split("</table>", 1)[0]
    assert 'class="kehto-chart__bars" role="img" aria-labelledby="palvelualat-title"' in chart
    assert re.findall(r'chart__label">([^<]*)</span>.*?width: ([0-9.]+)%.*?chart__value">([^<]*)<', chart) == [
        ("Koko kunta", "100.0", "5 (71,4 %)"), ("Opetus ja kasvatus", "40.0", "2 (28,6 %)"),
        ("Sosiaali- ja terveysala", "20.0", "1 (14,3 %)")]
    sectors = (comms_site / "tilastot/palvelualat.csv").read_text(encoding="utf-8-sig")
    assert sectors.splitlines() == ["palveluala;tekoja;osuus_%", "Koko kunta;5;71,4", "Opetus ja kasvatus;2;28,6",
                                    "Sosiaali- ja terveysala;1;14,3"]


def test_campaign_counts_what_it_received_in_the_window(registry):
    """Received on the first and last day count; received the day after does not; a practice from 2020
    received during the campaign counts; one without a received date (vuositeko) is never guessed."""
    campaign = registry.campaigns["testikampanja"]
    view = campaigns.campaign_view(registry, campaign, TODAY)
    assert [p.id for p in view.practices] == ["kampanja-loppu", "perehdytyskansio", "kampanja-alku"]
    assert registry.practices["perehdytyskansio"].published == date(2020, 1, 10)
    assert registry.practices["kampanjan-jalkeen"].submitted == date(2023, 4, 1)  # the day after the end
    assert (view.count, view.progress, view.reported, view.adoptions) == (3, 75.0, False, 1)
    assert [(w.number, w.first, w.last, w.count, w.total) for w in view.weeks] == [
        (9, date(2023, 3, 1), date(2023, 3, 5), 1, 1), (10, date(2023, 3, 6), date(2023, 3, 12), 0, 1),
        (11, date(2023, 3, 13), date(2023, 3, 19), 1, 2), (12, date(2023, 3, 20), date(2023, 3, 26), 0, 2),
        (13, date(2023, 3, 27), date(2023, 3, 31), 1, 3)]
    assert [(o.id, n) for o, n in view.organisations] == [("esimerkkikaupunki", 2), ("testikunta", 1)]
    running = campaigns.campaign_view(registry, campaign, date(2023, 3, 15))  # weeks so far only
    assert [w.number for w in running.weeks] == [9, 10, 11, 12, 13]  # the 31.3. record reaches week 13
    assert [campaigns.campaign_view(registry, campaign, day).status
            for day in (date(2023, 2, 28), date(2023, 3, 1), date(2023, 3, 31), date(2023, 4, 1))] == [
        "tulossa", "käynnissä", "käynnissä", "päättynyt"]
    assert campaign.pick_of_week(date(2023, 3, 5)) is None
    assert campaign.pick_of_week(date(2023, 3, 12)).practice == "kampanja-alku"
    assert campaign.pick_of_week(date(2023, 3, 13)).practice == "kampanja-loppu"


def test_a_historic_campaign_shows_its_reported_figure(registry):
    """No record received during the window: the report's own figure, marked, not a misleading 0."""
    from kehto.comms import Campaign

    old = Campaign("vanha", "Vanha kampanja", "Kuvaus.", date(2019, 8, 1), date(2019, 9, 30), goal=150,
                   reported_count=158)
    view = campaigns.campaign_view(registry, old, TODAY)
    assert (view.count, view.reported, view.progress, view.practices, view.weeks) == (158, True, 100.0, [], [])
    table = campaigns.campaign_tables(registry, [view])["tilastot/kampanjat.csv"][1]
    assert table == [["Vanha kampanja", "2019-08-01", "2019-09-30", 158, "lähteen mukaan", 150, "100,0", 0]]
    snippet = snippets.newsletter(registry, SITE_URL, old.title, "Kuvaus.", "kampanjat/vanha/", [], view, TODAY)
    assert "**Lähteen mukaan kampanja toi 158 tekoa** (tavoite 150)." in snippet["newsletter_md"]
    # without a reported figure the yield is not known: no number at all, rather than a false 0
    silent = campaigns.campaign_view(registry, Campaign("hiljainen", "H", "K.", date(2019, 8, 1), date(2019, 9, 30),
                                                        goal=10), TODAY)
    assert (silent.source, silent.count, silent.progress) == ("ei tiedossa", None, None)
    # a campaign from the time received dates are kept counts what it got, 0 included
    quiet = campaigns.campaign_view(registry, Campaign("uusi", "U", "K.", date(2023, 6, 1), date(2023, 6, 30),
                                                       reported_count=7), TODAY)
    assert (quiet.source, quiet.count) == ("vastaanotettu", 0)
    running = campaigns.campaign_view(registry, Campaign("auki", "A", "K.", date(2019, 1, 1), reported_count=7), TODAY)
    assert (running.source, running.count) == ("vastaanotettu", 4)  # open: all received up to today


def test_campaign_page(comms_site):
    html = (comms_site / "kampanjat/testikampanja/index.html").read_text(encoding="utf-8")
    assert '<dd id="kampanja-teot">3</dd>' in html and '<dd id="kampanja-tavoite">4</dd>' in html
    assert '<dd id="kampanja-mallia">1</dd>' in html
    assert "3 / 4 (75 %)" in html and '<progress id="kampanja-edistyminen" max="4" value="3">' in html
    assert "Viimeisin viikon nosto" in html and "Kampanjan viimeisen päivän teko" in html
    assert "Palkitut: Testigaala 2023" in html and "#testiteot" in html
    weeks = html.split('id="viikoittain"', 1)[1].split("</table>", 1)[0]
    assert [re.findall(r"<t[hd][^>]*>([^<]*)</t[hd]>", row) for row in re.findall(r"<tr>(.*?)</tr>", weeks)][1:] == [
        ["9", "1.3.2023 – 5.3.2023", "1", "1 / 4"], ["10", "6.3.2023 – 12.3.2023", "0", "1 / 4"],
        ["11", "13.3.2023 – 19.3.2023", "1", "2 / 4"], ["12", "20.3.2023 – 26.3.2023", "0", "2 / 4"],
        ["13", "27.3.2023 – 31.3.2023", "1", "3 / 4"]]
    board = html.split('id="aktiivisimmat"', 1)[1].split("</ol>", 1)[0]
    assert re.findall(r">([^<]+)</a> – (\d+)", board) == [("Esimerkkikaupunki", "2"), ("Testikunta", "1")]
    listed = html.split('id="teot"', 1)[1]
    assert "Kampanjan ensimmäisen päivän teko" in listed and "Sähköinen perehdytyskansio" in listed
    assert "Kampanjan jälkeinen teko" not in listed and "Vain vuodelta tunnettu teko" not in listed
    assert (comms_site / "kampanjat/testikampanja/organisaatiot.csv").read_text(encoding="utf-8-sig").splitlines() == [
        "sija;organisaatio;organisaation_tunniste;tekoja", "1;Esimerkkikaupunki;esimerkkikaupunki;2",
        "2;Testikunta;testikunta;1"]
    stats_page = (comms_site / "tilastot/index.html").read_text(encoding="utf-8")
    assert 'id="kampanjat"' in stats_page and "3 / 4" in stats_page
    assert (comms_site / "tilastot/kampanjat.csv").read_text(encoding="utf-8-sig").splitlines()[1] == (
        "Testikampanja maaliskuussa;2023-03-01;2023-03-31;3;vastaanotettu;4;75,0;1")


def test_bundled_historic_campaign_shows_the_source_figure(real_site):
    html = (real_site / "kampanjat/tekoja-tiskiin-2019/index.html").read_text(encoding="utf-8")
    assert '<dd id="kampanja-teot">158</dd>' in html and "Tekoja lähteen mukaan" in html
    assert 'id="lahteen-mukaan"' in html
    unknown = (real_site / "kampanjat/sankarit-poikkeusoloissa-2020/index.html").read_text(encoding="utf-8")
    assert '<dd id="kampanja-teot">ei tiedossa</dd>' in unknown and 'id="ei-tiedossa"' in unknown


def test_sources_are_named_by_title_never_by_file_name(real_site):
    """A public page names a source document by its title; the internal file name
    (004_702fe8aa00931d6f.txt) appears on no page, and the campaign pages do name their source."""
    file_name = re.compile(r"\b[0-9]{3}_[0-9a-f]{16}\.txt")
    shown = {}
    for page in real_site.rglob("index.html"):
        text = re.sub(r"<[^>]+>", "", page.read_text(encoding="utf-8"))
        shown[page.parent.relative_to(real_site).as_posix()] = file_name.findall(text)
    assert any("Lähde: Työelämän kehittäminen kunta-alalla" in re.sub(r"<[^>]+>", "", p.read_text(encoding="utf-8"))
               for p in (real_site / "kampanjat").rglob("index.html"))
    assert {path: names for path, names in shown.items() if names} == {}


def test_practice_and_organisation_pages_show_adoptions_and_awards(comms_site):
    page = (comms_site / "teot/perehdytyskansio/index.html").read_text(encoding="utf-8")
    adopted = page.split('id="otettu-mallia"', 1)[1].split("</section>", 1)[0]
    assert adopted.index("Testikunta") < adopted.index("Hiljainen kuntayhtymä")  # earliest first
    assert "Otimme kansion rungon käyttöön." in adopted and 'href="../../lisaa/mallia/?teko=perehdytyskansio"' in adopted
    award = (comms_site / "teot/kampanja-alku/index.html").read_text(encoding="utf-8")
    assert "Innostavat teot" in award and "Ensimmäisenä liikkeellä." in award
    quiet = (comms_site / "organisaatiot/hiljainen-kuntayhtyma/index.html").read_text(encoding="utf-8")
    assert "Ihmeiden tekijät" in quiet and "Otti mallia" in quiet
    assert "Tässä ei ole vielä yhtään kehittämistekoa" in quiet


def test_lists_keep_their_order_and_comments(comms_site, registry):
    html = (comms_site / "listat/testilista/index.html").read_text(encoding="utf-8")
    assert html.index("Sähköinen perehdytyskansio") < html.index("Työssä jaksamisen tuki kotihoidossa")
    assert "Toimituksen suosikki." in html
    most = {a.id: a for a in stats.automatic_lists(registry)}["eniten-mallia"]
    assert [(p.id, note) for p, note in most.practices] == [
        ("perehdytyskansio", "otettu mallia 2 kertaa"), ("jaksamisen-tuki", "otettu mallia 1 kertaa")]
    index = (comms_site / "listat/index.html").read_text(encoding="utf-8")
    assert "Testilistan kaksi tekoa" in index and "Eniten mallia otetut" in index


def _csv(text: str) -> list[list[str]]:
    assert text.startswith("\ufeff"), "a spreadsheet needs the BOM to read UTF-8"
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))


def test_practice_exports(registry):
    rows = _csv(export.practices_csv(registry, SITE_URL))
    assert rows[0] == list(export.PRACTICE_COLUMNS)
    assert [r[0] for r in rows[1:]] == [p.id for p in registry.newest_first] and len(rows) == 8
    by_id = {r[0]: dict(zip(rows[0], r)) for r in rows[1:]}
    assert by_id["kampanjan-jalkeen"]["otsikko"] == "Kampanjan jälkeinen teko"
    assert by_id["jaksamisen-tuki"]["palvelualat"] == "Sosiaali- ja terveysala, Koko kunta"
    assert by_id["perehdytyskansio"]["otettu_mallia"] == "2"
    assert by_id["vuositeko"]["päivämäärän_tarkkuus"] == "year"
    assert by_id["perehdytyskansio"]["osoite"] == "https://kehto.example/teot/perehdytyskansio/"
    data = json.loads(export.practices_json(registry, SITE_URL))
    jsonschema.validate(data, json.loads(export.export_schema(SITE_URL)))
    assert [d["id"] for d in data] == [r[0] for r in rows[1:]]
    assert data[-1]["sectors"] == [{"id": "sosiaali-ja-terveysala", "name": "Sosiaali- ja terveysala"},
                                   {"id": "koko-kunta", "name": "Koko kunta"}]


def test_list_and_campaign_exports(registry):
    files = export.export_files(registry, SITE_URL, TODAY)
    listed = _csv(files["listat/testilista/teot.csv"])
    assert [(r[0], r[-1]) for r in listed[1:]] == [("perehdytyskansio", "Toimituksen suosikki."), ("jaksamisen-tuki", "")]
    assert [d["id"] for d in json.loads(files["kampanjat/testikampanja/teot.json"])] == [
        "kampanja-loppu", "perehdytyskansio", "kampanja-alku"]
    snippet = files["listat/testilista/uutiskirje.md.txt"]
    assert snippet.startswith("## Testilistan kaksi tekoa")
    assert "- **[Sähköinen perehdytyskansio](https://kehto.example/teot/perehdytyskansio/)** (Esimerkkikaupunki)" in snippet
    assert "*Toimituksen suosikki\\.*" not in snippet and "*Toimituksen suosikki.*" in snippet
    rendered = markdown.markdown(snippet)  # as a newsletter tool would render it
    assert rendered.count("<li>") == 2 and "<em>Toimituksen suosikki.</em>" in rendered
    assert "<p>Kaikki teot: https://kehto.example/listat/testilista/</p>" in rendered
    html = files["listat/testilista/uutiskirje.html"]
    assert html.startswith("<h2>") and "<html" not in html  # a fragment to paste, not a document
    assert '<a href="https://kehto.example/teot/perehdytyskansio/">Sähköinen perehdytyskansio</a>' in html


def test_feeds_parse_as_atom(comms_site):
    feed = feedparser.parse((comms_site / "syote.xml").read_bytes())
    assert not feed.bozo and feed.version == "atom10"
    assert [e.link for e in feed.entries][:2] == ["http://127.0.0.1:8000/teot/kampanjan-jalkeen/",
                                                  "http://127.0.0.1:8000/teot/kampanja-loppu/"]
    assert len(feed.entries) == 7 and feed.entries[0].title == "Kampanjan jälkeinen teko"
    assert feed.entries[-1].published_parsed[:3] == (2019, 6, 1)
    theme = feedparser.parse((comms_site / "teemat/perehdytys/syote.xml").read_bytes())
    assert not theme.bozo and [e.id.split("/")[-2] for e in theme.entries] == [
        "kampanjan-jalkeen", "kampanja-alku", "mentorointi-uusille", "perehdytyskansio"]
    one = feedparser.parse((comms_site / "teemat/vertaistuki-ja-mentorointi/syote.xml").read_bytes())
    assert not one.bozo and len(one.entries) == 1


def test_feed_and_snippets_escape_contributed_text(registry):
    practice = registry.practices["perehdytyskansio"]
    hostile = type(practice)(**{**practice.__dict__, "title": "<script>alert(1)</script> & [x](javascript:y) *z*"})
    xml = export.atom_feed(registry, SITE_URL, [hostile], "Testi", "syote.xml", "teot/")
    assert "<script>" not in xml
    assert feedparser.parse(xml.encode()).entries[0].title == hostile.title
    files = snippets.newsletter(registry, SITE_URL, "T", "I", "listat/x/", [(hostile, "")])
    md, html = files["newsletter_md"], files["newsletter_html"]
    assert "<script>" not in html and "](javascript:" not in md
    assert "<script>" not in files["embed"] and "&lt;script&gt;" in files["embed"]
    assert hostile.title in files["newsletter_txt"]  # plain text is shown as text, never interpreted


def test_cli_export_writes_what_the_site_publishes(comms_site, tmp_path):
    root = make_comms_registry(tmp_path / "registry")
    result = subprocess.run([sys.executable, "-m", "kehto.cli", "--root", str(root), "export", "--output",
                             str(tmp_path / "out")], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    for rel in ("data/teot.csv", "data/teot.json", "syote.xml", "listat/testilista/teot.csv",
                "kampanjat/testikampanja/uutiskirje.html", "tilastot/kasvu.csv"):
        assert (tmp_path / "out" / rel).read_bytes() == (comms_site / rel).read_bytes(), rel


SECTORS = ("a", "b", "c")
ORGS = (("k1", "kunta", "r1"), ("k2", "kaupunki", "r1"), ("k3", "kunta", "r2"), ("k4", "muu", "r2"))


def _taxonomy(kind: str, ids) -> Taxonomy:
    return Taxonomy(kind, kind, items={i: Term(i, i.upper()) for i in ids})


practices_strategy = st.lists(st.tuples(
    st.integers(0, len(ORGS) - 1), st.sets(st.sampled_from(SECTORS), min_size=1), st.dates(date(2015, 1, 1), TODAY),
    st.sampled_from(("day", "month", "year"))), max_size=40)


@settings(max_examples=60, deadline=None)
@given(practices_strategy, st.dates(date(2015, 1, 1), date(2024, 12, 31)), st.integers(1, 60))
def test_statistics_agree_with_a_direct_count(rows, start, length):
    practices = {}
    for n, (org, sectors, day, precision) in enumerate(rows):
        practices[f"p{n}"] = Practice(f"p{n}", f"Teko {n}", "s" * 30, ORGS[org][0], tuple(sorted(sectors)), ("t",),
                                      day, "x", precision)
    organisations = {o: Organisation(o, o.upper(), kind, region) for o, kind, region in ORGS}
    registry = Registry(practices, organisations, _taxonomy("sectors", SECTORS), _taxonomy("themes", ["t"]),
                        _taxonomy("regions", ["r1", "r2"]))
    s = stats.statistics(registry, TODAY)
    items = list(practices.values())
    assert s.total == len(items)
    assert s.contributing == len({p.organisation for p in items})
    for share in s.sectors:
        count = sum(share.id in p.sectors for p in items)
        assert share.count == count and share.share == (round(100 * count / len(items), 1) if items else 0.0)
    for share in s.regions:
        assert share.count == sum(organisations[p.organisation].region == share.id for p in items)
    assert sum(row[2] for row in s.by_type) == len(items)
    years = sorted({p.year for p in items})
    assert [y.year for y in s.years] == (list(range(years[0], TODAY.year + 1)) if years else [])
    for row in s.years:
        assert row.new == sum(p.year == row.year for p in items)
        assert row.total == sum(p.year <= row.year for p in items)
    assert s.adoptions == 0 and s.top_adopted == []
    counts = sorted((sum(p.organisation == o for p in items) for o in organisations), reverse=True)
    assert [n for _, n in s.top_organisations] == [c for c in counts if c][:stats.TOP_N]



@settings(max_examples=60, deadline=None)
@given(st.lists(st.one_of(st.none(), st.dates(date(2022, 1, 1), date(2023, 12, 31))), max_size=30),
       st.dates(date(2022, 1, 1), date(2023, 12, 31)), st.integers(0, 60))
def test_a_campaign_counts_exactly_what_it_received(received, start, length):
    """Yield, weeks and leaderboard agree with a direct count of received dates in the window."""
    from kehto.comms import Campaign

    organisations = {o: Organisation(o, o.upper(), kind, region) for o, kind, region in ORGS}
    practices = {f"p{n}": Practice(f"p{n}", f"Teko {n}", "s" * 30, ORGS[n % 4][0], ("a",), ("t",), date(2015, 1, 1),
                                   "x", submitted=day) for n, day in enumerate(received)}
    registry = Registry(practices, organisations, _taxonomy("sectors", SECTORS), _taxonomy("themes", ["t"]),
                        _taxonomy("regions", ["r1", "r2"]))
    end = date.fromordinal(start.toordinal() + length)
    view = campaigns.campaign_view(registry, Campaign("c", "C", "kuvaus", start, end), TODAY)
    inside = [p for p in practices.values() if p.submitted is not None and start <= p.submitted <= end]
    assert sorted(p.id for p in view.practices) == sorted(p.id for p in inside)
    assert sum(w.count for w in view.weeks) == len(inside) == (view.weeks[-1].total if view.weeks else 0)
    assert all(w.first.weekday() == 0 or w.first == start for w in view.weeks)
    assert sum(n for _, n in view.organisations) == len(inside)


def test_a_large_campaign_stays_small_per_page():
    """Past the landing page's cards the practices are paginated, and the snippet keeps to the newest."""
    from kehto import site
    from kehto.comms import Campaign

    organisations = {o: Organisation(o, o.upper(), kind, region) for o, kind, region in ORGS}
    practices = {f"p{n}": Practice(f"p{n}", f"Teko numero {n}", "s" * 30, "k1", ("a",), ("t",),
                                   date(2021, 3, 1 + n % 28), "x", submitted=date(2023, 3, 1 + n % 28)) for n in range(60)}
    campaign = Campaign("iso", "Iso kampanja", "Kampanja, jossa on paljon tekoja.", date(2023, 3, 1), date(2023, 3, 31))
    registry = Registry(practices, organisations, _taxonomy("sectors", SECTORS), _taxonomy("themes", ["t"]),
                        _taxonomy("regions", ["r1", "r2"]), campaigns={"iso": campaign})
    pages = {p.src_uri: p.content for p in site.generate(registry, site.SiteOptions(today=TODAY))}
    landing = pages["kampanjat/iso/index.md"]
    assert landing.count('class="kehto-card"') == 24 and "Kaikki 60 kampanjan aikana vastaanotettua tekoa" in landing
    assert "kampanjat/iso/teot/sivu/2/index.md" in pages
    snippet = pages["kampanjat/iso/uutiskirje.md.txt"]
    assert snippet.count("\n- **[") == snippets.CAMPAIGN_NEWEST and "kaikkiaan 60:stä" in snippet
    assert pages["kampanjat/iso/upotus.html"].count("<li>") == snippets.EMBED_SIZE
    assert len(_csv(pages["kampanjat/iso/teot.csv"])) == 61


def test_no_broken_links_in_the_comms_site(comms_site):
    from sitecheck import broken_links, pages

    assert broken_links(comms_site) == []
    # every page a registry with campaigns, lists and awards adds is there, none of them in the nav
    for path in ("tilastot/", "listat/", "listat/testilista/", "listat/eniten-mallia/", "kampanjat/",
                 "kampanjat/testikampanja/", "palkinnot/", "lisaa/mallia/", "menetelmat/"):
        assert (comms_site / path / "index.html").exists(), path
    nav = (comms_site / "index.html").read_text(encoding="utf-8").split('class="md-tabs"', 1)[1].split("</nav>", 1)[0]
    assert "testikampanja" not in nav and "testilista" not in nav
    assert len(pages(comms_site)) > 30


def test_csv_cells_never_start_a_formula(registry):
    practice = registry.practices["perehdytyskansio"]
    hostile = type(practice)(**{**practice.__dict__, "title": '=HYPERLINK("https://paha.example";"klikkaa")',
                                "summary": "-2+3 ja @SUM(A1) tiivistelmässä, joka on tarpeeksi pitkä."})
    rows = _csv(export.practices_csv(registry, SITE_URL, [hostile]))
    assert rows[1][1] == "'=HYPERLINK(\"https://paha.example\";\"klikkaa\")"
    assert rows[1][2].startswith("'-2+3")
    assert rows[1][10] == "2"  # numbers stay numbers
