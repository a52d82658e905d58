"""The test suite against the newest release of every dependency, and which upgrade breaks it.

Run weekly by .github/workflows/newest-releases.yml, after `./dev test` has installed the
lock into .venv. The desk's own installs never see these versions: they come from
requirements/*.lock. This says, before anyone runs `./dev lock`, which release will need
work: it runs the suite with everything at its newest release; if that fails, it goes
back to the lock and upgrades one package at a time, rerunning the tests that failed.

    .venv/bin/python .ci/newest.py [pytest arguments]
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from packaging.markers import Marker
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
LOCK = ROOT / "requirements" / "test.lock"
PIN = re.compile(r"^([A-Za-z0-9._-]+)==([^\s;\\]+)\s*(?:;\s*([^\\]+?))?\s*\\?$")


def pins(text: str) -> dict[str, str]:
    """name -> version of a requirements file, for the Python running this script."""
    found = {}
    for line in text.splitlines():
        match = PIN.match(line)
        if match and (match.group(3) is None or Marker(match.group(3)).evaluate()):
            found[canonicalize_name(match.group(1))] = match.group(2)
    return found


def upgrades(locked: dict[str, str], newest: dict[str, str]) -> list[tuple[str, str | None, str]]:
    """(name, locked version or None for a new package, newest version), by name."""
    return sorted((name, locked.get(name), version) for name, version in newest.items()
                  if locked.get(name) != version)


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=ROOT, text=True, capture_output=True)


def _pip(*args: str) -> None:
    result = _run(sys.executable, "-m", "pip", "--quiet", "--disable-pip-version-check", *args)
    if result.returncode != 0:
        raise SystemExit(f"newest: pip {' '.join(args)} failed:\n{result.stdout}{result.stderr}")


def _pytest(args: list[str], cache: Path) -> bool:
    result = _run(sys.executable, "-m", "pytest", "-q", "-o", f"cache_dir={cache}", *args)
    print(result.stdout[-3000:], flush=True)
    return result.returncode == 0


def _failed(cache: Path) -> list[str]:
    """The test ids that failed in the last run, as pytest's cache records them."""
    return sorted(json.loads((cache / "v" / "cache" / "lastfailed").read_text(encoding="utf-8")))


def main(pytest_args: list[str]) -> int:
    with tempfile.TemporaryDirectory() as scratch:
        newest_file = Path(scratch) / "newest.txt"
        compiled = _run(str(Path(sys.executable).parent / "uv"), "pip", "compile", "--quiet", "--upgrade",
                        "--python", sys.executable, "pyproject.toml", "requirements/tools.in",
                        "--extra", "test", "--extra", "bench", "-o", str(newest_file))
        if compiled.returncode != 0:
            print(f"newest: the newest releases cannot be installed together:\n{compiled.stderr}")
            return 1
        newest = pins(newest_file.read_text(encoding="utf-8"))
        changed = upgrades(pins(LOCK.read_text(encoding="utf-8")), newest)
        if not changed:
            print("newest: the lock already has the newest release of everything")
            return 0
        print("newest: releases newer than the lock:")
        for name, old, new in changed:
            print(f"  {name} {old or '(not in the lock)'} -> {new}")
        _pip("install", "-r", str(newest_file))
        cache = Path(scratch) / "pytest-cache"
        if _pytest(pytest_args, cache):
            print("newest: every newest release passes; `./dev lock` can take them")
            return 0
        failed = _failed(cache)
        broken = []
        for name, old, new in changed:
            _pip("install", "--no-deps", "--require-hashes", "-r", str(LOCK))
            _pip("install", f"{name}=={new}")
            if not _pytest(failed, cache):
                broken.append(f"{name} {old} -> {new}")
        _pip("install", "--no-deps", "--require-hashes", "-r", str(LOCK))
        if broken:
            print("newest: these upgrades break the tests that failed above:")
            print("\n".join(f"  {line}" for line in broken))
        else:
            print("newest: no single upgrade breaks the tests alone; it takes several together")
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
