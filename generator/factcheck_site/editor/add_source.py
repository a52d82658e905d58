"""`factcheck add-source`: a saved article turned into sources/<id>.md.

The snapshot is what every quote is checked against, so it records a SHA-256 fingerprint
of its text. From then on `factcheck validate` reports a snapshot whose text was changed
after claims were checked against it.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path

from markdown_it import MarkdownIt

from factcheck_site.content.format_check import check_date, check_mapping, check_value
from factcheck_site.content.formats import MAX_SOURCE_FILE_BYTES, SOURCE_FIELDS
from factcheck_site.content.load import fingerprint, load_source
from factcheck_site.content.problems import EditorError
from factcheck_site.content.yaml_reader import YamlError, YamlMap, parse_yaml
from factcheck_site.editor.article_text import PageText, html_to_text
from factcheck_site.editor.create_file import create_file
from factcheck_site.editor.new_claim import slug_problem, yaml_text
from factcheck_site.editor.prompting import Question

HTML_SUFFIXES = (".html", ".htm", ".xhtml", ".shtml")
MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdown")
MAX_ID_LENGTH = 60
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_MARKDOWN = MarkdownIt("commonmark", {"html": True}).enable("table").enable("strikethrough")
FIELD_ORDER = ("title", "publisher", "url", "archived", "published", "retrieved", "language")


@dataclass(frozen=True)
class NewSource:
    file: Path
    title: str = ""
    publisher: str = ""
    url: str = ""
    archived: str = ""
    published: str = ""
    retrieved: str = ""
    language: str = ""
    source_id: str = ""


def _decode(data: bytes, name: str) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise EditorError(f"{name} is not UTF-8 text; save it again with UTF-8 encoding (or as a web page, "
                          f".html, which says its own encoding)") from None
    if "\x00" in text:
        raise EditorError(f"{name} contains NUL bytes; it is not a text file (save the article as text or HTML)")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _plain_text(text: str) -> str:
    lines = [line.rstrip() for line in text.split("\n")]
    return "\n".join(lines).strip("\n") + "\n"


def _looks_like_html(data: bytes) -> bool:
    head = data[:1024].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html", b"\xef\xbb\xbf<!doctype html", b"\xef\xbb\xbf<html"))


def read_article(path: Path) -> PageText:
    """The article text of a saved page: HTML (page chrome left out), Markdown or plain text."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise EditorError(f"cannot read {path} ({error.strerror}); check the file name") from None
    if path.suffix.lower() in HTML_SUFFIXES or _looks_like_html(data):
        page = html_to_text(data)
    elif path.suffix.lower() in MARKDOWN_SUFFIXES:
        text = _decode(data, path.name)
        if text.startswith("---\n"):
            raise EditorError(f"{path.name} starts with front matter (---); it looks like a source file already. "
                              f"Copy only the article's text into a new file and add that")
        page = html_to_text(_MARKDOWN.render(text))
        page.kept = "the Markdown text"
    else:
        page = PageText(_plain_text(_decode(data, path.name)), "the whole text", Counter())
    if not page.text.strip():
        raise EditorError(f"no article text found in {path.name}; open it and check it holds the article "
                          f"(save the page as 'Web page, HTML only', or copy the text into a .txt file)")
    return page


