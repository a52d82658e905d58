"""Link-preview cards: a 1200 x 630 PNG per claim, the same bytes for the same claim, text the
font cannot draw left off rather than shown as boxes, and drawn once into a cache."""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import re
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from building import load
from conftest import ENV, ROOT, mkdocs_build, run
from factcheck_site.cache_folder import CACHE_DIR, CacheFolder, open_cache
from factcheck_site.content.publisher import publication_from_config
from factcheck_site.output import share_cards as cards_module
from factcheck_site.output.share_cards import CardNames, card_folder, share_cards
from factcheck_site.render.share_card import (
    CardText,
    _clean,
    _font,
    _right_to_left,
    _shaped,
    _truetype,
    _visual,
    card_alt,
    drawable,
    render_card,
    wrap,
)
from factcheck_site.render.site_pages import DATA_FILES
from PIL import Image

from benchmarks.project import make_project

CARD = CardText("North Korean sappers cleared 1.5 million explosive objects in Kursk.", "Mostly false", 2,
                "Unidentified publishers, citing CTAK", "Kursk Fact-Check Desk", "factcheck.test", quoted=True)


def _image(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def test_a_card_is_a_1200_by_630_png_and_the_same_bytes_every_time() -> None:
    data = render_card(CARD)
    image = _image(data)
    assert (image.format, image.size) == ("PNG", (1200, 630))
    assert render_card(CARD) == data
    assert render_card(CardText(**{**CARD.__dict__, "verdict": "False", "tone": 1})) != data
    assert image.info.keys() <= {"transparency", "dpi", "gamma"}, "no date or software in the file"


def test_the_key_changes_with_what_the_card_shows() -> None:
    keys = {CARD.key(), CardText(**{**CARD.__dict__, "verdict": "True", "tone": 6}).key(),
            CardText(**{**CARD.__dict__, "claim": CARD.claim + "!"}).key()}
    assert len(keys) == 3 and CARD.key() == CardText(**CARD.__dict__).key()


def test_long_claims_wrap_between_words_and_long_words_are_split() -> None:
    font = _font(True, 40)
    lines = wrap("sappers " * 40, font, 1072)
    assert len(lines) > 3 and all(font.getlength(line) <= 1072 for line in lines)
    assert all(line.split() == ["sappers"] * len(line.split()) for line in lines)
    pieces = wrap("x" * 400, font, 1072)
    assert "".join(pieces) == "x" * 400 and all(font.getlength(piece) <= 1072 for piece in pieces)
    _image(render_card(CardText(**{**CARD.__dict__, "claim": "Северокорейские сапёры " * 30})))


KERNED = ("AVATAR To Wa Ty Yo LT PA “Quoted,” L’été à Paris — Ünal’s 1½ fig. VA AV " * 3,
          "Kursk: 1.5 million explosive objects, 120 days, T. Y. Wójcik (AP) " * 4)


@pytest.mark.parametrize("text", KERNED)
@pytest.mark.parametrize("size", [60, 54, 48, 44, 40])
def test_a_wrapped_claims_lines_are_as_full_as_fit(text: str, size: int) -> None:
    """Each line fits, measured whole, and would not with the next line's first word: a line's length is worked out
    from its words' (kerning pairs included), which must be what measuring it gives."""
    font = _font(True, size)
    for width in range(401, 1073, 13):  # the kerning decides some line's end at some of these
        lines = wrap(text, font, width)
        assert " ".join(lines) == " ".join(text.split())
        for line, following in zip(lines, lines[1:], strict=False):
            assert font.getlength(line) <= width < font.getlength(f"{line} {following.split()[0]}")


SCRIPTS = {  # claims in the scripts a desk may publish in, each drawn on the card in glyphs the fonts have
    "Korean": "북한은 쿠르스크에 파견한 공병부대가 귀국했다고 발표했다 (조선중앙통신, 120일)",
    "Arabic": "قال كيم إن الجنود عادوا إلى كورسك بعد ١٢٠ يوماً من المهمة",
    "Persian": "ارتش کره شمالی گفت سربازان پس از ۱۲۰ روز به کشور بازگشتند",
    "Hebrew": "צבא צפון קוריאה הודיע כי החבלנים חזרו (120 יום)",
    "Russian": "Северокорейские сапёры вернулись домой",
    "Greek": "Οι σκαπανείς της Βόρειας Κορέας επέστρεψαν",
}


def _glyph(font: object, character: str) -> bytes:
    from PIL import ImageDraw

    image = Image.new("L", (120, 120), 0)
    ImageDraw.Draw(image).text((10, 10), character, font=font, fill=255)
    return image.tobytes()


@pytest.mark.parametrize("script", SCRIPTS)
def test_a_card_draws_the_claim_in_its_script_never_as_boxes(script: str) -> None:
    """Every character of the claim is drawn in a font that has it: none comes out as the font's box for a missing
    glyph (.notdef, what a private-use character draws), and the claim's lines carry ink."""
    claim = SCRIPTS[script]
    card = replace(CARD, claim=claim, claimant=claim[:12], site_name=claim[:10], quoted=False)
    assert drawable(claim) and drawable(claim, bold=False)
    data = render_card(card)
    assert render_card(card) == data
    face = _font(True, 60)
    for name, piece in face.font_runs(_visual(_shaped(_clean(claim)), _right_to_left(claim))):
        font = _truetype(name, 60)
        box = _glyph(font, "\ue000")
        assert [c for c in piece if not c.isspace() and _glyph(font, c) == box] == [], (script, name)
    image = _image(data).convert("L")
    blank = _image(render_card(replace(card, claim="x"))).convert("L")
    claim_area = (64, 128, 1136, 420)
    assert image.crop(claim_area).tobytes() != blank.crop(claim_area).tobytes()
    right_to_left = script in ("Arabic", "Persian", "Hebrew")
    ink = [x for x in range(64, 1136) if any(image.getpixel((x, y)) < 128 for y in range(128, 200))]
    # The first line starts at the margin of the side the script is read from.
    assert (ink[-1] > 1100) if right_to_left else (ink[0] < 100), script


def test_scripts_the_fonts_lack_are_left_off_not_drawn_as_boxes() -> None:
    assert drawable("Северокорейские сапёры, İstanbul, Ελλάδα, Zürich – “quoted” …")
    assert not drawable("中文 北韓") and not drawable("ภาษาไทย")  # Chinese characters, Thai: no font has them
    chinese = CardText("北韓工兵從庫爾斯克返國", "Unverified", 0, "新華社", "Kursk Fact-Check Desk",
                       "factcheck.test")
    assert _image(render_card(chinese)).size == (1200, 630)
    assert card_alt(chinese) == "Fact-check by Kursk Fact-Check Desk: Verdict: Unverified."
    assert "“North Korean sappers" in card_alt(CARD)
    assert "“" not in card_alt(CardText(**{**CARD.__dict__, "quoted": False})), "quotation marks only for a quote"
    assert card_alt(replace(CARD, claim=SCRIPTS["Arabic"])).count(SCRIPTS["Arabic"]) == 1  # as written, not shaped


def _cards(project: Path) -> CacheFolder:
    return card_folder(open_cache(project, pytest.fail, pytest.fail), pytest.fail)


def test_cards_are_drawn_once_into_the_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site, _ = load(ROOT / "claims", ROOT / "sources", ROOT)
    publication, _ = publication_from_config("https://factcheck.test/", "Kursk Fact-Check Desk", None, "en",
                                             {}, True)
    assert publication is not None
    with _cards(tmp_path) as folder:
        first = share_cards(site, publication, folder, processes=1)
        assert len(first) == len(site.claims)
        assert all(folder.absolute(card.name).is_file() for card in first.values())
        assert all(p.startswith("claims/") and "/card-" in p and p.endswith(".png") for p in first)
        drawn = {path: card.data() for path, card in first.items()}

    def no_drawing(card: CardText) -> bytes:
        raise AssertionError("a cached card was drawn again")

    monkeypatch.setattr(cards_module, "render_card", no_drawing)
    with _cards(tmp_path) as folder:
        again = share_cards(site, publication, folder, processes=1)
        assert {path: card.data() for path, card in again.items()} == drawn


def test_cards_kept_between_previews_follow_each_change(tmp_path: Path) -> None:
    """Under `mkdocs serve` each claim's card name is kept from the last build: a changed claim, verdict label or
    site name still gets the card a fresh build gives."""
    site, _ = load(ROOT / "claims", ROOT / "sources", ROOT)
    publication, _ = publication_from_config("https://factcheck.test/", "Kursk Fact-Check Desk", None, "en",
                                             {}, True)
    assert publication is not None
    names = CardNames()
    folder = _cards(tmp_path)
    assert share_cards(site, publication, folder, processes=1, names=names) == \
        share_cards(site, publication, folder, processes=1)
    first = next(iter(site.claims.values()))
    changed = replace(site, claims={**site.claims, first.id: replace(first, claim=first.claim + " Edited.")})
    relabelled = replace(site, scale=tuple(replace(v, label=v.label + "!") for v in site.scale))
    renamed, _ = publication_from_config("https://factcheck.test/", "Another Desk", None, "en", {}, True)
    assert renamed is not None
    for later_site, later_publication in ((changed, publication), (relabelled, publication), (changed, renamed)):
        kept = share_cards(later_site, later_publication, folder, processes=1, names=names)
        assert kept == share_cards(later_site, later_publication, folder, processes=1)
    assert kept != share_cards(site, publication, folder, processes=1)
    folder.close()


def test_the_cache_keeps_only_the_cards_a_site_shows(tmp_path: Path) -> None:
    """An edited or deleted claim's old card leaves the cache with the build that no longer shows it; the cards of
    another address (`mkdocs serve` previews at its own, `mkdocs build` at site_url) stay for that one's builds."""
    site, _ = load(ROOT / "claims", ROOT / "sources", ROOT)
    published, preview = (publication_from_config(url, "Kursk Fact-Check Desk", None, "en", {}, True)[0]
                          for url in ("https://factcheck.test/", "http://127.0.0.1:8000/"))
    assert published is not None and preview is not None
    first, second, *_ = site.claims.values()
    edited = replace(site, claims={**{key: claim for key, claim in site.claims.items() if key != second.id},
                                   first.id: replace(first, claim=first.claim + " Edited.")})
    with _cards(tmp_path) as folder:
        before = {card.name for card in share_cards(site, published, folder, processes=1).values()}
        previews = {card.name for card in share_cards(site, preview, folder, processes=1).values()}
        after = {card.name for card in share_cards(edited, published, folder, processes=1).values()}
        assert len(after) == len(site.claims) - 1 and len(before - after) == 2
        assert folder.names() == after | previews, "the edited and the deleted claim's cards are left in the cache"


def test_the_korean_desks_cards_show_each_claim_in_hangul(korean_site: Path) -> None:
    """Each claim page's link-preview card, as built: the claim drawn in the ink of a claim (not the muted line
    that stands in for a claim the fonts cannot draw), in glyphs the fonts have."""
    import re

    from factcheck_site.render.share_card import INK

    pages = sorted(korean_site.glob("claims/*/index.html"))
    assert len(pages) == 5
    for page in pages:
        html = page.read_text(encoding="utf-8")
        card = re.search(r'<meta property="og:image" content="[^"]*/(claims/[^"]+\.png)"', html).group(1)
        claim = re.search(r'<h1 id="claim"[^>]*>([^<]+)<', html).group(1)
        assert drawable(claim) and any("\uac00" <= c <= "\ud7a3" for c in claim)
        image = _image((korean_site / card).read_bytes()).convert("RGB").crop((64, 128, 1136, 420))
        ink = tuple(int(INK[i : i + 2], 16) for i in (1, 3, 5))
        assert dict((colour, count) for count, colour in image.getcolors(1 << 16)).get(ink, 0) > 2000, page


_DRAWN_BESIDE = """
import json, os, sys, time
from pathlib import Path
from factcheck_site.cache_folder import open_cache
from factcheck_site.output.share_cards import BackgroundCards, card_folder
from factcheck_site.render.share_card import CardText

project = Path(sys.argv[1])
def folder():
    return card_folder(open_cache(project, print, print), print)
def drawn():
    return len([name for name in folder().names() if name.endswith(".png")])
drawer = BackgroundCards(folder, lambda: None)
cards = [(f"card-{n}.png", CardText(f"Claim {n}", "False", 1, "Someone", "Desk", "factcheck.test")) for n in range(6)]
drawer.pause()  # a build starts
assert drawer.draw(cards), "no processes to draw in"
time.sleep(2)
deadline = time.monotonic() + 120  # each process starts idle once it has started at all
while (policies := sorted({os.sched_getscheduler(pid) for pid in drawer.pool._processes})) != [os.SCHED_IDLE] \
        and time.monotonic() < deadline:
    time.sleep(0.5)
during = drawn()
drawer.resume()  # the build has ended
finished = drawer.wait(600)
print(json.dumps({"during": during, "after": drawn(), "finished": finished, "policies": policies}))
drawer.stop()
"""


def test_cards_drawn_beside_the_preview_wait_while_a_build_runs(tmp_path: Path) -> None:
    """Under `mkdocs serve` the cards are drawn by processes of their own after the first preview. While a build runs
    (an editor's save) they draw nothing, and otherwise they run at the lowest priority: drawing beside the saves of a
    25,000-claim archive, on both cores, they made each save wait twice as long. (A process of its own: drawing
    processes are forked only where no other thread runs, and the test runner has some.)"""
    done = subprocess.run([sys.executable, "-c", _DRAWN_BESIDE, str(tmp_path)], env=ENV, capture_output=True,
                          text=True, timeout=900)
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout.splitlines()[-1])
    assert found["during"] == 0, "cards were drawn while a build ran"
    assert found["finished"] and found["after"] == 6, "the cards were not drawn once the build had ended"
    assert found["policies"] == [os.SCHED_IDLE], "the drawing processes do not run at the lowest priority"


