"""The editors' file formats, defined once.

The validator, the JSON Schema files for editors' tools and the documentation all
derive from these definitions, so they cannot drift apart.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum


class Kind(Enum):
    TEXT = "text"  # plain text on one or a few lines
    MARKDOWN = "markdown"
    DATE = "date"
    URL = "url"
    SOURCE_ID = "source id"
    SOURCE_IDS = "list of source ids"
    TEXTS = "list of texts"
    VERDICT = "verdict id"
    STANCE = "stance"
    QUOTES = "list of quotes"
    CORRECTIONS = "list of corrections"
    LANGUAGE = "language code"
    FINGERPRINT = "sha256 fingerprint"
    CLAIMANT_TYPE = "claimant type"
    BOOLEAN = "true or false"


@dataclass(frozen=True)
class Field:
    name: str
    kind: Kind
    required: bool
    help: str
    max_length: int = 0  # characters; 0 for kinds that are not text
    min_items: int = 0


STANCES = ("supports", "contradicts", "context")
CLAIMANT_TYPES = ("organization", "person")
SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
HEX_COLOUR = re.compile(r"#(?:[0-9a-fA-F]{3}){1,2}")  # the desk's colour (plugins.factcheck.organization.colour)
MAX_SLUG_LENGTH = 80


def suggested_slug(text: str) -> str:
    """The id an editor probably meant: lowercase letters and digits joined by single hyphens."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:MAX_SLUG_LENGTH]
# Device names on Windows, in any case and with any extension (con.yml, Aux.txt.md): Git for
# Windows cannot check such a file out, so a pull request adding one breaks Windows checkouts.
WINDOWS_DEVICE_NAMES = frozenset({"con", "prn", "aux", "nul", "conin$", "conout$", "clock$",
                                  *(f"{port}{n}" for port in ("com", "lpt") for n in "0123456789¹²³")})
MAX_CLAIM_FILE_BYTES = 256 * 1024
MAX_SOURCE_FILE_BYTES = 2 * 1024 * 1024

QUOTE_FIELDS = (
    Field("source", Kind.SOURCE_ID, True, "the id of the source quoted (its file name in sources/ without .md)"),
    Field("text", Kind.TEXT, True, "the passage, copied verbatim; [...] marks an omission", 2_000),
    Field("stance", Kind.STANCE, False, "supports, contradicts or context (the default)"),
    Field("note", Kind.TEXT, False, "context the reader needs, e.g. a translation variant; may link "
          "[](source:ID) or [](claim:ID)", 1_000),
    Field("states_claim_date", Kind.BOOLEAN, False,
          "true when this passage states when the claim was made: the year, month and day written as claim_date"),
    Field("reproduces", Kind.SOURCE_IDS, False,
          "the dispatches (wire reports) this passage reproduces, when they differ from its source's "
          "'reproduces': ids declared under plugins.factcheck.dispatches in mkdocs.yml; [] for the article's "
          "own reporting"),
)

CORRECTION_FIELDS = (
    Field("date", Kind.DATE, True, "when the correction was made, YYYY-MM-DD"),
    Field("text", Kind.TEXT, True, "what was wrong and what changed; may link [](source:ID) or [](claim:ID)",
          2_000),
    Field("previous_verdict", Kind.VERDICT, False,
          "when the correction changed the verdict: the verdict before it, e.g. mostly-false"),
)

CLAIM_FIELDS = (
    Field("claim", Kind.TEXT, True, "the claim as made, plain text, one sentence or two", 600),
    Field("claim_is_quote", Kind.BOOLEAN, False,
          "true only when the claim is copied verbatim from a source in appeared_in; only then is it shown in "
          "quotation marks"),
    Field("claimant", Kind.TEXT, True, "who made the claim (not who relayed it: see claimant_via): one speaker or "
          "publication, or the source id of the article when the statement is its own and it names no publisher",
          200),
    Field("claimant_via", Kind.TEXT, False,
          "the one article (a source id, or a name) whose report it is that the claimant made the claim; pages "
          "say \"according to\" it", 200),
    Field("claimant_type", Kind.CLAIMANT_TYPE, False,
          "organization (the default) or person: how structured data describes the claimant"),
    Field("claim_date", Kind.DATE, False, "when the claim was made, YYYY-MM-DD, as a quote marked "
          "states_claim_date gives it"),
    Field("appeared_in", Kind.SOURCE_IDS, False, "ids of the sources where the claim itself appeared"),
    Field("verdict", Kind.VERDICT, True, "an id from the verdict scale, e.g. false or mostly-true"),
    Field("summary", Kind.TEXT, True, "the ruling in one or two sentences, plain text; may link [](source:ID) "
          "or [](claim:ID)", 1_000),
    Field("quotes", Kind.QUOTES, True, "the evidence: passages quoted verbatim from sources", min_items=1),
    Field("analysis", Kind.MARKDOWN, False, "the reasoning, in Markdown (no HTML); [](source:ID) links a source "
          "by its title, [words](claim:ID) another fact-check", 20_000),
    Field("tags", Kind.TEXTS, False, "topics a reader can browse by", 60),
    Field("author", Kind.TEXT, True, "who wrote the fact-check", 200),
    Field("published", Kind.DATE, True, "when the fact-check was first published, YYYY-MM-DD"),
    Field("imported_from", Kind.URL, False, "where the fact-check was first published, for one published "
          "elsewhere before it was added here (an imported archive)", 2_000),
    Field("updated", Kind.DATE, False, "when it was last updated, YYYY-MM-DD, not before published"),
    Field("corrections", Kind.CORRECTIONS, False, "dated corrections: a list of {date, text, previous_verdict}"),
)

MAX_URL_LENGTH = 2_000
SOURCE_FIELDS = (
    Field("title", Kind.TEXT, True, "the article's headline", 400),
    Field("publisher", Kind.TEXT, False, "who published the article; leave it out when the copy does not name "
          "one (the source's page then says so)", 200),
    *(Field(name, Kind.URL, False, f"{meaning} (http or https)", MAX_URL_LENGTH) for name, meaning in (
        ("url", "where the article was published"), ("archived", "an archive copy of the article"))),
    Field("published", Kind.DATE, False, "when the article was published, YYYY-MM-DD"),
    Field("retrieved", Kind.DATE, False, "when the copy was retrieved (from the original or the archived copy), "
          "YYYY-MM-DD"),
    Field("language", Kind.LANGUAGE, False, "the article's language code, e.g. en (the default)"),
    Field("sha256", Kind.FINGERPRINT, False, "fingerprint of the text, written by factcheck add-source"),
    Field("reproduces", Kind.SOURCE_IDS, False, "the dispatches (wire reports) the article reproduces: ids "
          "declared under plugins.factcheck.dispatches in mkdocs.yml; articles that share one count as one "
          "reporting line"),
)

MAX_QUOTES = 50
MAX_TAGS = 20
MAX_CORRECTIONS = 50
MAX_APPEARED_IN = 50
