"""The picture a link preview shows: a 1200 x 630 PNG per claim with the claim, the verdict
and the site's name, drawn at build time without the network.

Text is drawn in the fonts shipped in assets/fonts/ (licences beside them), each character in the
first that has it: DejaVu Sans (Latin, Greek, Cyrillic, Armenian, Georgian, Hebrew, and Arabic and
Persian in their contextual forms), then a Hangul subset of NanumGothic. Arabic letters are joined
into those forms by arabic-reshaper and each line put in visual order by python-bidi's Unicode
bidirectional algorithm, so that a card in Arabic or Hebrew reads right to left, laid out mirrored.
Text with a character no font has (Chinese, Japanese, Thai, the Indic scripts) is left off the card
rather than drawn as empty boxes; the card still shows the verdict, and the preview's title still
carries the claim.

Same input, same bytes: the layout uses Pillow's basic engine (libraqm, when present, would
change the output from one machine to another), shaping and ordering are pure Python, and the
PNG carries no date. A card's key,
which names its file, is a hash of what it shows, so a changed verdict gets a new address
and no platform keeps showing the old card from its cache.
"""

from __future__ import annotations

import hashlib
import io
import json
import struct
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from factcheck_site.content.model import Claim, Site
from factcheck_site.content.publisher import Publication
from factcheck_site.content.web_address import split_web_address
from factcheck_site.language import _
from factcheck_site.render.markup import tone

if TYPE_CHECKING:  # Pillow is imported when a card is drawn: checking a site (factcheck validate) needs none
    from PIL import Image, ImageFont

WIDTH, HEIGHT = 1200, 630
CARD_VERSION = 3  # part of every card's key: change it when the design changes
MARGIN = 64
BACKGROUND, INK, MUTED = "#ffffff", "#1a1a1a", "#5a5a5a"
# The verdict colours of assets/factcheck.css's light scheme (.fc-tone-N: the fill, and the text on it).
TONE_COLOURS = {6: ("#1b6e35", "#ffffff"), 5: ("#9ed4a5", "#0b2611"), 4: ("#f5c84c", "#241c00"),
                3: ("#6f42b0", "#ffffff"), 2: ("#f5b1a8", "#3a0c06"), 1: ("#b3161f", "#ffffff"),
                0: ("#e3e6ea", "#2d333b")}
CLAIM_SIZES = (60, 54, 48, 44, 40)  # the largest size at which the claim fits is used
CLAIM_TOP, CLAIM_BOTTOM = 128, 420
ELLIPSIS = "…"
COMPRESS_LEVEL = 6  # zlib's default: level 1 is twice as fast and a quarter larger


# The words a card draws, and its text alternative (language.py translates them).
KICKER, READ_AT, CLAIM_BY = _("FACT-CHECK"), _("Read the claim and the evidence at {host}"), _("Claim by {claimant}")
VERDICT_IS, VERDICT, ALT = _("Verdict: {verdict}"), _("Verdict"), _("Fact-check by {site}: {claim}Verdict: {verdict}.")
CARD_WORDS = (KICKER, READ_AT, CLAIM_BY, VERDICT_IS, VERDICT)


def _translated_words() -> list[str]:
    """The card's words where the site's language changes them (none in English, whose cards keep their keys)."""
    return [str(word) for word in CARD_WORDS if str(word) != word.text]


@dataclass(frozen=True)
class CardText:
    """What a card shows; all of it, and CARD_VERSION, goes into its key."""

    claim: str
    verdict: str  # the verdict's label
    tone: int  # the verdict's tone on the scale (render/markup.py's tone), for its colours
    claimant: str
    site_name: str
    site_host: str  # e.g. factcheck.example: where the reader will land
    quoted: bool = False  # the claim is a quotation (claim_is_quote): shown in quotation marks, as on its page

    def key(self) -> str:
        data = json.dumps([CARD_VERSION, self.claim, self.verdict, self.tone, self.claimant, self.site_name,
                           self.site_host, self.quoted, *_translated_words()], ensure_ascii=False)
        return hashlib.sha256(data.encode()).hexdigest()[:16]