_BUILT_BESIDE = """
import json, os, signal, sys
from factcheck_site.output import share_cards

drawn = []
draw = share_cards.CardsBeside.draw
def draw_and_report(self, folder, missing, *fork):
    started = draw(self, folder, missing, *fork)
    drawn.append(started)
    if started and sys.argv[1] == "kill":  # killed as the kernel's out-of-memory killer would, before drawing a card
        for pid in self.pool._processes:
            os.kill(pid, signal.SIGKILL)
    return started
share_cards.CardsBeside.draw = draw_and_report
from mkdocs.__main__ import cli
try:
    cli(["build", "--strict", "-q", "-d", sys.argv[2]])
except SystemExit as done:
    assert not done.code, done.code
print(json.dumps(drawn))
"""


@pytest.mark.parametrize("drawing", ["beside", "kill"])
def test_a_build_draws_its_cards_beside_its_pages_and_publishes_every_one(drawing: str, tmp_path: Path) -> None:
    """`mkdocs build` draws the missing cards in processes of their own while MkDocs makes the pages (on one core,
    most of a cold build: at 25,000 claims the cards drawn before it took about 100 s more), and copies them into the
    site once drawn. Every claim's card is there, the one its page names, whether those processes ran or were killed
    (the build then draws what they left). (A process of its own: the test runner has threads, where no build forks.)"""
    project = tmp_path / "p"
    claims = make_project(project, 120, 9)
    site = tmp_path / "site"
    done = subprocess.run([sys.executable, "-c", _BUILT_BESIDE, drawing, str(site)], cwd=project, env=ENV,
                          capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.splitlines()[-1]) == [True], "the cards were not drawn beside the pages"
    for claim in claims:
        page = (site / "claims" / claim.id / "index.html").read_text(encoding="utf-8")
        card = re.search(r'<meta property="og:image" content="[^"]*/(claims/[^"]+\.png)"', page)
        assert card is not None, claim.id
        assert _image((site / card[1]).read_bytes()).size == (1200, 630), claim.id
    assert len(list((site / "claims").glob("*/card-*.png"))) == len(claims)


