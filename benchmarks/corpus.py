"""A deterministic fact-check archive of any size, for the benchmarks.

Sizes follow a real desk's archive (sources of 600-1,500 words, claims with 2-4
quotes and 150-300 words of analysis), and so does the typography: sources carry
curly quotes, dashes and ellipses, and some quotes are pasted with straight ones,
so quote matching does its real work. Every quote is cut from its source, so the
whole corpus validates. Each claim and source is drawn from its own random stream
(seed, kind, number): the same seed always writes the same files.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import shutil
from bisect import bisect
from dataclasses import dataclass
from itertools import accumulate
from pathlib import Path

_FUNCTION_WORDS = (
    "the of and to in a that is was for on with as by at from it his her their its said which have has had "
    "be were been are not but or this an they he she who would will after more than about also into over "
    "when there all one two some what other could new last first most year years people government officials "
    "report according told week during since before under between while where those them these may"
)
FUNCTION_WORDS = _FUNCTION_WORDS.split()
VERDICTS = (("false", 30), ("mostly-false", 15), ("misleading", 15), ("mixed", 10), ("mostly-true", 10),
            ("true", 10), ("unverified", 10))
STANCES = ("supports", "contradicts", "context")
EPOCH = dt.date(2015, 1, 1)


def _pseudo_words(count: int, rng: random.Random) -> list[str]:
    """Pronounceable made-up words: a vocabulary as large as a newsroom's, without a word list."""
    onsets = [*"bdfgklmnprstvz", "ch", "sh", "th", "tr", "br", "st", "pl", "gr"]
    vowels = [*"aeiou", "ai", "ou", "ea", "io"]
    codas = ["", "", "", "n", "r", "s", "t", "l", "nd", "rk", "st"]
    words: dict[str, None] = {}
    while len(words) < count:
        syllables = rng.choice((1, 2, 2, 2, 3, 3, 4))
        word = "".join(rng.choice(onsets) + rng.choice(vowels) for _ in range(syllables)) + rng.choice(codas)
        if len(word) > 2:
            words[word] = None
    return list(words)


@dataclass(frozen=True)
class Vocabulary:
    words: list[str]
    cumulative: list[float]  # Zipf weights, so a few words are common and most are rare
    names: list[str]

    @classmethod
    def build(cls, seed: int) -> Vocabulary:
        rng = random.Random(f"{seed}-vocabulary")
        words = _pseudo_words(15_000, rng)
        cumulative = list(accumulate(1 / (rank + 20) for rank in range(len(words))))
        names = [w.capitalize() for w in _pseudo_words(3_000, rng)]
        return cls(words, cumulative, names)

    def content_word(self, rng: random.Random) -> str:
        return self.words[bisect(self.cumulative, rng.random() * self.cumulative[-1])]


class Writer:
    """News-like sentences and paragraphs from one random stream."""

    def __init__(self, vocabulary: Vocabulary, rng: random.Random) -> None:
        self.vocabulary = vocabulary
        self.rng = rng

    def name(self) -> str:
        return f"{self.rng.choice(self.vocabulary.names)} {self.rng.choice(self.vocabulary.names)}"

    def words(self, count: int, typography: bool) -> list[str]:
        rng = self.rng
        out: list[str] = []
        while len(out) < count:
            roll = rng.random()
            if roll < 0.45:
                out.append(rng.choice(FUNCTION_WORDS))
            elif roll < 0.50:
                out.append(rng.choice(self.vocabulary.names))
            elif roll < 0.54:
                out.append(rng.choice((f"{rng.randint(2, 999)}", f"{rng.randint(1, 99)},{rng.randint(100, 999)}",
                                        f"{rng.randint(1990, 2025)}", f"{rng.randint(2, 99)}%")))
            elif typography and roll < 0.555:
                out.append(f"{rng.choice(self.vocabulary.names)}\u2019s")
            else:
                out.append(self.vocabulary.content_word(rng))
            if rng.random() < 0.06 and len(out) < count:
                out[-1] += ","
        return out

    def sentence(self, low: int, high: int, typography: bool = False) -> str:
        words = self.words(self.rng.randint(low, high), typography)
        if typography and len(words) > 8:
            roll = self.rng.random()
            if roll < 0.15:  # a quoted phrase, with curly quotes
                start = self.rng.randrange(2, len(words) - 4)
                words[start] = "\u201c" + words[start]
                words[start + 3] = words[start + 3].rstrip(",") + "\u201d"
            elif roll < 0.25:
                words.insert(self.rng.randrange(3, len(words) - 2), "\u2014")
            elif roll < 0.28:
                words[-1] += "\u2026"
        words[0] = words[0][0].upper() + words[0][1:]
        return " ".join(words).rstrip(",") + "."

    def paragraph(self, sentences: int, typography: bool = False) -> str:
        return " ".join(self.sentence(8, 26, typography) for _ in range(sentences))


