"""Bad input under pressure: the whole broken corpus at once, encodings, arbitrary Unicode."""

from __future__ import annotations

import re
from html import unescape
import shutil
import subprocess
import sys
from html.parser import HTMLParser

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import EXAMPLES, build_site, make_registry
from kehto import yamlwrite
from sitecheck import pages

LINE = re.compile(r"^(?P<file>[^:]+):(?P<line>\d+):(?P<col>\d+): (?P<field>[^:]+): .+$")


def test_every_broken_file_at_once(registry_dir):
    broken = sorted((EXAMPLES / "practice/invalid").glob("*.yml"))
    for path in broken:
        shutil.copy(path, registry_dir / "practices")
    shutil.copy(EXAMPLES / "organisation/invalid/bad-organisation.yml", registry_dir / "data/organisations")
    (registry_dir / "practices/huge.yml").write_text("id: huge\ntitle: " + "x" * 5_200_000, encoding="utf-8")
    (registry_dir / "practices/nul.yml").write_bytes(b"id: nul\x00\n")
    result = subprocess.run([sys.executable, "-m", "kehto.cli", "--root", str(registry_dir), "validate"],
                            capture_output=True, text=True)
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    lines = result.stdout.strip().splitlines()
    problems = [LINE.match(line) for line in lines[:-1]]
    assert all(problems), [line for line, m in zip(lines, problems) if not m]
    reported = {m["file"] for m in problems}
    expected = {f"practices/{p.name}" for p in broken} | {"practices/huge.yml", "practices/nul.yml",
                                                           "data/organisations/bad-organisation.yml"}
    assert reported == expected  # every broken file, and only those


def test_bom_and_crlf_records_are_valid(registry_dir):
    source = (EXAMPLES / "practice/valid/minimal-practice.yml").read_text(encoding="utf-8")
    text = "\ufeff" + source.replace("\n", "\r\n")
    (registry_dir / "practices/minimal-practice.yml").write_bytes(text.encode("utf-8"))
    from kehto.cli import main

    assert main(["--root", str(registry_dir), "validate"]) == 0


_text = st.text(st.characters(exclude_categories=("Cs", "Cc"),
                              exclude_characters="\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"),
                min_size=1, max_size=100)


PREFIXES = ["Ensimmäinen kokeilu", "Toinen hanke vanhuspalveluissa", "Kolmas työpaja kirjastossa",
            "Neljäs malli perehdytykseen"]  # distinct, so no likely-duplicate warning fails the strict build


@settings(max_examples=3, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(_text, _text, _text), min_size=4, max_size=4))
def test_arbitrary_unicode_always_builds_and_comes_out_escaped(tmp_path_factory, texts):
    root = make_registry(tmp_path_factory.mktemp("unicode") / "registry")
    for n, (title, summary, body) in enumerate(texts):
        record = {"id": f"unicode-{n}", "title": (PREFIXES[n] + " " + title)[:120], "summary": ("Tiivistelmä " * 3 + summary)[:300],
                  "organisation": "testikunta", "sectors": ["koko-kunta"], "themes": ["tyohyvinvointi"],
                  "published": "2020-01-01", "actions": "Mitä tehtiin: " + body + " " * 0 + "x" * 20,
                  "background": body}
        (root / f"practices/unicode-{n}.yml").write_text(yamlwrite.dump(record), encoding="utf-8")
    site = root.parent / "site"
    build_site(root, site)
    for n, (title, _, _) in enumerate(texts):
        html = (site / f"teot/unicode-{n}/index.html").read_text(encoding="utf-8")
        heading = re.search(r'<h1 data-pagefind-meta="title">(.*?)</h1>', html, re.S).group(1)
        assert "<" not in heading and ">" not in heading
        assert unescape(heading) == (PREFIXES[n] + " " + title)[:120].strip()  # shown as written


VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr", "path",
        "circle", "rect", "line", "polyline", "polygon", "use", "stop", "ellipse"}
OPTIONAL_END = {"p", "li", "option", "dt", "dd", "tr", "td", "th", "thead", "tbody"}


class _Balance(HTMLParser):
    def __init__(self):
        super().__init__()
        self.stack, self.errors, self.ids = [], [], set()

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name == "id":
                if value in self.ids:
                    self.errors.append(f"id {value!r} twice")
                self.ids.add(value)
        if tag not in VOID:
            self.stack.append((tag, self.getpos()[0]))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.stack.pop()

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        while self.stack and self.stack[-1][0] != tag and self.stack[-1][0] in OPTIONAL_END:
            self.stack.pop()
        if not self.stack or self.stack[-1][0] != tag:
            self.errors.append(f"</{tag}> at line {self.getpos()[0]} closes {self.stack[-1] if self.stack else 'nothing'}")
            return
        self.stack.pop()


def test_every_generated_page_is_well_formed(example_site):
    checked = 0
    for page in pages(example_site):
        if page.parts[-2] == "pagefind":
            continue
        checker = _Balance()
        checker.feed(page.read_text(encoding="utf-8"))
        checker.close()
        leftover = [t for t in checker.stack if t[0] not in OPTIONAL_END]
        assert checker.errors == [] and leftover == [], f"{page.relative_to(example_site)}: {checker.errors} {leftover}"
        checked += 1
    assert checked > 20