_ORDER_OF_A_COLD_BUILD = """
import json, sys
from pathlib import Path
from factcheck_site import plugin
from factcheck_site.output import share_cards
from factcheck_site.render import site_pages

site = Path(sys.argv[1])
order = []
draw, wait, render_data_files = share_cards.CardsBeside.draw, share_cards.CardsBeside.wait, plugin.render_data_files
def draw_and_note(self, *args):
    started = draw(self, *args)
    order.append("cards drawn beside" if started else "cards drawn here")
    return started
def wait_and_note(self):
    if self.pool is not None:  # the build's folder is a staging folder beside site until it is published
        indexed = any(site.parent.glob(".*/search/factcheck/*/*"))
        order.append("cards waited for, the search index " + ("written" if indexed else "not written"))
    return wait(self)
def render_and_note(*args):
    order.append("feeds and exports")
    return render_data_files(*args)
share_cards.CardsBeside.draw, share_cards.CardsBeside.wait = draw_and_note, wait_and_note
site_pages.render_data_files = plugin.render_data_files = render_and_note
from mkdocs.__main__ import cli
try:
    cli(["build", "--strict", "-q", "-d", str(site)])
except SystemExit as done:
    assert not done.code, done.code
print(json.dumps(order))
"""


def test_a_cold_build_draws_its_cards_beside_its_feeds_exports_and_search_index(tmp_path: Path) -> None:
    """A cold `mkdocs build` keeps both cores busy: its cards start drawing beside it before it makes the feeds and
    exports (3.3 s of one core at 5,000 claims, the other idle when the cards started after them), and it makes the
    claims' search index while they are still being drawn, before it waits for them (made after the last card, it
    left the other core idle: 3.7 s at 10,000 claims). Every card is in the site. (A process of its own: the test
    runner has threads, where no build forks.)"""
    claims = make_project(tmp_path / "p", 120, 9)
    site = tmp_path / "site"
    done = subprocess.run([sys.executable, "-c", _ORDER_OF_A_COLD_BUILD, str(site)], cwd=tmp_path / "p", env=ENV,
                          capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.splitlines()[-1]) == [
        "cards drawn beside", "feeds and exports", "cards waited for, the search index written"]
    assert len(list((site / "claims").glob("*/card-*.png"))) == len(claims)
    assert list((site / "search" / "factcheck").glob("*/*"))
    assert all((site / path).is_file() for path in DATA_FILES)