def _yaml_text(value: str) -> str:
    """A double-quoted YAML scalar; JSON's escapes are all valid YAML."""
    return json.dumps(value, ensure_ascii=False)


def _slug(text: str, number: int) -> str:
    words = ["".join(ch for ch in w.lower() if ch.isascii() and ch.isalnum()) for w in text.split()]
    words = [w for w in words if w and w not in FUNCTION_WORDS][:5]
    return "-".join([*words, str(number)])[:80].strip("-")


@dataclass(frozen=True)
class GeneratedSource:
    id: str
    paragraphs: list[str]
    text: str


def make_source(number: int, seed: int, vocabulary: Vocabulary, publishers: list[str]) -> GeneratedSource:
    rng = random.Random(f"{seed}-source-{number}")
    writer = Writer(vocabulary, rng)
    title = writer.sentence(6, 12).rstrip(".")
    source_id = _slug(f"source {title}", number)
    publisher = rng.choice(publishers)
    published = EPOCH + dt.timedelta(days=rng.randrange(3650))
    target = rng.randint(600, 1500)
    paragraphs: list[str] = []
    words = 0
    while words < target:
        paragraph = writer.paragraph(rng.randint(2, 5), typography=True)
        paragraphs.append(paragraph)
        words += len(paragraph.split())
    front = [
        "---",
        f"title: {_yaml_text(title)}",
        f"publisher: {_yaml_text(publisher)}",
        f"url: https://news.example/{publisher.lower().replace(' ', '-')}/{source_id}",
        f"published: {published.isoformat()}",
        f"retrieved: {(published + dt.timedelta(days=rng.randrange(1, 30))).isoformat()}",
        "language: en",
        "---",
    ]
    return GeneratedSource(source_id, paragraphs, "\n".join(front) + "\n" + "\n\n".join(paragraphs) + "\n")


def _plain_typography(text: str) -> str:
    """What a quote looks like after passing through a plain-text editor."""
    return (text.replace("\u201c", '"').replace("\u201d", '"').replace("\u2019", "'")
            .replace("\u2014", "--").replace("\u2026", "..."))


def _quote_from(source: GeneratedSource, rng: random.Random) -> str:
    words = rng.choice(source.paragraphs).split()
    if len(words) > 24 and rng.random() < 0.15:  # two passages of one paragraph, joined by an omission
        first = rng.randrange(0, len(words) - 20)
        split = first + rng.randint(4, 8)
        resume = split + rng.randint(1, 6)
        end = min(len(words), resume + rng.randint(4, 10))
        text = " ".join(words[first:split]) + " [...] " + " ".join(words[resume:end])
    else:
        length = min(len(words), rng.randint(8, 30))
        first = rng.randrange(0, len(words) - length + 1)
        text = " ".join(words[first : first + length])
    return _plain_typography(text) if rng.random() < 0.3 else text


@dataclass(frozen=True)
class GeneratedClaim:
    id: str
    claim: str
    text: str  # the file


