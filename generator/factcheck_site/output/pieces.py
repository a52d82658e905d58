"""The feeds and exports as the encoded pieces they are made of: a piece or two per claim (its record in claims.json,
its row in claims.csv, its item in a feed) between a start and an end.

Under `mkdocs serve`, `KeptPieces` keeps each claim's pieces from one build to the next, so a saved claim re-encodes
only its own; a file is then sized, hashed (datapackage.json), compared with the one written last and written from
its pieces, never joined or encoded whole (at 25,000 claims the exports are about 250 MB). `mkdocs build`
makes the same pieces without keeping them, and the same bytes.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import zlib
from collections.abc import Callable, Iterable
from typing import Any

from factcheck_site.content.model import Claim, Site
from factcheck_site.render.reads import ReadMemo

# os.writev takes at most this many pieces at once
_IOV_MAX = os.sysconf("SC_IOV_MAX") if hasattr(os, "sysconf") and "SC_IOV_MAX" in os.sysconf_names else 16
_ITEMS = "\0items\0"  # stands for a JSON document's list of items while the rest of it is encoded
_MARK = 1 << 20  # bytes hashed between two states of a file's hash that are kept (Pieces.sha256)


class Pieces:
    """A file's bytes, in the pieces they were made in (most of them held by KeptPieces too: holding a file's pieces
    costs a list, not a copy of the file)."""

    __slots__ = ("_marks", "_sha256", "_since", "parts")

    def __init__(self, parts: list[bytes]) -> None:
        self.parts = parts
        self._sha256: str | None = None
        self._marks: list[tuple[int, Any]] = []  # (n, the hash of the first n parts), about every _MARK bytes
        self._since: Pieces | None = None  # under mkdocs serve, until hashed: the same file's pieces in the last build

    @classmethod
    def of(cls, text: str) -> Pieces:
        return cls([text.encode("utf-8")])

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Pieces) and (other is self or self.parts == other.parts)

    __hash__ = None  # type: ignore[assignment]

    def data(self) -> bytes:
        return b"".join(self.parts)

    def size(self) -> int:
        return sum(map(len, self.parts))

    def sha256(self) -> str:
        """The SHA-256 of the bytes; under `mkdocs serve` taken up from the last state of the last build's hash of
        the same file whose pieces up to there are the same (a saved claim's record is in the middle of the file)."""
        if self._sha256 is None:
            parts, since, self._since = self.parts, self._since, None
            digest, start, size = hashlib.sha256(), 0, 0
            for end, state in since._marks if since is not None else ():
                if end > len(parts) or parts[start:end] != since.parts[start:end]:
                    break
                self._marks.append((end, state))
                digest, start = state, end
            digest = digest.copy()
            for end in range(start + 1, len(parts) + 1):
                part = parts[end - 1]
                digest.update(part)
                size += len(part)
                if size >= _MARK:
                    self._marks.append((end, digest.copy()))
                    size = 0
            self._sha256 = digest.hexdigest()
        return self._sha256

    def packed(self) -> bytes:
        """The bytes zlib-compressed at its fastest level, as build.pack packs a page."""
        packer = zlib.compressobj(1)
        return b"".join([*map(packer.compress, self.parts), packer.flush()])

    def write(self, path: str) -> None:
        """Written into a file beside path that is renamed into place when whole (serving.write_atomically writes a
        page so too): the server never sends a half-written file."""
        os.makedirs(os.path.dirname(path), exist_ok=True)
        temporary = f"{path}.{os.getpid()}.part"
        try:
            descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0), 0o666)
            try:
                _write_all(descriptor, self.parts)
            finally:
                os.close(descriptor)
            os.replace(temporary, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            raise

    def write_plainly(self, path: str) -> None:
        """Written into path, its folder made, as MkDocs writes a file: a rebuild's feeds and exports, written beside
        MkDocs into its staging folder (build.py's DataLater), which no server serves."""
        os.makedirs(os.path.dirname(path), exist_ok=True)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0), 0o666)
        try:
            _write_all(descriptor, self.parts)
        finally:
            os.close(descriptor)


def _write_all(descriptor: int, parts: list[bytes]) -> None:
    """parts written in order: a system call per _IOV_MAX of them, and no copy of them joined."""
    index = 0
    while index < len(parts):
        batch = parts[index:index + _IOV_MAX] if hasattr(os, "writev") else parts[index:index + 1]
        written = os.writev(descriptor, batch) if len(batch) > 1 else os.write(descriptor, batch[0])
        if written == sum(map(len, batch)):
            index += len(batch)
            continue
        for part in batch:
            if written >= len(part):
                written -= len(part)
                index += 1
                continue
            rest = memoryview(part)[written:]  # a write cut short: the rest of this piece, then the next batch
            while rest:
                rest = rest[os.write(descriptor, rest):]
            index += 1
            break


def json_item(value: Any, inner: str) -> bytes:
    """value as it stands in an indented JSON list: json.dumps(indent=2), each line after the first starting with inner
    (a line break and the list's indentation)."""
    return json.dumps(value, ensure_ascii=False, indent=2).replace("\n", inner).encode("utf-8")


