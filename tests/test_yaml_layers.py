"""The editor's message must not depend on which parser notices a problem first.

PyYAML parses with libyaml when it is installed and in pure Python otherwise, and
libyaml has limits of its own (PyYAML 6.0.4 added a nesting limit that its scanner can
reach before our depth check does). Every case in the corpus must give the same line
and the same fix through both (a syntax error quotes the parser's own wording of what it
expected, which differs), and deep nesting in every shape the very same message.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from conftest import CASES
from factcheck_site.content import yaml_reader as yamlsafe

C_LOADER = yaml.CSafeLoader  # the locked PyYAML ships libyaml in its wheels
YAML_CASES = sorted((CASES / "bad-claims").glob("*.yml")) + sorted((CASES / "good-claims").glob("*.yml"))
DEEP = {
    "flow, one line": "a: " + "[" * 5000 + "]" * 5000 + "\n",
    "flow, a bracket a line": "a:\n" + "\n".join(" " + "[" * 40 for _ in range(200)) + "\n",
    "flow mappings": "a: " + "{x: " * 3000 + "\n",
    "block, indented": "a:\n" + "".join("  " * i + "b:\n" for i in range(1, 2000)),
    "block lists": "a:\n" + "".join("  " * i + "-\n" for i in range(1, 2000)),
    "just over our limit": "a: " + "[" * (yamlsafe.MAX_DEPTH + 1) + "]" * (yamlsafe.MAX_DEPTH + 1) + "\n",
}


def _outcome(text: str, loader: type, monkeypatch: pytest.MonkeyPatch) -> tuple[object, ...]:
    monkeypatch.setattr(yamlsafe, "_Loader", loader)
    try:
        return ("value", _plain(yamlsafe.parse_yaml(text)))
    except yamlsafe.YamlError as error:
        return ("refused", error.line, error.message.rsplit("; ", 1)[-1])


def _plain(value: object) -> object:
    if isinstance(value, yamlsafe.YamlMap):
        return {key: _plain(item) for key, item in value.values.items()}
    if isinstance(value, yamlsafe.YamlList):
        return [_plain(item) for item in value.items]
    return value


@pytest.mark.parametrize("path", YAML_CASES, ids=lambda path: f"{path.parent.name}/{path.name}")
def test_each_case_reads_the_same_through_libyaml_and_pure_python(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = path.read_bytes().decode("utf-8", errors="replace")
    assert _outcome(text, C_LOADER, monkeypatch) == _outcome(text, yaml.SafeLoader, monkeypatch)


@pytest.mark.parametrize("text", DEEP.values(), ids=DEEP.keys())
def test_deep_nesting_gets_our_message_at_the_same_line(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    through_libyaml = _outcome(text, C_LOADER, monkeypatch)
    assert through_libyaml == _outcome(text, yaml.SafeLoader, monkeypatch)
    assert through_libyaml[0] == "refused"
    monkeypatch.setattr(yamlsafe, "_Loader", C_LOADER)
    with pytest.raises(yamlsafe.YamlError) as refused:
        yamlsafe.parse_yaml(text)
    assert refused.value.message == yamlsafe.NESTED_TOO_DEEP