def make_claim(number: int, seed: int, vocabulary: Vocabulary, sources: list[GeneratedSource],
               claimants: list[str], tags: list[str], authors: list[str]) -> GeneratedClaim:
    rng = random.Random(f"{seed}-claim-{number}")
    writer = Writer(vocabulary, rng)
    claim = writer.sentence(12, 25)
    claim_id = _slug(claim, number)
    # Claim 0 cites only the first sources and names one of the first claimants, which every
    # corpus shares: its page is the same at every size.
    pool = sources[:5] if number == 0 else sources
    cited = rng.sample(pool, k=min(len(pool), rng.randint(1, 3)))
    quotes = []
    for _ in range(rng.randint(2, 4)):
        source = rng.choice(cited)
        lines = [f"  - source: {source.id}", f"    text: {_yaml_text(_quote_from(source, rng))}",
                 f"    stance: {rng.choice(STANCES)}"]
        if rng.random() < 0.2:
            lines.append(f"    note: {_yaml_text(writer.sentence(8, 20))}")
        quotes.append("\n".join(lines))
    published = EPOCH + dt.timedelta(days=rng.randrange(30, 3900))
    analysis_words = rng.randint(150, 300)
    paragraphs: list[str] = []
    while sum(len(p.split()) for p in paragraphs) < analysis_words:
        words = writer.paragraph(rng.randint(2, 4)).split()
        if rng.random() < 0.3:
            bold = rng.randrange(1, len(words))
            words[bold] = f"**{words[bold].rstrip(',.')}**" + words[bold][len(words[bold].rstrip(',.')):]
        paragraphs.append(" ".join(words))
    verdict = rng.choices([v for v, _ in VERDICTS], weights=[w for _, w in VERDICTS])[0]
    lines = [
        f"claim: {_yaml_text(claim)}",
        f"claimant: {_yaml_text(rng.choice(claimants[:20] if number == 0 else claimants))}",
    ]
    rng.randrange(1, 30)  # drawn for a claim date, which no generated quote could state: the rest stays the same
    if rng.random() < 0.3:
        lines.append(f"appeared_in: [{cited[0].id}]")
    lines += [
        f"verdict: {verdict}",
        f"summary: {_yaml_text(writer.sentence(12, 24) + ' ' + writer.sentence(8, 16))}",
        "quotes:",
        *quotes,
        "analysis: |",
        "\n\n".join("  " + p for p in paragraphs),
    ]
    chosen_tags = rng.sample(tags, k=rng.randint(0, 3))
    if chosen_tags:
        lines.append(f"tags: [{', '.join(chosen_tags)}]")
    lines += [f"author: {_yaml_text(rng.choice(authors))}", f"published: {published.isoformat()}"]
    if rng.random() < 0.2:
        updated = published + dt.timedelta(days=rng.randrange(1, 60))
        lines.append(f"updated: {updated.isoformat()}")
        if rng.random() < 0.25:
            lines += ["corrections:", f"  - date: {updated.isoformat()}",
                      f"    text: {_yaml_text(writer.sentence(10, 20))}"]
    return GeneratedClaim(claim_id, claim, "\n".join(lines) + "\n")


def write_corpus(project: Path, claims: int, sources: int, seed: int = 1) -> list[GeneratedClaim]:
    """Write claims/ and sources/ into project (replacing any there); returns the claims in order."""
    vocabulary = Vocabulary.build(seed)
    rng = random.Random(f"{seed}-pools")
    pool_writer = Writer(vocabulary, rng)
    publishers = [f"The {name.split()[0]} {rng.choice(('Times', 'Post', 'Herald', 'Daily', 'Wire', 'Review'))}"
                  for name in (pool_writer.name() for _ in range(60))]
    tags = sorted({vocabulary.words[rng.randrange(50, 2000)] for _ in range(40)})
    authors = [pool_writer.name() for _ in range(12)]
    claimants = [pool_writer.name() for _ in range(max(20, claims // 50))]  # drawn last: its length varies with N
    for folder in ("claims", "sources"):
        shutil.rmtree(project / folder, ignore_errors=True)
        (project / folder).mkdir(parents=True)
    generated = [make_source(n, seed, vocabulary, publishers) for n in range(sources)]
    for source in generated:
        (project / "sources" / f"{source.id}.md").write_text(source.text, encoding="utf-8")
    written = []
    for number in range(claims):
        claim = make_claim(number, seed, vocabulary, generated, claimants, tags, authors)
        (project / "claims" / f"{claim.id}.yml").write_text(claim.text, encoding="utf-8")
        written.append(claim)
    return written