_DRAWN_APART = """
import json, os, sys
from pathlib import Path
from factcheck_site.cache_folder import open_cache
from factcheck_site.language import activate
from factcheck_site.output.share_cards import BackgroundCards, card_folder
from factcheck_site.render.share_card import CardText, render_card

project = Path(sys.argv[1])
site = [f"page {n:08d} of the archive" for n in range(2_500_000)]  # the server's heap by the end of its first build
def folder():
    return card_folder(open_cache(project, print, print), print)
def resident(pid):
    with open(f"/proc/{pid}/status") as status:
        return next(int(line.split()[1]) * 1024 for line in status if line.startswith("VmRSS:"))
activate("ko", project)
drawer = BackgroundCards(folder, lambda: None)
drawer.language = ("ko", str(project))  # as the plugin sets it
cards = [(f"card-{n}.png", CardText(f"Claim {n}", "False", 1, "Someone", "Desk", "factcheck.test")) for n in range(3)]
assert drawer.draw(cards), "no processes to draw in"
assert drawer.wait(600), "the cards were not drawn"
in_korean = all(folder().read(name) == render_card(card) for name, card in cards)
print(json.dumps({"parent": resident(os.getpid()), "drawers": [resident(pid) for pid in drawer.pool._processes],
                  "in_korean": in_korean}))
drawer.stop()
"""


