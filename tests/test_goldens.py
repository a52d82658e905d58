"""Golden pages: the small site in tests/goldens/site renders exactly the pages in tests/goldens/expected.

A file's path under expected/ is the page's path in the generated site (index.md, claims/<id>.md,
sources/<id>.md, verdicts/index.md, ...). Every page the site generates must have an expected file and
every expected file must be generated, so a page that changes, appears or disappears fails here with a
diff. A new case is a new claim or source in tests/goldens/site: run `pytest tests/test_goldens.py
--update-goldens` to write its pages, then review them with `git diff tests/goldens/expected`.
"""

from __future__ import annotations

import datetime as dt
import difflib
from pathlib import Path

import pytest
from conftest import GOLDENS_REWRITTEN

GOLDENS = Path(__file__).resolve().parent / "goldens"
SITE = GOLDENS / "site"
EXPECTED = GOLDENS / "expected"

# Fixed inputs, so the pages are the same on every machine, on every day, in or out of git.
DIRECTORY_URLS = True
COMMITTED = {"footbridge-cost-doubled": dt.date(2031, 4, 2)}  # as if from `git log`: newer than the claim's own dates
BUILD_DATE = "2031-04-02"  # the day the invented site is built on: its dates may not be after it
SITE_URL, SITE_NAME, SITE_DESCRIPTION, LANGUAGE = "https://factcheck.example.org/", "Larkwell Fact Check", \
    "Invented fact-checks for the generator's golden tests", "en"
ORGANIZATION = {"name": "Larkwell Fact Check desk", "logo": "assets/logo.png",
                "corrections_policy": "corrections-policy/", "methodology": "methodology/"}


def render_golden_site() -> dict[str, str]:
    """{page path: Markdown} of every page of the golden site, rendered as the MkDocs plugin renders them
    (on_config, on_pre_build and on_files, without git), in one process.

    The only place that names the generator: a refactor that moves its modules changes this function alone.
    """
    from factcheck_site.build import BuildOptions, build_site
    from factcheck_site.content.format_check import BUILD_DATE_VARIABLE
    from factcheck_site.content.publisher import publication_from_config
    from factcheck_site.content.settings import Settings

    publication, messages = publication_from_config(SITE_URL, SITE_NAME, SITE_DESCRIPTION, LANGUAGE, ORGANIZATION,
                                                    DIRECTORY_URLS)
    assert publication is not None and messages == [], messages
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(BUILD_DATE_VARIABLE, BUILD_DATE)
        built = build_site(BuildOptions(Settings(SITE, SITE / "claims", SITE / "sources"), DIRECTORY_URLS,
                                        publication, COMMITTED, processes=1))
    assert built.problems == [], "the golden site has problems:\n" + "\n".join(str(p) for p in built.problems)
    return built.pages


def expected_pages() -> list[str]:
    """The page paths that have an expected file."""
    return sorted(p.relative_to(EXPECTED).as_posix() for p in EXPECTED.rglob("*") if p.is_file())


def read(path: Path) -> str:
    with path.open(encoding="utf-8", newline="") as file:  # exactly as stored: no newline translation
        return file.read()


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as file:
        file.write(text)


def update_goldens(pages: dict[str, str]) -> list[str]:
    """Make expected/ the pages rendered now; what changed, one line each."""
    changes = []
    for page, markdown in sorted(pages.items()):
        target = EXPECTED / page
        if not target.is_file():
            changes.append(f"added     expected/{page}")
        elif read(target) != markdown:
            changes.append(f"rewrote   expected/{page}")
        else:
            continue
        write(target, markdown)
    for page in expected_pages():
        if page not in pages:
            (EXPECTED / page).unlink()
            changes.append(f"removed   expected/{page}")
    for folder in sorted((p for p in EXPECTED.rglob("*") if p.is_dir()), reverse=True):
        if not any(folder.iterdir()):
            folder.rmdir()
    return changes


@pytest.fixture(scope="module")
def rendered(request: pytest.FixtureRequest) -> dict[str, str]:
    pages = render_golden_site()
    if request.config.getoption("--update-goldens"):
        request.config.stash[GOLDENS_REWRITTEN] = update_goldens(pages)
    return pages


def where_lines_differ(expected: str, actual: str) -> str:
    """For each changed line, the first column that differs with a little context: the lines are long."""
    notes = []
    old, new = expected.splitlines(), actual.splitlines()
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if tag != "replace":
            continue
        for number, (a, b) in enumerate(zip(old[i1:i2], new[j1:j2], strict=False), j1 + 1):
            column = next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b)))
            start = max(0, column - 40)
            notes.append(f"rendered line {number}, column {column + 1}:\n"
                         f"  expected: …{a[start : column + 60]!r}\n  rendered: …{b[start : column + 60]!r}")
    return "\n".join(notes)


@pytest.mark.parametrize("page", expected_pages())
def test_page_is_rendered_as_expected(page: str, rendered: dict[str, str], pytestconfig: pytest.Config) -> None:
    if page not in rendered:
        if pytestconfig.getoption("--update-goldens"):
            return  # its expected file was just removed
        pytest.fail(f"expected/{page} exists, but the golden site no longer generates that page. If it is gone on "
                    "purpose, run with --update-goldens (or delete the file).", pytrace=False)
    expected = read(EXPECTED / page)
    actual = rendered[page]
    if actual != expected:
        diff = "".join(difflib.unified_diff(expected.splitlines(keepends=True), actual.splitlines(keepends=True),
                                            f"expected/{page}", f"rendered {page}"))
        pytest.fail(f"{page} is not rendered as expected/{page} says:\n{diff}\n{where_lines_differ(expected, actual)}"
                    "\n\nIf the change is intended: run with --update-goldens and review "
                    "`git diff tests/goldens/expected`.", pytrace=False)


def test_every_page_has_an_expected_file(rendered: dict[str, str]) -> None:
    """Every page is covered, and every expected file is a page, so pages cannot appear or vanish unnoticed."""
    expected = set(expected_pages())
    unexpected = sorted(set(rendered) - expected)
    missing = sorted(expected - set(rendered))
    if unexpected or missing:
        pytest.fail("".join(f"generated, but no expected file: {page}\n" for page in unexpected)
                    + "".join(f"expected/{page} exists, but no page is generated there\n" for page in missing)
                    + "If this is intended: run with --update-goldens and review `git diff tests/goldens/expected`.",
                    pytrace=False)
