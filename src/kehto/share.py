"""Share images (1200×630 PNG) for link previews: the home page, every list and every campaign.

Drawn with Pillow rather than Material's social plugin: the plugin downloads
its fonts from Google Fonts during the build and needs cairosvg with the cairo
system library, while this renderer needs neither, runs in the core (so the
images are the same bytes from any build) and draws only the pages chosen here.

Font: DejaVu Sans (Debian/Ubuntu ``fonts-dejavu-core``: on GitHub's Ubuntu
runners, and installed by ``.ci/run``), which has ä, ö and å; Liberation Sans,
Noto Sans, FreeSans or Arial are used when it is missing, and
``KEHTO_SHARE_FONT`` names any other ``.ttf``. Pillow's own embedded font is no
fallback: it has no ä, ö or å (tests/test_reach.py checks the glyphs), so
without a font the build stops with :class:`FontMissing`, saying what to install.
Practices get no image of their own (their pages use the home page's): see
docs/performance.md for the measured cost at 10,000 practices. Where each image
goes is :func:`kehto.urls.share_image`.
"""

from __future__ import annotations

import io
import os
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

WIDTH, HEIGHT = 1200, 630
MARGIN = 80
BACKGROUND = (11, 79, 138)  # the site's primary colour (#0b4f8a)
STRIPE = (232, 240, 250)
TEXT = (255, 255, 255)
MUTED = (205, 222, 240)

FONT_ENV = "KEHTO_SHARE_FONT"
# (regular, bold) candidates in order; the first whose regular file exists is used
FONTS = (
    ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"),
    ("/usr/share/fonts/dejavu/DejaVuSans.ttf", "/usr/share/fonts/dejavu/DejaVuSans-Bold.ttf"),
    ("/usr/share/fonts/TTF/DejaVuSans.ttf", "/usr/share/fonts/TTF/DejaVuSans-Bold.ttf"),
    ("/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
     "/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf"),
    ("/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf", "/usr/share/fonts/truetype/noto/NotoSans-Bold.ttf"),
    ("/usr/share/fonts/truetype/freefont/FreeSans.ttf", "/usr/share/fonts/truetype/freefont/FreeSansBold.ttf"),
    ("/Library/Fonts/Arial.ttf", "/Library/Fonts/Arial Bold.ttf"),
    ("/System/Library/Fonts/Supplemental/Arial.ttf", "/System/Library/Fonts/Supplemental/Arial Bold.ttf"),
    ("C:/Windows/Fonts/arial.ttf", "C:/Windows/Fonts/arialbd.ttf"),
)


class FontMissing(Exception):
    """No font with ä, ö and å for the share images; the message says what to install."""


def font_files() -> tuple[str, str]:
    """The (regular, bold) font files: ``KEHTO_SHARE_FONT`` or the first installed candidate."""
    chosen = os.environ.get(FONT_ENV)
    if chosen:
        if not Path(chosen).is_file():
            raise FontMissing(f"{FONT_ENV}={chosen}: tiedostoa ei ole. Anna polku .ttf-fonttitiedostoon.")
        return chosen, chosen
    for regular, bold in FONTS:
        if Path(regular).is_file():
            return regular, bold if Path(bold).is_file() else regular
    raise FontMissing("Jakokuvien piirtämiseen tarvitaan fontti, jossa on ä, ö ja å, mutta sellaista ei löytynyt. "
                      "Korjaus: asenna DejaVu Sans (Debian/Ubuntu: apt-get install fonts-dejavu-core) tai anna "
                      f"fonttitiedosto ympäristömuuttujassa {FONT_ENV}=/polku/fontti.ttf.")


@lru_cache(maxsize=None)
def font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    """The share images' font at ``size`` px (see :func:`font_files`)."""
    regular, heavy = font_files()
    return ImageFont.truetype(heavy if bold else regular, size)


def wrap(text: str, face: ImageFont.FreeTypeFont, width: int, max_lines: int) -> list[str]:
    """Greedy word wrap to ``width`` pixels; the last line ends in "…" when text is left over."""
    lines: list[str] = []
    words = text.split()
    while words and len(lines) < max_lines:
        line = words.pop(0)
        while words and face.getlength(f"{line} {words[0]}") <= width:
            line = f"{line} {words.pop(0)}"
        while face.getlength(line) > width and len(line) > 1:  # one very long word
            line = line[:-2] + "…"
        lines.append(line)
    if words and lines:
        last = lines[-1]
        while last and face.getlength(last + " …") > width:
            last = last.rsplit(" ", 1)[0] if " " in last else last[:-1]
        lines[-1] = last + " …"
    return lines


@lru_cache(maxsize=64)  # the same lists and campaigns on every rebuild of `make serve`
def share_image(title: str, subtitle: str = "", kicker: str = "", footer: str = "") -> bytes:
    """A 1200×630 PNG with a kicker, a title of up to three lines, a subtitle and a footer line."""
    image = Image.new("RGB", (WIDTH, HEIGHT), BACKGROUND)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, HEIGHT - 16, WIDTH, HEIGHT), fill=STRIPE)
    y = MARGIN
    if kicker:
        draw.text((MARGIN, y), kicker.upper(), font=font(30, bold=True), fill=MUTED)
        y += 60
    title_font = font(64, bold=True)
    for line in wrap(title, title_font, WIDTH - 2 * MARGIN, 3):
        draw.text((MARGIN, y), line, font=title_font, fill=TEXT)
        y += 80
    if subtitle:
        y += 20
        for line in wrap(subtitle, font(36), WIDTH - 2 * MARGIN, 2):
            draw.text((MARGIN, y), line, font=font(36), fill=MUTED)
            y += 48
    draw.text((MARGIN, HEIGHT - MARGIN - 20), footer or "kehto – kuntatyön kehittämistekojen rekisteri",
              font=font(28, bold=True), fill=TEXT)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=False, compress_level=6)
    return out.getvalue()


@lru_cache(maxsize=4)
def home_image(practices: int, organisations: int) -> bytes:
    """The home page's share image, also used by every page without its own."""
    counted = f"{practices} {'kehittämisteko' if practices == 1 else 'kehittämistekoa'} {organisations} organisaatiolta"
    return share_image("Kehittämistekoja kuntatyöpaikoilta", counted, "kehto – kehittämistekojen rekisteri",
                       "Hyviä käytäntöjä työyhteisöjen kehittämiseen")