def card_text(claim: Claim, site: Site, publication: Publication) -> CardText:
    verdict = site.verdicts[claim.verdict]
    return CardText(claim.claim, verdict.label, tone(verdict, site.scale), site.claimant_line(claim),
                    publication.site_name, _host(publication.site_url), claim.claim_is_quote)


@lru_cache(maxsize=8)  # one site, 25,000 cards
def _host(site_url: str) -> str:
    parts = split_web_address(site_url)
    return (parts.hostname if parts else None) or ""


def card_src(claim_id: str, card: CardText, key: str | None = None) -> str:
    """Where a claim's card lives in the site: beside its page, named by what it shows (key: card.key(), when
    already known)."""
    return f"claims/{claim_id}/card-{key or card.key()}.png"


def card_alt(card: CardText) -> str:
    """The card's text alternative: what it shows."""
    claim = _clean(card.claim)
    claim = (f"“{claim}” " if card.quoted else f"{claim} ") if drawable(claim) else ""
    return ALT.format(site=card.site_name, claim=claim, verdict=card.verdict)


def _font_path(name: str) -> str:
    return str(resources.files("factcheck_site").joinpath(f"assets/fonts/{name}"))


# Each character is drawn in the first of these that has it.
FONTS = {True: ("DejaVuSans-Bold.ttf", "CardHangul-Bold.ttf"), False: ("DejaVuSans.ttf", "CardHangul.ttf")}


@cache
def _truetype(name: str, size: int) -> ImageFont.FreeTypeFont:
    from PIL import ImageFont

    return ImageFont.truetype(_font_path(name), size, layout_engine=ImageFont.Layout.BASIC)


@dataclass(frozen=True)
class Face:
    """The card's fonts at one size and weight, as one: text is measured and drawn in runs, each in the first
    font that has its characters (spaces stay in the run they are in)."""

    bold: bool
    size: int

    def font_runs(self, text: str) -> list[tuple[str, str]]:
        """(font file, text) of each run."""
        if _covered(FONTS[self.bold][0]).issuperset(map(ord, text)):
            return [(FONTS[self.bold][0], text)] if text else []
        runs: list[tuple[str, str]] = []
        for character in text:
            code = ord(character)
            name = runs[-1][0] if runs and character.isspace() and code in _covered(runs[-1][0]) else next(
                (name for name in FONTS[self.bold] if code in _covered(name)), FONTS[self.bold][0])
            if runs and runs[-1][0] == name:
                runs[-1] = (name, runs[-1][1] + character)
            else:
                runs.append((name, character))
        return runs

    def runs(self, text: str) -> list[tuple[ImageFont.FreeTypeFont, str]]:
        return [(_truetype(name, self.size), piece) for name, piece in self.font_runs(text)]

    def getlength(self, text: str) -> float:
        first = FONTS[self.bold][0]
        if text.isascii() and text.isprintable() and _prints_ascii(first):  # one run, nothing to shape: a card's
            return _truetype(first, self.size).getlength(text) if text else 0  # claim is measured word by word
        return sum(font.getlength(piece) for font, piece in self.runs(_shaped(text)))

    def metrics(self) -> tuple[int, int]:
        """(ascent, descent) of the first font, which places every run's baseline."""
        return _truetype(FONTS[self.bold][0], self.size).getmetrics()

    def in_first_font(self, text: str) -> bool:
        """Whether the text is one run in the first font with nothing to shape: measured as that font measures it."""
        first = FONTS[self.bold][0]
        if text.isascii() and text.isprintable() and _prints_ascii(first):
            return True
        return _covered(first).issuperset(map(ord, text)) and _shaped(text) == text

    def word_length(self, word: str) -> float:
        """getlength of a word of a text in_first_font, measured once for every card."""
        lengths = _WORD_LENGTHS.setdefault(self, {})
        length = lengths.get(word)
        if length is None:
            if len(lengths) >= 100_000:  # an archive's vocabulary, not every word it has ever shown
                lengths.clear()
            length = lengths[word] = _truetype(FONTS[self.bold][0], self.size).getlength(word)
        return length

    def space_between(self, before: str, after: str) -> float:
        """What a line of a text in_first_font ending in the character before grows by, beyond the next word's own
        length, when a space and that word (starting with after) follow: the space's advance and the kerning of each
        pair where they meet."""
        key = (self, before, after)
        length = _SPACES.get(key)
        if length is None:
            if len(_SPACES) >= 100_000:  # the pairs of an archive's characters, not every pair ever met
                _SPACES.clear()
            measure = _truetype(FONTS[self.bold][0], self.size).getlength
            length = _SPACES[key] = measure(f"{before} {after}") - measure(before) - measure(after)
        return length


