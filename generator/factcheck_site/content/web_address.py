"""Web addresses from editors' files, checked before anything parses them.

The standard library's urlsplit raises on some addresses (a bracket left open, a host
with characters NFKC turns into '/' or '@'), so nothing calls it on editors' text
but this module, and only inside a guard. Addresses that would mislead a reader are
refused as well: a user name before the host (`https://trusted.example@attacker.example/`
leads to attacker.example), spaces, control and direction characters, and markup.
A host written in another script is shown in its ASCII (punycode) form, so that a
look-alike host (Cyrillic 'а' for Latin 'a') cannot pass for the real one.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import SplitResult, urlsplit

# Characters no address needs, each a way to hide or smuggle something: markup and
# quotes, a backslash (browsers read it as '/'), and anything invisible.
_MARKUP = set('<>"`\\{}^|')
_HOST = re.compile(r"^[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?(?:\.[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?)*\.?$")


def _invisible(char: str) -> bool:
    """Control, format (direction marks, zero-width), separator and unassigned characters."""
    return unicodedata.category(char)[0] in "CZ"


def check_web_address(name: str, text: str) -> str | None:
    """Why `text`, the value of field `name`, is not an acceptable web address; None when it is."""
    plain = f"'{name}' must be a web address starting with https:// or http://"
    if not text.lower().startswith(("http://", "https://")):
        return f"{plain}, not '{text}'"
    for char in text:
        if _invisible(char) or char in _MARKUP:
            shown = f"U+{ord(char):04X}" if _invisible(char) else f"'{char}'"
            what = "a space" if char == " " else "a line break" if char in "\n\r" else f"the character {shown}"
            return (f"'{name}' contains {what}, which a web address cannot hold; copy the address again from "
                    "the browser's address bar (spaces are written %20)")
    parts = split_web_address(text)
    if parts is None:
        return f"{plain}, not '{text}': it cannot be read as one (check the brackets, the port and the host)"
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return f"{plain}, not '{text}'"
    if "@" in parts.netloc:
        user, host = parts.netloc.rsplit("@", 1)
        return (f"'{name}' has '{user}@' before the host: a reader would take the address for '{user}', but it "
                f"leads to '{host}'; remove everything between // and @")
    if ascii_host(parts) is None:
        return (f"'{name}' has '{parts.hostname or parts.netloc}' as its host, which is not a valid domain name or "
                "IP address; copy the address again from the browser's address bar")
    return None


def split_web_address(text: str) -> SplitResult | None:
    """urlsplit, port included, or None where it would raise."""
    try:
        parts = urlsplit(text)
        parts.port  # noqa: B018 - raises ValueError for a port out of range or not a number
    except ValueError:
        return None
    return parts


def ascii_host(parts: SplitResult) -> str | None:
    """The host in ASCII (IDNA, punycode), lowercase; None when it is not a valid host."""
    host = parts.hostname
    if not host:
        return None
    if ":" in host:  # an IPv6 address, in brackets in the netloc; urlsplit checked them
        return host if re.fullmatch(r"[0-9a-f:.]+", host) else None
    try:
        encoded = host.encode("idna").decode("ascii").lower() if not host.isascii() else host.lower()
    except UnicodeError:
        return None
    labels_fit = all(len(label) <= 63 for label in encoded.split("."))
    return encoded if _HOST.match(encoded) and len(encoded) <= 253 and labels_fit else None


def shown_web_address(url: str) -> str:
    """The address as readers see it: the host in ASCII, so that a look-alike cannot pass for
    another; the rest as written. Addresses reach here checked, but this never raises."""
    parts = split_web_address(url)
    host = ascii_host(parts) if parts is not None else None
    if parts is None or host is None or parts.hostname is None or host == parts.hostname:
        return url
    netloc = f"[{host}]" if ":" in host else host
    if parts.port is not None:
        netloc += f":{parts.port}"
    return parts._replace(netloc=netloc).geturl()