CARD_CASES = json.loads((ROOT / "tests/cases/cards/cards.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", sorted(CARD_CASES["cards"]))
def test_a_card_keeps_its_bytes(name: str) -> None:
    """Cards already published keep their address, so their bytes must not change with how they are drawn: each case
    (scripts drawn, mirrored and left off, long words, a long site name) is the PNG the generator drew before the
    drawing was made faster. A Pillow other than the lock's may draw other bytes (its version names a cached card): the
    lock installs 12.3.0 on Python 3.10 and 13.0.0 on later Pythons, and both draw these bytes."""
    import PIL

    case = dict(CARD_CASES["cards"][name])
    expected = case.pop("sha256")
    assert PIL.__version__ in CARD_CASES["pillow"], "Pillow changed: check the cards, then write these digests again"
    assert hashlib.sha256(render_card(CardText(**case))).hexdigest() == expected


_BUILD_DRAWN_APART = """
import json, os, sys
from pathlib import Path
from factcheck_site.cache_folder import open_cache
from factcheck_site.language import activate
from factcheck_site.output.share_cards import CardsBeside, card_folder
from factcheck_site.render.share_card import CardText, render_card

project = Path(sys.argv[1])
site = [f"page {n:08d} of the archive" for n in range(2_500_000)]  # the build's heap once its pages are made
folder = card_folder(open_cache(project, print, print), print)
def resident(pid):
    with open(f"/proc/{pid}/status") as status:
        return next(int(line.split()[1]) * 1024 for line in status if line.startswith("VmRSS:"))
activate("ko", project)
drawer = CardsBeside()
drawer.language = ("ko", str(project))  # as the plugin sets it
cards = [(f"card-{n}.png", CardText(f"Claim {n}", "False", 1, "Someone", "Desk", "factcheck.test")) for n in range(3)]
assert drawer.draw(folder, cards), "no processes to draw in"
drawers = [resident(pid) for pid in drawer.pool._processes]
drawer.wait()
in_korean = all(folder.read(name) == render_card(card) for name, card in cards)
print(json.dumps({"parent": resident(os.getpid()), "drawers": drawers, "in_korean": in_korean}))
"""


@pytest.mark.parametrize("script", [_DRAWN_APART, _BUILD_DRAWN_APART], ids=["serve", "build"])
def test_the_processes_drawing_cards_do_not_hold_the_memory_of_the_site(script: str, tmp_path: Path) -> None:
    """The processes drawing the cards (in the background of `mkdocs serve`, beside the pages of `mkdocs build`) are
    started from a small process that holds nothing of the site. Forked from the server at the end of its first
    build, each held the whole site (at 25,000 claims, the server's collector then copied every page they shared,
    1.3 GB more at the session's peak); forked from a build once its pages were made, each kept that heap alive
    while the build went on making and freeing its own (380 MB of a 10,000-claim build's peak of 811 MB). They still
    draw in the site's language."""
    done = subprocess.run([sys.executable, "-c", script, str(tmp_path)], env=ENV, capture_output=True, text=True,
                          timeout=900)
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout.splitlines()[-1])
    assert found["drawers"] and max(found["drawers"]) * 2 < found["parent"], found
    assert found["in_korean"], "the cards were not drawn in the site's language"


