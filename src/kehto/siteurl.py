"""The site's public address (``site_url``): a production build needs a real one.

Feeds, snippets, embed codes, CSV files and share tags carry absolute links.
A local preview keeps the default ``http://127.0.0.1:8000/`` and says so; a
production build (``kehto build --production``, or ``KEHTO_PRODUCTION`` set for
``mkdocs build``) without a public address stops with :func:`production_problem`.
"""

from __future__ import annotations

from urllib.parse import urlsplit

LOCAL_HOSTS = {"", "localhost", "127.0.0.1", "::1", "0.0.0.0"}


def is_local(site_url: str) -> bool:
    """True for an empty site_url or one on this machine (``http://127.0.0.1:8000/``, ``localhost``)."""
    return (urlsplit(site_url or "").hostname or "") in LOCAL_HOSTS


def address(text: str) -> str:
    """``text`` as a site address (``--site-url``): http(s), a host, ending in ``/``; ValueError
    with the fix in Finnish otherwise."""
    parts = urlsplit(text.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment:
        raise ValueError(f"\"{text}\" ei ole sivuston osoite. Anna koko osoite, esimerkiksi "
                         "https://kehto-rekisteri.github.io/kehto/")
    return parts.geturl() if parts.path.endswith("/") else parts.geturl() + "/"


PRODUCTION_ENV = "KEHTO_PRODUCTION"  # a plain `mkdocs build` for production; `kehto build` has --production


def production_problem(site_url: str) -> str:
    """Why a production build cannot go ahead with ``site_url`` (empty when it can).

    Feeds, snippets, embed codes, CSV files and share tags carry absolute links;
    built with the local default they would send every reader to localhost.
    """
    if not is_local(site_url):
        return ""
    return (f"Julkaistava sivusto tarvitsee oikean osoitteen, mutta osoite on {site_url or '(tyhjä)'}. "
            "Syötteiden, uutiskirjepätkien, upotuskoodien, CSV-tiedostojen ja jakokuvien linkit osoittaisivat "
            "tälle koneelle. Korjaus: aseta ympäristömuuttuja KEHTO_SITE_URL sivuston julkiseen osoitteeseen, "
            "esimerkiksi KEHTO_SITE_URL=https://kehto-rekisteri.github.io/kehto/ (GitHubin julkaisutyönkulku "
            "asettaa sen itse).")


def local_preview_note(site_url: str) -> str:
    """What a local build says in its log: its absolute links point at this machine."""
    return (f"Esikatselu: sivuston osoite on {site_url or '(tyhjä)'}, joten syötteiden, uutiskirjepätkien, "
            "upotuskoodien ja CSV-tiedostojen linkit osoittavat tälle koneelle. Julkaisuun: "
            "KEHTO_SITE_URL=<julkinen osoite> kehto build --production")


def check(site_url: str, production: bool) -> tuple[str, str]:
    """``(problem, note)`` for a build at ``site_url``: a production build with a local address has a
    problem (it stops); a preview with a local address gets a note for its log. Both empty otherwise.

    ``kehto build`` calls this before any engine runs, so the check is the same for every engine;
    the MkDocs hook calls it for a plain ``mkdocs build`` (``KEHTO_PRODUCTION`` set).
    """
    if production:
        return production_problem(site_url), ""
    return "", local_preview_note(site_url) if is_local(site_url) else ""
