"""The `factcheck` entry of mkdocs.yml as MkDocs' typed options, which MkDocs validates when it loads mkdocs.yml.

`factcheck` (config.py) reads the same entry without importing MkDocs where every value is of a plain form it
knows (a tenth of a second of `factcheck validate`'s start-up), and through these classes otherwise, so both
report the same problems; the values' own checks are config.py's, shared by both.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from mkdocs.config import base
from mkdocs.config import config_options as c

from factcheck_site.config import FLAG_FIELDS, TEXT_FIELDS, colour, dispatch_names, footer_links
from factcheck_site.content.verdict_scale import Verdict, parse_scale

T = TypeVar("T")


def _checked(check: Callable[[object], T], value: object) -> T:
    try:
        return check(value)
    except ValueError as error:
        raise c.ValidationError(str(error)) from None


class ColourOption(c.BaseConfigOption[str]):
    """The desk's colour, as #rrggbb or #rgb: the header's background (output/reader_frame.py's brand_css)."""

    def run_validation(self, value: object) -> str:
        return _checked(colour, value)


class OrganizationConfig(base.Config):
    """Who publishes the site: in every page's structured data, and in the site's own pages
    as `{{ organization.name }}` and the like. URLs may be paths on the site; the logo (and a favicon
    of its own, if it has one) and the colour are its face in every page's header."""

    name = c.Optional(c.Type(str))
    url = c.Optional(c.Type(str))
    email = c.Optional(c.Type(str))
    funding = c.Optional(c.Type(str))
    logo = c.Optional(c.Type(str))
    favicon = c.Optional(c.Type(str))
    colour = c.Optional(ColourOption())
    corrections_policy = c.Optional(c.Type(str))
    methodology = c.Optional(c.Type(str))


class VerdictScaleOption(c.BaseConfigOption[tuple[Verdict, ...]]):
    """The verdicts a site may rule, checked when mkdocs.yml loads rather than at the first claim."""

    def run_validation(self, value: object) -> tuple[Verdict, ...]:
        scale, problems = parse_scale(value)
        if problems:
            raise c.ValidationError("; ".join(problems))
        return scale


class FooterOption(c.BaseConfigOption[list[tuple[str, str]]]):
    """Pages linked from every page's footer instead of the main tabs (specifications such as "Data and
    feeds"), as a list of {title: path in docs/}, like entries of nav."""

    def __init__(self) -> None:
        super().__init__()
        self.default = []

    def run_validation(self, value: object) -> list[tuple[str, str]]:
        return _checked(footer_links, value)


class DispatchesOption(c.BaseConfigOption[dict[str, str]]):
    """The dispatches (wire reports, agency bulletins) that sources may say they reproduce: {id: name}, the
    name as readers see it, e.g. {ctak-dispatch: "the dispatch crediting “CTAK”"}."""

    def __init__(self) -> None:
        super().__init__()
        self.default = {}

    def run_validation(self, value: object) -> dict[str, str]:
        return _checked(dispatch_names, value)


class FactcheckConfig(base.Config):
    claims_dir = c.Type(str, default=TEXT_FIELDS["claims_dir"])
    sources_dir = c.Type(str, default=TEXT_FIELDS["sources_dir"])
    verdicts = c.Optional(VerdictScaleOption())
    organization = c.SubConfig(OrganizationConfig)
    # The frame readers see (output/reader_frame.py): off unless a desk turns it on.
    repository_link = c.Type(bool, default=FLAG_FIELDS["repository_link"])  # the repository badge in the header
    edit_links = c.Type(bool, default=FLAG_FIELDS["edit_links"])  # the edit pencil on pages
    footer = FooterOption()
    dispatches = DispatchesOption()  # what sources may say they reproduce (content/reporting_lines.py)
