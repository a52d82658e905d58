"""Links that scroll a reader's browser to a quote in the original article.

A text fragment (`#:~:text=start[,end]`, WICG "URL Fragment Text Directives") names
the passage itself. Its syntax characters `&`, `,` and `-` must be percent-encoded
inside the text, along with everything that is not an unreserved URL character.
"""

from __future__ import annotations

_UNRESERVED = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.~"  # and "-", encoded here
# Each UTF-8 byte as it appears in the URL: urllib's quote() does the same byte by byte in Python.
_BYTE_IN_URL = [chr(byte) if byte in _UNRESERVED else f"%{byte:02X}" for byte in range(256)]


def encode_text(text: str) -> str:
    """One textStart or textEnd value: whitespace collapsed as the browser sees rendered text."""
    return "".join(map(_BYTE_IN_URL.__getitem__, " ".join(text.split()).encode("utf-8")))


def text_fragment_url(url: str, passages: list[str]) -> str:
    """The article's URL with a directive for the passage; a quote with omissions becomes a range
    from its first part to its last."""
    if not passages:
        return url
    parts = [passages[0]] if len(passages) == 1 else [passages[0], passages[-1]]
    directive = "text=" + ",".join(encode_text(p) for p in parts)
    return f"{url}:~:{directive}" if "#" in url else f"{url}#:~:{directive}"
