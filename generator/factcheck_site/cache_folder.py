"""The build's work kept on disk between builds (`.cache/factcheck/` beside mkdocs.yml): what a build may read
back from it, and how it writes there.

The folder is input like any other file of a checkout. A clone can bring it: git silently replaces an ignored
folder with a committed one, a symbolic link included, and a cache restored in CI comes from another machine.
Whoever can write the folder can change what is in it. So:

- Nothing is read, written or deleted through a symbolic link. Each folder is opened relative to the one above
  it without following a link (openat with O_NOFOLLOW), from `.cache` down, and every file relative to its open
  folder: a link swapped in after a check is not followed either.
- A cache that git tracks (`.cache` or `.cache/factcheck` themselves, or anything inside) is not used at all:
  one `git ls-files` per build. Without git, or outside a repository, nothing is tracked.
- Every file is sealed: it starts with an HMAC-SHA256 of its place in the cache and its content, keyed with a
  secret that never enters the repository (`cache-key` in `factcheck-site/` of the user's cache directory,
  $XDG_CACHE_HOME or ~/.cache: 32 random bytes, 0600 in a 0700 folder, made on first use; two builds making it
  at once agree on one). A file without a valid seal is deleted and its work done again.
- What is wrong is said in one warning per build (the first thing found), never one per file.
- A file is written to a temporary name and renamed into place, and a file is deleted by unlinking its name:
  nothing outside the cache folder is ever written or deleted (a hard link in it only loses that name).

`output/build_cache.py` keeps pages' HTML and compiled templates here, `output/core_cache.py` the claims as checked
and the pages' Markdown, `output/share_cards.py` link-preview cards.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import hmac
import os
import secrets
import stat
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from functools import lru_cache
from pathlib import Path, PurePosixPath

CACHE_DIR = PurePosixPath(".cache/factcheck")
KEY_FOLDER, KEY_FILE, KEY_BYTES = "factcheck-site", "cache-key", 32
SEAL = b"factcheck-seal-1 "  # then the MAC in 64 hex digits and a newline, then the content
MAX_FILE_BYTES = 256 * 2**20  # larger is not a file of ours: it is not read
# Seconds since its last change after which a file checked once is read again without a second check (read_again):
# any later change gives it another change time, on file systems that keep times to the second or two (FAT) too.
SETTLED = 2.0
_NOFOLLOW, _DIRECTORY = getattr(os, "O_NOFOLLOW", 0), getattr(os, "O_DIRECTORY", 0)
_CLOEXEC, _NONBLOCK = getattr(os, "O_CLOEXEC", 0), getattr(os, "O_NONBLOCK", 0)
_OPEN_FOLDER = os.O_RDONLY | _DIRECTORY | _NOFOLLOW | _CLOEXEC
_OPEN_FILE = os.O_RDONLY | _NOFOLLOW | _NONBLOCK | _CLOEXEC  # a pipe must not block the build
_NEW_FILE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _CLOEXEC
# Linux and macOS; elsewhere (Windows without WSL) the project's cache is not used.
SAFE_OPENING = bool(_NOFOLLOW and _DIRECTORY) and os.open in os.supports_dir_fd and os.scandir in os.supports_fd
_LINK_OR_NOT_A_FOLDER = (errno.ELOOP, errno.ENOTDIR, errno.EMLINK)  # EMLINK: what FreeBSD's O_NOFOLLOW gives

Say = Callable[[str], None]


class KeyProblem(Exception):
    """The key cannot be trusted: it is not a private file of this user's."""


class NoKey(Exception):
    """The key cannot be read or made (a read-only home folder, say): the build goes without its cache."""


def user_cache_home() -> Path:
    """$XDG_CACHE_HOME when it is an absolute path (the XDG spec ignores a relative one), else ~/.cache."""
    configured = os.environ.get("XDG_CACHE_HOME", "")
    return Path(configured) if os.path.isabs(configured) else Path.home() / ".cache"


def key_path() -> Path:
    return user_cache_home() / KEY_FOLDER / KEY_FILE


