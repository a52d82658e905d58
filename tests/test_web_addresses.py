"""Web addresses from editors: never a crash, never a disguise.

The corpus (tests/cases/bad-sources/url-*.md) runs the real commands on the worst of these;
here many more variants go through the check itself, and the source page shows a look-alike
host in a form a reader cannot mistake.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from factcheck_site.content.web_address import check_web_address, shown_web_address
from hypothesis import given
from hypothesis import strategies as st

GENERATOR = Path(__file__).resolve().parent.parent / "generator" / "factcheck_site"

REFUSED = [
    "http://[::1/article", "http://[::1", "https://[example.org]/", "http://exa\uff03mple.org/",
    "https://trusted.example\ufe6battacker.example/", "https://a\u2100b.example/", "https://example.org:99999/",
    "https://example.org:-1/", "https://example.org:8o/", "https:///article", "https://", "http:example.org",
    "https://trusted.example@attacker.example/", "https://@attacker.example/", "https://a:b@example.org/",
    "https://trusted.example%40attacker.example@x.example/", "https://example.org/a\nb", "https://example.org/\r",
    "https://example.org/a b", 'https://example.org/"onmouseover="x', "https://example.org/<script>",
    "https://trusted.example\\@attacker.example/", "https://exam\u200bple.org/", "https://example.org/\u202egpj.exe",
    "https://example.org/\u2066x", "https://example.org/\x1b[31m", "https://exa$mple.org/", "https://%65xample.org/",
    "https://ex\u00e4mple..org/", "https://-.org/", "https://" + "a" * 64 + ".org/", "javascript:alert(1)",
    "JAVASCRIPT:alert(1)", "data:text/html,x", "ftp://example.org/", "https://example.org/\u00a0",
    # issue 24: IP literals browsers refuse (IPvFuture, a zone), hosts browsers read as another IPv4
    # address (hex, octal, one number), an @ written in code, a host IDNA 2008 does not allow
    "https://[v7.zz]/", "https://[v1.x]/a", "https://[fe80::1%25eth0]/", "https://[1.2.3.4]/", "http://0x7f.1/",
    "http://0177.0.0.1/", "http://2130706433/", "http://1.2.3.4.5/", "http://256.1.1.1/", "http://127.1/",
    "https://trusted.example%40attacker.example/", "https://trusted.example%40/", "https://\u2603.net/",
]
ACCEPTED = [
    "https://example.org/", "http://example.org", "https://example.org:8443/a?b=c&d=e#f", "https://[::1]/a",
    "https://192.0.2.1/a", "https://xn--mnchen-3ya.de/", "https://münchen.de/stadt", "https://EXAMPLE.org/Path",
    "https://example.org/a?q='x'&y=(1)", "https://web.archive.org/web/2025/https://example.org/a",
    "https://sub_domain.example.org/", "http://127.0.0.1:8000/", "https://[2001:db8::1]:8443/",
]


@pytest.mark.parametrize("address", REFUSED)
def test_a_misleading_or_unreadable_address_is_refused(address: str) -> None:
    problem = check_web_address("url", address)
    assert problem is not None and problem.startswith("'url' ")
    assert "\n" not in problem.replace(address, "")


@pytest.mark.parametrize("address", ACCEPTED)
def test_an_ordinary_address_passes(address: str) -> None:
    assert check_web_address("url", address) is None


@given(st.text(max_size=60))
def test_any_text_after_the_scheme_gives_an_answer_not_an_exception(tail: str) -> None:
    for address in (f"https://{tail}", f"http://[{tail}", f"https://example.org{tail}", f"https://{tail}@x.org/"):
        answer = check_web_address("url", address)
        if answer is None:
            shown = shown_web_address(address)
            assert shown.isascii() or not address.split("/")[2].split(":")[0].isascii() or shown == address


@pytest.mark.parametrize(("address", "shown"), [
    ("https://\u0430pple.com/login", "https://xn--pple-43d.com/login"),  # Cyrillic 'а'
    ("https://paypa\u04cf.com/", "https://xn--paypa-iof.com/"),  # Cyrillic palochka for 'l'
    ("https://münchen.de:8080/a?b#c", "https://xn--mnchen-3ya.de:8080/a?b#c"),
    ("https://example.org/caf\u00e9", "https://example.org/caf\u00e9"),  # only the host is the reader's clue
    ("https://Example.org/", "https://Example.org/"),
    # the host the browser visits (IDNA 2008, UTS #46 non-transitional), not IDNA 2003's
    ("https://stra\u00dfe.de/news", "https://xn--strae-oqa.de/news"),  # not strasse.de
    ("https://\u03b2\u03cc\u03bb\u03bf\u03c2.gr/", "https://xn--nxasmm1c.gr/"),  # final sigma kept
    ("https://fa\u00df.de/", "https://xn--fa-hia.de/"),
])
def test_a_host_in_another_script_is_shown_in_ascii(address: str, shown: str) -> None:
    assert check_web_address("url", address) is None
    assert shown_web_address(address) == shown


@pytest.mark.parametrize("link", ["//www.bbc.co.uk@attacker.example/news", "//a:b@attacker.example/",
                                  "//trusted.example%40attacker.example/", "//[v7.zz]/"])
def test_a_link_without_its_scheme_is_checked_like_any_other(link: str) -> None:
    assert check_web_address("link", link, relative_scheme=True) is not None


def test_only_the_guarded_module_parses_addresses() -> None:
    """urlsplit, urlparse and urljoin raise on some text; they are called in web_address.py,
    inside a guard, and in publisher.py on mkdocs.yml's settings, inside a guard."""
    callers = {path.relative_to(GENERATOR).as_posix() for path in GENERATOR.rglob("*.py")
               if re.search(r"\burl(split|parse|join)\(", path.read_text(encoding="utf-8"))}
    assert callers <= {"content/web_address.py", "content/publisher.py"}, callers
