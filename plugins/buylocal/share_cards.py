"""Share cards: the 1200×630 image a social network shows when a page is shared.

Each card is drawn once for its content: cache/share-cards/<digest>.png is reused by every
build until the text, the site's colours, the fonts or this drawing code (VERSION) change. Drawing
uses the theme's Atkinson Hyperlegible (SIL Open Font License, theme/fonts/OFL.txt):
Pillow's built-in font has no accented letters.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont
from unidecode import unidecode

from . import incremental, parallel
from .settings import contrast

WIDTH, HEIGHT = 1200, 630
# Bump when the drawing changes (layout, font, encoding), so cached cards are drawn again.
# This drawing code and Pillow's version: a change to either draws the cards again (the
# fonts count too: see Painter.drawing_key).
VERSION = incremental.source_version(Path(__file__), libraries=("pillow",))
FONTS = {
    "regular": "AtkinsonHyperlegible_400Regular.ttf",
    "bold": "AtkinsonHyperlegible_700Bold.ttf",
}
# A card takes about 10 ms to draw: a second process pays from a few dozen cards on.
CARDS_PER_PROCESS = 20
MARGIN = 60
BAND_HEIGHT = 96
TITLE_TOP, TITLE_BOTTOM = 130, 380
# (size, lines allowed): the first that holds the whole title wins.
TITLE_SIZES = ((84, 2), (76, 2), (68, 2), (60, 3), (52, 3), (46, 3))
CHIP_SIZE, CHIP_HEIGHT, CHIP_GAP, CHIP_PADDING = 32, 56, 14, 20
CHIP_ROWS = (440, 440 + CHIP_HEIGHT + CHIP_GAP)
FOOTER_SIZE, FOOTER_TOP = 28, 580
DARK, LIGHT = "#1a1a1a", "#ffffff"


@dataclass(frozen=True)
class Card:
    """What one card says; the same Card always gives the same image."""

    band: str  # the site's name (and region), on the coloured band
    title: str  # the merchant's, town's or category's name
    subtitle: str  # "Rimouski · Restaurants", "12 commerces locaux"
    chips: tuple[str, ...]  # ways to buy, or towns
    footer: str  # the site's address


@dataclass(frozen=True)
class ShareImage:
    """A page's og:image: where it is published and what it shows."""

    url: str  # relative to the site root
    card: Card
    digest: str
    alt: str
    width: int = WIDTH
    height: int = HEIGHT