# In one font, Pillow's basic layout makes a text's length the sum of its characters' advances and of the kerning of
# each pair of neighbours (each a whole number of 64ths of a pixel): a line's length is its words' plus what joins
# them, exactly (wrap). The claim was measured again for every word added: a sixth of a card's time.
_WORD_LENGTHS: dict[Face, dict[str, float]] = {}
_SPACES: dict[tuple[Face, str, str], float] = {}


@cache
def _font(bold: bool, size: int) -> Face:
    return Face(bold, size)


@cache
def _prints_ascii(name: str) -> bool:
    """Whether the font has every printable ASCII character."""
    return _covered(name).issuperset(range(0x20, 0x7F))


@cache
def _covered(name: str) -> frozenset[int]:
    """The code points a TrueType font has glyphs for, from its cmap table (formats 4 and 12)."""
    with open(_font_path(name), "rb") as file:
        data = file.read()
    tables = {data[12 + 16 * i : 16 + 16 * i]: struct.unpack(">II", data[20 + 16 * i : 28 + 16 * i])
              for i in range(struct.unpack(">H", data[4:6])[0])}
    cmap = tables[b"cmap"][0]
    found: set[int] = set()
    for i in range(struct.unpack(">H", data[cmap + 2 : cmap + 4])[0]):
        platform, encoding, offset = struct.unpack(">HHI", data[cmap + 4 + 8 * i : cmap + 12 + 8 * i])
        if (platform, encoding) not in ((3, 1), (3, 10), (0, 3), (0, 4)):
            continue
        at = cmap + offset
        form = struct.unpack(">H", data[at : at + 2])[0]
        if form == 4:
            segments = struct.unpack(">H", data[at + 6 : at + 8])[0] // 2
            ends = struct.unpack(f">{segments}H", data[at + 14 : at + 14 + 2 * segments])
            starts_at = at + 16 + 2 * segments
            starts = struct.unpack(f">{segments}H", data[starts_at : starts_at + 2 * segments])
            deltas = struct.unpack(f">{segments}h", data[starts_at + 2 * segments : starts_at + 4 * segments])
            ranges_at = starts_at + 4 * segments
            offsets = struct.unpack(f">{segments}H", data[ranges_at : ranges_at + 2 * segments])
            for s, (start, end, delta, range_offset) in enumerate(zip(starts, ends, deltas, offsets, strict=True)):
                for code in range(start, end + 1):
                    if code == 0xFFFF:
                        continue
                    if range_offset == 0:
                        glyph = (code + delta) & 0xFFFF
                    else:
                        where = ranges_at + 2 * s + range_offset + 2 * (code - start)
                        glyph = struct.unpack(">H", data[where : where + 2])[0]
                        glyph = (glyph + delta) & 0xFFFF if glyph else 0
                    if glyph:
                        found.add(code)
        elif form == 12:
            groups = struct.unpack(">I", data[at + 12 : at + 16])[0]
            for g in range(groups):
                start, end, _ = struct.unpack(">III", data[at + 16 + 12 * g : at + 28 + 12 * g])
                found.update(range(start, end + 1))
    return frozenset(found)


def drawable(text: str, bold: bool = True) -> bool:
    """Whether the fonts have every character of the text, with Arabic letters in their joined forms."""
    if text.isascii() and text.isprintable():
        return True
    covered = [_covered(name) for name in FONTS[bold]]
    return all(c.isspace() or any(ord(c) in font for font in covered) for c in set(_shaped(text)))  # each once


