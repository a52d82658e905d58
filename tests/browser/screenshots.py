"""Screenshots of every kind of page a reader meets, at 390 and 1280 px, light and dark, into
tests/browser/screenshots/: what was looked at before a change to the pages was called done.

    .venv/bin/python tests/browser/screenshots.py

builds the repository's site as the tests do (SITE_URL and REPO_URL set as the publishing workflow sets them),
serves it on 127.0.0.1 and drives Debian's Chromium. Each picture is the first screen a reader sees, reduced to
256 colours so that the folder stays small.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

from PIL import Image
from playwright.sync_api import Page, sync_playwright

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "generator")]

from conftest import ENV  # noqa: E402
from factcheck_site.editor.link_check import serving  # noqa: E402

from browser.conftest import CHROMIUM, CHROMIUM_ARGS, _QuietHandler  # noqa: E402

OUT = HERE / "screenshots"
SIZES = {"390": {"width": 390, "height": 844}, "1280": {"width": 1280, "height": 900}}
PAGES = {  # name: (path, what to do once it is open)
    "home": ("", None),
    "claim-rated-paraphrase": ("claims/departure-welcomed-december-12/", None),
    "claim-rated-true": ("claims/sappers-have-returned-home/", None),
    "claim-unrated-verbatim": ("claims/sappers-worked-in-drone-strike-areas/", None),
    "claim-unrated-paraphrase": ("claims/deployment-lasted-120-days/", None),
    "claim-evidence": ("claims/departure-welcomed-december-12/#evidence", None),
    "source": ("sources/dprk-soldiers-return-home/", None),
    "who-said-what": ("who-said-what/", None),
    "search": ("", "sappers"),
    "not-found": ("claims/no-such-claim/", None),
}


def _search(page: Page, words: str) -> None:
    if page.viewport_size and page.viewport_size["width"] < 1220:
        page.locator('label.md-header__button[for="__search"]').click()
    box = page.get_by_placeholder("Search")
    box.click()
    box.press_sequentially(words, delay=20)
    page.locator(".md-search-result__list > li").first.wait_for()
    page.wait_for_timeout(800)


def take(site: Path, out: Path = OUT) -> list[Path]:
    out.mkdir(exist_ok=True)
    written = []
    with serving(site, _QuietHandler) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for scheme in ("light", "dark"):
            for size, viewport in SIZES.items():
                context = browser.new_context(viewport=viewport, color_scheme=scheme)  # type: ignore[arg-type]
                page = context.new_page()
                for name, (path, words) in PAGES.items():
                    page.goto(base + path)
                    if words:
                        _search(page, words)
                    page.wait_for_timeout(300)
                    target = out / f"{name}-{size}-{scheme}.png"
                    page.screenshot(path=str(target))
                    Image.open(target).convert("RGB").quantize(256).save(target, optimize=True)
                    written.append(target)
                context.close()
        browser.close()
    return written


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        site = Path(folder) / "site"
        env = {**ENV, **{key: value for key, value in os.environ.items() if key in ("SITE_URL", "REPO_URL")}}
        subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(site)], cwd=ROOT, env=env,
                       check=True)
        written = take(site)
    print(f"{len(written)} screenshots in {OUT.relative_to(ROOT)}, {sum(p.stat().st_size for p in written):,} bytes")


if __name__ == "__main__":
    main()
