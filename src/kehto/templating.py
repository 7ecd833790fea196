"""The one Jinja environment of kehto: every page, feed, export and form is rendered from it."""

from __future__ import annotations

import functools

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, PackageLoader, StrictUndefined

from . import form_data, markup, urls

# Templates of plain text (Markdown to paste elsewhere): everything else renders HTML or XML, escaped.
PLAIN_TEXT = frozenset({"newsletter.md.j2", "newsletter.txt.j2"})


def _autoescape(name: str | None) -> bool:
    return name not in PLAIN_TEXT


@functools.lru_cache(maxsize=4)
def environment(project_dirs: tuple[str, ...] = ()) -> Environment:
    """The shared environment: filters for dates and text, and ``urls`` (:mod:`kehto.urls`) as a global.

    ``project_dirs`` are a project's own template folders (``templates/`` beside its records),
    searched before kehto's: the page template of a kind the project adds lives there.

    Like Jinja's default, a template's final newline is dropped: :func:`render_file`
    puts it back for files published as they are.
    """
    loader = ChoiceLoader([*(FileSystemLoader(d) for d in project_dirs), PackageLoader("kehto", "templates")])
    env = Environment(loader=loader, autoescape=_autoescape, trim_blocks=True,
                      lstrip_blocks=True, undefined=StrictUndefined)
    env.filters["fidate"] = markup.finnish_date
    env.filters["meta"] = markup.meta_text
    env.filters["first_sentence"] = markup.first_sentence
    env.filters["preformatted"] = markup.preformatted
    env.filters["mdescape"] = markup.markdown_escape
    env.filters["mailto"] = markup.mailto
    env.globals["urls"] = urls
    # The forms' paths and folding for their scripts, relative to the page (``url`` is its link maker).
    env.globals["form_paths"] = lambda url: markup.script_json(form_data.browser_paths(url))
    return env


def render_file(template: str, **context) -> str:
    """A whole file (feed, newsletter snippet) from ``template``, ending with a newline."""
    return environment().get_template(template).render(**context) + "\n"
