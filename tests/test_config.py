"""`factcheck` reads the `factcheck` entry of mkdocs.yml as MkDocs' classes validate it (plugin_options.py).

config.plain_options reads an entry whose every value has its plain form without importing MkDocs, and leaves any
other to MkDocs' classes. So an editor's problems cannot change as long as, for every entry it accepts, MkDocs
accepts it too, without a word, and gives the same values, in the same order: checked here on the fields themselves,
on the repository's entry and on random entries, valid and not.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from conftest import ROOT, examples
from factcheck_site import config
from factcheck_site.plugin_options import FactcheckConfig, OrganizationConfig
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

SETTINGS = settings(max_examples=examples(200, 10000), deadline=None, suppress_health_check=[HealthCheck.too_slow])


def through_mkdocs(options: dict[str, Any]) -> tuple[FactcheckConfig, list[str]]:
    checked = FactcheckConfig(config_file_path=None)
    checked.load_dict(options)
    failed, warnings = checked.validate()
    return checked, [f"{key}: {why}" for key, why in failed + warnings]


def values(entry: Any) -> list[tuple[str, Any]]:
    """Every field's value as settings_from_config and the plugin read it; the organization's in its order."""
    return [(key, list(entry.organization.items()) if key == "organization" else getattr(entry, key))
            for key in config.ENTRY_FIELDS]


def test_the_plain_fields_are_the_plugins() -> None:
    assert tuple(key for key, _ in FactcheckConfig._schema) == config.ENTRY_FIELDS
    assert tuple(key for key, _ in OrganizationConfig._schema) == config.ORGANIZATION_FIELDS
    defaults = through_mkdocs({})[0]
    for key, default in {**config.TEXT_FIELDS, **config.FLAG_FIELDS}.items():
        assert defaults[key] == default


def test_the_repository_entry_is_read_without_mkdocs() -> None:
    data = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=config.MkDocsYamlLoader)
    entry = next(p["factcheck"] for p in data["plugins"] if isinstance(p, dict) and "factcheck" in p)
    plain = config.plain_options(entry)
    assert plain is not None
    assert values(plain) == values(through_mkdocs(entry)[0])
    assert config.settings_from_config(ROOT, plain) == config.settings_from_config(ROOT, through_mkdocs(entry)[0])


SCALE = [{"id": "correct", "label": "Correct", "meaning": "Right.", "rank": 2},
         {"id": "wrong", "label": "Wrong", "meaning": "Not right.", "rank": 1}]
ANYTHING = st.one_of(st.none(), st.booleans(), st.integers(-2, 2), st.text(max_size=8), st.just([]), st.just({}),
                     st.lists(st.text(max_size=4), max_size=2))
TEXTS = st.one_of(st.sampled_from(["claims", "sources", "", "x y"]), ANYTHING)
COLOURS = st.one_of(st.sampled_from(["#1D3557", " #abc ", "#abcd", "1d3557", "#12345g", ""]), ANYTHING)
ORGANIZATION = st.dictionaries(
    st.sampled_from([*config.ORGANIZATION_FIELDS, "colour", "phone"]),
    st.one_of(st.sampled_from(["Desk", "https://desk.example.org/", "/about/"]), ANYTHING), max_size=5).flatmap(
    lambda fields: st.fixed_dictionaries({}, optional={"colour": COLOURS}).map(lambda colour: {**fields, **colour}))
FOOTER = st.one_of(st.just([{"Data and feeds": "data.md"}]), st.just([{"Data": "data.md", "More": "more.md"}]),
                   st.just([{"": "data.md"}]), st.just([["Data", "data.md"]]), ANYTHING)
DISPATCHES = st.one_of(st.just({"ctak-dispatch": " the dispatch crediting “CTAK” "}), st.just({"Not_An_Id": "x"}),
                       st.just({"wire": "  "}), st.just({"wire": 3}), ANYTHING)
VERDICTS = st.one_of(st.just(SCALE), st.just([{"id": "false", "label": "Untrue"}]), st.just([{"id": "x"}]),
                     st.just(SCALE[:1] * 2), ANYTHING)
ENTRY = st.fixed_dictionaries({}, optional={
    "claims_dir": TEXTS, "sources_dir": TEXTS, "verdicts": VERDICTS, "organization": st.one_of(ORGANIZATION, ANYTHING),
    "repository_link": ANYTHING, "edit_links": ANYTHING, "footer": FOOTER, "dispatches": DISPATCHES,
    "enabled": ANYTHING, "claims": ANYTHING})


@SETTINGS
@given(ENTRY)
def test_an_entry_read_plainly_is_read_as_mkdocs_reads_it(entry: dict[str, Any]) -> None:
    plain = config.plain_options(entry)
    if plain is None:
        return
    checked, problems = through_mkdocs(entry)
    assert problems == []
    assert values(plain) == values(checked)
    assert config.settings_from_config(Path("/site"), plain) == config.settings_from_config(Path("/site"), checked)


def test_every_kind_of_value_is_read_plainly() -> None:
    """The plain reader is not a stub that leaves everything to MkDocs: an entry with every field set is its."""
    entry = {"claims_dir": "c", "sources_dir": "s", "verdicts": SCALE, "repository_link": True, "edit_links": False,
             "organization": {"name": "Desk", "colour": "#ABC", "email": None}, "footer": [{"Data": "data.md"}],
             "dispatches": {"wire": " The wire "}}
    plain = config.plain_options(entry)
    assert plain is not None and values(plain) == values(through_mkdocs(entry)[0])
    assert config.validated_options({**entry, "footer": "data.md"})[1] == [
        "plugins.factcheck.footer: expected a list of {title: page} entries, e.g. [{Data and feeds: data.md}]"]