_UNGUARDED = {
    "build": """
from mkdocs.commands.build import build
from mkdocs.config import load_config
build(load_config("mkdocs.yml", site_dir=SITE))
print("built", flush=True)
""",
    "serve": """
from mkdocs.commands.serve import serve
serve("mkdocs.yml", dev_addr=ADDRESS)
""",
}


@pytest.mark.parametrize("command", sorted(_UNGUARDED))
def test_a_script_without_a_main_guard_is_not_run_again_by_the_card_drawers(command: str, tmp_path: Path) -> None:
    """A desk's own script may build or serve through MkDocs' Python API without `if __name__ == "__main__":`. The
    processes that draw the cards start from multiprocessing's fork server, which runs the caller's main script again
    in each process it starts: the script (a build, a server) ran once more in every drawer."""
    import signal
    import socket
    import time

    project = tmp_path / "p"
    claims = make_project(project, 60, 4)  # more cards than are drawn in the build's own process
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        address = f"127.0.0.1:{probe.getsockname()[1]}"
    script = project / "publish.py"
    script.write_text(f"import os\nprint('started', os.getpid(), flush=True)\nSITE = {str(tmp_path / 'site')!r}\n"
                      f"ADDRESS = {address!r}\n" + _UNGUARDED[command], encoding="utf-8")
    server = subprocess.Popen([sys.executable, str(script)], cwd=project, env=ENV, stdout=subprocess.PIPE,
                              stderr=subprocess.DEVNULL, text=True, start_new_session=True)
    cards = project / ".cache" / "factcheck" / "cards"
    try:
        deadline = time.monotonic() + 600
        while server.poll() is None and time.monotonic() < deadline:
            if command == "serve" and len(list(cards.glob("*.png"))) >= len(claims):
                time.sleep(2)  # any drawer that ran the script again has printed by now
                break
            time.sleep(0.5)
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGINT)
            try:
                server.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.pid, signal.SIGKILL)
    output = server.communicate()[0]
    assert len(list(cards.glob("*.png"))) >= len(claims), f"the cards were not drawn: {output}"
    assert output.count("started") == 1, output
    if command == "build":
        assert server.returncode == 0 and "built" in output
        assert len(list((tmp_path / "site" / "claims").glob("*/card-*.png"))) == len(claims)


