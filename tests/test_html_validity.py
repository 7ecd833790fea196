"""Valid HTML: the Nu HTML Checker over every page of the bundled site (see tests/htmlcheck.py)."""

from __future__ import annotations

import pytest

import htmlcheck

# The markup kehto once had, written into the same run so a broken checker or an allow-list
# that swallows everything cannot pass: metadata in <body> as <meta>, aria on hidden and
# <code> elements, and a label for a control that does not exist.
CANARY = """<!DOCTYPE html>
<html lang="fi"><head><meta charset="utf-8"><title>Kanarialintu</title></head>
<body><main>
<meta data-pagefind-filter="teema[content]" content="perehdytys">
<p hidden aria-hidden="true">piilossa</p>
<h2 id="otsikko">Tiedosto</h2><pre><code aria-labelledby="otsikko"></code></pre>
<label for="__toc">Sisällys</label>
</main></body></html>
"""
CANARY_FINDS = {
    "Element “meta” is missing one or more of the following attributes: “itemprop”, “property”.",
    "Attribute “aria-hidden” is unnecessary for elements that have attribute “hidden”.",
    "The value of the “for” attribute of the “label” element must be the ID of a non-hidden form control.",
}


def test_every_page_is_valid_html(real_site, tmp_path):
    htmlcheck.require_checker()
    files = htmlcheck.documents(real_site, tmp_path / "fragments")
    assert sum(name.endswith("(katkelma)") for name in files.values()) > 10  # the newsletter snippets too
    canary = tmp_path / "canary.html"
    canary.write_text(CANARY, encoding="utf-8")
    files[canary] = "canary"

    own, covered = htmlcheck.split(htmlcheck.check(files), htmlcheck.load_allowlist())

    from_canary = {m.text for m in own if m.file == "canary"}
    assert CANARY_FINDS <= from_canary, from_canary
    assert any(t.startswith("The “aria-labelledby” attribute must not be specified on any “code” element")
               for t in from_canary), from_canary
    site_messages = [str(m) for m in own if m.file != "canary"]
    assert not site_messages, "kehto's markup is not valid HTML:\n" + "\n".join(site_messages)
    unused = [a.markup for a, count in covered.items() if count == 0]
    assert not unused, f"allow-list entries that match nothing any more (remove them): {unused}"


def test_allowlist_entries_say_why(tmp_path):
    entries = htmlcheck.load_allowlist()
    assert entries and all(len(e.why) > 40 for e in entries)
    incomplete = tmp_path / "allow.yml"
    incomplete.write_text('- {message: "x", markup: "<input>", why: ""}\n', encoding="utf-8")
    with pytest.raises(ValueError, match="why"):
        htmlcheck.load_allowlist(incomplete)


def test_a_missing_checker_fails_in_ci_and_skips_elsewhere(monkeypatch, tmp_path):
    monkeypatch.setattr(htmlcheck, "VNU", tmp_path / "vnu.jar")
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="vnu.jar puuttuu"):
        htmlcheck.require_checker()
    monkeypatch.delenv("CI")
    with pytest.raises(pytest.skip.Exception):
        htmlcheck.require_checker()