def _right_to_left(text: str) -> bool:
    """Whether a paragraph of the text reads right to left: its first letter of a strong direction does."""
    for character in text:
        direction = unicodedata.bidirectional(character)
        if direction in ("L", "R", "AL"):
            return direction != "L"
    return False


@lru_cache(maxsize=256)
def _shaped(text: str) -> str:
    """Arabic letters in their contextual forms (presentation forms, which DejaVu Sans draws), still in logical
    order; other text as it is."""
    if not any(unicodedata.bidirectional(c) == "AL" for c in set(text)):  # each character once
        return text
    import arabic_reshaper

    return arabic_reshaper.reshape(text)


def _visual(line: str, rtl: bool) -> str:
    """A line of shaped text in the order it is drawn, left to right (the bidirectional algorithm, with mirrored
    brackets), in a paragraph of the card's direction."""
    if line.isascii() or not any(unicodedata.bidirectional(c) in ("R", "AL", "AN") for c in line):
        return line
    from bidi.algorithm import get_display

    return get_display(line, base_dir="R" if rtl else "L")


def _clean(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def _split_long(word: str, font: Face, width: int) -> list[str]:
    """A word wider than a line, in pieces that fit."""
    pieces, piece = [], ""
    for character in word:
        if piece and font.getlength(piece + character) > width:
            pieces.append(piece)
            piece = ""
        piece += character
    return [*pieces, piece] if piece else pieces


def wrap(text: str, font: Face, width: int) -> list[str]:
    """Lines of at most width pixels, broken between words (inside a word only when it alone is too wide). In one
    font, a line's length is worked out from its words' (Face.word_length, space_between), not measured again."""
    if not font.in_first_font(text):
        return _wrap_measured(text, font, width)
    lines: list[str] = []
    line, length = "", 0.0
    for word in text.split():
        word_length = font.word_length(word)
        candidate = length + font.space_between(line[-1], word[0]) + word_length if line else word_length
        if candidate <= width:
            line, length = (f"{line} {word}" if line else word), candidate
            continue
        if line:
            lines.append(line)
        pieces = _split_long(word, font, width) if word_length > width else [word]
        lines += pieces[:-1]
        line = pieces[-1]
        length = font.word_length(line) if len(pieces) == 1 else font.getlength(line)
    return [*lines, line] if line else lines


def _wrap_measured(text: str, font: Face, width: int) -> list[str]:
    """wrap, each line measured whole (runs in several fonts, or shaped: a line is not the sum of its words)."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        candidate = f"{line} {word}" if line else word
        if font.getlength(candidate) <= width:
            line = candidate
            continue
        if line:
            lines.append(line)
        pieces = _split_long(word, font, width) if font.getlength(word) > width else [word]
        lines += pieces[:-1]
        line = pieces[-1]
    return [*lines, line] if line else lines


def _fit_claim(claim: str, width: int, height: int) -> tuple[Face, list[str], int]:
    """(font, lines, line height) of the largest size at which the claim fits; at the smallest size,
    the lines that fit, the last one ending in an ellipsis."""
    for size in CLAIM_SIZES:
        font = _font(True, size)
        step = round(size * 1.25)
        lines = wrap(claim, font, width)
        if len(lines) * step <= height:
            return font, lines, step
    most = max(1, height // step)
    last = lines[most - 1]
    while last and font.getlength(last + ELLIPSIS) > width:
        last = last[:-1].rstrip()
    return font, [*lines[: most - 1], last + ELLIPSIS], step


@lru_cache(maxsize=1024)  # a site's claimants, verdicts and host, on card after card
def _fit_line(text: str, font: Face, width: int) -> str:
    if font.getlength(text) <= width:
        return text
    while text and font.getlength(text + ELLIPSIS) > width:
        text = text[:-1]
    return text.rstrip() + ELLIPSIS


@lru_cache(maxsize=64)
def _fitted_length(text: str, font: Face) -> float:
    """The length of the verdict's label, the same on card after card."""
    return font.getlength(text)


def _hex(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


RAMP = 16  # shades of each colour: enough for smooth text edges, few enough to compress well
INK_RAMP, MUTED_RAMP, VERDICT_RAMP, ON_VERDICT_RAMP = range(4)
VERDICT_FILL = VERDICT_RAMP * RAMP + RAMP - 1  # the verdict's colour itself
# A text's coverage (1-255) to the index of its shade in its ramp.
_SHADES = [[0] + [ramp * RAMP + value * (RAMP - 1) // 255 for value in range(1, 256)] for ramp in range(4)]
_COVERED = [0] + [255] * 255


def _palette(fill: str, ink: str) -> list[int]:
    """Four ramps: white to ink, white to muted, white to the verdict's colour, and the verdict's colour
    to the text on it (the verdict's label). Index 0 is white, the background."""
    ramps = [(BACKGROUND, INK), (BACKGROUND, MUTED), (BACKGROUND, fill), (fill, ink)]
    palette: list[int] = []
    for start, end in ramps:
        (r0, g0, b0), (r1, g1, b1) = _hex(start), _hex(end)
        for step in range(RAMP):
            palette += [round(a + (b - a) * step / (RAMP - 1)) for a, b in ((r0, r1), (g0, g1), (b0, b1))]
    return palette


RIGHT_TO_LEFT = "factcheck-right-to-left"  # in the canvas's info: the card reads right to left, laid out mirrored


def _mirrored(canvas: Image.Image, box: tuple[int, int, int, int]) -> tuple[int, int, int, int]:
    """A box laid out left to right, where it goes on the canvas."""
    return (WIDTH - box[2], box[1], WIDTH - box[0], box[3]) if canvas.info.get(RIGHT_TO_LEFT) else box


def _text(canvas: Image.Image, xy: tuple[int, int], text: str, face: Face, ramp: int, anchor: str = "la",
          kept: bool = False) -> None:
    """A line of text in the shades of one ramp, its runs of each font on one baseline: each drawn as coverage on
    an image of its own size, then each covered pixel set to its shade's index (blending indexes would mix ramps).
    anchor: l or r, then a (xy is the top of the ascent) or m (the middle of ascent and descent), for a card laid
    out left to right: a card that reads right to left (RIGHT_TO_LEFT) mirrors it. kept: a line that comes back on
    card after card (the claimant, the verdict, the host), whose runs are measured and drawn once."""
    rtl = bool(canvas.info.get(RIGHT_TO_LEFT))
    if rtl:
        xy, anchor = (WIDTH - xy[0], xy[1]), {"l": "r", "r": "l"}[anchor[0]] + anchor[1]
    ascent, descent = face.metrics()
    baseline = xy[1] + (ascent if anchor[1] == "a" else (ascent - descent) // 2)
    runs = face.runs(_visual(_shaped(text), rtl))
    length = _kept_length if kept else _length
    x = float(xy[0]) - (sum(length(font, piece) for font, piece in runs) if anchor[0] == "r" else 0)
    canvas.load()
    draw_run = _run_drawer()
    for number, (font, piece) in enumerate(runs):
        draw_run(canvas, font, piece, round(x), baseline, ramp, kept)
        if number < len(runs) - 1:  # the last run's length places nothing
            x += length(font, piece)


def _length(font: ImageFont.FreeTypeFont, piece: str) -> float:
    return font.getlength(piece)


_kept_length = lru_cache(maxsize=1024)(_length)


def _run_core(canvas: Image.Image, font: ImageFont.FreeTypeFont, piece: str, x: int, baseline: int, ramp: int,
              kept: bool = False) -> None:
    """A run's coverage as ImageDraw.text draws it (in white on black, at its bounding box's corner), taken from the
    font straight away, and its pixels turned into shades by Pillow's core: a third of a card's time went into
    ImageDraw's and Image.point's work around these calls (_run_public). Pillow's core is no public API: _run_drawer
    uses this only where it draws what _run_public does. kept: the run's shades are made once (_text)."""
    shades = (_kept_shades if kept else _shades)(font, piece, ramp)
    if shades is not None:
        shaded, covered, left, top, width, height = shades
        at = (x + left, baseline + top)
        canvas.im.paste(shaded, (*at, at[0] + width, at[1] + height), covered)


def _shades(font: ImageFont.FreeTypeFont, piece: str, ramp: int) -> tuple[Any, Any, int, int, int, int] | None:
    """A run's shades and the mask of its covered pixels (Pillow's core images), where its box's corner goes from
    the baseline's start, and its size; None if it covers nothing."""
    coverage, (left, top) = font.getmask2(piece, "L", anchor="ls")
    width, height = coverage.size
    if width <= 0 or height <= 0:
        return None
    return coverage.point(_SHADES[ramp], None), coverage.point(_COVERED, None), left, top, width, height


_kept_shades = lru_cache(maxsize=256)(_shades)  # about 60 kB each


def _run_public(canvas: Image.Image, font: ImageFont.FreeTypeFont, piece: str, x: int, baseline: int,
                ramp: int, kept: bool = False) -> None:
    """A run drawn through Pillow's public API only: the same pixels as _run_core, in about a third more time."""
    from PIL import Image, ImageDraw

    left, top, right, bottom = (int(v) for v in font.getbbox(piece, anchor="ls"))
    if right > left and bottom > top:
        coverage = Image.new("L", (right - left, bottom - top), 0)
        ImageDraw.Draw(coverage).text((-left, -top), piece, font=font, fill=255, anchor="ls")
        canvas.paste(coverage.point(_SHADES[ramp]), (x + left, baseline + top), coverage.point(_COVERED))


_PROBES = ((True, 60, "Fact-check: “Ωμέγα” Жж — 한국어 fig. 1½"), (False, 30, "Claim by q.j. Ünal, 한 (AFP)"))


@cache
def _run_drawer() -> Callable[[Image.Image, ImageFont.FreeTypeFont, str, int, int, int, bool], None]:
    """_run_core where the installed Pillow has the core calls it makes and they draw what its public API draws
    (probed once, in both fonts and every ramp); else _run_public. The lock pins the Pillow the cards are checked
    against, but pyproject allows any from 10.1 on, and a desk may install a newer one, whose core may differ."""
    from PIL import Image

    try:
        for bold, size, text in _PROBES:
            for ramp in range(4):
                fast, public = Image.new("L", (WIDTH, 2 * size), 0), Image.new("L", (WIDTH, 2 * size), 0)
                fast.load()
                x = 5.0
                for font, piece in _font(bold, size).runs(text):
                    _run_core(fast, font, piece, round(x), size, ramp)
                    _run_public(public, font, piece, round(x), size, ramp)
                    x += font.getlength(piece)
                if fast.tobytes() != public.tobytes() or not public.getbbox():
                    return _run_public
    except Exception:  # a call or an attribute the core no longer has
        return _run_public
    return _run_core


@dataclass(frozen=True)
class CardParts:
    """The text a card draws in each place: None where the fonts lack a character of it, so that no box for a
    missing glyph is ever drawn (left_out names what is left off, for the build's log)."""

    kicker: str | None
    site_name: str | None
    claim: str | None
    read_at: str | None  # in the claim's place when the claim cannot be drawn
    claimant: str | None
    verdict: str | None
    host: str | None


def _drawn(text: str, bold: bool = True) -> str | None:
    return text if drawable(text, bold) else None


def card_parts(card: CardText) -> CardParts:
    claim, host, verdict = _clean(card.claim), _clean(card.site_host), _clean(card.verdict)
    return CardParts(
        kicker=_drawn(str(KICKER)),
        site_name=_drawn(_clean(card.site_name), bold=False),
        claim=_drawn(f"“{claim}”" if card.quoted else claim),
        read_at=_drawn(READ_AT.format(host=host)),
        claimant=_drawn(CLAIM_BY.format(claimant=_clean(card.claimant)), bold=False),
        verdict=_drawn(VERDICT_IS.format(verdict=verdict)) or _drawn(str(VERDICT)),
        host=_drawn(host, bold=False),
    )


def left_out(card: CardText) -> list[str]:
    """What of the card the fonts cannot draw, left off it: e.g. ["claim", "claimant"]."""
    parts = card_parts(card)
    verdict = drawable(VERDICT_IS.format(verdict=_clean(card.verdict)))
    return [name.replace("_", " ") for name, text in vars(parts).items()
            if name != "read_at" and (text is None or (name == "verdict" and not verdict))]


@lru_cache(maxsize=8)
def _top(rtl: bool, kicker_text: str | None, site_name: str | None) -> Image.Image:
    """A card's canvas with what it draws first, the same on every card of a site: the band in the verdict's colour,
    the kicker and the site's name. Drawn once and copied for each card (a tenth of a card's time)."""
    from PIL import Image, ImageDraw

    canvas = Image.new("L", (WIDTH, HEIGHT), 0)  # palette indexes; the palette is put on at the end
    canvas.info[RIGHT_TO_LEFT] = rtl  # a claim read right to left mirrors the layout
    ImageDraw.Draw(canvas).rectangle((0, 0, WIDTH, 15), fill=VERDICT_FILL)
    kicker, small = _font(True, 30), _font(False, 30)
    if kicker_text:
        _text(canvas, (MARGIN, 56), kicker_text, kicker, INK_RAMP)
    if site_name:
        room = WIDTH - 2 * MARGIN - (int(kicker.getlength(kicker_text)) + 48 if kicker_text else 0)
        _text(canvas, (WIDTH - MARGIN, 56), _fit_line(site_name, small, room), small, MUTED_RAMP, anchor="ra")
    return canvas


def render_card(card: CardText) -> bytes:
    """The card as PNG bytes.

    A palette image of four ramps of shades rather than true colour: a third of the pixels to
    compress, so about half the time and a third of the size.
    """
    from PIL import Image, ImageDraw

    parts = card_parts(card)
    canvas = _top(_right_to_left(card.claim), parts.kicker, parts.site_name).copy()
    draw = ImageDraw.Draw(canvas)
    inner = WIDTH - 2 * MARGIN
    small = _font(False, 30)

    if parts.claim or parts.read_at:
        text, ramp = (parts.claim, INK_RAMP) if parts.claim else (parts.read_at, MUTED_RAMP)
        font, lines, step = _fit_claim(text, inner, CLAIM_BOTTOM - CLAIM_TOP)
        for number, line in enumerate(lines):
            _text(canvas, (MARGIN, CLAIM_TOP + number * step), line, font, ramp)
    if parts.claimant:
        _text(canvas, (MARGIN, CLAIM_BOTTOM + 14), _fit_line(parts.claimant, small, inner), small, MUTED_RAMP,
              kept=True)

    label = _font(True, 40)
    box = (MARGIN, HEIGHT - MARGIN - 72, MARGIN, HEIGHT - MARGIN)
    if parts.verdict:
        text = _fit_line(parts.verdict, label, inner * 2 // 3)
        box = (MARGIN, HEIGHT - MARGIN - 72, MARGIN + int(_fitted_length(text, label)) + 56, HEIGHT - MARGIN)
        draw.rounded_rectangle(_mirrored(canvas, box), radius=12, fill=VERDICT_FILL)
        _text(canvas, (box[0] + 28, (box[1] + box[3]) // 2), text, label, ON_VERDICT_RAMP, anchor="lm", kept=True)
    if parts.host:
        room = WIDTH - MARGIN - box[2] - 32
        _text(canvas, (WIDTH - MARGIN, (box[1] + box[3]) // 2), _fit_line(parts.host, small, room), small, MUTED_RAMP,
              anchor="rm", kept=True)

    image = Image.frombytes("P", (WIDTH, HEIGHT), canvas.tobytes())
    image.putpalette(_palette(*TONE_COLOURS.get(card.tone, TONE_COLOURS[0])))
    out = io.BytesIO()
    image.save(out, "PNG", compress_level=COMPRESS_LEVEL)
    return out.getvalue()
