"""No made-up value reaches readers, and no setting silently takes something from them:
a placeholder in mkdocs.yml, a missing site_url or a theme other than Material is a warning
naming what is wrong (and, for a placeholder, its line), so a strict build fails on it.
Real MkDocs builds of copies of the repository's site."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ENV, ROOT, copy_project, factcheck, factcheck_process
from factcheck_site.content.site_checks import (
    page_placeholders,
    placeholder_reason,
    repeated_settings,
    setting_lines,
    theme_shortfalls,
)

READER_FILES = ("*.html", "*.xml", "*.json", "*.csv")


def build(project: Path, strict: bool, **env: str) -> subprocess.CompletedProcess[str]:
    args = [sys.executable, "-m", "mkdocs", "build", "-d", str(project.parent / "site")]
    return subprocess.run(args + (["--strict"] if strict else []), cwd=project, env={**ENV, **env},
                          capture_output=True, text=True, timeout=900, stdin=subprocess.DEVNULL)


def warnings(result: subprocess.CompletedProcess[str]) -> list[str]:
    return [line.split(" - ", 1)[1].strip() for line in result.stderr.splitlines() if line.startswith("WARNING")]


def line_of(config: Path, text: str) -> int:
    return next(n for n, line in enumerate(config.read_text(encoding="utf-8").splitlines(), 1)
                if line.strip().startswith(text))


@pytest.mark.parametrize(("value", "placeholder"), [
    ("PLACEHOLDER: who funds the desk", True),
    ("https://factcheck.example.org/", True),
    ("https://EXAMPLE.COM", True),
    ("editors@desk.example.net", True),
    ("see https://a.b.example.org/x for more", True),
    ("https://my-example.org/", False),
    ("https://example.organic.test/", False),
    ("https://notexample.com/", False),
    ("https://cdn.other.example/logo.png", False),
    ("Reader donations", False),
    ("placeholder", False),  # only the marker in capitals: ordinary words stay ordinary
    (None, False),
    (42, False),
])
def test_what_counts_as_a_placeholder(value: object, placeholder: bool) -> None:
    assert (placeholder_reason(value) is not None) == placeholder


def test_setting_lines_read_tags_without_running_them() -> None:
    text = ("site_name: A\nsite_url: !ENV [SITE_URL, 'http://127.0.0.1:8000/']\nplugins:\n  - search\n"
            "  - factcheck:\n      organization:\n        email: a@b.c\nmarkdown_extensions:\n"
            "  - x:\n      y: !!python/name:os.system\n")
    lines = setting_lines(text)
    assert lines["site_url"] == 2 and lines["plugins.search"] == 4
    assert lines["plugins.factcheck.organization.email"] == 7
    assert setting_lines("a: [unclosed") == {}


@pytest.mark.parametrize(("text", "expected"), [
    ("site_name: A\nsite_url: x\nsite_name: B\n",
     ["3: site_name is set twice; MkDocs keeps only this line and drops line 1"]),
    ("site_name: A\nsite_name: B\nsite_name: C\n",
     ["3: site_name is set 3 times; MkDocs keeps only this line and drops lines 1 and 2"]),
    ("plugins:\n  - search\n  - factcheck:\n      verdicts: []\n      claims_dir: a\n      verdicts: []\n",
     ["6: plugins.factcheck.verdicts is set twice; MkDocs keeps only this line and drops line 4"]),
    ("theme:\n  palette:\n    - scheme: default\n      primary: red\n      primary: blue\n",
     ["5: theme.palette.primary is set twice; MkDocs keeps only this line and drops line 4"]),
    ("extra: {a: 1, a: 2}\n", ["1: extra.a is set twice; MkDocs keeps only this line and drops line 1"]),
    ("repo_url: !ENV [A, b]\nrepo_url: !!python/name:os.system\n",
     ["2: repo_url is set twice; MkDocs keeps only this line and drops line 1"]),
    # the same key in two places, the same place in two nav entries, and a merge key are no repeat
    ("a: {x: 1}\nb: {x: 1}\nnav:\n  - Home: index.md\n  - Home: other.md\nc: &c {y: 1}\nd:\n  <<: *c\n  z: 2\n", []),
    ("site_name: [unclosed\n", []),
    ("extra: " + "[" * 3000 + "]" * 3000 + "\nextra: 1\n", []),  # nested too deeply to walk: validate says so
])
def test_a_setting_written_twice_is_named_at_the_line_mkdocs_keeps(text: str, expected: list[str]) -> None:
    found = [f"{note.line}: {note.message}" for note in repeated_settings(text, "mkdocs.yml")]
    assert [message.split(" without a word", 1)[0] for message in found] == expected
    assert all(message.endswith("without a word: delete the one you do not mean, or merge them") for message in found)


def test_a_setting_written_twice_stops_a_strict_build_and_validate(tmp_path: Path) -> None:
    """MkDocs keeps the last of two values without a word (in mkdocs.yml and in a page's front matter): the desk's
    other line would be dropped silently."""
    project = copy_project(tmp_path / "p")
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    first = line_of(config, "site_name:")
    config.write_text(text + "site_name: A second name\n", encoding="utf-8")
    last = len(config.read_text(encoding="utf-8").splitlines())
    expected = (f"mkdocs.yml:{last}: site_name is set twice; MkDocs keeps only this line and drops line {first} "
                "without a word: delete the one you do not mean, or merge them")
    page = project / "docs" / "methodology.md"
    page.write_text("---\ntitle: How we check\ndescription: x\ntitle: Our method\n---\n" + page.read_text(
        encoding="utf-8"), encoding="utf-8")
    results = {strict: build(project, strict) for strict in (False, True)}
    assert expected in warnings(results[False])
    assert ("docs/methodology.md:4: title is set twice; MkDocs keeps only this line and drops line 2 without a word: "
            "delete the one you do not mean, or merge them") in warnings(results[False])
    assert results[True].returncode != 0 and "Traceback" not in results[True].stderr
    checked = factcheck("validate", cwd=project)
    assert checked.returncode != 0 and expected in checked.stderr + checked.stdout


@pytest.mark.parametrize("brackets", [("[", "]"), ("{a: ", "}")])
def test_settings_nested_past_what_mkdocs_reads_are_named_not_a_traceback(tmp_path: Path,
                                                                          brackets: tuple[str, str]) -> None:
    project = copy_project(tmp_path / "p", claims=False)
    config = project / "mkdocs.yml"
    lines = len(config.read_text(encoding="utf-8").splitlines())
    opening, closing = brackets
    with config.open("a", encoding="utf-8") as file:
        file.write("extra_setting: " + opening * 2000 + "1" + closing * 2000 + "\n")
    checked = factcheck("validate", cwd=project)
    assert checked.returncode != 0 and "Traceback" not in checked.stderr + checked.stdout
    assert (f"mkdocs.yml:{lines + 1}: values are nested more than 100 levels deep, which MkDocs cannot read (it "
            "stops with a Python error): remove the extra brackets or indentation") in checked.stderr


def test_settings_whose_aliases_stand_for_billions_of_values_are_named(tmp_path: Path) -> None:
    """A few lines of anchors and aliases stand for 9**9 values: MkDocs writes every setting out in full after loading
    mkdocs.yml and would never finish, so validate (which CI runs first) names the setting instead of hanging."""
    project = copy_project(tmp_path / "p", claims=False)
    config = project / "mkdocs.yml"
    lines = len(config.read_text(encoding="utf-8").splitlines())
    levels = ["  l0: &l0 {" + ", ".join(f"k{j}: {j}" for j in range(9)) + "}"]
    levels += [f"  l{i}: &l{i} {{" + ", ".join(f"k{j}: *l{i - 1}" for j in range(9)) + "}" for i in range(1, 9)]
    with config.open("a", encoding="utf-8") as file:
        file.write("extra_values:\n" + "\n".join(levels) + "\n")
    checked = factcheck_process("validate", cwd=project)  # a process of its own: on a hang, the suite's bound stops it
    assert checked.returncode != 0 and "Traceback" not in checked.stderr
    assert (f"mkdocs.yml:{lines + 1}: extra_values's anchors and aliases (& and *) stand for more than 100,000 values "
            "written out, and MkDocs writes every setting out in full (it would never finish): write the values "
            "without them") in checked.stderr


def test_page_placeholders_name_the_line() -> None:
    notes = page_placeholders("# Title\n\nPLACEHOLDER: say what we do.\n", "docs/index.md")
    assert [str(n).split(": the page")[0] for n in notes] == ["docs/index.md:3"]


def test_theme_shortfalls_name_what_is_lost() -> None:
    assert theme_shortfalls("material", True) is None
    message = theme_shortfalls("readthedocs", True)
    assert message and "claim search" in message and "JSON-LD" not in message
    assert "JSON-LD" in (theme_shortfalls("bare", False) or "")


def test_the_repository_site_shows_readers_no_placeholder(built_site: Path) -> None:
    """Built with `mkdocs build --strict`, which fails on any placeholder in mkdocs.yml."""
    for pattern in READER_FILES:
        for path in built_site.rglob(pattern):
            text = path.read_text(encoding="utf-8")
            for marker in ("PLACEHOLDER", "example.org", "example.com", "example.net", "{{ organization."):
                assert marker not in text, f"{path.relative_to(built_site)} shows {marker}"


def test_the_repository_says_plainly_what_it_has_not_disclosed(built_site: Path) -> None:
    about = (built_site / "about" / "index.html").read_text(encoding="utf-8")
    assert "has not yet published an email address" in about and "has not yet disclosed who funds it" in about
    assert "mailto:" not in about


@pytest.fixture(scope="module")
def placeholder_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = copy_project(tmp_path_factory.mktemp("placeholders") / "p")
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8").replace(
        "\nrepo_url: !ENV REPO_URL\n", "\nrepo_url: https://github.example.com/desk/site\n", 1).replace(
        "        name: Kursk Fact-Check Desk\n",
        "        name: Kursk Fact-Check Desk\n        email: editors@example.org\n"
        "        funding: 'PLACEHOLDER: say who funds the desk'\n")
    config.write_text(text, encoding="utf-8")
    return project


@pytest.fixture(scope="module")
def placeholder_builds(placeholder_project: Path) -> dict[bool, subprocess.CompletedProcess[str]]:
    return {strict: build(placeholder_project, strict, SITE_URL="https://factcheck.example.net/")
            for strict in (False, True)}


@pytest.mark.parametrize("strict", [False, True])
def test_each_placeholder_is_named_with_its_line(placeholder_project: Path,
                                                 placeholder_builds: dict[bool, subprocess.CompletedProcess[str]],
                                                 strict: bool) -> None:
    result = placeholder_builds[strict]
    config = placeholder_project / "mkdocs.yml"
    expected = [f"mkdocs.yml:{line_of(config, key)}: {label} is a placeholder"
                for key, label in (("site_url:", "site_url"), ("repo_url:", "repo_url"),
                                   ("email:", "organization.email"), ("funding:", "organization.funding"))]
    found = [w for w in warnings(result) if "is a placeholder" in w]
    assert sorted(w[:w.index(" is a placeholder")] + " is a placeholder" for w in found) == sorted(expected)
    assert warnings(result) == found, "only the placeholders are reported"
    assert (result.returncode != 0) == strict, result.stderr
    assert "Traceback" not in result.stderr


def test_a_missing_site_url_says_what_readers_lose(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "p")
    config = project / "mkdocs.yml"
    config.write_text("".join(line for line in config.read_text(encoding="utf-8").splitlines(keepends=True)
                              if not line.startswith("site_url:")), encoding="utf-8")
    results = {strict: build(project, strict) for strict in (False, True)}
    assert results[False].returncode == 0 and results[True].returncode != 0
    assert "site_url is not set" in results[True].stderr and "Traceback" not in results[True].stderr
    message = next(w for w in warnings(results[False]) if "site_url is not set" in w)
    for lost in ("JSON-LD", "link-preview", "feed.xml", "feed.json", "claims.json", "claims.csv", "claimreview.json"):
        assert lost in message
    assert not (tmp_path / "site" / "feed.xml").exists(), "the message must say what is really left out"


@pytest.mark.parametrize("theme", ["mkdocs", "readthedocs"])
def test_another_theme_says_what_readers_lose(tmp_path: Path, theme: str) -> None:
    project = copy_project(tmp_path / "p")
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    start, end = text.index("theme:\n"), text.index("\nplugins:")
    config.write_text(text[:start] + f"theme:\n  name: {theme}\n" + text[end:], encoding="utf-8")
    results = {strict: build(project, strict) for strict in (False, True)}
    assert results[False].returncode == 0, results[False].stderr
    assert results[True].returncode != 0
    message = next(w for w in warnings(results[False]) if "is not Material" in w)
    assert f"theme '{theme}'" in message and "claim search" in message and "styles" in message
    assert not (tmp_path / "site" / "search" / "factcheck").exists()


def test_the_publishing_workflow_gives_the_build_its_address() -> None:
    text = (ROOT / ".github" / "workflows" / "publish.yml").read_text(encoding="utf-8")
    assert "SITE_URL: ${{ steps.pages.outputs.base_url }}" in text
    assert text.index("actions/configure-pages@") < text.index("mkdocs build --strict")
    assert "!ENV [SITE_URL," in (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
