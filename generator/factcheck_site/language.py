"""The language readers read: every word the generator writes on a page, a feed or a card comes through here.

A desk sets one thing, the theme's own `theme.language`, and the generator follows it: its words from the
gettext catalogue of that language (locales/<language>/LC_MESSAGES/factcheck.po, compiled to .mo), its dates
and numbers from CLDR through Babel, and the page's direction from CLDR too. English is the catalogues' source
language, so an English site needs no catalogue; a language without one gets English words, with its own dates.
A desk can bring its own catalogue, in its project's locales/<language>/LC_MESSAGES/factcheck.po (read as it is:
nothing to compile): its translations come first, then the generator's, then English.

Strings are marked with `_()` where they are written, which may be at import time (the renderers keep their
words in module constants): `_()` gives a `Message`, translated each time it is turned into text, into the
language `activate()` chose for this process (the build's forked workers inherit it). `n_()` is for counts,
translated at once by the language's plural rules. Machine formats (ISO dates in structured data and feeds)
never come through here. Editors' messages (`validate` and the rest of the CLI) are English, and are not marked.
"""

from __future__ import annotations

import datetime as dt
import gettext
import io
import itertools
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from babel import Locale, UnknownLocaleError
from babel.core import get_global, parse_locale
from babel.dates import format_date
from babel.lists import format_list
from babel.numbers import format_decimal
from babel.support import Translations

DOMAIN = "factcheck"
LOCALES = Path(__file__).resolve().parent / "locales"
SOURCE_LANGUAGE = "en"
DESK_LOCALES = "locales"  # a desk's own catalogues, in its project: locales/<language>/LC_MESSAGES/factcheck.po
_FIELD = re.compile(r"\{(\w*)\}")
# The letters of the scripts written without spaces between words (Thai, Lao, Myanmar, Khmer; Chinese and Japanese:
# CJK radicals and ideographs, kana, the iteration marks), as the body of a character class that Python and the
# browser (with the u flag) both read: search indexes their runs by pairs of letters (output/search_index.py), and a
# quote may begin or end inside such a run (content/quote_matching.py), since no space shows where a word ends.
UNSPACED = ("\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u2e80-\u2fdf\u3005-\u3007\u3021-\u3029\u3038-\u303b"
            "\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f\U00020000-\U0003134f")
_UNSPACED_LETTER = re.compile(f"[{UNSPACED}]")


def unspaced(character: str) -> bool:
    """Whether a character is a letter of a script written without spaces between words (UNSPACED)."""
    return _UNSPACED_LETTER.match(character) is not None


WRITTEN_KEPT = 16_384  # dates and numbers a Language keeps as written (a few MB): four times a 10,000-claim build's


