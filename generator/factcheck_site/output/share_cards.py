"""Every claim's link-preview card (render/share_card.py) as a file, drawn once.

A card takes a few milliseconds to draw and encode: minutes for an archive of 25,000
claims. So cards are kept in a cache folder, named by a hash of what they show and of
the Pillow that drew them, and only new or changed cards are drawn, on every core as the
claim pages are. The site's files are then copied from the cache: the plugin hands MkDocs
their paths, `factcheck render` reads them. The cache is `.cache/factcheck/cards/` in the
site's folder (a temporary folder when that cannot be written); deleting it only costs time.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Sequence
from functools import partial
from pathlib import Path

from factcheck_site.build import map_in_processes, processes_available
from factcheck_site.content.model import Claim, Site
from factcheck_site.content.publisher import Publication
from factcheck_site.content.verdict_scale import Verdict
from factcheck_site.render.share_card import CardText, card_src, card_text, render_card

CACHE_FOLDER = Path(".cache") / "factcheck" / "cards"
MIN_CARDS_PER_PROCESS = 50  # a card costs more than a claim page: smaller chunks pay for their process


def cache_folder(root: Path) -> Path:
    """The site's card cache, made if needed; a folder in the temporary directory when the site's folder is
    read-only."""
    for folder in (root / CACHE_FOLDER, Path(tempfile.gettempdir()) / f"factcheck-cards-{os.getuid()}"):
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError:
            continue
        if os.access(folder, os.W_OK):
            return folder
    raise OSError(f"cannot write link-preview cards to {root / CACHE_FOLDER} or the temporary folder")


def _cache_name(card: CardText, key: str | None = None) -> str:
    """The card's key (key, when already known), and the Pillow that draws it: another Pillow may draw other
    bytes."""
    import PIL

    return hashlib.sha256(f"{key or card.key()} {PIL.__version__}".encode()).hexdigest()[:24] + ".png"


def _draw(folder: Path, cards: Sequence[CardText]) -> list[None]:
    for card in cards:
        handle, temp = tempfile.mkstemp(dir=folder, prefix=".tmp-", suffix=".png")
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(render_card(card))
            os.replace(temp, folder / _cache_name(card))  # whole or absent, also with builds side by side
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise
    return [None] * len(cards)


class CardNames:
    """Each claim's card, its place in the site and its name in the cache, kept from one build to the next under
    `mkdocs serve`: hashing 25,000 cards' texts on every save costs a quarter of a second. A claim's entry holds while
    its Claim is the very one (build.py keeps the Claim of a file it did not read again) and the publication and
    verdict scale are equal."""

    def __init__(self) -> None:
        self.made_for: tuple[Publication, tuple[Verdict, ...]] | None = None
        self.entries: dict[str, tuple[Claim, str, CardText, str]] = {}  # claim id: claim, path, card, file name


def share_cards(site: Site, publication: Publication, folder: Path, processes: int | None = None,
                names: CardNames | None = None) -> dict[str, Path]:
    """{path in the built site: the file holding it} for every claim's card; missing ones are drawn into
    folder first."""
    named: dict[str, tuple[CardText, str]] = {}  # path in the site: the card, its file in the cache
    kept = names.entries if names is not None and names.made_for == (publication, site.scale) else {}
    entries: dict[str, tuple[Claim, str, CardText, str]] = {}
    for claim in site.claims.values():
        entry = kept.get(claim.id)
        if entry is None or entry[0] is not claim:
            card = card_text(claim, site, publication)
            key = card.key()
            entry = (claim, card_src(claim.id, card, key), card, _cache_name(card, key))
        entries[claim.id] = entry
        named[entry[1]] = (entry[2], entry[3])
    if names is not None:
        names.made_for, names.entries = (publication, site.scale), entries
    present = set(os.listdir(folder)) if folder.is_dir() else set()  # one listing, not a stat per card
    missing = sorted({name: card for card, name in named.values() if name not in present}.items())
    if missing:
        folder.mkdir(parents=True, exist_ok=True)
    count = processes_available() if processes is None else processes
    map_in_processes(partial(_draw, folder), [card for _, card in missing], count, MIN_CARDS_PER_PROCESS)
    return {path: folder / name for path, (_, name) in sorted(named.items())}
