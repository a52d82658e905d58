"""What a reader's browser downloads before the first search result appears.

A real Chromium opens the home page of a built site served on 127.0.0.1, types a
word from a claim into Material's search box and waits for the first result.
Every response from opening the page until then is counted: the page, styles,
scripts, the search worker and whatever index it fetched. Sizes are given as sent
by this server (uncompressed) and as a server that gzips text would send them.
"""

from __future__ import annotations

import functools
import gzip
import http.server
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run", "--disable-sync"]


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@dataclass
class SearchDownload:
    found: bool
    seconds_to_result: float  # from the last key press to the first result for the whole word
    first_result: str
    bytes_raw: int = 0
    bytes_gzip: int = 0
    by_kind: dict[str, list[int]] = field(default_factory=dict)  # kind -> [raw, gzip]
    requests: int = 0


def _kind(url: str) -> str:
    if "/search/" in url:
        return "search index"
    if "/workers/" in url:
        return "search worker"
    if url.endswith(".js"):
        return "scripts"
    if url.endswith(".css"):
        return "styles"
    return "page and other"


def measure_search(site: Path, word: str, timeout: float = 120) -> SearchDownload:
    from playwright.sync_api import sync_playwright

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    bodies: list[tuple[str, bytes]] = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                context = browser.new_context(viewport={"width": 1280, "height": 900}, service_workers="block")
                page = context.new_page()

                def keep(response: Any) -> None:
                    try:
                        bodies.append((response.url, response.body()))
                    except Exception:  # a response without a body (redirect, aborted)
                        bodies.append((response.url, b""))

                page.on("response", keep)
                page.goto(f"http://127.0.0.1:{server.server_address[1]}/", wait_until="load")
                query = page.locator("input[data-md-component=search-query]")
                query.click()
                query.press_sequentially(word, delay=60)  # as a quick typist would
                typed = time.perf_counter()
                try:
                    page.wait_for_function(  # a result for the whole query, not for a prefix of it
                        "words => { const first = document.querySelector('.md-search-result__item');"
                        " return first && words.every(w => first.innerText.toLowerCase().includes(w)) }",
                        arg=word.lower().split(), timeout=timeout * 1000)
                except Exception:
                    return SearchDownload(False, float("nan"), "")
                seconds = time.perf_counter() - typed
                first = page.locator(".md-search-result__item").first.inner_text()
                page.wait_for_timeout(200)  # responses that completed with the result
            finally:
                browser.close()
    finally:
        server.shutdown()
        server.server_close()
    result = SearchDownload(True, seconds, first.split("\n")[0], requests=len(bodies))
    for url, body in bodies:
        raw, packed = len(body), len(gzip.compress(body, 6))
        result.bytes_raw += raw
        result.bytes_gzip += packed
        totals = result.by_kind.setdefault(_kind(url), [0, 0])
        totals[0] += raw
        totals[1] += packed
    return result
