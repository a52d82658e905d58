"""The generator core's work kept on disk between processes: each claim as loaded and checked by an earlier build,
so that `mkdocs build` in a new process parses and checks again only the claim files whose bytes changed.

Loading and checking every claim (PyYAML, the field checks, quote matching, markdown-it-py) is half of the core: at
25,000 claims, seconds of every build, though a rebuild usually follows the edit of one file. A claim's record here
is used only when the bytes of its file (SHA-256), its path, and everything else its checking depends on are the
same as when it was stored: the generator's files and the installed packages' versions, the settings from
mkdocs.yml (verdict scale, dispatches, folders, language), the day dates are checked against, the ids of every
claim file (prose links to claims), and every source as loaded (the ids of those refused too). Claims with problems
are not stored: they are checked again, and their problems reported again. A build in which no claim changed does not
write the store again.

The file is untrusted input like the rest of the cache (cache_folder.py: no links followed, nothing git tracks,
sealed with this user's key); it is JSON, never unpickled, and a record that does not make a claim of this
generator's model is ignored with the cache's one warning. One line per claim file: `["path", "sha256"]`, a tab, and
the claim as JSON, so that a rebuild writes the lines of unchanged claims back as it read them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import fields, is_dataclass
from pathlib import Path
from typing import Any

from factcheck_site.cache_folder import MAX_FILE_BYTES, CacheFolder
from factcheck_site.content.format_check import build_date
from factcheck_site.content.model import Claim, Correction, Quote, Source
from factcheck_site.content.settings import Settings
from factcheck_site.output.build_cache import generator_fingerprint, installed_distributions, stable

FILE = "claims-1.json"
_TYPES: dict[str, type] = {kind.__name__: kind for kind in (Claim, Quote, Correction)}


def _encoded(value: Any) -> Any:
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    if isinstance(value, dt.date):
        return {"_": "date", "v": value.isoformat()}
    if isinstance(value, tuple):
        return [_encoded(item) for item in value]
    if is_dataclass(value) and type(value).__name__ in _TYPES:
        return {"_": type(value).__name__, **{f.name: _encoded(getattr(value, f.name)) for f in fields(value)}}
    raise TypeError(f"{type(value).__name__} is not part of a stored claim")


def _decoded(value: Any) -> Any:
    """What _encoded gave, as it was (every sequence of the model is a tuple); ValueError for anything else."""
    if isinstance(value, list):
        return tuple(_decoded(item) for item in value)
    if isinstance(value, dict):
        kind = value.get("_")
        if kind == "date" and isinstance(value.get("v"), str):
            return dt.date.fromisoformat(value["v"])
        if kind not in _TYPES:
            raise ValueError(f"no record of kind {kind!r}")
        try:
            return _TYPES[kind](**{name: _decoded(item) for name, item in value.items() if name != "_"})
        except TypeError as error:
            raise ValueError(str(error)) from None
    return value


def claim_json(claim: Claim) -> str:
    return json.dumps(_encoded(claim), separators=(",", ":"))


def claim_from_json(text: str) -> Claim:
    claim = _decoded(json.loads(text))
    if not isinstance(claim, Claim):
        raise ValueError("not a claim")
    return claim


def file_digest(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def checking_context(settings: Settings, claim_ids: Iterable[str], sources: Mapping[str, Source],
                     broken: Iterable[str]) -> str:
    """A hash of everything a claim's loading and checking depends on besides its own file: the sources as loaded
    (every field, text included) and the ids of those refused are all that it is given of them, so their files are
    not read again for this."""
    digest = hashlib.sha256()
    for part in (generator_fingerprint(), installed_distributions(),
                 json.dumps(stable(settings), sort_keys=True, default=repr), build_date().isoformat(),
                 "\n".join(sorted(claim_ids)), "\n".join(sorted(broken))):
        digest.update(part.encode("utf-8", "surrogateescape") + b"\0")
    for source_id in sorted(sources):
        digest.update(repr(sources[source_id]).encode("utf-8", "surrogateescape") + b"\0")
    return digest.hexdigest()


class StoredClaims:
    """The claims an earlier build stored in the cache's folder (None: no cache, nothing stored), for build_site:
    start() with the context of this build, then claim() for each file, then keep() what this build loaded."""

    def __init__(self, folder: CacheFolder | None, opener: Callable[[], CacheFolder | None] | None = None) -> None:
        self.folder = folder
        self.opener = opener  # for keep(), where there was no cache to read: a failed build must not make one
        self.lines: dict[str, tuple[str, str]] = {}  # path -> (SHA-256 of its bytes, the claim's JSON)
        self.context = ""
        self.digests: dict[str, str | None] = {}  # path -> SHA-256 of its bytes, read by claim() before loading
        self.reused = 0  # claims this build took from the store
        self.read_back: tuple[str, ...] = ()  # the paths of the store start() read, in order, when it applied

    def start(self, context: str) -> None:
        self.context, self.lines, self.read_back = context, {}, ()
        data = self.folder.read(FILE) if self.folder is not None else None
        if data is None:
            return
        try:
            text = data.decode("ascii")
            head, _, body = text.partition("\n")
            if json.loads(head) != {"context": context}:
                return  # stored by a build of other settings, sources or generator: nothing applies
            for line in body.splitlines():
                where, _, record = line.partition("\t")
                path, sha = json.loads(where)
                if not (isinstance(path, str) and isinstance(sha, str) and record):
                    raise ValueError("a malformed line")
                self.lines[path] = (sha, record)
            self.read_back = tuple(self.lines)
        except (ValueError, UnicodeDecodeError, RecursionError) as error:
            assert self.folder is not None
            self.folder.distrust(f"{self.folder.path(FILE)}: ignoring the claims stored by an earlier build ({error})")
            self.lines = {}

    def claim(self, path: Path) -> Claim | None:
        """The claim stored for this file's very bytes, or None (the file is loaded and checked)."""
        sha = self.digests[str(path)] = file_digest(path)
        stored = self.lines.get(str(path))
        if sha is None or stored is None or stored[0] != sha:
            return None
        try:
            claim = claim_from_json(stored[1])
            self.reused += 1
            return claim
        except (ValueError, RecursionError) as error:
            assert self.folder is not None
            self.folder.distrust(f"{self.folder.path(FILE)}: ignoring a claim stored by an earlier build ({error})")
            del self.lines[str(path)]
            return None

    def keep(self, loaded: dict[str, Claim | None]) -> None:
        """Store the claims of this build that loaded without problems (by path: None for the others), and nothing
        else; a file whose bytes changed while it was loaded is left out."""
        if self.folder is None and self.opener is not None:
            self.folder = self.opener()
        if self.folder is None:
            return
        lines = [json.dumps({"context": self.context})]
        kept: list[str] = []  # the paths of the claims stored again as they were read
        for path, claim in loaded.items():
            if claim is None:
                continue
            stored = self.lines.get(path)
            sha = self.digests.get(path)
            if stored is not None and stored[0] == sha:
                record = stored[1]
                kept.append(path)
            elif sha is None or sha != file_digest(Path(path)):
                continue
            else:
                record = claim_json(claim)
            lines.append(json.dumps([path, sha]) + "\t" + record)
        unchanged = len(kept) == len(lines) - 1 and tuple(kept) == self.read_back
        self.lines, self.digests, self.read_back = {}, {}, ()
        if unchanged:  # no claim changed: the store read at the start is this one (sealing and writing it: seconds)
            return
        data = "\n".join(lines).encode("ascii")
        if len(data) > MAX_FILE_BYTES:  # more than the cache reads back (about 70,000 claims): not stored
            self.folder.delete(FILE)
            return
        try:
            self.folder.write(FILE, data)
        except OSError as error:
            self.folder.distrust(f"{self.folder.path(FILE)}: cannot store the claims ({error.strerror}); the next "
                                 "build checks every claim again")