def source_id_for(title: str) -> str:
    """An id from a headline: lowercase ASCII words joined by hyphens, cut at a word."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii")
    words = re.findall(r"[a-z0-9]+", ascii_title.lower())
    slug = ""
    for word in words:
        longer = f"{slug}-{word}" if slug else word
        if len(longer) > MAX_ID_LENGTH:
            break
        slug = longer
    return slug or (words[0][:MAX_ID_LENGTH] if words else "")


def _front_matter_value(name: str, value: str) -> str:
    if name in ("published", "retrieved") and _DATE.match(value):
        return value
    return yaml_text(value)


def source_file_text(values: dict[str, str], body: str) -> str:
    lines = ["---"]
    lines += [f"{name}: {_front_matter_value(name, values[name])}" for name in FIELD_ORDER if values.get(name)]
    lines += [f"sha256: {fingerprint(body)}", "---"]
    return "\n".join(lines) + "\n" + body


def check_values(values: dict[str, str]) -> list[str]:
    """Problems with the front matter, from the same checks `validate` runs, in its words."""
    lines = [f"{name}: {_front_matter_value(name, values[name])}" for name in FIELD_ORDER if values.get(name)]
    try:
        data = parse_yaml("\n".join(lines) + "\n")
    except YamlError as error:  # cannot happen with quoted values; kept so a bug is reported, not raised
        return [error.message]
    if not isinstance(data, YamlMap):
        return ["give at least --title and --publisher"]
    messages = [message for _, message in check_mapping(data, SOURCE_FIELDS, "a source").problems]
    return [m.replace("required field 'title'", "--title").replace("required field 'publisher'", "--publisher")
            for m in messages]


def create_source(new: NewSource, page: PageText, sources_dir: Path, today: dt.date) -> Path:
    """Write sources/<id>.md with the fingerprint of its text; EditorError, and nothing written, on a problem."""
    values = {name: getattr(new, name).strip() for name in FIELD_ORDER}
    values["retrieved"] = values["retrieved"] or today.isoformat()
    problems = check_values(values)
    if not values["publisher"] and page.metadata.get("publisher"):
        # Optional in a source (a copy may not name one), but never left out when the page names it.
        problems.append("--publisher is missing; add who published the article")
    for name in ("title", "publisher"):
        suggestion = page.metadata.get(name)
        if not values[name] and suggestion:
            problems = [f"{p} (the page gives: --{name} {yaml_text(suggestion)})" if p.startswith(f"--{name} ")
                        else p for p in problems]
    source_id = new.source_id or source_id_for(new.title) or source_id_for(new.file.stem)
    if not source_id:
        problems.append("cannot make a file name from the title; give one with --id, e.g. --id kcna-speech")
    else:
        problem = slug_problem(source_id)
        if problem:
            problems.append("--id " + problem.replace("claim id", "source id"))
    if problems:
        raise EditorError("\n".join(problems))
    path = sources_dir / f"{source_id}.md"
    if path.exists():
        raise EditorError(f"{sources_dir.name}/{path.name} already exists, and add-source never overwrites a file; "
                          f"if it is another article, choose another id with --id")
    text = source_file_text(values, page.text)
    size = len(text.encode("utf-8"))
    if size > MAX_SOURCE_FILE_BYTES:
        raise EditorError(f"the article's text is {size:,} bytes; the limit is {MAX_SOURCE_FILE_BYTES:,}. Is "
                          f"this one article? Save only the article, not a whole site section")
    try:
        create_file(path, text)
    except FileExistsError:
        raise EditorError(f"{sources_dir.name}/{path.name} appeared while writing; nothing was overwritten") from None
    _, problems_found = load_source(path, f"{sources_dir.name}/{path.name}")
    if problems_found:  # what add-source writes must pass validate; never leave a file that does not
        path.unlink()
        raise EditorError("the new source would not validate: " + "; ".join(p.message for p in problems_found))
    return path


_SPEC = {f.name: f for f in SOURCE_FIELDS}
_ASKED = (("title", "Headline"), ("publisher", "Publisher"), ("url", "Web address of the article"),
          ("published", "Date it was published, YYYY-MM-DD"))


def field_problem(name: str, answer: str) -> str | None:
    if name in ("published", "retrieved"):
        return check_date(name, answer)[1]
    return check_value(_SPEC[name], answer, None)[1]


def questions(new: NewSource, page: PageText) -> list[Question]:
    asked = []
    for name, label in _ASKED:
        if getattr(new, name):
            continue
        default = page.metadata.get(name, "")
        if default and field_problem(name, default):
            default = ""
        hint = f" [Enter for: {default}]" if default else ("" if _SPEC[name].required else " (Enter to skip)")
        asked.append(Question(name, f"{label}{hint}: ", lambda a, n=name: field_problem(n, a), default))
    return asked


def with_value(new: NewSource, name: str, value: str) -> NewSource:
    return replace(new, **{name: value.strip()})


_PART_NAMES = {"nav": "menu (nav)", "aside": "side box (aside)", "img": "image", "hidden": "hidden text",
               "header": "page header", "footer": "footer", "form": "form", "script": "script", "style": "style",
               "iframe": "embedded frame (iframe)", "button": "button"}


def _shorten(text: str, limit: int = 100) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def summary(source_id: str, shown: str, page: PageText) -> str:
    """What was written and what to check, so leftovers of the page are caught before anyone quotes it."""
    paragraphs = page.text.strip().split("\n\n")
    words = len(page.text.split())
    lines = [f"Created {shown}: {len(paragraphs)} paragraphs, {words:,} words, from {page.kept}."]
    if page.kept in ("<article>", "<main>"):
        lines.append(f"Everything around the page's {page.kept} was left out (menus, site header and footer).")
    if page.left_out:
        parts = ", ".join(f"{count} × {_PART_NAMES.get(name, name)}" for name, count in sorted(page.left_out.items()))
        lines.append(f"Also left out: {parts}.")
    lines += [f"  It starts: {_shorten(paragraphs[0])}",
              f"  It ends:   {_shorten(paragraphs[-1])}",
              "Open the file and compare it with the article. If it holds text that is not the article's, or "
              "misses some, delete the file, fix the saved page, and run add-source again.",
              f"Quote it in a claim with:  source: {source_id}"]
    return "\n".join(lines)
