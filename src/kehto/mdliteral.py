"""Markdown that shows contributed text literally.

Everything kehto writes where GitHub renders Markdown (the issue bot's comments, the bot's and
the intake service's pull requests) repeats contributors' words only through these functions,
so a link, image, HTML, @-mention or emphasis in them never renders as kehto's own words.
"""

from __future__ import annotations

import re


def _longest_backticks(text: str) -> int:
    return max((len(run) for run in re.findall(r"`+", text)), default=0)


def code_span(text: str) -> str:
    """``text`` as a Markdown code span, whatever backticks it holds: nothing in it renders.
    Line breaks become spaces (a span cannot start a new block)."""
    text = " ".join(text.splitlines())
    fence = "`" * (_longest_backticks(text) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") or (text.startswith(" ") and text.endswith(" ")) else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def fenced(text: str, info: str = "") -> str:
    """A fenced block no line of ``text`` can close: the fence is longer than any backtick run in it."""
    fence = "`" * max(3, _longest_backticks(text) + 1)
    return f"{fence}{info}\n{text}\n{fence}"


# Messages repeat values from the issue in "quotes"; outside quotes, a word with any of these
# could still render on GitHub as a link, an image, HTML, a mention, emphasis or math.
_QUOTED = re.compile(r'"([^"]*)"')
_RISKY_WORD = re.compile(r"[\\`*_\[\]<>!&#|~@$]|://|www\.|\w\.\w|:\S", re.I)


def quote_user_text(message: str) -> str:
    """A message for the bot's Markdown comment: values from the issue (in quotes) and any word
    that could render as markup become code spans, so the bot never repeats a link, an image
    or an @-mention as its own words; line breaks become spaces (no new blocks)."""
    out = []
    for index, part in enumerate(_QUOTED.split(" ".join(message.split()))):
        if index % 2:
            out.append(code_span(part) if part.strip() else f'"{part}"')
            continue
        out.append(" ".join(_word(word) for word in part.split(" ")))
    text = ""
    for piece in out:
        if text.endswith("`") and piece.startswith("`"):
            text += " "  # two code spans side by side would merge their backtick runs into one fence
        text += piece
    return text


def _word(word: str) -> str:
    if not _RISKY_WORD.search(word):
        return word
    core = word.rstrip(".,;:?)")  # sentence punctuation stays outside the code span
    return code_span(core) + word[len(core):] if core and _RISKY_WORD.search(core) else code_span(word)
