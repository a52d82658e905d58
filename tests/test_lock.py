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


def test_the_tests_run_on_exactly_the_locked_versions() -> None:
    locked = pins((LOCKS / "test.lock").read_text(encoding="utf-8"))
    assert {"mkdocs", "mkdocs-material", "pyyaml", "markdown-it-py", "pytest", "linkchecker"} <= set(locked)
    installed = {name: importlib.metadata.version(name) for name in locked}
    assert {name: version for name, version in installed.items() if version != locked[name]} == {}


def test_every_pin_has_hashes_and_the_site_lock_agrees() -> None:
    test_lock = pins((LOCKS / "test.lock").read_text(encoding="utf-8"))
    for name in ("site.lock", "test.lock"):
        text = (LOCKS / name).read_text(encoding="utf-8")
        entries = re.split(r"\n(?=[a-z0-9])", text.split("\n", 2)[2])
        assert entries and all("--hash=sha256:" in entry for entry in entries), name
    site_lock = pins((LOCKS / "site.lock").read_text(encoding="utf-8"))
    assert {name: version for name, version in site_lock.items() if test_lock.get(name) != version} == {}


def test_the_newest_releases_check_names_each_upgrade(tmp_path: Path) -> None:
    locked = {"mkdocs": "1.6.1", "pyyaml": "6.0.3", "click": "8.4.0"}
    newest = pins("mkdocs==1.6.1\npyyaml==6.0.4 \\\n    --hash=sha256:00\nclick==8.5.1 ; python_version >= '3'\n"
                  "newpackage==1.0 ; python_version < '3'\n")
    assert upgrades(locked, newest) == [("click", "8.4.0", "8.5.1"), ("pyyaml", "6.0.3", "6.0.4")]
