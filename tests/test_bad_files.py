"""Every bad input is refused with `path:line: message` by `factcheck validate` and by
`mkdocs build`, without a traceback, within a time and memory ceiling, and without
writing or changing a file (a site built before stays exactly as it was).

A case is a file in tests/cases/bad-claims/ or bad-sources/ plus `<file>.expected`:
one line per expected problem, either `LINE: text` (the report must contain
`path:LINE: text`) or a fragment that must appear somewhere in the report. A new case
is a new pair of files. The cases in GENERATED are made by code because they cannot
live in a repository: files over the size limits, names that differ only in case
(one file on macOS and Windows), a newline in a name, symbolic links (in claims/, sources/
and docs/), a pipe, commits with dates that cannot be true. FOLDER_CASES replace a whole
folder the build reads, so they cannot share a site with the others.

Nothing outside the project is opened while a case runs: tests/untouched.py watches the
folder beside it that the links point at. CACHE_CASES attack the build cache
(.cache/factcheck/) and the key that seals it: a build ignores what it must not trust with
one warning, publishes the same site as a clean build, and touches nothing outside.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import resource
import shutil
import signal
import stat
import subprocess
import sys
import time
import traceback
import tracemalloc
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import BUILD_TIME, CASES, ENV, ROOT, copy_project
from factcheck_site import cache_folder
from factcheck_site.cache_folder import CACHE_DIR, SEAL
from factcheck_site.cli import main
from factcheck_site.content import load as load_module
from factcheck_site.content.formats import MAX_CLAIM_FILE_BYTES, MAX_SOURCE_FILE_BYTES
from factcheck_site.content.load import list_files
from factcheck_site.content.yaml_reader import MAX_NODES
from mkdocs.__main__ import cli as mkdocs_cli
from untouched import untouched

HANG_GUARD_SECONDS = 10  # of CPU time: a hang guard, not a speed test; cases take milliseconds
WAIT_GUARD_SECONDS = 900  # of the clock's: for a hang that waits (on a pipe) and burns no CPU; load stretches it
MEMORY_CEILING = 64 * 2**20  # bytes allocated by Python at the peak, per case
CHILD_ADDRESS_SPACE = 2 * 2**30  # RLIMIT_AS for the real commands: they fail if they need more
CHILD_CPU_SECONDS = 60
CHILD_RESIDENT_CEILING = 256 * 2**20  # peak resident memory of a real command refusing every case at once
SECRET = "SECRET-OUTSIDE-THE-SITE"
MINIMAL = (CASES / "good-claims" / "minimal.yml").read_text(encoding="utf-8")
ARTICLE = (CASES.parent.parent / "sources" / "dprk-soldiers-return-home.md").read_text(encoding="utf-8")
ARTICLE_BODY = ARTICLE.split("---\n", 2)[2]


@dataclass(frozen=True)
class Case:
    id: str
    shown: str  # the path every problem names, as printed
    expected: tuple[str, ...]
    make: Callable[[Path], None]  # puts the bad input into a copy of the site
    absent: tuple[str, ...] = field(default=())  # text that must not appear in any report


def _file_case(path: Path) -> Case:
    folder = "claims" if path.parent.name == "bad-claims" else "sources"
    expected = tuple(Path(f"{path}.expected").read_text(encoding="utf-8").splitlines())
    return Case(f"{path.parent.name}/{path.name}", f"{folder}/{path.name}", expected,
                lambda project: shutil.copy(path, project / folder / path.name))


def _write(path: Path, data: str | bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)


def _huge_claim(project: Path) -> None:
    padding = ("# " + "x" * 97 + "\n") * (MAX_CLAIM_FILE_BYTES // 100 + 1)
    _write(project / "claims" / "huge-claim.yml", (MINIMAL + padding).encode()[: MAX_CLAIM_FILE_BYTES + 1])


def _huge_source(project: Path) -> None:
    body = ARTICLE_BODY * (MAX_SOURCE_FILE_BYTES // len(ARTICLE_BODY) + 1)
    text = "---\ntitle: Huge\npublisher: Nobody\n---\n" + body
    _write(project / "sources" / "huge-source.md", text.encode()[: MAX_SOURCE_FILE_BYTES + 1])


def _long_snapshot_misquoted(project: Path) -> None:
    """A snapshot just under the size limit, quoted wrongly many times: the costly path."""
    header = "---\ntitle: Long\npublisher: Nobody\n---\n"
    body = ARTICLE_BODY * ((MAX_SOURCE_FILE_BYTES - 1000) // len(ARTICLE_BODY.encode()))
    _write(project / "sources" / "long-snapshot.md", header + body)
    quotes = "".join(f'  - source: long-snapshot\n    text: "completing the mission in just {n} months"\n'
                     for n in range(5, 55))
    _write(project / "claims" / "misquotes-long-snapshot.yml",
           MINIMAL.split("quotes:\n")[0] + "quotes:\n" + quotes + "author: Desk\npublished: 2026-11-20\n")


def _quote_without_its_accent(normal_form: str) -> Callable[[Path], None]:
    """A quote that leaves the accent off "sí", against a source saved in either normal form (issue 24)."""
    def make(project: Path) -> None:
        body = unicodedata.normalize(normal_form, "El ministro respondió que sí, sin dudar.\n")
        _write(project / "sources" / "respuesta.md", "---\ntitle: Respuesta\npublisher: Diario\nlanguage: es\n---\n"
               + body)
        _write(project / "claims" / f"sin-acento-{normal_form.lower()}.yml", MINIMAL.split("quotes:\n")[0]
               + 'quotes:\n  - source: respuesta\n    text: "respondió que si"\nauthor: Desk\npublished: 2026-11-20\n')
    return make


def _two_spellings(case: str, field: str, first: str, second: str) -> Callable[[Path], None]:
    """One claim names a claimant or tag one way, a claim published later another way (issue 24)."""
    def claim(name: str, published: str) -> str:
        text = MINIMAL.replace("published: 2026-11-20", f"published: {published}")
        if field == "claimant":
            return text.replace("claimant: CaliToday", f'claimant: "{name}"')
        return text + f'tags: [kursk, "{name}"]\n'
    return lambda project: (_write(project / "claims" / f"first-{case}.yml", claim(first, "2026-11-19")),
                            _write(project / "claims" / f"second-{case}.yml", claim(second, "2026-11-20")))


SPELLINGS = [  # (case, field, the first claim's spelling, the second's, what the second is told); no two alike
    ("claimant-cyrillic-i", "claimant", "Kim Jong Un", "K\u0456m Jong Un", "looks the same as 'Kim Jong Un' "
     "(claims/first-claimant-cyrillic-i.yml:2) but is another name ('\u0456' U+0456 CYRILLIC SMALL LETTER "
     "BYELORUSSIAN-UKRAINIAN I where the other has 'i' U+0069 LATIN SMALL LETTER I): readers could not tell the "
     "two pages apart; write one spelling in both files"),
    ("claimant-greek-omicron", "claimant", "Moon Jae-in", "M\u03bf\u03bfn Jae-in", "looks the same as 'Moon Jae-in'"),
    ("claimant-cyrillic-a", "claimant", "Pravda", "Pr\u0430vd\u0430", "looks the same as 'Pravda'"),
    ("claimant-fullwidth", "claimant", "KCNA", "\uff2b\uff23\uff2e\uff21", "has the same words as 'KCNA'"),
    ("claimant-hyphenated", "claimant", "Kim Yo Jong", "Kim Yo-jong", "has the same words as 'Kim Yo Jong' "
     "(claims/first-claimant-hyphenated.yml:2) but would share its page, and one of the two spellings would be "
     "its title; write one spelling in both files"),
    ("claimant-other-case", "claimant", "Yonhap", "YONHAP", "has the same words as 'Yonhap'"),
    ("claimant-comma", "claimant", "Choe Son Hui", "Choe, Son Hui", "has the same words as 'Choe Son Hui'"),
    ("tag-other-case", "tag", "Ukraine", "ukraine", "has the same words as 'Ukraine' "
     "(claims/first-tag-other-case.yml:15)"),
    ("tag-cyrillic-i", "tag", "Russia", "Russ\u0456a", "looks the same as 'Russia' "
     "(claims/first-tag-cyrillic-i.yml:15)"),
]


def _long_near_misses(project: Path) -> None:
    """A quote of some 300 words, one word off, of a 78 KB article (issue 24: one look-up took 11 s)."""
    texts = [path.read_text(encoding="utf-8").split("---\n", 2)[2] for path in sorted((ROOT / "sources").glob("*.md"))]
    body = ("\n\n".join(texts) * 10)[:78_000].rsplit(" ", 1)[0] + "\n"
    _write(project / "sources" / "long-article.md", "---\ntitle: Long\npublisher: Nobody\n---\n" + body)
    words, quotes = body.split(), ""
    for n in range(1):
        chosen = words[1000 + 2000 * n : 1300 + 2000 * n]
        chosen[150] = "different"
        while len(" ".join(chosen)) > 1990:
            chosen.pop()
        quotes += f"  - source: long-article\n    text: '{' '.join(chosen).replace(chr(39), chr(39) * 2)}'\n"
    _write(project / "claims" / "near-misses.yml",
           MINIMAL.split("quotes:\n")[0] + "quotes:\n" + quotes + "author: Desk\npublished: 2026-11-20\n")


def _many_values(project: Path) -> None:
    _write(project / "claims" / "many-values.yml", MINIMAL + "tags: [" + "a, " * MAX_NODES + "a]\n")


def _beside_its_claim(name: str) -> Callable[[Path], None]:
    """An editor's backup or a copy with another extension beside the claim it copies: renaming it as told would
    replace that claim."""
    def make(project: Path) -> None:
        _write(project / "claims" / "minimal.yml", MINIMAL)
        _write(project / "claims" / name, MINIMAL)
    return make


def _claim_copied_unchanged(project: Path) -> None:
    """A claim file copied to start another fact-check, published later with the claim left as it was."""
    _write(project / "claims" / "minimal.yml", MINIMAL)
    _write(project / "claims" / "copied.yml", MINIMAL.replace("published: 2026-11-20", "published: 2026-11-21"))


def _case_clash(project: Path) -> None:
    _write(project / "claims" / "minimal.yml", MINIMAL)
    _write(project / "claims" / "Minimal.yml", MINIMAL)


def _newline_in_name(project: Path) -> None:
    _write(project / "claims" / "line\nbreak.yml", MINIMAL)


def _symlinked_claim(project: Path) -> None:
    secret = project.parent / "outside" / "secret.yml"
    _write(secret, MINIMAL.replace("CaliToday", SECRET))
    (project / "claims" / "linked.yml").symlink_to(secret)


def _symlinked_source(project: Path) -> None:
    secret = project.parent / "outside" / "secret.md"
    _write(secret, f"---\ntitle: {SECRET}\npublisher: {SECRET}\n---\n{SECRET}\n")
    (project / "sources" / "linked.md").symlink_to(os.path.relpath(secret, project / "sources"))
    _write(project / "claims" / "quotes-linked.yml", MINIMAL.replace("dprk-soldiers-return-home", "linked"))


def _pipe(project: Path) -> None:
    os.mkfifo(project / "claims" / "pipe.yml")  # reading it would block for ever


def _folder(project: Path) -> None:
    _write(project / "claims" / "nested.yml" / "minimal.yml", MINIMAL)


def _docs_clash(project: Path) -> None:
    _write(project / "claims" / "minimal.yml", MINIMAL)
    _write(project / "docs" / "claims" / "minimal.md", "# A page of our own\n")


def _docs_corrections_clash(project: Path) -> None:
    _write(project / "docs" / "corrections" / "index.md", "# Our corrections\n")


def _outside(project: Path, name: str, text: str) -> Path:
    """A file beside the project, which nothing may read."""
    secret = project.parent / "outside" / name
    _write(secret, text)
    return secret


def _docs_link(name: str, target: Callable[[Path], Path], relative: bool = False) -> Callable[[Path], None]:
    """docs/<name> made a link to target(project)."""
    def make(project: Path) -> None:
        link = project / "docs" / name
        link.parent.mkdir(parents=True, exist_ok=True)
        aim = target(project)
        link.symlink_to(os.path.relpath(aim, link.parent) if relative else aim)
    return make


def _secret_file(project: Path) -> Path:
    return _outside(project, "passwd", f"root:x:0:0:{SECRET}:/root:/bin/bash\n")


def _secret_folder(project: Path) -> Path:
    _outside(project, "folder/page.md", f"# {SECRET}\n")
    return project.parent / "outside" / "folder"


def _git_config(project: Path) -> Path:
    _write(project / ".git" / "config", f"[remote]\n\turl = https://{SECRET}@example.org/\n")
    return project / ".git" / "config"


def _through_a_folder_inside(project: Path) -> None:
    """docs/shared is a link to a folder inside the project (allowed), which holds a link out."""
    (project / "shared").mkdir()
    (project / "shared" / "fine.md").write_text("# Fine\n", encoding="utf-8")
    (project / "shared" / "passwd.txt").symlink_to(_secret_file(project))
    (project / "docs" / "shared").symlink_to("../shared")


def _two_links_to_one_folder(project: Path) -> None:
    """Links that each lead to one folder double the walk at every level: refused at the second."""
    (project / "common").mkdir()
    (project / "common" / "fine.md").write_text("# Fine\n", encoding="utf-8")
    (project / "docs" / "a").symlink_to("../common")
    (project / "docs" / "b").symlink_to("../common")


def _folder_linked(folder: str, files: dict[str, str]) -> Callable[[Path], None]:
    """A folder the build reads replaced by a link to a folder beside the project."""
    def make(project: Path) -> None:
        for name, text in files.items():
            _outside(project, f"{folder}/{name}", text)
        shutil.rmtree(project / folder)
        (project / folder).symlink_to(os.path.relpath(project.parent / "outside" / folder, project))
    return make


def _folder_configured_outside(setting: str, folder: str, files: dict[str, str]) -> Callable[[Path], None]:
    def make(project: Path) -> None:
        for name, text in files.items():
            _outside(project, f"{folder}/{name}", text)
        config = project / "mkdocs.yml"
        text = config.read_text(encoding="utf-8")
        old = f"      {setting}: {folder}\n"
        assert old in text
        config.write_text(text.replace(old, f"      {setting}: ../outside/{folder}\n"), encoding="utf-8")
    return make


GIT_ENV = {"GIT_AUTHOR_NAME": "Editor", "GIT_AUTHOR_EMAIL": "e@example.org", "GIT_COMMITTER_NAME": "Editor",
           "GIT_COMMITTER_EMAIL": "e@example.org", "GIT_AUTHOR_DATE": "2026-11-01T12:00:00Z",
           "GIT_COMMITTER_DATE": "2026-11-01T12:00:00Z"}


def git(project: Path, *args: str, stdin: str | None = None) -> str:
    return subprocess.run(["git", *args], cwd=project, check=True, capture_output=True, text=True, input=stdin,
                          env={**os.environ, **GIT_ENV}).stdout.strip()


def commit_dated(project: Path, paths: list[str], stamp: str, message: str = "dated") -> str:
    """A commit of paths whose committer date is stamp (seconds since 1970, as git stores it): made by hand, since
    `git commit` refuses dates it cannot parse, which `git fsck` accepts in a commit."""
    if not (project / ".git" / "HEAD").exists():
        git(project, "init", "-q")
    git(project, "add", "-f", "--", *paths)
    tree = git(project, "write-tree")
    parent = subprocess.run(["git", "rev-parse", "-q", "--verify", "HEAD"], cwd=project, capture_output=True,
                            text=True).stdout.strip()
    body = (f"tree {tree}\n" + (f"parent {parent}\n" if parent else "")
            + f"author Editor <e@example.org> {stamp} +0000\ncommitter Editor <e@example.org> {stamp} +0000\n"
            f"\n{message}\n")
    commit = git(project, "hash-object", "-t", "commit", "-w", "--stdin", stdin=body)
    git(project, "update-ref", "HEAD", commit)
    return commit


def _claim_committed(name: str, *stamps: str) -> Callable[[Path], None]:
    """claims/<name>, committed once at each stamp (changed each time)."""
    def make(project: Path) -> None:
        for number, stamp in enumerate(stamps):
            _write(project / "claims" / name, MINIMAL + f"# change {number}\n")
            commit_dated(project, [f"claims/{name}"], stamp)
    return make


NEXT_WEEK = str(int(time.time()) + 7 * 86400)
GOOD_DATE = "1790000000"  # 2026-09-21


def _device_named(folder: str, name: str) -> Callable[[Path], None]:
    """A file named like a Windows device: made here, since such a file in this repository
    would break its own checkouts on Windows."""
    text = MINIMAL if folder == "claims" else "---\ntitle: A\npublisher: B\n---\nThe regiment returned home.\n"
    return lambda project: _write(project / folder / name, text)


DEVICE_NAMES = [("claims", "con.yml"), ("claims", "AUX.yml"), ("claims", "nul.draft.yml"), ("claims", "com1.yml"),
                ("claims", "Lpt9.yml"), ("claims", "prn.yml"), ("sources", "con.md"), ("sources", "com0.md"),
                ("sources", "lpt3.backup.md"), ("sources", "Nul.md")]
GENERATED = [
    *(Case(f"windows-device-name-{folder}-{name}", f"{folder}/{name}",
           (f"1: the file name '{name.rsplit('.', 1)[0]}' is reserved on Windows (a device name",
            "Git for Windows cannot check the file out"), _device_named(folder, name))
      for folder, name in DEVICE_NAMES),
    Case("huge-claim-file", "claims/huge-claim.yml",
         (f"1: the file is {MAX_CLAIM_FILE_BYTES + 1:,} bytes; the limit is {MAX_CLAIM_FILE_BYTES:,}, shorten it",),
         _huge_claim),
    Case("huge-source-file", "sources/huge-source.md",
         (f"1: the file is {MAX_SOURCE_FILE_BYTES + 1:,} bytes; the limit is {MAX_SOURCE_FILE_BYTES:,}",),
         _huge_source),
    Case("misquotes-of-a-2mb-snapshot", "claims/misquotes-long-snapshot.yml",
         ("7: quote 1 is not in source 'long-snapshot': closest passage (",
          "105: quote 50 is not in source 'long-snapshot'; copy the exact wording from the source"),
         _long_snapshot_misquoted),
    *(Case(f"quote-without-its-accent-{form}", f"claims/sin-acento-{form.lower()}.yml",
           ("7: quote 1 is not in source 'respuesta': closest passage (90% similar): \"respondió que sí,\"",),
           _quote_without_its_accent(form)) for form in ("NFC", "NFD")),
    *(Case(f"two-spellings-{name}", f"claims/second-{name}.yml",
           (f"{15 if field == 'tag' else 2}: {field} '{second}' {told}",), _two_spellings(name, field, first, second))
      for name, field, first, second, told in SPELLINGS),
    Case("near-misses-of-300-words", "claims/near-misses.yml",
         ("7: quote 1 is not in source 'long-article': closest passage (99% similar)",), _long_near_misses),
    Case("more-values-than-allowed", "claims/many-values.yml",
         (f"15: the file has more than {MAX_NODES} values",), _many_values),
    *(Case(f"beside-its-claim-{name}", f"claims/{name}",
           ("1: only *.yml files are read here, and minimal.yml is there already: if this is a copy or a backup of "
            "it, delete it or move it out of claims/",), _beside_its_claim(name), absent=("rename it to minimal.yml",))
      for name in ("minimal.yml.bak", "minimal.yml~", "minimal.yaml")),
    Case("claim-copied-unchanged", "claims/copied.yml",
         ("1: the claim, its claimant and its date are those of claims/", "one claim is checked once"),
         _claim_copied_unchanged),
    Case("names-differing-only-in-case", "claims/Minimal.yml",
         ("1: the name differs from claims/minimal.yml only in case; on macOS and Windows they are the same file",
          "1: the file name 'Minimal' is not a valid claim id"), _case_clash),
    Case("newline-in-file-name", "claims/line\\nbreak.yml",
         ("1: the file name 'line\\nbreak' is not a valid claim id",), _newline_in_name),
    Case("symlinked-claim", "claims/linked.yml", ("1: symbolic links are not read",), _symlinked_claim,
         absent=(SECRET,)),
    Case("symlinked-source", "sources/linked.md", ("1: symbolic links are not read",), _symlinked_source,
         absent=(SECRET,)),
    Case("pipe", "claims/pipe.yml", ("1: this is not a regular file",), _pipe),
    Case("folder-named-like-a-claim", "claims/nested.yml", ("1: folders are not read here",), _folder),
    Case("docs-page-at-a-generated-path", "docs/claims/minimal.md",
         ("1: this page is generated from claims and sources; rename or remove it",), _docs_clash),
    Case("docs-page-at-the-corrections-log", "docs/corrections/index.md",
         ("1: this page is generated from claims and sources; rename or remove it",), _docs_corrections_clash),
    *(Case(case_id, shown, ("1: this symbolic link (to ", f") {why}",
                            "it is not followed: replace it with the file or folder itself, inside the project"),
           make, absent=(SECRET,))
      for case_id, shown, why, make in [
          ("docs-link-to-a-file-outside", "docs/passwd.txt", "leads outside the project",
           _docs_link("passwd.txt", _secret_file)),
          ("docs-relative-link-to-a-file-outside", "docs/notes/passwd.md", "leads outside the project",
           _docs_link("notes/passwd.md", _secret_file, relative=True)),
          ("docs-link-to-a-folder-outside", "docs/leak", "leads outside the project",
           _docs_link("leak", _secret_folder, relative=True)),
          ("docs-link-into-git", "docs/config.txt", "leads into .git", _docs_link("config.txt", _git_config)),
          ("docs-link-to-the-project", "docs/loop", "leads to a folder that holds it",
           _docs_link("loop", lambda project: project, relative=True)),
          ("docs-link-to-itself", "docs/deep/self", "leads to a folder that holds it",
           _docs_link("deep/self", lambda project: project / "docs" / "deep", relative=True)),
          ("docs-link-to-nothing", "docs/gone.md", "points at nothing",
           _docs_link("gone.md", lambda project: project / "no-such-file.md", relative=True)),
          ("link-out-in-a-folder-docs-links-to", "shared/passwd.txt", "leads outside the project",
           _through_a_folder_inside),
          ("docs-links-doubling-the-walk", "docs/b", "leads to a folder already reached through docs/a",
           _two_links_to_one_folder),
      ]),
    *(Case(f"commit-dated-{label}", f"claims/dated-{label}.yml", ("1: commit ", *expected),
           _claim_committed(f"dated-{label}.yml", *stamps))
      for label, stamps, expected in [
          ("far-future", ["99999999999999"],
           ["is dated @99999999999999 (in seconds since 1970), after the day of this build"]),
          ("9999-12-31", ["253402214400"], ["is dated 9999-12-31, after the day of this build"]),
          ("next-week", [NEXT_WEEK], ["after the day of this build", "git rebase --force-rebase"]),
          ("1999", ["915148800"], ["is dated 1999-01-01, before git existed (2005-04-07)"]),
          ("1970", ["0"], ["is dated 1970-01-01, before git existed"]),
          ("under-a-good-one", ["253402214400", GOOD_DATE], ["is dated 9999-12-31"]),
      ]),
]
# Each replaces a whole folder of the site, or its mkdocs.yml: refused before anything in it is read.
FOLDER_CASES = [
    Case("claims-folder-linked-outside", "claims",
         ("1: this folder is reached through a symbolic link that leads outside the project",),
         _folder_linked("claims", {"secret.yml": MINIMAL.replace("CaliToday", SECRET)}), absent=(SECRET,)),
    Case("sources-folder-linked-outside", "sources",
         ("1: this folder is reached through a symbolic link that leads outside the project",),
         _folder_linked("sources", {"secret.md": f"---\ntitle: {SECRET}\n---\n"}), absent=(SECRET,)),
    Case("docs-folder-linked-outside", "docs",
         ("1: this folder is reached through a symbolic link that leads outside the project",),
         _folder_linked("docs", {"index.md": f"# {SECRET}\n"}), absent=(SECRET,)),
    Case("claims-folder-set-outside", "mkdocs.yml",
         ("1: plugins.factcheck.claims_dir is ../outside/claims, outside the project",),
         _folder_configured_outside("claims_dir", "claims", {"secret.yml": MINIMAL.replace("CaliToday", SECRET)}),
         absent=(SECRET,)),
]
ALL_CASES = [_file_case(p) for folder in ("bad-claims", "bad-sources") for p in sorted((CASES / folder).iterdir())
             if not p.name.endswith(".expected")] + GENERATED


def test_the_corpus_covers_enough_cases() -> None:
    assert len(ALL_CASES) >= 40 and len(FOLDER_CASES) >= 4 and len(CACHE_CASES) >= 15


# --- measuring ------------------------------------------------------------------------

@dataclass
class Usage:
    seconds: float = 0.0
    peak_bytes: int = 0


@contextmanager
def within_limits(trace_memory: bool) -> Iterator[Usage]:
    """A guard against hangs and, if asked, Python's peak allocation (tracemalloc, which
    slows Python down four times: used for the core's work). The guard counts this
    process's CPU time, so a machine busy with other work (the suite runs on every core)
    cannot trip it while a loop that never ends still does; a far longer limit on the
    clock catches a wait that never ends."""
    usage = Usage()

    def hang(signum: int, frame: object) -> None:
        raise TimeoutError(f"still running after {HANG_GUARD_SECONDS} s of CPU time or {WAIT_GUARD_SECONDS} s")

    previous = signal.signal(signal.SIGPROF, hang), signal.signal(signal.SIGALRM, hang)
    signal.setitimer(signal.ITIMER_PROF, HANG_GUARD_SECONDS)
    signal.setitimer(signal.ITIMER_REAL, WAIT_GUARD_SECONDS)
    if trace_memory:
        tracemalloc.start()
    start = time.perf_counter()
    try:
        yield usage
    finally:
        usage.seconds = time.perf_counter() - start
        if trace_memory:
            usage.peak_bytes = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGPROF, previous[0])
        signal.signal(signal.SIGALRM, previous[1])


def snapshot(folder: Path, shared: bool = False) -> dict[str, tuple]:
    """Everything under folder: kind, size, modification time and content fingerprint. A file shared by every
    case (the good site, and the files hard-linked from it) is known by its inode instead of its content:
    writing to it changes its modification time, and replacing it changes the inode."""
    found: dict[str, tuple] = {}
    for path in sorted(folder.rglob("*")):
        info = path.lstat()
        key = path.relative_to(folder).as_posix()
        if stat.S_ISLNK(info.st_mode):
            found[key] = ("link", os.readlink(path))
        elif stat.S_ISREG(info.st_mode) and (shared or info.st_nlink > 1):
            found[key] = ("shared file", info.st_ino, info.st_size, info.st_mtime_ns)
        elif stat.S_ISREG(info.st_mode):
            found[key] = ("file", info.st_size, info.st_mtime_ns, hashlib.sha256(path.read_bytes()).hexdigest())
        else:
            found[key] = (stat.S_IFMT(info.st_mode), info.st_mtime_ns)
    return found


def validate_in_process(project: Path, monkeypatch: pytest.MonkeyPatch,
                        capsys: pytest.CaptureFixture[str]) -> tuple[int, str, Usage]:
    monkeypatch.chdir(project)
    with within_limits(trace_memory=True) as usage:
        try:
            code = main(["validate"])
        except BaseException:  # reported as a failure below, with its traceback
            code, crash = -1, traceback.format_exc()
        else:
            crash = ""
    captured = capsys.readouterr()
    return code, captured.out + captured.err + crash, usage


def mkdocs_build_in_process(project: Path, site_dir: Path | None = None, strict: bool = True,
                            warnings: list[str] | None = None, options: tuple[str, ...] = ()
                            ) -> tuple[int, str, Usage]:
    """`mkdocs build --strict` through MkDocs' own command line, in this process (a
    subprocess per case would spend a second and a half importing MkDocs). The
    plugin does the same work on the content as validate, whose memory is measured;
    the real command's memory is limited in test_the_real_commands_refuse_all_cases_at_once.
    warnings: gets the messages logged as warnings; options: instead of `-d site_dir`."""
    logger = logging.getLogger("mkdocs")
    saved = list(logger.handlers), logger.level, logger.propagate
    records: list[str] = []
    collect = logging.Handler()

    def emit(record: logging.LogRecord) -> None:
        records.append(record.getMessage())
        if warnings is not None and record.levelno >= logging.WARNING:
            warnings.append(record.getMessage())

    collect.emit = emit  # type: ignore[method-assign]
    logger.addHandler(collect)
    try:
        with within_limits(trace_memory=False) as usage:
            result = CliRunner().invoke(mkdocs_cli, ["build", *(["--strict"] if strict else []),
                                                     "-f", str(project / "mkdocs.yml"),
                                                     *(options or ("-d", str(site_dir or project / "site")))])
    finally:
        logger.handlers[:] = saved[0]
        logger.setLevel(saved[1])
        logger.propagate = saved[2]
    report = result.output + "\n".join(records)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        report += "".join(traceback.format_exception(*result.exc_info))  # type: ignore[misc]
    return result.exit_code, report, usage


@pytest.fixture(scope="session")
def good_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A site built before the bad input arrives: every case's failed build targets it, and it must stay
    untouched. Built in process, which also loads MkDocs and the theme before any case is measured."""
    project = copy_project(tmp_path_factory.mktemp("good") / "p")
    code, report, _ = mkdocs_build_in_process(project)
    assert code == 0, report
    return project / "site"