def _private_folder(path: Path) -> int:
    """The key's folder, opened; made 0700 if missing. Refused when it is a link, another user's, or writable
    by others (who could swap the key)."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    with contextlib.suppress(FileExistsError):
        os.mkdir(path, 0o700)
    try:
        fd = os.open(path, _OPEN_FOLDER)
    except OSError as error:
        if error.errno in _LINK_OR_NOT_A_FOLDER:
            raise KeyProblem(f"{path}: is a symbolic link or not a folder") from None
        raise
    info = os.fstat(fd)
    if info.st_uid != os.geteuid() or info.st_mode & 0o022:
        os.close(fd)
        raise KeyProblem(f"{path}: belongs to another user or others can write to it")
    return fd


def _read_key(folder: int, shown: Path) -> tuple[bytes, float]:
    fd = os.open(KEY_FILE, _OPEN_FILE, dir_fd=folder)  # FileNotFoundError: not made yet
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_nlink != 1:
            raise KeyProblem(f"{shown}: is not a plain file")
        if info.st_uid != os.geteuid() or info.st_mode & 0o077:
            raise KeyProblem(f"{shown}: belongs to another user or others can read it")
        key = os.read(fd, KEY_BYTES + 1)
    finally:
        os.close(fd)
    if len(key) != KEY_BYTES:
        raise KeyProblem(f"{shown}: is not a key of {KEY_BYTES} bytes")
    return key, info.st_mtime


def _make_key(folder: int) -> None:
    """A new key, put in place whole: written under a temporary name and linked to its name, which fails if
    another build has just made one (whose key both builds then use)."""
    temporary = f".{KEY_FILE}.{os.getpid()}.{secrets.token_hex(8)}"
    fd = os.open(temporary, _NEW_FILE, 0o600, dir_fd=folder)
    try:
        os.write(fd, secrets.token_bytes(KEY_BYTES))
        os.fsync(fd)
    finally:
        os.close(fd)
    try:
        os.link(temporary, KEY_FILE, src_dir_fd=folder, dst_dir_fd=folder, follow_symlinks=False)
    except FileExistsError:
        pass
    except OSError:  # a file system without hard links: a rename, which a racing build may overwrite once
        os.replace(temporary, KEY_FILE, src_dir_fd=folder, dst_dir_fd=folder)
        return
    os.unlink(temporary, dir_fd=folder)


@lru_cache(maxsize=4)
def _key_at(path: Path) -> tuple[bytes, float]:
    try:
        folder = _private_folder(path.parent)
    except OSError as error:
        raise NoKey(f"cannot make {path.parent} ({error.strerror or error})") from None
    try:
        try:
            return _read_key(folder, path)
        except FileNotFoundError:
            _make_key(folder)
            return _read_key(folder, path)
        except OSError as error:
            if error.errno in _LINK_OR_NOT_A_FOLDER:
                raise KeyProblem(f"{path}: is a symbolic link") from None
            raise
    except OSError as error:
        raise NoKey(f"cannot read or make {path} ({error.strerror or error})") from None
    finally:
        os.close(folder)


def cache_key() -> tuple[bytes, float]:
    """This user's key for sealing cache files, and when it was made (KeyProblem, NoKey); read once per process."""
    try:
        path = key_path()
    except RuntimeError as error:  # no home folder (a container's user without one, say)
        raise NoKey(f"no folder for the build cache's key ({error})") from None
    return _key_at(path)


def tracked_paths(project: Path) -> list[str]:
    """What git tracks of `.cache` itself, `.cache/factcheck` and everything inside it, relative to project."""
    try:
        listed = subprocess.run(["git", "-c", "core.quotePath=false", "ls-files", "-z", "--", ".cache"],
                                cwd=project, capture_output=True, timeout=120, stdin=subprocess.DEVNULL)
    except (OSError, subprocess.SubprocessError):
        return []  # no git
    if listed.returncode != 0:
        return []  # not a repository
    root, cache = str(CACHE_DIR.parent), str(CACHE_DIR)
    paths = [p for p in listed.stdout.decode("utf-8", "replace").split("\0") if p]
    return [p for p in paths if p in (root, cache) or p.startswith(cache + "/")]


class _Build:
    """What the folders of one opened cache share: the key, the one warning, and the open folders to close."""

    def __init__(self, key: bytes, made: float, warn: Say) -> None:
        # A file older than the key cannot be sealed with it (a key made anew, ~/.cache emptied): dropped silently.
        self.key, self.made, self.warn, self.warned = key, made, warn, False
        self.looking = False  # only looking (CacheFolder.looking_only): nothing is deleted
        self.descriptors: list[int] = []

    def distrust(self, message: str) -> None:
        if not self.warned:
            self.warned = True
            self.warn(message + " (the first problem found in the build cache: any other is handled alike, without "
                      "a warning of its own)")


