"""The build cache's folder (cache_folder.py) is input a clone or a stranger can shape: it never follows a symbolic
link, is not used while git tracks any of it, trusts only files sealed with this user's key, says what is wrong
once, and never reads, writes or deletes anything outside it (issue 24). tests/test_bad_files.py makes the same
attacks through real builds."""

from __future__ import annotations

import multiprocessing
import os
import stat
import subprocess
from pathlib import Path

import pytest
from factcheck_site import cache_folder
from factcheck_site.cache_folder import CACHE_DIR, KEY_BYTES, CacheFolder, open_cache
from test_bad_files import snapshot
from untouched import untouched

SECRET = b"SECRET-OUTSIDE-THE-PROJECT"


@pytest.fixture
def key_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A user cache directory of this test's own."""
    home = tmp_path / "user-cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(home))
    return home


@pytest.fixture
def victim(tmp_path: Path) -> Path:
    """A folder beside the project, with files older than any build, that nothing may touch."""
    folder = tmp_path / "victim"
    (folder / "ab").mkdir(parents=True)
    for path in (folder / "page.html", folder / "ab" / "old.html", folder / "card.png", folder / "manifest-2.json"):
        path.write_bytes(SECRET)
        os.utime(path, (1_000_000_000, 1_000_000_000))
    return folder


def _open(project: Path) -> tuple[CacheFolder | None, list[str]]:
    said: list[str] = []
    return open_cache(project, said.append, said.append), said


def _filled(project: Path) -> None:
    folder, said = _open(project)
    assert folder is not None and not said
    with folder:
        folder.write("manifest-2.json", b"{}")
        html = folder.subfolder("html")
        pages = html.subfolder("ab") if html else None
        cards = folder.subfolder("cards")
        assert pages is not None and cards is not None
        pages.write("ab01.html", b"<p>page</p>")
        cards.write("card.png", b"PNG")


def _every_file_read(project: Path) -> tuple[list[bytes | None], list[str]]:
    folder, said = _open(project)
    if folder is None:
        return [], said
    with folder:
        html, cards = folder.subfolder("html"), folder.subfolder("cards")
        pages = html.subfolder("ab") if html else None
        assert pages is not None and cards is not None
        found = [folder.read("manifest-2.json"), pages.read("ab01.html"), cards.read("card.png")]
        list(pages.files())  # listing the folder must not follow anything either
        return found, said


def test_the_key_is_made_once_private_and_outside_the_project(tmp_path: Path, key_home: Path) -> None:
    project = tmp_path / "project"
    project.mkdir()
    _filled(project)
    key = key_home / "factcheck-site" / "cache-key"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600 and stat.S_IMODE(key.parent.stat().st_mode) == 0o700
    assert len(key.read_bytes()) == KEY_BYTES
    assert not any(key.read_bytes() in path.read_bytes() for path in project.rglob("*") if path.is_file())
    before = key.read_bytes()
    cache_folder._key_at.cache_clear()
    assert _every_file_read(project) == ([b"{}", b"<p>page</p>", b"PNG"], [])
    assert key.read_bytes() == before


def _make_key(home: str) -> bytes:
    os.environ["XDG_CACHE_HOME"] = home
    cache_folder._key_at.cache_clear()
    return cache_folder.cache_key()


def test_builds_making_the_key_at_once_agree_on_one(tmp_path: Path) -> None:
    home = str(tmp_path / "user-cache")
    with multiprocessing.get_context("fork").Pool(8) as pool:
        keys = pool.map(_make_key, [home] * 32)
    assert len(set(keys)) == 1
    assert sorted(p.name for p in (tmp_path / "user-cache" / "factcheck-site").iterdir()) == ["cache-key"]


def _another_key(key_home: Path, age: float) -> None:
    """This user's key replaced by another, age seconds older than the cache's files."""
    key = key_home / "factcheck-site" / "cache-key"
    key.write_bytes(b"another machine's key".ljust(KEY_BYTES, b"!"))
    newest = max(path.stat().st_mtime for path in key_home.parent.joinpath("project").rglob("*.*"))
    os.utime(key, (newest - age, newest - age))
    cache_folder._key_at.cache_clear()


def test_a_cache_sealed_with_another_key_is_made_again_with_one_warning(tmp_path: Path, key_home: Path) -> None:
    """A cache copied from another machine: nothing of it is used."""
    project = tmp_path / "project"
    project.mkdir()
    _filled(project)
    _another_key(key_home, 10)
    found, said = _every_file_read(project)
    assert found == [None, None, None]
    assert len(said) == 1 and "was not written by this computer's builds" in said[0], said
    assert not list((project / CACHE_DIR).rglob("*.*")), "the untrusted files are deleted"