def _digest(value: Any) -> bytes:
    """What identifies value's JSON: a digest of its compact JSON, which the C encoder writes quickly (the indented
    JSON that the exports publish takes the pure-Python encoder, several times slower)."""
    return hashlib.blake2b(json.dumps(value, ensure_ascii=False).encode("utf-8"), digest_size=16).digest()


class KeptPieces:
    """Under `mkdocs serve`, from one build to the next: each claim's pieces of each file (by kind: "json", "csv",
    ...), made again only when the claim or what making them read of the site changed (render/reads.py's ReadMemo,
    which starts afresh with another publication or verdict scale), and encoded again only when their value changed
    (a JSON piece is kept with the digest of its value); the start and end of each JSON file around its list of items,
    by the digest of their value; and each file of the last build, which is not hashed again when its pieces are the
    same."""

    def __init__(self) -> None:
        self.reads = ReadMemo()
        self.before: dict[tuple[str, str], tuple[Any, Any]] = {}  # during a build: the pieces of the last one
        self.ends: dict[str, tuple[bytes, bytes, bytes]] = {}  # by file: (digest, start, end)
        self.files: dict[str, Pieces] = {}

    def next_build(self, site: Site, options: Any) -> None:
        self.before = self.reads.entries
        self.reads.next_build(site, options)

    def end_build(self) -> None:
        self.before = {}

    def text(self, kind: str, claim: Claim, site: Site, make: Callable[[Claim, Site], str]) -> bytes:
        return self.reads.value(kind, claim, site, lambda c, s: make(c, s).encode("utf-8"))  # type: ignore[no-any-return]

    def json(self, kind: str, claim: Claim, site: Site, make: Callable[[Claim, Site], Any], inner: str) -> bytes:
        def encoded(made: Claim, seen: Site) -> tuple[bytes, bytes]:
            value = make(made, seen)
            digest = _digest(value)
            last = self.before.get((kind, made.id))
            return last[0] if last is not None and last[0][0] == digest else (digest, json_item(value, inner))

        return self.reads.value(kind, claim, site, encoded)[1]  # type: ignore[no-any-return]

    def file(self, path: str, pieces: Pieces) -> Pieces:
        """pieces, or the last build's equal Pieces of path (hashed already), kept for the next build."""
        last = self.files.get(path)
        if last is not None and last == pieces:
            pieces = last
        elif last is not None:
            last._since, pieces._since = None, last  # never more than the last build's pieces held
        self.files[path] = pieces
        return pieces


def text_pieces(kept: KeptPieces | None, kind: str, claims: Iterable[Claim], site: Site,
                make: Callable[[Claim, Site], str]) -> list[bytes]:
    """Each claim's text made by make, encoded; through kept when there is one."""
    if kept is None:
        return [make(claim, site).encode("utf-8") for claim in claims]
    return [kept.text(kind, claim, site, make) for claim in claims]


def json_pieces(kept: KeptPieces | None, kind: str, claims: Iterable[Claim], site: Site,
                make: Callable[[Claim, Site], Any], inner: str = "\n    ") -> list[bytes]:
    """Each claim's value made by make, as json_item encodes it in a list indented by inner (a JSON document's list
    of items: "\\n    "); through kept when there is one."""
    if kept is None:
        return [json_item(make(claim, site), inner) for claim in claims]
    return [kept.json(kind, claim, site, make, inner) for claim in claims]


def json_with_items(document: dict[str, Any], key: str, items: list[bytes], kept: KeptPieces | None = None,
                    path: str = "") -> Pieces:
    """json.dumps({**document, key: [...]}, ensure_ascii=False, indent=2) + "\\n", byte for byte, where items are
    the list's items as json_pieces encodes them: its start and end are encoded around a stand-in for the list
    (under `mkdocs serve`, kept by path and found again by their digest), and the items put in between."""
    if not items:
        return _kept_file(kept, path, Pieces.of(json.dumps({**document, key: []}, ensure_ascii=False, indent=2) + "\n"))
    digest = _digest([document, key])
    known = kept.ends.get(path) if kept is not None else None
    if known is not None and known[0] == digest:
        start, end = known[1:]
    else:
        text = json.dumps({**document, key: [_ITEMS]}, ensure_ascii=False, indent=2) + "\n"
        before, _, after = text.rpartition(json.dumps(_ITEMS))  # the last value of the document: the stand-in
        start, end = before.encode("utf-8"), after.encode("utf-8")
        if kept is not None:
            kept.ends[path] = (digest, start, end)
    parts = [start, *between(items, b",\n    "), end]
    return _kept_file(kept, path, Pieces(parts))


def between(items: list[bytes], separator: bytes) -> list[bytes]:
    """items with separator between each two."""
    joined: list[bytes] = [separator] * (2 * len(items) - 1) if items else []
    joined[::2] = items
    return joined


def _kept_file(kept: KeptPieces | None, path: str, pieces: Pieces) -> Pieces:
    return pieces if kept is None else kept.file(path, pieces)