class CacheFolder:
    """A folder of the cache, open for one build. Names are single path components; subfolder() goes down."""

    def __init__(self, fd: int, location: Path, shown: PurePosixPath, place: str, build: _Build) -> None:
        self.fd, self.location, self.shown, self.place, self._build = fd, location, shown, place, build
        self._subfolders: dict[str, CacheFolder | None] = {}
        self._checked: dict[str, tuple[int, ...]] = {}  # read(remember=True): the file found sealed, as fstat saw it
        build.descriptors.append(fd)

    @property
    def key_id(self) -> str:
        """Names the key (not the key itself): what is sealed with one key is not found with another."""
        return hashlib.sha256(b"key id\0" + self._build.key).hexdigest()[:16]

    def keyed_name(self, text: str) -> str:
        """A file name made from text with the key: nobody without it can tell what name a build will look for."""
        return hmac.new(self._build.key, f"name\0{self.place}\0{text}".encode(), "sha256").hexdigest()

    def _mac(self, name: str, data: bytes | memoryview) -> bytes:
        mac = hmac.new(self._build.key, f"file\0{self.place}{name}\0".encode(), "sha256")
        mac.update(data)
        return mac.hexdigest().encode("ascii")

    def path(self, name: str) -> PurePosixPath:
        """Where a file is, as shown in messages (relative to the project)."""
        return self.shown / name

    def absolute(self, name: str) -> Path:
        """Where a file is, for whoever wants a path (and must never open it: only read() checks what is there)."""
        return self.location / name

    def distrust(self, message: str) -> None:
        self._build.distrust(message)

    def noted_only(self) -> list[str]:
        """In a process forked to work beside the build: from now on, what distrust() would warn about is only noted
        in the list returned, for the build's own process to warn about (a strict build counts its warnings there)."""
        noted: list[str] = []
        self._build.distrust = noted.append  # type: ignore[method-assign]
        return noted

    def looking_only(self) -> None:
        """In a process forked to check files beside the build: from now on nothing is deleted or warned about. What it
        does not find sealed, the build's own process reads again and handles (deleted, and warned about once)."""
        self._build.looking = True
        self._build.distrust = lambda message: None  # type: ignore[method-assign]

    def checked(self, name: str) -> tuple[int, ...] | None:
        """What read(remember=True) noted of a file it found sealed: for checked_elsewhere, in the process it forked
        from."""
        return self._checked.get(name)

    def checked_elsewhere(self, name: str, identity: tuple[int, ...]) -> bool:
        """Whether the file is the very one that a process forked from this one found sealed with read(remember=True)
        (identity: what checked() said there), unchanged since; it is then noted for read_again, as read() would have
        noted it, without being read here. Anything else: False, and the file is left for read() to judge."""
        try:
            info = os.stat(name, dir_fd=self.fd, follow_symlinks=False)
        except OSError:
            return False
        found = _identity(info)
        if found != tuple(identity):
            return False
        self._checked[name] = found
        return True

    def read(self, name: str, remember: bool = False) -> bytes | None:
        """The content of a file sealed by a build of this user's; None when it is missing. Anything else (a
        link, a pipe, another key's seal, no seal, a changed content) is deleted and warned about once. remember: the
        file found sealed is noted, for read_again."""
        try:
            fd = os.open(name, _OPEN_FILE, dir_fd=self.fd)
        except FileNotFoundError:
            return None
        except OSError as error:
            self._refuse(name, "is a symbolic link" if error.errno in _LINK_OR_NOT_A_FOLDER
                         else f"cannot be read ({error.strerror})")
            return None
        older = False
        try:
            info = os.fstat(fd)
            older = info.st_mtime < self._build.made
            if not stat.S_ISREG(info.st_mode) or info.st_nlink != 1 or info.st_size > MAX_FILE_BYTES:
                data = None  # not a file of ours (which have one name each): not read
            else:
                data = _read_all(fd, info.st_size)
        except OSError:
            data = None
        finally:
            os.close(fd)
        content = self._unsealed(name, data) if data is not None else None
        if (content is not None and remember and len(data) == info.st_size  # type: ignore[arg-type]
                and info.st_ctime_ns < time.time_ns() - SETTLED * 1e9):
            self._checked[name] = _identity(info)
        if content is None and older and data is not None:
            self.delete(name)  # sealed before this key was made: nothing to warn about
        elif content is None:
            self._refuse(name, "was not written by this computer's builds, or was changed since (a cache copied "
                               "from elsewhere, or edited)")
        return content

    def read_again(self, name: str) -> bytes | None:
        """A file that read(remember=True) found sealed, read again: its seal is not computed again when it is the
        very file checked then, unchanged (the same file system and inode, size, modification and change times: every
        write, truncation or rename changes the change time, which no one can set back, and it had not changed for
        SETTLED seconds when it was checked, so that a change since cannot fall within the same tick of the file
        system's clock). Anything else is read, and checked, as read() does: the page cache reads each page it uses
        twice (PageCache.has, then html), and its seal, an HMAC of 2.2 GB of pages at 25,000 claims, is computed
        once."""
        known = self._checked.pop(name, None)
        if known is None:
            return self.read(name)
        try:
            fd = os.open(name, _OPEN_FILE, dir_fd=self.fd)
        except OSError:
            return self.read(name)
        try:
            info = os.fstat(fd)
            data = _read_all(fd, info.st_size) if _identity(info) == known else None
        except OSError:
            data = None
        finally:
            os.close(fd)
        start = len(SEAL) + 65
        if data is None or len(data) != info.st_size or not data.startswith(SEAL) or data[start - 1 : start] != b"\n":
            return self.read(name)
        return data[start:]

    def _unsealed(self, name: str, data: bytes) -> bytes | None:
        start = len(SEAL) + 65
        if not data.startswith(SEAL) or data[start - 1 : start] != b"\n":
            return None
        view = memoryview(data)[start:]
        if not hmac.compare_digest(data[len(SEAL) : start - 1], self._mac(name, view)):
            return None
        return bytes(view)

    def _refuse(self, name: str, why: str) -> None:
        self.distrust(f"{self.path(name)}: {why}; it is deleted (a link only, never what it points at) and made again")
        self.delete(name)

    def write(self, name: str, data: bytes) -> None:
        """data sealed under name, whole or not at all (OSError: the folder cannot be written)."""
        temporary = f".tmp-{os.getpid()}-{secrets.token_hex(6)}"
        fd = os.open(temporary, _NEW_FILE, 0o666, dir_fd=self.fd)
        try:
            try:
                with os.fdopen(fd, "wb", closefd=False) as stream:
                    stream.write(SEAL + self._mac(name, data) + b"\n")
                    stream.write(data)
            finally:
                os.close(fd)
            os.replace(temporary, name, src_dir_fd=self.fd, dst_dir_fd=self.fd)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temporary, dir_fd=self.fd)
            raise

    def delete(self, name: str) -> None:
        if self._build.looking:
            return
        with contextlib.suppress(OSError):
            os.unlink(name, dir_fd=self.fd)

    def files(self) -> Iterator[tuple[str, float]]:
        """(name, modification time) of each plain file; a link found here is deleted (only the link)."""
        with os.scandir(self.fd) as entries:
            listed = list(entries)
        for entry in listed:
            try:
                if entry.is_symlink():
                    self._refuse(entry.name, "is a symbolic link")
                elif entry.is_file(follow_symlinks=False):
                    yield entry.name, entry.stat(follow_symlinks=False).st_mtime
            except OSError:
                continue

    def names(self) -> set[str]:
        """Every name in the folder, from one listing (no call per file)."""
        return set(os.listdir(self.fd))

    def subfolder(self, name: str) -> CacheFolder | None:
        """A folder inside this one, made if missing; a link or a file in its place is deleted (only the link) and a
        folder made instead. None when it cannot be had (said once)."""
        if name not in self._subfolders:
            self._subfolders[name] = self._open_subfolder(name)
        return self._subfolders[name]

    def _open_subfolder(self, name: str) -> CacheFolder | None:
        for _ in range(3):  # another build may be making or replacing it at the same moment
            try:
                fd = _open_folder(self.fd, name)
            except OSError as error:
                if error.errno not in _LINK_OR_NOT_A_FOLDER:
                    self.distrust(f"{self.path(name)}: cannot be made or opened ({error.strerror})")
                    return None
                self._refuse(name, "is a symbolic link or a file where the cache keeps a folder")
                continue
            return CacheFolder(fd, self.location / name, self.shown / name, f"{self.place}{name}/", self._build)
        return None

    def close(self) -> None:
        """Close every folder of this cache (for the root folder: the end of the build)."""
        for fd in self._build.descriptors:
            with contextlib.suppress(OSError):
                os.close(fd)
        self._build.descriptors.clear()

    def __enter__(self) -> CacheFolder:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _identity(info: os.stat_result) -> tuple[int, ...]:
    """What says a file is the one seen before: one name, in one place, unchanged since."""
    return (info.st_dev, info.st_ino, info.st_nlink, info.st_mode, info.st_size, info.st_mtime_ns, info.st_ctime_ns)


