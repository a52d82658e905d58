"""The desk's rules as pure functions, on small data: reporting lines, dates stated in a passage, the first
commit of each file, and published dates that cannot be earlier than it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from factcheck_site.content.claim_dates import date_problem, stated_dates
from factcheck_site.content.claimants import names_person
from factcheck_site.content.copies import same_article_problems, same_claim_problems
from factcheck_site.content.git_dates import COMMIT_MARK, parse_first_commits
from factcheck_site.content.model import Claim, Quote, Source
from factcheck_site.content.published_dates import published_before_first_commit
from factcheck_site.content.reporting_lines import Line, lines_by_stance, reporting_lines


def _source(source_id: str, *reproduces: str) -> Source:
    return Source(source_id, f"sources/{source_id}.md", source_id.title(), "Publisher", "text", 5,
                  reproduces=tuple(reproduces))


SOURCES = {s.id: s for s in (_source("a"), _source("b", "wire"), _source("c", "wire"), _source("d", "wire"),
                             _source("e"), _source("f", "wire", "agency"), _source("g", "agency"))}


def _quote(source: str, stance: str = "supports", reproduces: tuple[str, ...] | None = None) -> Quote:
    return Quote(source, "words", stance, None, 1, reproduces=reproduces)


@pytest.mark.parametrize(("quotes", "lines"), [
    ([], []),
    ([_quote("a")], [Line(("a",), ())]),
    ([_quote("a"), _quote("e")], [Line(("a",), ()), Line(("e",), ())]),
    # three articles reproducing one dispatch are one line, however often each is quoted
    ([_quote("b"), _quote("c"), _quote("b"), _quote("d")], [Line(("b", "c", "d"), ("wire",))]),
    ([_quote("b"), _quote("a"), _quote("c")], [Line(("b", "c"), ("wire",)), Line(("a",), ())]),
    # an article that reproduces two dispatches joins them
    ([_quote("b"), _quote("g"), _quote("f")], [Line(("b", "g", "f"), ("agency", "wire"))]),
    # a passage that is the article's own reporting, and one taken from a dispatch
    ([_quote("b"), _quote("c", reproduces=())], [Line(("b",), ("wire",)), Line(("c",), ())]),
    ([_quote("b"), _quote("e", reproduces=("wire",))], [Line(("b", "e"), ("wire",))]),
    # the cautious count: an article with one passage from the dispatch goes with it
    ([_quote("b"), _quote("c", reproduces=()), _quote("c")], [Line(("b", "c"), ("wire",))]),
])
def test_articles_that_share_a_dispatch_count_once(quotes: list[Quote], lines: list[Line]) -> None:
    assert reporting_lines(quotes, SOURCES) == lines


def test_lines_are_counted_per_stance() -> None:
    claim = Claim("x", "claims/x.yml", "A claim.", "Kim", "unverified", "Why.",
                  (_quote("b"), _quote("c"), _quote("a"), _quote("e", "contradicts"), _quote("d", "context")),
                  "Desk", dt.date(2026, 11, 23))
    found = lines_by_stance(claim, SOURCES)
    assert [len(found[s]) for s in ("supports", "contradicts", "context")] == [2, 1, 1]


@pytest.mark.parametrize(("text", "dates"), [
    ("Friday, December 12, 2025", [(2025, 12, 12)]),
    ("welcomed by DPRK leader Kim Jong-un on December 12th.", [(None, 12, 12)]),
    ("on 12 December 2025 and in April", [(2025, 12, 12), (None, 4, None)]),
    ("2025-12-12", [(2025, 12, 12)]),
    ("formed in May to commemorate", [(None, 5, None)]),
    ("the timeline may be exaggerated", []),
    ("in December 2025", [(2025, 12, None)]),
])
def test_dates_are_read_as_far_as_the_passage_gives_them(text: str, dates: list[tuple]) -> None:
    assert stated_dates(text) == dates


def test_a_claim_date_needs_every_part_stated() -> None:
    day = dt.date(2025, 12, 12)
    assert date_problem("Friday, December 12, 2025", day) is None
    assert "but no year" in (date_problem("on December 12th", day) or "")
    assert "gives 13 December, not" in (date_problem("on December 13", day) or "")
    assert "no date found" in (date_problem("a rare public address", day) or "")


def test_a_person_is_named_by_every_word_but_titles() -> None:
    assert names_person("according to Kim Jong-un, the regiment", "Kim Jong Un")
    assert names_person("shared by Governor Alexander Khinstoyev in a post", "Governor Alexander Khinstoyev")
    assert names_person("Alexander Khinstoyev wrote", "Governor Alexander Khinstoyev")
    assert not names_person("the governor wrote", "Governor Alexander Khinstoyev")
    assert not names_person("Kim praised", "Kim Jong Un")


def _log(*commits: tuple[str, str, list[str]]) -> str:
    return "\n".join(f"{COMMIT_MARK}{sha} {stamp}\n" + "\n".join(changes) for sha, stamp, changes in commits)


def test_first_commits_follow_renames_and_skip_what_they_cannot_date() -> None:
    log = _log(("aaa", "2026-11-23T09:27:40+00:00", ["A\tone.yml", "A\ttwo.yml"]),
               ("bbb", "2026-11-30T23:30:00-08:00", ["R100\tone.yml\trenamed.yml", "A\tthree.yml"]),
               ("ccc", "forged", ["A\tfour.yml"]))
    assert parse_first_commits(log) == {"one.yml": dt.date(2026, 11, 23), "two.yml": dt.date(2026, 11, 23),
                                        "renamed.yml": dt.date(2026, 11, 23), "three.yml": dt.date(2026, 11, 30)}
    assert parse_first_commits(log, shallow=frozenset({"aaa"})) == {"three.yml": dt.date(2026, 11, 30)}


def test_published_cannot_predate_the_first_commit(tmp_path: Path) -> None:
    (tmp_path / "claims").mkdir()
    (tmp_path / "claims" / "x.yml").write_text("claim: x\npublished: 2026-11-16\n", encoding="utf-8")

    def claim(published: dt.date, imported_from: str | None = None) -> Claim:
        return Claim("x", "claims/x.yml", "x", "K", "unverified", "s", (), "Desk", published,
                     imported_from=imported_from)

    first = {"x.yml": dt.date(2026, 11, 23)}
    [warning] = published_before_first_commit([claim(dt.date(2026, 11, 16))], first, tmp_path, ".yml")
    assert (warning.path, warning.line) == ("claims/x.yml", 2)
    assert "before the file was first committed (2026-11-23)" in warning.message
    assert published_before_first_commit([claim(dt.date(2026, 11, 23))], first, tmp_path, ".yml") == []
    assert published_before_first_commit([claim(dt.date(2026, 11, 16), "https://old.example/x")], first,
                                         tmp_path, ".yml") == []
    assert published_before_first_commit([claim(dt.date(2026, 11, 16))], {}, tmp_path, ".yml") == []


def test_one_article_saved_twice_is_refused_unless_both_carry_one_dispatch() -> None:
    """Two ids for one text would be two reporting lines; two outlets printing one dispatch count once already."""
    def saved(source_id: str, text: str, *reproduces: str) -> Source:
        return Source(source_id, f"sources/{source_id}.md", "Title", "Publisher", text, 6, reproduces=reproduces)

    sources = {s.id: s for s in (saved("article", "Same words."), saved("article-again", "Same words."),
                                 saved("other", "Other words."), saved("wire-a", "Wire words.", "wire"),
                                 saved("wire-b", "Wire words.", "wire"), saved("wire-c", "Wire words."))}
    problems = same_article_problems(sources)
    assert [(p.path, p.line) for p in problems] == [("sources/article-again.md", 6), ("sources/wire-c.md", 6)]
    assert "as sources/article.md's" in problems[0].message and "as sources/wire-a.md's" in problems[1].message


def test_one_claim_checked_in_two_files_is_refused() -> None:
    """A claim file copied to start another and left with its claim: the later one is told, or both when they were
    published the same day; the same words from another claimant, or on another date, are another claim."""
    def checked(path: str, words: str, published: int, claimant: str = "Kim Jong Un",
                claim_date: dt.date | None = None) -> Claim:
        return Claim(Path(path).stem, path, words, claimant, "false", "Summary.", (_quote("a"),), "Desk",
                     dt.date(2026, 11, published), claim_date=claim_date)

    claims = [checked("claims/first.yml", "The mission lasted 120 days.", 1),
              checked("claims/copy.yml", "The mission  lasted 120 DAYS.", 2),
              checked("claims/other-claimant.yml", "The mission lasted 120 days.", 3, claimant="KCNA"),
              checked("claims/other-date.yml", "The mission lasted 120 days.", 3, claim_date=dt.date(2025, 12, 12)),
              checked("claims/same-day-a.yml", "Nine died.", 5), checked("claims/same-day-b.yml", "Nine died.", 5)]
    told = {p.path: p.message for p in same_claim_problems(claims)}
    assert set(told) == {"claims/copy.yml", "claims/same-day-a.yml", "claims/same-day-b.yml"}
    assert "those of claims/first.yml" in told["claims/copy.yml"]
    assert "those of claims/same-day-b.yml" in told["claims/same-day-a.yml"]
