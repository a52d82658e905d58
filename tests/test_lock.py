"""Installs cannot drift: the tests run on exactly the versions in requirements/test.lock,
every pin there carries hashes, and the site's lock agrees with it."""

from __future__ import annotations

import importlib.metadata
import re
import sys
from pathlib import Path

from conftest import ROOT

sys.path.insert(0, str(ROOT / ".ci"))
from newest import pins, upgrades  # noqa: E402

LOCKS = ROOT / "requirements"
DESK_LOCK = ROOT / "generator" / "factcheck_site" / "desk_template" / "requirements.lock"


def test_the_tests_run_on_exactly_the_locked_versions() -> None:
    locked = pins((LOCKS / "test.lock").read_text(encoding="utf-8"))
    assert {"mkdocs", "mkdocs-material", "pyyaml", "markdown-it-py", "pytest", "linkchecker"} <= set(locked)
    installed = {name: importlib.metadata.version(name) for name in locked}
    assert {name: version for name, version in installed.items() if version != locked[name]} == {}


def test_every_pin_has_hashes_and_the_site_lock_agrees() -> None:
    test_lock = pins((LOCKS / "test.lock").read_text(encoding="utf-8"))
    for path in (LOCKS / "site.lock", LOCKS / "test.lock", DESK_LOCK):
        text = path.read_text(encoding="utf-8")
        entries = re.split(r"\n(?=[a-z0-9])", text.split("\n", 2)[2])
        assert entries and all("--hash=sha256:" in entry for entry in entries), path
    site_lock = pins((LOCKS / "site.lock").read_text(encoding="utf-8"))
    assert {name: version for name, version in site_lock.items() if test_lock.get(name) != version} == {}


def test_a_new_desk_installs_what_the_tests_ran() -> None:
    """`factcheck init` gives a desk requirements.lock: the generator's dependencies and LinkChecker, hashed, at
    the versions tested here (./dev lock writes it)."""
    desk_lock = pins(DESK_LOCK.read_text(encoding="utf-8"))
    site_lock = pins((LOCKS / "site.lock").read_text(encoding="utf-8"))
    assert {"mkdocs", "mkdocs-material", "pyyaml", "linkchecker"} <= set(desk_lock)
    assert {name: version for name, version in desk_lock.items()
            if pins((LOCKS / "test.lock").read_text(encoding="utf-8")).get(name) != version} == {}
    assert set(site_lock) - {"pip", "setuptools", "uv"} <= set(desk_lock)


def test_the_newest_releases_check_names_each_upgrade(tmp_path: Path) -> None:
    locked = {"mkdocs": "1.6.1", "pyyaml": "6.0.3", "click": "8.4.0"}
    newest = pins("mkdocs==1.6.1\npyyaml==6.0.4 \\\n    --hash=sha256:00\nclick==8.5.1 ; python_version >= '3'\n"
                  "newpackage==1.0 ; python_version < '3'\n")
    assert upgrades(locked, newest) == [("click", "8.4.0", "8.5.1"), ("pyyaml", "6.0.3", "6.0.4")]
