"""Web addresses from editors' files, checked before anything parses them.

The standard library's urlsplit raises on some addresses (a bracket left open, a host
with characters NFKC turns into '/' or '@'), so nothing calls it on editors' text
but this module, and only inside a guard. Addresses that would mislead a reader are
refused as well: a user name before the host (`https://trusted.example@attacker.example/`
leads to attacker.example, and so does `//trusted.example@attacker.example/` in a link),
spaces, control and direction characters, and markup. The host is read as a browser reads
it (the WHATWG URL standard): a name in another script by IDNA 2008 with UTS #46
non-transitional processing (`straße.de` is `xn--strae-oqa.de`, not `strasse.de` as Python's
own codec has it), shown and linked in that ASCII form, so that a look-alike host (Cyrillic
'а' for Latin 'a') cannot pass for the real one; a bracketed IP literal must be an IPv6
address; a host a browser reads as an IPv4 address written another way (`0x7f.1`) is refused.
"""

from __future__ import annotations

import ipaddress
import re
import unicodedata
from functools import cache
from urllib.parse import SplitResult, urlsplit, urlunsplit, uses_netloc, uses_relative

import idna

# Characters no address needs, each a way to hide or smuggle something: markup and
# quotes, a backslash (browsers read it as '/'), and anything invisible.
_MARKUP = set('<>"`\\{}^|')
# An address made only of visible ASCII characters that are not markup: nothing to look at character by character.
_PLAIN = re.compile("[" + "".join(re.escape(chr(code)) for code in range(0x21, 0x7F) if chr(code) not in _MARKUP)
                    + "]*")
# A page's address relative to the site's: no scheme, query, fragment or parameters.
_PLAIN_PATH = re.compile(r"[A-Za-z0-9_~%!$&'()*+,=@-][A-Za-z0-9._~%!$&'()*+,=@/-]*")
_HOST = re.compile(r"^[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?(?:\.[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?)*\.?$")


def _invisible(char: str) -> bool:
    """Control, format (direction marks, zero-width), separator and unassigned characters."""
    return unicodedata.category(char)[0] in "CZ"


def check_web_address(name: str, text: str, relative_scheme: bool = False) -> str | None:
    """Why `text`, the value of field `name`, is not an acceptable web address; None when it is.
    relative_scheme: a link in prose may leave out the scheme (`//host/path`), read as https."""
    plain = f"'{name}' must be a web address starting with https:// or http://"
    if relative_scheme and text.startswith("//"):
        text = "https:" + text
    if not text.lower().startswith(("http://", "https://")):
        return f"{plain}, not '{text}'"
    for char in text if _PLAIN.fullmatch(text) is None else ():
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
    if "%40" in parts.netloc.lower():
        user = re.split("%40", parts.netloc, flags=re.IGNORECASE)[0]
        return (f"'{name}' has '{user}%40' (an @ written in code) before the rest of its host: a reader would take "
                f"the address for '{user}'; remove everything between // and %40")
    numeric = _ipv4_as_browsers_read_it(parts)
    if numeric == "":
        return (f"'{name}' has '{parts.hostname}' as its host, which browsers read as an IP address that cannot "
                "be, and refuse; copy the address again from the browser's address bar")
    if numeric is not None and numeric != parts.hostname:
        return (f"'{name}' has '{parts.hostname}' as its host, which browsers read as the IP address {numeric}; "
                f"write {numeric}, as the browser's address bar shows it")
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


def _ipv4_as_browsers_read_it(parts: SplitResult) -> str | None:
    """The IPv4 address a browser reads in a host whose last label is a number (decimal, 0x hex or
    0-prefixed octal, in one to four parts, as the WHATWG URL standard says); "" when it is such a host
    but no valid address (browsers refuse it); None when the host is a name."""
    host = (parts.hostname or "").removesuffix(".")
    labels = host.split(".")
    if not host or not re.fullmatch(r"[0-9]+|0[xX][0-9a-fA-F]*", labels[-1]) or "[" in parts.netloc:
        return None
    numbers = []
    for label in labels:
        if re.fullmatch(r"0[xX][0-9a-fA-F]*", label):
            numbers.append(int(label[2:] or "0", 16))
        elif re.fullmatch(r"0[0-7]+", label):
            numbers.append(int(label, 8))
        elif re.fullmatch(r"[0-9]+", label):
            numbers.append(int(label))
        else:
            return ""
    if len(numbers) > 4 or any(n > 255 for n in numbers[:-1]) or numbers[-1] >= 256 ** (5 - len(numbers)):
        return ""
    value = numbers[-1] + sum(n * 256 ** (3 - i) for i, n in enumerate(numbers[:-1]))
    return str(ipaddress.IPv4Address(value))


def ascii_host(parts: SplitResult) -> str | None:
    """The host in ASCII, lowercase, as a browser visits it (IDNA 2008 with UTS #46 non-transitional
    processing); None when it is not a valid host."""
    host = parts.hostname
    if not host:
        return None
    if "[" in parts.netloc:  # an IP literal: browsers take IPv6 only (no IPvFuture, no zone)
        try:
            return ipaddress.IPv6Address(host).compressed if "%" not in host else None
        except ValueError:
            return None
    if host.isascii():
        encoded = host.lower()
    else:
        try:
            encoded = idna.encode(host, uts46=True, transitional=False).decode("ascii").lower()
        except (idna.IDNAError, UnicodeError, ValueError):
            return None
    labels_fit = all(len(label) <= 63 for label in encoded.split("."))
    return encoded if _HOST.match(encoded) and len(encoded) <= 253 and labels_fit else None


def shown_web_address(url: str) -> str:
    """The address as readers see it: the host in ASCII, as the browser visits it, so that a look-alike
    cannot pass for another; the rest as written. Addresses reach here checked, but this never raises."""
    parts = split_web_address(url)
    host = ascii_host(parts) if parts is not None else None
    if parts is None or host is None or parts.hostname is None or host == parts.hostname:
        return url
    netloc = f"[{host}]" if ":" in host else host
    if parts.port is not None:
        netloc += f":{parts.port}"
    return parts._replace(netloc=netloc).geturl()


@cache
def _plain_base(base: str) -> str | None:
    """base's path, where urljoin(base, url) is base + url for every plain relative url; None for another base."""
    try:
        parts = urlsplit(base)
    except ValueError:
        return None
    path = parts.path
    plain = (parts.scheme in uses_relative and parts.scheme in uses_netloc and parts.netloc and not parts.query
             and not parts.fragment and urlunsplit(parts) == base and path.endswith("/") and ";" not in path
             and "//" not in path and not {".", ".."} & set(path.split("/")))
    return path if plain else None


def joined_plainly(base: str, url: str) -> tuple[str, str] | None:
    """(urljoin(base, url), its path) by joining strings, where that is what urljoin gives (a site's address and a
    page's plain relative address, as MkDocs joins them for every page); None where it might not be."""
    path = _plain_base(base)
    if path is None or _PLAIN_PATH.fullmatch(url) is None or "//" in url or {".", ".."} & set(url.split("/")):
        return None
    return base + url, path + url
