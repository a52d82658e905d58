"""The language readers read: every word the generator writes on a page, a feed or a card comes through here.

A desk sets one thing, the theme's own `theme.language`, and the generator follows it: its words from the
gettext catalogue of that language (locales/<language>/LC_MESSAGES/factcheck.po, compiled to .mo), its dates
and numbers from CLDR through Babel, and the page's direction from CLDR too. English is the catalogues' source
language, so an English site needs no catalogue; a language without one gets English words, with its own dates.

Strings are marked with `_()` where they are written, which may be at import time (the renderers keep their
words in module constants): `_()` gives a `Message`, translated each time it is turned into text, into the
language `activate()` chose for this process (the build's forked workers inherit it). `n_()` is for counts,
translated at once by the language's plural rules. Machine formats (ISO dates in structured data and feeds)
never come through here. Editors' messages (`validate` and the rest of the CLI) are English, and are not marked.
"""

from __future__ import annotations

import datetime as dt
import gettext
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from babel import Locale, UnknownLocaleError
from babel.core import get_global
from babel.dates import format_date
from babel.lists import format_list
from babel.numbers import format_decimal
from babel.support import Translations

DOMAIN = "factcheck"
LOCALES = Path(__file__).resolve().parent / "locales"
SOURCE_LANGUAGE = "en"


@dataclass(frozen=True)
class Language:
    """One site language: its code as the theme has it (e.g. ko, pt-BR), the CLDR locale, the catalogue."""

    code: str
    locale: Locale
    translations: gettext.NullTranslations = field(compare=False, repr=False)

    @property
    def direction(self) -> str:
        """"rtl" or "ltr": which way the language's script runs (CLDR's character order)."""
        return "rtl" if self.locale.text_direction == "rtl" else "ltr"

    @property
    def og_locale(self) -> str:
        """Open Graph's language_TERRITORY (ko_KR, en_US, pt_BR): the territory CLDR finds most likely."""
        locale = self.locale
        territory = locale.territory
        if not territory:
            likely = get_global("likely_subtags").get(str(locale)) or get_global("likely_subtags").get(locale.language)
            territory = Locale.parse(likely).territory if likely else None
        return f"{locale.language}_{territory}" if territory else locale.language

    def date(self, day: dt.date) -> str:
        """A date as the language writes it in running text: "12 December 2025", "2025년 12월 12일"."""
        return _long_date(day, self.locale)

    def number(self, value: int | float) -> str:
        """A number with the language's digits grouping: 25,000 in English, 25 000 in French."""
        return _number(value, self.locale)


# Plain English (the theme's "en") writes dates as international English does, day first: "12 December 2025".
_DATES_IN = {"en": "en_001"}


@lru_cache(maxsize=4096)  # the same few hundred dates on every listing
def _long_date(day: dt.date, locale: Locale) -> str:
    return format_date(day, format="long", locale=_DATES_IN.get(str(locale), locale))


@lru_cache(maxsize=4096, typed=True)  # the same few counts on every page; Babel takes 0.1 ms for each
def _number(value: int | float, locale: Locale) -> str:
    return format_decimal(value, locale=locale)


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
    found = Translations.load(str(LOCALES), [code.replace("-", "_"), str(locale), locale.language], DOMAIN)
    return found if isinstance(found, Translations) else gettext.NullTranslations()


def language(code: str | None) -> Language:
    """The Language for a theme.language value (None or empty: English)."""
    code = (code or SOURCE_LANGUAGE).strip() or SOURCE_LANGUAGE
    locale = _locale(code)
    return Language(code, locale, _catalogue(code, locale))


_active: Language = language(SOURCE_LANGUAGE)


def activate(code: str | None) -> Language:
    """Make `code` the language of every word written from now on in this process; the Language."""
    global _active
    _active = language(code)
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

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)

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