def digest(card: Card, colors: dict) -> str:
    """What the card says and its colours: part of its address, so that social networks,
    which keep an image by its address, fetch it again once that changed. The drawing code
    and the fonts are part of the cache key only (publish).
    """
    data = json.dumps([WIDTH, HEIGHT, colors, card.__dict__], sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(data.encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Palette:
    """The card's colours, from BUYLOCAL_COLORS, with text that stays readable on each."""

    background: str
    primary: str
    accent: str

    @property
    def text(self) -> str:
        return _readable_on(self.background)

    @property
    def chip_text(self) -> str:
        return _readable_on(self.accent)

    @property
    def footer(self) -> str:
        return self.primary if contrast(self.primary, self.background) >= 4.5 else self.text

    def pairs(self) -> list[tuple[str, str]]:
        """(ground, ink) of everything drawn: anti-aliased edges blend one into the other."""
        return [
            (self.primary, LIGHT),
            (self.background, self.text),
            (self.background, self.footer),
            (self.background, self.accent),
            (self.accent, self.chip_text),
        ]


def _readable_on(ground: str) -> str:
    return DARK if contrast(ground, DARK) >= contrast(ground, LIGHT) else LIGHT


@dataclass(frozen=True)
class Text:
    x: int
    y: int
    text: str
    weight: str  # "regular" or "bold"
    size: int
    color: str
    ground: str  # the plain colour under the text
    repeats: bool = True  # the same text is on many cards (band, chips): drawn once, reused


@dataclass(frozen=True)
class Box:
    box: tuple[int, int, int, int]
    color: str
    radius: int = 0


# The fonts of the project's own theme: a town's theme of its own need not copy them.
DEFAULT_FONTS = Path(__file__).resolve().parent.parent.parent / "theme" / "fonts"


def font_dir(theme: Path) -> Path:
    """The theme's fonts/ if it has the card fonts, else the project theme's."""
    fonts = theme / "fonts"
    return fonts if all((fonts / name).is_file() for name in FONTS.values()) else DEFAULT_FONTS


class Painter:
    """Lays out and draws cards with the theme's fonts; one per build."""

    def __init__(self, colors: dict, font_dir: Path):
        self.palette = Palette(colors["background"], colors["primary"], colors["accent"])
        self.font_dir = Path(font_dir)
        for name in FONTS.values():
            if not (self.font_dir / name).is_file():
                raise FileNotFoundError(f"share cards need the font {self.font_dir / name}")
        # Part of each cached card's name: other code or fonts, other pixels.
        self.drawing_key = incremental.digest(
            VERSION.encode(),
            *((self.font_dir / name).read_bytes() for name in sorted(FONTS.values())),
        )[:12]
        self._quantize_to = _palette_image(self.palette.pairs())

    def font(self, weight: str, size: int) -> ImageFont.FreeTypeFont:
        return _font(str(self.font_dir / FONTS[weight]), size)

    def printable(self, text: str) -> str:
        """The text with letters the font lacks spelled in ASCII ("Łódź" -> "Lodz"), so no
        empty box ever shows; French letters are all in the font.
        """
        path = str(self.font_dir / FONTS["regular"])
        return "".join(c if _covered(path, c) else (unidecode(c) or "?") for c in text)

    def width(self, text: str, weight: str, size: int) -> float:
        return _length(str(self.font_dir / FONTS[weight]), size, text)

    # -- layout ----------------------------------------------------------------------------

    def layout(self, card: Card) -> list:
        """Everything to draw, in order; every piece lies inside the card."""
        palette = self.palette
        inner = WIDTH - 2 * MARGIN
        ops: list = [Box((0, 0, WIDTH, HEIGHT), palette.background)]
        ops.append(Box((0, 0, WIDTH, BAND_HEIGHT), palette.primary))
        ops.append(self._line(card.band, MARGIN, 26, inner, "regular", 36, LIGHT, palette.primary))

        size, lines = self._fit_title(self.printable(card.title), inner)
        line_height = round(size * 1.15)
        y = TITLE_TOP
        for line in lines:
            ops.append(Text(MARGIN, y, line, "bold", size, palette.text, palette.background, False))
            y += line_height
        if card.subtitle:
            ops.append(
                self._line(
                    card.subtitle,
                    MARGIN,
                    y + 14,
                    inner,
                    "regular",
                    40,
                    palette.text,
                    palette.background,
                )
            )
        ops += self._chips(card.chips, inner)
        if card.footer:
            ops.append(
                self._line(
                    card.footer,
                    MARGIN,
                    FOOTER_TOP,
                    inner,
                    "regular",
                    FOOTER_SIZE,
                    palette.footer,
                    palette.background,
                )
            )
        return ops

    def _line(self, text, x, y, width, weight, size, color, ground) -> Text:
        fitted = self._ellipsize(self.printable(text), width, weight, size)
        return Text(x, y, fitted, weight, size, color, ground)

    def _ellipsize(self, text: str, width: int, weight: str, size: int) -> str:
        if self.width(text, weight, size) <= width:
            return text
        while text and self.width(text.rstrip() + "…", weight, size) > width:
            text = text[:-1]
        return text.rstrip() + "…"

    def _fit_title(self, title: str, width: int) -> tuple[int, list[str]]:
        """The largest size at which the title wraps into its lines and its area; at the
        smallest size, a title still too long ends with an ellipsis.
        """
        height = TITLE_BOTTOM - TITLE_TOP
        for size, max_lines in TITLE_SIZES:
            lines = self._wrap(title, width, "bold", size)
            if len(lines) <= max_lines and len(lines) * round(size * 1.15) <= height:
                return size, lines
        size, max_lines = TITLE_SIZES[-1]
        lines = self._wrap(title, width, "bold", size)
        kept = lines[:max_lines]
        kept[-1] = self._ellipsize(kept[-1] + "…", width, "bold", size)
        return size, kept

    def _wrap(self, text: str, width: int, weight: str, size: int) -> list[str]:
        """Words onto lines no wider than `width`; a word too long alone is cut, after a
        hyphen where it has one ("Boulangerie-" / "pâtisserie").
        """
        lines: list[str] = []
        line = ""
        for word in text.split():
            candidate = f"{line} {word}" if line else word
            if self.width(candidate, weight, size) <= width:
                line = candidate
                continue
            if line:
                lines.append(line)
            line = ""
            while self.width(word, weight, size) > width:
                cut = self._cut(word, width, weight, size)
                lines.append(word[:cut])
                word = word[cut:]
            line = word
        if line:
            lines.append(line)
        return lines

    def _cut(self, word: str, width: int, weight: str, size: int) -> int:
        fits = max(
            (n for n in range(1, len(word)) if self.width(word[:n], weight, size) <= width),
            default=1,
        )
        hyphen = word.rfind("-", 0, fits)
        return hyphen + 1 if hyphen > 0 else fits

    def _chips(self, labels: tuple[str, ...], width: int) -> list:
        """Labels as rounded chips on up to two rows; those that do not fit become "+N"."""
        palette = self.palette
        placed: list[tuple[int, int, str]] = []  # (row, x, label)
        row, x = 0, MARGIN
        labels = [
            self._ellipsize(self.printable(label), width - 2 * CHIP_PADDING, "regular", CHIP_SIZE)
            for label in labels
        ]
        for label in labels:
            chip = self._chip_width(label)
            if x + chip > MARGIN + width:
                row, x = row + 1, MARGIN
            if row >= len(CHIP_ROWS):
                break
            placed.append((row, x, label))
            x += chip + CHIP_GAP
        hidden = len(labels) - len(placed)
        if hidden:  # make room for "+N" at the end of the last row
            more = f"+{hidden}"
            while placed:
                last_row, last_x, last = placed[-1]
                end = last_x + self._chip_width(last) + CHIP_GAP
                if end + self._chip_width(more) <= MARGIN + width:
                    placed.append((last_row, end, more))
                    break
                placed.pop()
                hidden += 1
                more = f"+{hidden}"
        ops: list = []
        for row, x, label in placed:
            top = CHIP_ROWS[row]
            box = (x, top, x + self._chip_width(label), top + CHIP_HEIGHT)
            ops.append(Box(box, palette.accent, radius=CHIP_HEIGHT // 2))
            ops.append(
                Text(
                    x + CHIP_PADDING,
                    top + 10,
                    label,
                    "regular",
                    CHIP_SIZE,
                    palette.chip_text,
                    palette.accent,
                )
            )
        return ops

    def _chip_width(self, label: str) -> int:
        return round(self.width(label, "regular", CHIP_SIZE)) + 2 * CHIP_PADDING

    # -- drawing ---------------------------------------------------------------------------

    def draw(self, card: Card) -> Image.Image:
        image = Image.new("RGB", (WIDTH, HEIGHT))
        pen = ImageDraw.Draw(image)
        for op in self.layout(card):
            if isinstance(op, Box):
                pen.rounded_rectangle(op.box, op.radius, fill=op.color)
            elif op.repeats:  # the band, the chips, the footer: the same on many cards
                path = str(self.font_dir / FONTS[op.weight])
                tile, (left, top) = _text_tile(path, op.size, op.text, op.color, op.ground)
                image.paste(tile, (op.x + left, op.y + top))
            else:
                pen.text((op.x, op.y), op.text, font=self.font(op.weight, op.size), fill=op.color)
        # A few known colours and their blends: a palette PNG is a quarter of the RGB one.
        return image.quantize(palette=self._quantize_to, dither=Image.Dither.NONE)

    def save(self, card: Card, target: Path) -> None:
        partial = target.with_name(target.name + ".part")
        self.draw(card).save(partial, "PNG", optimize=False, compress_level=6)
        partial.replace(target)


def publish_pages(specs, config, theme: Path, files: incremental.CachedFiles) -> int:
    """The cards of a build's pages, cached beside the output (cache/share-cards/)."""
    images = [spec.share_card for spec in specs if spec.share_card is not None]
    if not images:
        return 0
    painter = Painter(config.colors, font_dir(Path(theme)))
    cache = incremental.cache_dir(files.staging) / "share-cards"
    return publish(images, painter, files, cache, config.workers)


def publish(
    images, painter: Painter, files: incremental.CachedFiles, cache: Path, workers: int
) -> int:
    """Put every page's card in the output (`files`), drawing only those not in the cache
    yet; returns how many were drawn.
    """
    unique = {image.url: image for image in images}  # the pages of one list share a card
    cache.mkdir(parents=True, exist_ok=True)

    def cached(digest: str) -> str:  # strings: a Path for each of 20,000 cards costs
        return f"{cache}{os.sep}{digest}-{painter.drawing_key}.png"

    missing = {}
    for image in unique.values():
        if not os.path.exists(cached(image.digest)):
            missing[image.digest] = image.card
    parallel.map_items(
        lambda item: painter.save(item[1], Path(cached(item[0]))),
        sorted(missing.items()),
        workers,
        per_process=CARDS_PER_PROCESS,
    )
    for image in unique.values():
        files.place(cached(image.digest), image.url)
    return len(missing)


@lru_cache(maxsize=64)
def _font(path: str, size: int) -> ImageFont.FreeTypeFont:
    # The basic layout needs no system library (raqm), so every machine draws the same pixels.
    return ImageFont.truetype(path, size, layout_engine=ImageFont.Layout.BASIC)


@lru_cache(maxsize=256)
def _text_tile(path: str, size: int, text: str, color: str, ground: str):
    """A text drawn on its plain ground, and where it sits from the text's origin: pasted,
    it gives the same pixels as drawing the text there, for a fraction of the time.
    """
    font = _font(path, size)
    left, top, right, bottom = font.getbbox(text)
    tile = Image.new("RGB", (max(1, right - left), max(1, bottom - top)), ground)
    ImageDraw.Draw(tile).text((-left, -top), text, font=font, fill=color)
    return tile, (left, top)


@lru_cache(maxsize=16384)
def _length(path: str, size: int, text: str) -> float:
    """Widths are asked again and again while wrapping, and chips repeat on every card."""
    return _font(path, size).getlength(text)


@lru_cache(maxsize=4096)
def _covered(path: str, char: str) -> bool:
    """Whether the font has a glyph for `char` (a missing one draws the "notdef" box)."""
    font = _font(path, 24)
    return _glyph(font, char) != _glyph(font, "\ue000")  # private use: never in the font


def _glyph(font: ImageFont.FreeTypeFont, char: str) -> bytes:
    image = Image.new("L", (48, 48))
    ImageDraw.Draw(image).text((8, 8), char, font=font, fill=255)
    return image.tobytes()


def _palette_image(pairs) -> Image.Image:
    """A palette of each (ground, ink) pair in 16 steps, for a fast fixed quantization."""
    colors: list[tuple[int, int, int]] = []
    for ground, ink in pairs:
        start, end = _rgb(ground), _rgb(ink)
        for step in range(16):
            channels = zip(start, end, strict=True)
            colors.append(tuple(round(a + (b - a) * step / 15) for a, b in channels))
    colors = list(dict.fromkeys(colors))[:256]
    palette = Image.new("P", (1, 1))
    flat = [channel for color in colors for channel in color]
    palette.putpalette(flat + flat[:3] * (256 - len(colors)))
    return palette


def _rgb(color: str) -> tuple[int, int, int]:
    digits = color[1:] if len(color) == 7 else "".join(c * 2 for c in color[1:])
    return tuple(int(digits[i : i + 2], 16) for i in (0, 2, 4))