@dataclass(frozen=True)
class Language:
    """One site language: its code as the theme has it (e.g. ko, pt-BR), the CLDR locale, the catalogue."""

    code: str
    locale: Locale
    translations: gettext.NullTranslations = field(compare=False, repr=False)
    # Dates and numbers as written, by value: a look-up in the caches below hashes the CLDR locale, twice, and every
    # page and listing line writes the same few thousand dates and counts (at 10,000 claims one build writes 3,781
    # dates and 245 numbers). At most WRITTEN_KEPT: a process that lives on (the factcheck command's, or one drawing
    # in the background) and writes other dates for ever does not keep them all.
    written: dict[Any, str] = field(default_factory=dict, compare=False, repr=False)

    @property
    def direction(self) -> str:
        """"rtl" or "ltr": which way the language's script runs (CLDR's character order)."""
        return "rtl" if self.locale.text_direction == "rtl" else "ltr"

    @property
    def og_locale(self) -> str:
        """Open Graph's language_TERRITORY (ko_KR, en_US, pt_BR): the territory CLDR finds most likely. A region
        that is no country (es-419, Latin America) gives the language alone: no one country would be true of it."""
        locale = self.locale
        territory = locale.territory
        if territory and not territory.isalpha():
            return locale.language
        if not territory:
            likely = get_global("likely_subtags").get(str(locale)) or get_global("likely_subtags").get(locale.language)
            territory = parse_locale(likely)[1] if likely else None  # (no_Latn_NO is no Locale Babel has)
        return f"{locale.language}_{territory}" if territory else locale.language

    def date(self, day: dt.date) -> str:
        """A date as the language writes it in running text: "12 December 2025", "2025년 12월 12일", "۶ دسامبر ۲۰۲۶"."""
        text = self.written.get(day)
        if text is None:
            text = self._keep(day, _long_date(day, self.locale).translate(_digits(self.locale)))
        return text

    def number(self, value: int | float) -> str:
        """A number with the language's digits and grouping: 25,000 in English, 25 000 in French, ۲۵٬۰۰۰ in Persian."""
        key = (type(value), value)  # 1 and 1.0 are equal keys, and may be written apart
        text = self.written.get(key)
        if text is None:
            text = self._keep(key, _number(value, self.locale).translate(_digits(self.locale)))
        return text

    def _keep(self, key: Any, text: str) -> str:
        if len(self.written) >= WRITTEN_KEPT:  # the oldest half let go: the dict keeps the order they were written in
            for old in list(itertools.islice(self.written, WRITTEN_KEPT // 2)):
                del self.written[old]
        self.written[key] = text
        return text


# The digits of CLDR's numbering systems that languages use by default besides 0-9 (Babel formats with 0-9 only).
_ZEROS = {"arab": "ARABIC-INDIC", "arabext": "EXTENDED ARABIC-INDIC", "deva": "DEVANAGARI", "beng": "BENGALI",
          "mymr": "MYANMAR", "tibt": "TIBETAN", "olck": "OL CHIKI", "cakm": "CHAKMA", "adlm": "ADLAM", "nkoo": "NKO",
          "mtei": "MEETEI MAYEK", "hmnp": "NYIAKENG PUACHUE HMONG"}


@lru_cache(maxsize=16)
def _digits(locale: Locale) -> dict[int, str]:
    """0-9 as the language writes them by default (CLDR's default numbering system: Persian ۰-۹, Bengali ০-৯)."""
    script = _ZEROS.get(locale.default_numbering_system)
    if script is None:
        return {}
    zero = ord(unicodedata.lookup(f"{script} DIGIT ZERO"))
    return {ord("0") + n: chr(zero + n) for n in range(10)}


# Plain English (the theme's "en") writes dates as international English does, day first: "12 December 2025".
_DATES_IN = {"en": "en_001"}


@lru_cache(maxsize=4096)  # the same few hundred dates on every listing
def _long_date(day: dt.date, locale: Locale) -> str:
    return format_date(day, format="long", locale=_DATES_IN.get(str(locale), locale))


@lru_cache(maxsize=4096, typed=True)  # the same few counts on every page; Babel takes 0.1 ms for each
def _number(value: int | float, locale: Locale) -> str:
    return format_decimal(value, locale=locale, numbering_system="default")


def _locale(code: str) -> Locale:
    """The CLDR locale of a theme language code; English's for one CLDR does not know."""
    try:
        return Locale.parse(code.replace("-", "_"))
    except (UnknownLocaleError, ValueError, TypeError):
        try:
            return Locale.parse(code.split("-", 1)[0])
        except (UnknownLocaleError, ValueError, TypeError):
            return Locale.parse(SOURCE_LANGUAGE)


_registered: dict[str, gettext.NullTranslations] = {}


def register(code: str, translations: gettext.NullTranslations | None) -> None:
    """Use these translations for `code` instead of its catalogue (None: the catalogue again). The tests' pseudo
    language is registered this way; nothing else calls it."""
    if translations is None:
        _registered.pop(code, None)
    else:
        _registered[code] = translations
    _catalogue.cache_clear()


@lru_cache(maxsize=16)
def _catalogue(code: str, locale: Locale) -> gettext.NullTranslations:
    if code in _registered:
        return _registered[code]
    found = Translations.load(str(LOCALES), _names(code, locale), DOMAIN)
    return found if isinstance(found, Translations) else gettext.NullTranslations()


def _names(code: str, locale: Locale) -> list[str]:
    """The folder names a catalogue of the language may have, the most particular first (zh_Hant_TW, zh_Hant, zh)."""
    names = [code.replace("-", "_"), str(locale), *(f"{locale.language}_{part}" for part in
                                                   (locale.script, locale.territory) if part), locale.language]
    return list(dict.fromkeys(names))


def desk_catalogue(project: Path, code: str) -> tuple[Path | None, list[tuple[int, str]]]:
    """The desk's own catalogue for the language (locales/<code>/LC_MESSAGES/factcheck.po in its project), if it
    has one, and what is wrong in it: (line, message) of each translation that would break a page (placeholders
    other than its English's), which is left out so that the English shows instead."""
    path = _desk_po(project, code)
    if path is None:
        return None, []
    return path, _read_desk(path, path.stat().st_mtime_ns, code)[1]


def _desk_po(project: Path, code: str) -> Path | None:
    folder = project / DESK_LOCALES
    if not folder.is_dir():
        return None
    for name in _names(code, _locale(code)):
        path = folder / name / "LC_MESSAGES" / f"{DOMAIN}.po"
        if path.is_file() and not path.is_symlink():
            return path
    return None


@lru_cache(maxsize=8)
def _read_desk(path: Path, mtime: int, code: str) -> tuple[gettext.NullTranslations, list[tuple[int, str]]]:
    """A desk's .po as translations (compiled in memory), and the problems in it (see desk_catalogue)."""
    from babel.messages.catalog import Catalog
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import PoFileParser

    problems: list[tuple[int, str]] = []

    class Read(Catalog):
        """Babel keeps the first of two entries for one message and drops the other's translation without a word:
        each later one is named here instead."""

        def __setitem__(self, id: Any, message: Any) -> None:
            first = self._messages.get(self._key_for(id, message.context))
            if first is not None and id:
                english = id[0] if isinstance(id, tuple) else id
                problems.append((message.lineno, f"{english!r} is translated again here (first on line {first.lineno}"
                                                 "), and only the first is used: delete the one you do not mean"))
            super().__setitem__(id, message)

    try:
        catalogue = Read(locale=_locale(code), domain=DOMAIN)
        with path.open("rb") as file:
            PoFileParser(catalogue, abort_invalid=True).parse(file)
    except Exception as error:  # babel's PoFileError, or bytes that are not a catalogue at all
        line = getattr(error, "lineno", 1) or 1
        return gettext.NullTranslations(), [(line, f"not a gettext catalogue Babel can read ({error}); "
                                                   "start again from the generator's factcheck.pot")]
    kept = Catalog(locale=catalogue.locale, domain=DOMAIN)
    for message in catalogue:
        if not message.id or message.fuzzy:
            continue
        english = message.id if isinstance(message.id, tuple) else (message.id,)
        texts = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted = set(_FIELD.findall(english[-1]))
        wrong = [text for text in texts if text and set(_FIELD.findall(text)) != wanted]
        if wrong:
            problems.append((message.lineno, f"the translation {wrong[0]!r} of {english[0]!r} must fill in exactly "
                                             f"{', '.join('{' + f + '}' for f in sorted(wanted)) or 'no placeholders'}"
                                             " (the English is shown until it does)"))
            continue
        if all(texts):  # (an empty translation is one not made yet: the English shows)
            kept.add(message.id, message.string, context=message.context)
    compiled = io.BytesIO()
    write_mo(compiled, kept)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled), sorted(problems)


def language(code: str | None, project: Path | None = None) -> Language:
    """The Language for a theme.language value (None or empty: English); project: the desk's folder, whose
    locales/ may hold its own catalogue."""
    code = (code or SOURCE_LANGUAGE).strip() or SOURCE_LANGUAGE
    locale = _locale(code)
    translations = _catalogue(code, locale)
    desk = _desk_po(project, code) if project is not None and code not in _registered else None
    if desk is not None:
        own = _read_desk(desk, desk.stat().st_mtime_ns, code)[0]
        merged = gettext.GNUTranslations()
        merged._catalog = {**getattr(translations, "_catalog", {}), **own._catalog}  # type: ignore[attr-defined]
        merged.plural = own.plural  # type: ignore[attr-defined]
        translations = merged
    return Language(code, locale, translations)


def catalogued(code: str, project: Path | None = None) -> bool:
    """Whether the generator or the desk (its locales/ folder) has a catalogue for the language: without one, the
    generator's words are English."""
    locale = _locale(code)
    return (code.split("-", 1)[0].lower() == SOURCE_LANGUAGE or isinstance(_catalogue(code, locale), Translations)
            or code in _registered or (project is not None and _desk_translated(project, code)))


def _desk_translated(project: Path, code: str) -> bool:
    """Whether the desk's catalogue for the language translates anything yet (init writes one to fill in)."""
    path = _desk_po(project, code)
    return path is not None and len(getattr(_read_desk(path, path.stat().st_mtime_ns, code)[0], "_catalog", {})) > 1


def catalogue_to_translate(code: str) -> bytes:
    """The generator's catalogue template (locales/factcheck.pot) as a desk's catalogue for the language, every
    translation empty (so English until filled in), with the language's plural rules: what `factcheck init` puts
    in a desk's locales/<code>/LC_MESSAGES/factcheck.po when the generator has no catalogue of the language."""
    from babel.messages.pofile import read_po, write_po

    with (LOCALES / f"{DOMAIN}.pot").open("rb") as file:
        catalogue = read_po(file, locale=_locale(code))
    catalogue.project, catalogue.version, catalogue.fuzzy = "factcheck-site", "", False
    catalogue.header_comment = (
        f"# The generator's words on this desk's pages, to translate into {code}: write each msgstr (a msgid_plural\n"
        "# has one msgstr[n] per plural form), keeping every {placeholder} of the English. An empty msgstr shows the\n"
        "# English. Read as it is at each build: nothing to compile (README: A desk in its own language).")
    out = io.BytesIO()
    write_po(out, catalogue, omit_header=False, no_location=True, width=120)
    return out.getvalue()


def known(code: str) -> bool:
    """Whether CLDR knows the language of a theme.language value (ja, zh-Hant, pt-BR, en-GB; not xx)."""
    if code.strip().replace("_", "-").split("-", 1)[0].lower() in ("und", "root"):  # CLDR's "undetermined"
        return False
    for name in (code.strip().replace("-", "_"), code.strip().split("-", 1)[0]):
        try:
            return bool(Locale.parse(name))
        except (UnknownLocaleError, ValueError, TypeError):
            continue
    return False


def not_a_language(code: str) -> str:
    """What an editor reads when theme.language is no language code."""
    return (f"theme.language is {code!r}, which is not a language code: write the code of the language the site is "
            "written in, as BCP 47 and the theme have them (en, ja, zh-Hant, pt-BR, en-GB)")


def theme_words(code: str, folders: list[str]) -> str | None:
    """The name of the theme's translation of its own words (partials/languages/<name>.html, in the theme's
    folders, a desk's custom_dir first) for the language: its own, else the language's it is a variant of
    (en-GB: en; zh-Hant-HK: zh-Hant); None when the theme has none."""
    parts = code.strip().replace("_", "-").split("-")
    wanted = ["-".join(parts[:end]).lower() for end in range(len(parts), 0, -1)]
    locale = _locale(code)  # and CLDR's name of the language, for an older code (iw: he)
    wanted += [name.lower() for name in (f"{locale.language}-{locale.script or locale.territory}", locale.language)]
    found = {path.stem.lower(): path.stem for folder in folders
             for path in sorted((Path(folder) / "partials" / "languages").glob("*.html"), reverse=True)}
    return next((found[name] for name in wanted if name in found), None)


_active: Language = language(SOURCE_LANGUAGE)


def activate(code: str | None, project: Path | None = None) -> Language:
    """Make `code` the language of every word written from now on in this process (with the catalogue of the desk
    in `project`, if it has one); the Language."""
    global _active
    _active = language(code, project)
    return _active


def active() -> Language:
    return _active


class Message:
    """A string marked for translation, translated whenever it becomes text (str, f-string, format, +)."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text

    def __str__(self) -> str:
        return _active.translations.gettext(self.text)

    def __format__(self, spec: str) -> str:  # in every f-string of every page: translated here, not through str()
        text = _active.translations.gettext(self.text)
        return format(text, spec) if spec else text

    def format(self, *args: Any, **kwargs: Any) -> str:
        return str(self).format(*args, **kwargs)

    def __add__(self, other: object) -> str:
        return str(self) + str(other)

    def __radd__(self, other: object) -> str:
        return str(other) + str(self)

    def __html__(self) -> str:  # Jinja: escaped like any text
        from markupsafe import escape

        return str(escape(str(self)))

    def __repr__(self) -> str:
        return f"_({self.text!r})"


def _(text: str) -> Message:
    """Mark `text` for translation (pybabel extract finds it); translated when used."""
    return Message(text)


def n_(singular: str, plural: str, count: int) -> str:
    """`singular` or `plural` by the active language's plural rules for count, translated; {count} in them
    is the number, written the language's way."""
    return _active.translations.ngettext(singular, plural, count).format(count=_active.number(count))


class Plural:
    """A pair of strings marked for translation by count, for text that fills the count in itself."""

    __slots__ = ("singular", "plural")

    def __init__(self, singular: str, plural: str) -> None:
        self.singular, self.plural = singular, plural

    def __call__(self, count: int) -> str:
        return _active.translations.ngettext(self.singular, self.plural, count)

    def of(self, count: int, **values: Any) -> str:
        """The form for count, with {count} the number written the language's way and the other values filled."""
        return self(count).format(count=_active.number(count), **values)


def np_(singular: str, plural: str) -> Plural:
    """Mark a singular and plural pair (pybabel extract finds it); np_(...)(count) is the translated form."""
    return Plural(singular, plural)


def list_text(items: list[str]) -> str:
    """Items joined as the language joins a list: "A and B", "A, B and C"."""
    return format_list(items, locale=_active.locale) if items else ""


def date_text(day: dt.date) -> str:
    """A date for readers, in the active language."""
    return _active.date(day)