@pytest.mark.parametrize("name", sorted(CARD_CASES["cards"]))
def test_a_card_keeps_its_bytes_drawn_through_pillows_public_api(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Cards are drawn with calls into Pillow's core where the installed Pillow has them and they draw what its
    public API draws (probed once); elsewhere, as with a Pillow whose core has changed, through its public API only,
    which must draw the very same bytes."""
    import PIL
    from factcheck_site.render import share_card

    assert PIL.__version__ in CARD_CASES["pillow"], "Pillow changed: check the cards, then write these digests again"
    assert share_card._run_drawer() is share_card._run_core, "the lock's Pillow no longer takes the fast path"
    case = dict(CARD_CASES["cards"][name])
    expected = case.pop("sha256")
    share_card._top.cache_clear()  # the top of a card is drawn once per site: drawn again here, the public way
    monkeypatch.setattr(share_card, "_run_drawer", lambda: share_card._run_public)
    try:
        assert hashlib.sha256(render_card(CardText(**case))).hexdigest() == expected
    finally:
        share_card._top.cache_clear()


def test_a_rebuild_copies_every_card_beside_its_pages_and_draws_a_damaged_one_again(tmp_path: Path) -> None:
    """`mkdocs build` with every card in the cache (a rebuild) copies them into the site from a process beside MkDocs'
    pages: every card is the cold build's, one damaged in the cache is drawn again, and the cache's warning is the
    build's own, once (a strict build fails on it)."""
    project = tmp_path / "p"
    make_project(project, 30, 4)
    assert mkdocs_build(project, tmp_path / "cold").returncode == 0
    cold = {path.relative_to(tmp_path / "cold"): path.read_bytes() for path in (tmp_path / "cold").rglob("*.png")}
    stored = sorted((project / CACHE_DIR / "cards").glob("*.png"))
    assert len(stored) == 30 and len([path for path in cold if path.parts[0] == "claims"]) == 30

    def damage() -> None:
        data = stored[3].read_bytes()
        stored[3].write_bytes(data[:-16] + bytes(16))

    damage()
    again = run([sys.executable, "-m", "mkdocs", "build", "-d", str(tmp_path / "again")], project)
    assert again.returncode == 0, again.stderr
    assert again.stderr.count("the first problem found in the build cache") == 1, again.stderr
    assert {path.relative_to(tmp_path / "again"): path.read_bytes()
            for path in (tmp_path / "again").rglob("*.png")} == cold
    damage()
    strict = mkdocs_build(project, tmp_path / "strict")
    assert strict.returncode != 0 and "the first problem found in the build cache" in strict.stderr, strict.stderr


_SMALL_BUILD = """
import json, os, sys
from multiprocessing import forkserver, resource_tracker
from mkdocs.__main__ import cli
try:
    cli(["build", "--strict", "-q", "-d", sys.argv[1]])
except SystemExit as done:
    assert not done.code, done.code
print(json.dumps({"fork_server": forkserver._forkserver._forkserver_pid is not None
                  or forkserver._forkserver._forkserver_address is not None,
                  "resource_tracker": resource_tracker._resource_tracker._pid is not None}))
"""


def test_a_small_sites_build_forks_its_card_drawer_and_names_no_semaphore(tmp_path: Path) -> None:
    """A small site's `mkdocs build` forks the process that draws its cards beside the pages: started from
    multiprocessing's fork server instead, the build waited for a new interpreter to import Pillow and the generator
    (0.3-1 s of a 100-claim build's 3-4 s, which plain MkDocs builds in 2.8 s), and the pool's queues were named
    semaphores in /dev/shm, which a session killed outright leaves behind. Every card is still drawn, the one its
    page names."""
    project = tmp_path / "p"
    claims = make_project(project, 60, 5)  # more cards than the build draws itself, before and now
    site = tmp_path / "site"
    done = subprocess.run([sys.executable, "-c", _SMALL_BUILD, str(site)], cwd=project, env=ENV, capture_output=True,
                          text=True, timeout=900)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.splitlines()[-1]) == {"fork_server": False, "resource_tracker": False}
    assert len(list((site / "claims").glob("*/card-*.png"))) == len(claims)