def assert_reported(case: Case, report: str, tool: str) -> None:
    assert "Traceback" not in report, f"{tool} crashed:\n{report}"
    for expected in case.expected:
        match = re.match(r"^(\d+): (.*)$", expected)
        wanted = f"{case.shown}:{match.group(1)}: {match.group(2)}" if match else expected
        assert wanted in report, f"{tool} did not report `{wanted}`:\n{report}"
    for text in case.absent:
        assert text not in report, f"{tool} showed {text!r}"


@pytest.mark.parametrize("case", ALL_CASES + FOLDER_CASES, ids=lambda c: c.id)
def test_bad_input_is_refused(case: Case, tmp_path: Path, good_site: Path, monkeypatch: pytest.MonkeyPatch,
                              capsys: pytest.CaptureFixture[str]) -> None:
    """Each case alone, through `factcheck validate` (the core the plugin runs too). `mkdocs build` refuses the cases
    of ALL_CASES in test_the_real_commands_refuse_all_cases_at_once, every one of them at once, each with its own
    messages, watched as here; a build per case would load MkDocs and its theme 300 times over for the same words.
    FOLDER_CASES cannot share a site, so the build refuses each of them here."""
    project = copy_project(tmp_path / "p", claims=False)
    case.make(project)
    build = case in FOLDER_CASES
    before, good_before = snapshot(tmp_path), build and snapshot(good_site.parent, shared=True)
    outside = tmp_path / "outside"
    with untouched(*([outside] if outside.exists() else [])):
        _refused_by_validate(case, project, monkeypatch, capsys)
        if build:
            _refused_by_the_build(case, project, good_site)
    assert snapshot(tmp_path) == before, "a file was written or changed"
    assert not build or snapshot(good_site.parent, shared=True) == good_before, \
        "the site built before, or a file beside it, changed"