def _read_all(fd: int, size: int) -> bytes:
    """A file's bytes, in one read for a file that does not grow meanwhile (no more than MAX_FILE_BYTES)."""
    chunks = [os.read(fd, size + 1)]
    while chunks[-1] and sum(map(len, chunks)) <= MAX_FILE_BYTES:
        chunks.append(os.read(fd, 1 << 20))
    return b"".join(chunks)


def _open_folder(parent: int, name: str) -> int:
    """The folder name in parent, opened without following a link; made first if missing (OSError: ELOOP or
    ENOTDIR for a link or a file)."""
    try:
        return os.open(name, _OPEN_FOLDER, dir_fd=parent)
    except FileNotFoundError:
        with contextlib.suppress(FileExistsError):  # another build made it meanwhile
            os.mkdir(name, 0o777, dir_fd=parent)
        return os.open(name, _OPEN_FOLDER, dir_fd=parent)


def open_cache(project: Path, warn: Say, note: Say) -> CacheFolder | None:
    """The project's `.cache/factcheck`, for one build; None when it must not or cannot be used, said once (warn
    for what is wrong, note for what only costs time: no key can be made, a read-only checkout). Close it when the
    build ends."""
    if not SAFE_OPENING:
        note("this system cannot open a file without following links; building without the build cache")
        return None
    tracked = tracked_paths(project)
    if tracked:
        more = f" (and {len(tracked) - 1} more)" if len(tracked) > 1 else ""
        remove = CACHE_DIR.parent if str(CACHE_DIR.parent) in tracked else CACHE_DIR
        warn(f"{tracked[0]}{more}: git tracks this part of the build cache, so the cache is not used and every page "
             "is made again. Whoever committed it may be trying to reach files outside the project through it (a "
             f"link, say): remove it from the repository and the folder with `git rm -r {remove}`, and commit")
        return None
    try:
        key, made = cache_key()
    except KeyProblem as problem:
        warn(f"{problem}; the build cache's key must be a private file of yours, so the cache is not used. Delete "
             "it: the next build makes a new one")
        return None
    except NoKey as problem:
        note(f"{problem}; building without the build cache")
        return None
    try:
        root = os.open(project, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    except OSError as error:
        note(f"{project}: cannot open it for the build cache ({error.strerror}); building without it")
        return None
    fd, shown = root, PurePosixPath()
    try:
        for part in CACHE_DIR.parts:
            shown = shown / part
            parent, fd = fd, _open_folder(fd, part)
            os.close(parent)
    except OSError as error:
        os.close(fd)
        if error.errno in _LINK_OR_NOT_A_FOLDER:
            warn(f"{shown}: is a symbolic link or not a folder, so the build cache is not used (it never follows a "
                 "link). Delete it (a link with `rm` and no trailing /): the next build makes the folder")
        else:
            note(f"{shown}: cannot make the build cache here ({error.strerror or error}); building without it")
        return None
    return CacheFolder(fd, project / CACHE_DIR, CACHE_DIR, "", _Build(key, made, warn))


def private_folder(name: str, warn: Say) -> CacheFolder:
    """A folder of this process's own, sealed with a key of its own, deleted when the process ends: where cards go
    when the project's cache cannot be used."""
    holder = _private_folders.get(name)
    if holder is None:
        holder = _private_folders[name] = tempfile.TemporaryDirectory(prefix=f"factcheck-{name}-")
    location = Path(holder.name)
    fd = os.open(location, _OPEN_FOLDER)
    return CacheFolder(fd, location, PurePosixPath(location), "", _Build(_process_key, 0.0, warn))


_private_folders: dict[str, tempfile.TemporaryDirectory[str]] = {}  # each removes its folder at exit
_process_key = secrets.token_bytes(KEY_BYTES)