def test_a_cache_older_than_the_key_is_dropped_without_a_warning(tmp_path: Path, key_home: Path) -> None:
    """~/.cache emptied, and a new key made: the cache cannot hold anything sealed with it, which is no news."""
    project = tmp_path / "project"
    project.mkdir()
    _filled(project)
    _another_key(key_home, -10)
    assert _every_file_read(project) == ([None, None, None], [])
    assert not list((project / CACHE_DIR).rglob("*.*"))


def _link(path: Path, target: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        for inside in sorted(path.rglob("*"), reverse=True):
            inside.rmdir() if inside.is_dir() else inside.unlink()
        path.rmdir()
    elif path.exists() or path.is_symlink():
        path.unlink()
    path.symlink_to(target)


LINKS = {  # what is linked to the victim folder (or a file in it), and what the warning names
    ".cache": (".cache", ".cache: is a symbolic link or not a folder"),
    ".cache/factcheck": (".cache/factcheck", ".cache/factcheck: is a symbolic link or not a folder"),
    "html": (".cache/factcheck/html", ".cache/factcheck/html: is a symbolic link or a file"),
    "html/ab": (".cache/factcheck/html/ab", ".cache/factcheck/html/ab: is a symbolic link or a file"),
    "a page": (".cache/factcheck/html/ab/ab01.html", ".cache/factcheck/html/ab/ab01.html: is a symbolic link"),
    "cards": (".cache/factcheck/cards", ".cache/factcheck/cards: is a symbolic link or a file"),
    "a card": (".cache/factcheck/cards/card.png", ".cache/factcheck/cards/card.png: is a symbolic link"),
    "the manifest": (".cache/factcheck/manifest-2.json", ".cache/factcheck/manifest-2.json: is a symbolic link"),
}


@pytest.mark.parametrize("linked", LINKS)
@pytest.mark.parametrize("relative", [True, False], ids=["relative", "absolute"])
def test_a_link_anywhere_in_the_cache_is_never_followed(tmp_path: Path, key_home: Path, victim: Path,
                                                        linked: str, relative: bool) -> None:
    project = tmp_path / "project"
    project.mkdir()
    _filled(project)
    place, expected = LINKS[linked]
    path = project / place
    target = victim / "page.html" if path.suffix else victim
    _link(path, Path(os.path.relpath(target, path.parent)) if relative else target)
    before = snapshot(victim)
    with untouched(victim):
        for _ in range(2):  # a second build after the first has dealt with it
            found, said = _every_file_read(project)
            if _ == 0:
                assert len(said) == 1 and expected in said[0], said
                assert SECRET not in b"".join(f for f in found if f)
            folder, _said = _open(project)
            if folder is not None:
                with folder:
                    for sub in ("html", "cards"):
                        written = folder.subfolder(sub)
                        assert written is not None
                        written.write("new.html", b"<p>new</p>")
    assert snapshot(victim) == before
    if linked in (".cache", ".cache/factcheck"):
        assert path.is_symlink(), "a link outside the cache folder is left for its owner to delete"
    else:
        assert not path.is_symlink(), "the link (only the link) is deleted"


def test_a_cache_folder_that_is_a_file_is_not_used(tmp_path: Path, key_home: Path) -> None:
    project = tmp_path / "project"
    (project / ".cache").mkdir(parents=True)
    (project / CACHE_DIR).write_text("not a folder", encoding="utf-8")
    folder, said = _open(project)
    assert folder is None and len(said) == 1 and ".cache/factcheck: is a symbolic link or not a folder" in said[0]
    assert (project / CACHE_DIR).read_text(encoding="utf-8") == "not a folder"


def _git(project: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=T", "-c", "user.email=t@example.org", *args], cwd=project, check=True,
                   capture_output=True)


@pytest.mark.parametrize("tracked", [".cache/factcheck/manifest-2.json", ".cache/factcheck/cards/card.png",
                                     ".cache/factcheck/html", ".cache"])
def test_a_cache_git_tracks_is_not_used(tmp_path: Path, key_home: Path, victim: Path, tracked: str) -> None:
    project = tmp_path / "project"
    project.mkdir()
    _git(project, "init", "-q")
    _filled(project)
    if tracked in (".cache/factcheck/html", ".cache"):  # committed as a link, as a pull request can
        _link(project / tracked, Path(os.path.relpath(victim, (project / tracked).parent)))
    _git(project, "add", "-f", tracked)
    _git(project, "commit", "-qm", "cache")
    before, cache_before = snapshot(victim), snapshot(project / ".cache")
    with untouched(victim):
        folder, said = _open(project)
    assert folder is None
    assert len(said) == 1 and said[0].startswith(tracked) and "git tracks this part of the build cache" in said[0]
    assert snapshot(victim) == before and snapshot(project / ".cache") == cache_before


def test_tracked_files_elsewhere_in_dot_cache_are_not_the_caches_business(tmp_path: Path, key_home: Path) -> None:
    """Material's plugins keep .cache/plugin/..., which some sites commit."""
    project = tmp_path / "project"
    (project / ".cache" / "plugin").mkdir(parents=True)
    (project / ".cache" / "plugin" / "font.css").write_text("css", encoding="utf-8")
    _git(project, "init", "-q")
    _git(project, "add", "-f", ".cache/plugin/font.css")
    folder, said = _open(project)
    assert folder is not None and not said
    folder.close()


def test_a_hard_link_to_a_file_outside_is_neither_read_nor_changed(tmp_path: Path, key_home: Path,
                                                                 victim: Path) -> None:
    project = tmp_path / "project"
    project.mkdir()
    _filled(project)
    page = project / CACHE_DIR / "html" / "ab" / "ab01.html"
    page.unlink()
    os.link(victim / "page.html", page)
    found, said = _every_file_read(project)
    assert found[1] is None and len(said) == 1 and "ab01.html" in said[0]
    outside = (victim / "page.html").stat()
    assert (victim / "page.html").read_bytes() == SECRET and outside.st_mtime == 1_000_000_000
    assert not page.exists(), "only the cache's name for it is gone"


def test_a_pipe_in_the_cache_does_not_block(tmp_path: Path, key_home: Path) -> None:
    project = tmp_path / "project"
    project.mkdir()
    _filled(project)
    card = project / CACHE_DIR / "cards" / "card.png"
    card.unlink()
    os.mkfifo(card)
    found, said = _every_file_read(project)
    assert found[2] is None and len(said) == 1 and "card.png" in said[0]


def test_many_bad_files_make_one_warning(tmp_path: Path, key_home: Path) -> None:
    project = tmp_path / "project"
    project.mkdir()
    _filled(project)
    pages = project / CACHE_DIR / "html" / "ab"
    for number in range(20):
        (pages / f"forged{number}.html").write_bytes(b"<script>alert(1)</script>")
    folder, said = _open(project)
    assert folder is not None
    with folder:
        html = folder.subfolder("html")
        sub = html.subfolder("ab") if html else None
        assert sub is not None
        assert all(sub.read(f"forged{number}.html") is None for number in range(20))
    assert len(said) == 1


@pytest.mark.parametrize("problem", ["key-is-a-link", "key-folder-is-a-link", "key-folder-writable-by-others",
                                     "key-readable-by-others", "key-of-another-size", "key-hard-linked"])
def test_a_key_that_is_not_a_private_file_is_not_used(tmp_path: Path, key_home: Path, victim: Path,
                                                      problem: str) -> None:
    project = tmp_path / "project"
    project.mkdir()
    _filled(project)
    key = key_home / "factcheck-site" / "cache-key"
    if problem == "key-is-a-link":
        key.unlink()
        key.symlink_to(victim / "page.html")
    elif problem == "key-folder-is-a-link":
        (victim / "keys").mkdir()
        (victim / "keys" / "cache-key").write_bytes(key.read_bytes())
        key.unlink()
        key.parent.rmdir()
        key.parent.symlink_to(victim / "keys")
    elif problem == "key-folder-writable-by-others":
        key.parent.chmod(0o777)
    elif problem == "key-readable-by-others":
        key.chmod(0o644)
    elif problem == "key-of-another-size":
        key.write_bytes(b"short")
    else:
        os.link(key, victim / "copy-of-the-key")
    cache_folder._key_at.cache_clear()
    before = snapshot(victim)
    folder, said = _open(project)
    assert folder is None
    assert len(said) == 1 and "the build cache's key must be a private file of yours" in said[0], said
    assert snapshot(victim) == before


def test_no_key_where_none_can_be_made_is_a_note_not_a_warning(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                                              ) -> None:
    """A read-only home folder (a container, say) costs the cache, not the build."""
    (tmp_path / "file").write_text("", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "file" / "cannot-be-a-folder"))
    warnings: list[str] = []
    notes: list[str] = []
    assert open_cache(tmp_path, warnings.append, notes.append) is None
    assert not warnings and len(notes) == 1 and "building without the build cache" in notes[0]