def _refused_by_validate(case: Case, project: Path, monkeypatch: pytest.MonkeyPatch,
                         capsys: pytest.CaptureFixture[str]) -> None:
    code, report, usage = validate_in_process(project, monkeypatch, capsys)
    assert code == 1, report
    assert_reported(case, report, "factcheck validate")
    for line in report.splitlines()[:-1]:
        assert line.startswith(f"{case.shown}:"), f"every problem names the bad file, on one line: {line}"
    assert usage.peak_bytes < MEMORY_CEILING, f"validate allocated {usage.peak_bytes:,} bytes"


def _refused_by_the_build(case: Case, project: Path, good_site: Path) -> None:
    code, report, usage = mkdocs_build_in_process(project, site_dir=good_site)
    assert code == 1, report
    assert "Aborted with a BuildError" in report
    assert_reported(case, report, "mkdocs build")


def test_every_problem_is_reported_not_just_the_first(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    project = copy_project(tmp_path / "p", claims=False)
    for name in ("unknown-field.yml", "misquote-one-word.yml", "bad-date.yml"):
        shutil.copy(CASES / "bad-claims" / name, project / "claims" / name)
    shutil.copy(CASES / "bad-sources" / "missing-title.md", project / "sources" / "missing-title.md")
    code, report, _ = validate_in_process(project, monkeypatch, capsys)
    assert code == 1
    for name in ("claims/unknown-field.yml:5:", "claims/misquote-one-word.yml:10:", "claims/bad-date.yml:14:",
                 "sources/missing-title.md:"):
        assert name in report
    assert "5 problems found" in report


def _limit_child() -> None:
    """Real ceilings for the real commands: address space and CPU time."""
    resource.setrlimit(resource.RLIMIT_AS, (CHILD_ADDRESS_SPACE, CHILD_ADDRESS_SPACE))
    resource.setrlimit(resource.RLIMIT_CPU, (CHILD_CPU_SECONDS, CHILD_CPU_SECONDS))


# The command runs in a process forked from a small one, which reports its exit status and peak: Linux counts in
# ru_maxrss the memory a process held before it called exec, so a command forked from the test runner itself (hundreds
# of megabytes by the time this test runs, on a busy worker) would report the runner's size, not its own.
_MEASURED = """
import os, sys
pid = os.fork()
if pid == 0:
    os.execv(sys.argv[2], sys.argv[2:])
_, status, usage = os.wait4(pid, 0)
with open(sys.argv[1], "w") as report:
    report.write(f"{os.waitstatus_to_exitcode(status)} {usage.ru_maxrss * 1024}")
"""


def run_measured(args: list[str], cwd: Path, output: Path) -> tuple[int, str, int]:
    """Exit status, output and peak resident memory (bytes) of a command under _limit_child."""
    measured = output.with_suffix(".measured")
    with open(output, "w+b") as sink:
        subprocess.run([sys.executable, "-c", _MEASURED, str(measured), *args], cwd=cwd, env=ENV, stdout=sink,
                       stderr=subprocess.STDOUT, preexec_fn=_limit_child, check=True)
        sink.seek(0)
        text = sink.read().decode("utf-8", errors="replace")
    code, peak = measured.read_text(encoding="utf-8").split()
    measured.unlink()
    return int(code), text, int(peak)


def test_the_real_commands_refuse_all_cases_at_once(tmp_path: Path, good_site: Path) -> None:
    """Every case in one site, through `python -m factcheck_site validate` and `python -m
    mkdocs build --strict` in fresh processes, under address-space and CPU limits."""
    project = copy_project(tmp_path / "p", claims=False)
    shutil.copytree(good_site, project / "site", copy_function=os.link)
    for case in ALL_CASES:
        case.make(project)
    before = snapshot(tmp_path)
    for tool, args in (("factcheck validate", [sys.executable, "-m", "factcheck_site", "validate"]),
                       ("mkdocs build", [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", "site"])):
        with untouched(tmp_path / "outside"):  # where the cases' links lead: nothing there is opened
            code, report, peak = run_measured(args, project, tmp_path / "output.txt")
        assert code == 1, report
        assert tool != "mkdocs build" or "Aborted with a BuildError" in report, report
        for case in ALL_CASES:
            assert_reported(case, report, tool)
        assert peak < CHILD_RESIDENT_CEILING, f"{tool} used {peak:,} bytes"
        (tmp_path / "output.txt").unlink()
    assert snapshot(tmp_path) == before


# --- the build cache (.cache/factcheck/) and its key ---------------------------------------------------------------

CACHE_CLAIMS = ["regiment-formed-in-may", "pyongyang-confirmed-deployment-in-april",
                "unit-was-528th-engineering-sapper-regiment"]
PINNED = {"SOURCE_DATE_EPOCH": BUILD_TIME}  # sitemap.xml.gz carries the build's time otherwise
VICTIM_PAGE = f"<script>alert(1)</script><p>Verdict: TRUE</p><p>{SECRET}</p>"


@dataclass(frozen=True)
class CacheCase:
    id: str
    warning: str  # in the one warning the build gives
    make: Callable[[Path, Path], None]  # (project, victim): the attack, on a project whose cache a build filled
    key: Callable[[Path, Path], None] | None = None  # (user cache directory, victim): an attack on the key
    watch: bool = True  # False: the case opens a file outside (a hard link to it) to see it is not the cache's
    warm: bool = False  # the attack is on a page: a build in the copied project first (pages are keyed by its path)


def _cache(project: Path) -> Path:
    return project / CACHE_DIR


def _first(folder: Path, pattern: str) -> Path:
    return sorted(folder.glob(pattern))[0]


def _replace_with_link(path: Path, target: Path, relative: bool = True) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    else:
        path.unlink()
    path.symlink_to(os.path.relpath(target, path.parent) if relative else target)


def _commit(project: Path, path: Path) -> None:
    git(project, "add", "-f", "--", str(path.relative_to(project)))
    git(project, "commit", "-qm", "a pull request's cache")


def _html_committed_as_a_link(project: Path, victim: Path) -> None:
    """The issue's attack: `.cache/factcheck/html` -> ../../../victim, force-added by a pull request."""
    _replace_with_link(_cache(project) / "html", victim)
    _commit(project, _cache(project) / "html")


def _card_committed_as_a_link(project: Path, victim: Path) -> None:
    card = _first(_cache(project) / "cards", "*.png")
    _replace_with_link(card, victim / "passwd", relative=False)
    _commit(project, card)


def _page_edited(project: Path, victim: Path) -> None:
    """A cached page edited and its checksum recomputed, as anyone can do with a plain SHA-256."""
    page = _first(_cache(project) / "html", "*/*.html")
    forged = VICTIM_PAGE.encode()
    page.write_bytes(SEAL + hashlib.sha256(forged).hexdigest().encode() + b"\n" + forged)


def _manifest_edited(project: Path, victim: Path) -> None:
    manifest = _cache(project) / "manifest-2.json"
    seal, body = manifest.read_bytes().split(b"\n", 1)
    forged = VICTIM_PAGE.encode()
    sha = hashlib.sha256(forged).hexdigest()
    _write(_cache(project) / "html" / sha[:2] / f"{sha}.html", SEAL + sha.encode() + b"\n" + forged)
    manifest.write_bytes(seal + b"\n" + re.sub(rb'\["[0-9a-f]{64}"', f'["{sha}"'.encode(), body))


def _card_replaced(project: Path, victim: Path) -> None:
    _first(_cache(project) / "cards", "*.png").write_bytes((victim / "card.png").read_bytes())


def _from_another_machine(project: Path, victim: Path) -> None:
    """The cache a build with another key made, copied here (its files newer than this user's key)."""
    shutil.rmtree(_cache(project))
    shutil.copytree(project.parent.parent / "another-machine-cache", _cache(project))
    for path in _cache(project).rglob("*"):
        os.utime(path)


def _hard_link(project: Path, victim: Path) -> None:
    page = _first(_cache(project) / "html", "*/*.html")
    page.unlink()
    os.link(victim / "page.html", page)


def _pipe_for_a_page(project: Path, victim: Path) -> None:
    page = _first(_cache(project) / "html", "*/*.html")
    page.unlink()
    os.mkfifo(page)


def _linked(place: str, target: str = "", relative: bool = True) -> Callable[[Path, Path], None]:
    """place (in the project; * picks the first match) replaced by a link to the victim folder or a file in it."""
    def make(project: Path, victim: Path) -> None:
        path = _first(project, place) if "*" in place else project / place
        _replace_with_link(path, victim / target if target else victim, relative)
    return make


def _factcheck_folder_a_file(project: Path, victim: Path) -> None:
    shutil.rmtree(_cache(project))
    _cache(project).write_text("a file where the cache's folder is", encoding="utf-8")


def _key_linked(home: Path, victim: Path) -> None:
    key = home / "factcheck-site" / "cache-key"
    (victim / "cache-key").write_bytes(key.read_bytes())
    key.unlink()
    key.symlink_to(victim / "cache-key")


def _key_folder_open_to_all(home: Path, victim: Path) -> None:
    (home / "factcheck-site").chmod(0o777)


TRACKED = "git tracks this part of the build cache, so the cache is not used"
NOT_OURS = "was not written by this computer's builds, or was changed since"
CACHE_CASES = [
    CacheCase("html-folder-committed-as-a-link-outside", f".cache/factcheck/html: {TRACKED}",
              _html_committed_as_a_link),
    CacheCase("card-committed-as-a-link-to-a-secret", TRACKED, _card_committed_as_a_link),
    CacheCase("manifest-committed", f".cache/factcheck/manifest-2.json: {TRACKED}",
              lambda project, victim: _commit(project, _cache(project) / "manifest-2.json")),
    CacheCase("dot-cache-linked-outside", ".cache: is a symbolic link or not a folder", _linked(".cache")),
    CacheCase("factcheck-folder-linked-outside", ".cache/factcheck: is a symbolic link or not a folder",
              _linked(".cache/factcheck", relative=False)),
    CacheCase("factcheck-folder-is-a-file", ".cache/factcheck: is a symbolic link or not a folder",
              _factcheck_folder_a_file),
    CacheCase("html-folder-linked-outside", ".cache/factcheck/html: is a symbolic link or a file",
              _linked(".cache/factcheck/html")),
    CacheCase("page-folder-linked-outside", ": is a symbolic link or a file where the cache keeps a folder",
              _linked(".cache/factcheck/html/*")),
    CacheCase("page-linked-outside", ".html: is a symbolic link",
              _linked(".cache/factcheck/html/*/*.html", "page.html"), warm=True),
    CacheCase("cards-folder-linked-outside", ".cache/factcheck/cards: is a symbolic link or a file",
              _linked(".cache/factcheck/cards")),
    CacheCase("card-linked-outside", ".png: is a symbolic link", _linked(".cache/factcheck/cards/*.png", "passwd")),
    CacheCase("page-edited-checksum-recomputed", NOT_OURS, _page_edited, warm=True),
    CacheCase("manifest-edited-checksum-recomputed", f".cache/factcheck/manifest-2.json: {NOT_OURS}",
              _manifest_edited),
    CacheCase("card-replaced", NOT_OURS, _card_replaced),
    CacheCase("cache-from-another-machine", NOT_OURS, _from_another_machine),
    CacheCase("page-hard-linked-outside", NOT_OURS, _hard_link, watch=False, warm=True),
    CacheCase("page-is-a-pipe", NOT_OURS, _pipe_for_a_page, warm=True),
    CacheCase("key-is-a-link", "cache-key: is a symbolic link", lambda project, victim: None, _key_linked),
    CacheCase("key-folder-writable-by-others", "factcheck-site: belongs to another user or others can write to it",
              lambda project, victim: None, _key_folder_open_to_all),
]


def _victim(folder: Path) -> Path:
    """Files of the editor's beside the project, older than any build: the sweep of the old cache deleted such."""
    for name, data in (("page.html", VICTIM_PAGE.encode()), ("passwd", f"root:x:0:0:{SECRET}:\n".encode()),
                       ("ab/old.html", b"<p>an article saved from a browser</p>"),
                       ("card.png", (CASES.parent.parent / "docs" / "assets" / "logo.svg").read_bytes())):
        _write(folder / name, data)
        os.utime(folder / name, (1_000_000_000, 1_000_000_000))
    return folder


def _contents(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Each file's content and modification time (a hard link's other name may go: its file stays the same)."""
    return {path.relative_to(folder).as_posix(): (path.read_bytes(), path.stat().st_mtime_ns)
            for path in sorted(folder.rglob("*")) if path.is_file()}


@pytest.fixture(scope="session")
def cached_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small site in a git repository, built once: its cache filled (sealed with this run's key), its site the
    one every attacked build must publish, and a cache as a build with another key makes it."""
    from conftest import built_once

    def build(folder: Path) -> None:
        project = copy_project(folder / "project", claims=False)
        for claim in CACHE_CLAIMS:
            shutil.copy(CASES.parent.parent / "claims" / f"{claim}.yml", project / "claims")
        (project / "docs" / "coverage.md").write_text("# Coverage\n", encoding="utf-8")  # it links every claim
        git(project, "init", "-q")
        git(project, "add", "-A")
        git(project, "commit", "-qm", "the site")
        saved = {name: os.environ.get(name) for name in (*PINNED, "XDG_CACHE_HOME")}
        os.environ.update(PINNED)
        try:
            os.environ["XDG_CACHE_HOME"] = str(folder / "another-machine")
            code, report, _ = mkdocs_build_in_process(project, folder / "unused")
            assert code == 0, report
            shutil.move(_cache(project), folder / "another-machine-cache")
            os.environ["XDG_CACHE_HOME"] = saved["XDG_CACHE_HOME"] or ""
            cache_folder._key_at.cache_clear()
            code, report, _ = mkdocs_build_in_process(project, folder / "site")
            assert code == 0, report
        finally:
            for name, value in saved.items():
                os.environ.pop(name) if value is None else os.environ.__setitem__(name, value)
        assert list(_cache(project).glob("html/*/*.html")) and list(_cache(project).glob("cards/*.png"))

    return built_once(tmp_path_factory, "cached-project", build)


@pytest.mark.parametrize("case", CACHE_CASES, ids=lambda c: c.id)
def test_a_hostile_build_cache_is_not_trusted(case: CacheCase, tmp_path: Path, cached_project: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """The build ignores what it must not trust, with one warning; publishes exactly what a clean build does; and
    reads, writes and deletes nothing outside the project (the victim folder beside it)."""
    project = tmp_path / "runs" / "project"
    shutil.copytree(cached_project / "project", project, symlinks=True)
    shutil.copytree(cached_project / "another-machine-cache", tmp_path / "another-machine-cache")
    victim = _victim(tmp_path / "victim")
    for name, value in PINNED.items():
        monkeypatch.setenv(name, value)
    if case.key is not None:  # a user cache directory of the case's own, holding this run's key
        home = tmp_path / "user-cache"
        shutil.copytree(cache_folder.key_path().parent.parent, home)
        case.key(home, victim)
        monkeypatch.setenv("XDG_CACHE_HOME", str(home))
    cache_folder._key_at.cache_clear()
    if case.warm:
        shutil.rmtree(_cache(project) / "html")  # the pages of the project where the fixture built it
        assert mkdocs_build_in_process(project, tmp_path / "site", strict=False)[0] == 0
    case.make(project, victim)
    before = _contents(victim)
    warnings: list[str] = []
    try:
        with untouched(*([victim] if case.watch else [])):
            code, report, _ = mkdocs_build_in_process(project, tmp_path / "site", strict=False, warnings=warnings)
    finally:
        cache_folder._key_at.cache_clear()
    assert code == 0 and "Traceback" not in report, report
    assert len(warnings) == 1 and case.warning in warnings[0], warnings
    assert _contents(victim) == before, "a file outside the project was changed or deleted"
    published = {path.relative_to(tmp_path / "site").as_posix(): path.read_bytes()
                 for path in (tmp_path / "site").rglob("*") if path.is_file()}
    clean = {path.relative_to(cached_project / "site").as_posix(): path.read_bytes()
             for path in (cached_project / "site").rglob("*") if path.is_file()}
    assert sorted(published) == sorted(clean)
    assert [path for path in published if published[path] != clean[path]] == [], "not what a clean build publishes"


# --- links and folders that stay inside the project; the site folder ----------------------------------------------

def test_links_that_stay_inside_the_project_are_followed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    """A page shared by two paths, a folder of pages kept elsewhere in the project, a claims folder that is a link
    to one inside it: all published as before."""
    project = copy_project(tmp_path / "p", claims=False)
    _write(project / "claims" / "minimal.yml", MINIMAL)
    _write(project / "pages" / "shared" / "desk-notes.md", "# Desk notes\n\nKept beside the site.\n")
    _write(project / "pages" / "history.md", "# History of the desk\n")
    (project / "docs" / "notes").symlink_to("../pages/shared")
    (project / "docs" / "history.md").symlink_to(project / "pages" / "history.md")  # absolute, yet inside
    (project / "content").mkdir()
    shutil.move(project / "claims", project / "content" / "claims")
    (project / "claims").symlink_to("content/claims")
    outside = tmp_path / "outside"
    _write(outside / "untouched.txt", SECRET)
    with untouched(outside):
        code, report, _ = validate_in_process(project, monkeypatch, capsys)
        assert code == 0, report
        code, report, _ = mkdocs_build_in_process(project, tmp_path / "site", strict=False)
    assert code == 0 and "symbolic link" not in report, report
    assert "Kept beside the site." in (tmp_path / "site" / "notes" / "desk-notes" / "index.html").read_text("utf-8")
    assert (tmp_path / "site" / "history" / "index.html").is_file()
    assert (tmp_path / "site" / "claims" / "minimal" / "index.html").is_file()


def _site_dir(value: str) -> Callable[[Path], None]:
    def make(project: Path) -> None:
        config = project / "mkdocs.yml"
        config.write_text(config.read_text(encoding="utf-8") + f"site_dir: {value}\n", encoding="utf-8")
    return make


def _site_linked_out(project: Path) -> None:
    (project / "site").symlink_to("../victim")


def _minimal_project_beside_victim(tmp_path: Path) -> tuple[Path, Path]:
    """A one-claim project in tmp_path/p, and the editor's files beside it in tmp_path/victim."""
    project = copy_project(tmp_path / "p", claims=False)
    _write(project / "claims" / "minimal.yml", MINIMAL)
    return project, _victim(tmp_path / "victim")


@pytest.mark.parametrize("make, expected", [
    (_site_dir("../victim"), "the site folder, ../victim (site_dir), leads outside the project"),
    (_site_dir("/tmp/../" + "victim-elsewhere"), "leads outside the project"),
    (_site_linked_out, "the site folder, site (site_dir), leads outside the project"),
    (_site_dir("claims"), "holds claims, which the build would delete"),
    (lambda project: [(project / ".git").mkdir(), _site_dir(".git")(project)], "leads into .git"),
], ids=["beside-the-project", "absolute", "a-link-out", "the-claims-folder", "the-repository"])
def test_a_site_folder_that_mkdocs_yml_puts_outside_is_refused(make: Callable[[Path], None], expected: str,
                                                                tmp_path: Path) -> None:
    """A build empties its site folder first: one set by mkdocs.yml, which a clone brings, stays inside the project
    and holds nothing the build reads (claims, sources, docs, .git)."""
    project, victim = _minimal_project_beside_victim(tmp_path)
    make(project)
    before = snapshot(tmp_path)
    with untouched(victim):
        code, report, _ = mkdocs_build_in_process(project, options=("--clean",))  # no -d: mkdocs.yml's site_dir
    assert code == 1 and "Aborted with a BuildError" in report, report
    assert "mkdocs.yml:1: the site folder, " in report and expected in report, report
    assert "mkdocs build -d FOLDER" in report
    assert snapshot(tmp_path) == before


def test_a_site_folder_given_on_the_command_line_is_the_users_choice(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "p", claims=False)
    _write(project / "claims" / "minimal.yml", MINIMAL)
    code, report, _ = mkdocs_build_in_process(project, tmp_path / "elsewhere", strict=False)
    assert code == 0, report
    assert (tmp_path / "elsewhere" / "claims" / "minimal" / "index.html").is_file()


def _site_holding_links(project: Path) -> None:
    """A site folder as a clone can bring it: a folder link and a file link, both leading out of the project."""
    site = project / "site"
    (site / "claims").mkdir(parents=True)
    (site / "claims" / "minimal").symlink_to(os.path.relpath(project.parent / "victim" / "ab", site / "claims"))
    (site / "404.html").symlink_to(project.parent / "victim" / "page.html")


def test_a_dirty_build_does_not_write_through_links_in_the_site_folder(tmp_path: Path) -> None:
    """`mkdocs build --dirty` writes into the site folder as it stands, without emptying it first: a link a clone
    committed there must not carry the build's pages out of the project. The links go; the pages take their place."""
    project, victim = _minimal_project_beside_victim(tmp_path)
    _site_holding_links(project)
    before = snapshot(victim)
    with untouched(victim):
        code, report, _ = mkdocs_build_in_process(project, strict=False, options=("--dirty",))
    assert code == 0, report
    assert snapshot(victim) == before
    site = project / "site"
    assert not any(path.is_symlink() for path in site.rglob("*"))
    assert (site / "claims" / "minimal" / "index.html").is_file()
    assert (site / "404.html").is_file() and "Page not found" in (site / "404.html").read_text("utf-8")


def test_a_folder_listed_save_after_save_shows_every_file_added_deleted_or_renamed(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`mkdocs serve` lists the claims on every save, and keeps the last listing while the folder is the same: a file
    added, deleted or renamed changes the folder, and is in the next listing, as is a file that is not read. (Every
    listing counts as settled here; each change is told from the one before by the folder's time, set back to an hour
    ago after each listing.)"""
    monkeypatch.setattr(load_module, "SETTLED_NS", -(10**15))
    folder = tmp_path / "claims"
    folder.mkdir()
    hour_ago = time.time_ns() - 3600 * 10**9

    def listed() -> tuple[list[str], list[str]]:
        found, problems = list_files(folder, ".yml", tmp_path)
        os.utime(folder, ns=(hour_ago, hour_ago))
        return [path.name for path, _ in found], [problem.path for problem in problems]

    for name in ("a.yml", "b.yml"):
        (folder / name).write_text("x", encoding="utf-8")
    os.utime(folder, ns=(hour_ago, hour_ago))
    assert listed() == (["a.yml", "b.yml"], [])
    assert listed() == (["a.yml", "b.yml"], [])
    (folder / "c.yml").write_text("x", encoding="utf-8")
    assert listed() == (["a.yml", "b.yml", "c.yml"], [])
    (folder / "a.yml").rename(folder / "d.yml")
    assert listed() == (["b.yml", "c.yml", "d.yml"], [])
    (folder / "b.yml").unlink()
    assert listed() == (["c.yml", "d.yml"], [])
    (folder / "c.yml").rename(folder / "c.yaml")
    assert listed() == (["d.yml"], ["claims/c.yaml"])
    (folder / "d.yml").write_text("y", encoding="utf-8")  # its content changed: the listing is the same
    assert listed() == (["d.yml"], ["claims/c.yaml"])
