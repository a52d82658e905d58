"""`factcheck validate` of a generated project damaged at random, by two generators: what each prints, compared
byte for byte. A change that makes validation faster must report every problem as before.

    python -m benchmarks.validate_compare GENERATOR [--claims 5000] [--seeds 1,2,3] [--work DIR]

GENERATOR is the other commit's `generator` folder (`git archive COMMIT generator | tar -x -C DIR`); this
checkout's generator is the one installed in the running Python. Each seed makes the corpus
(`benchmarks.project.make_project`) and damages it: broken YAML (tests/test_yaml_common_layout.py's hostile
edits), misquotes, bad field values, unknown fields, bad file names, invisible characters, missing sources,
claimants and tags spelled two ways, a claim copied. Exit status 1 when any output differs.
"""

from __future__ import annotations

import argparse
import difflib
import itertools
import os
import random
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from .project import make_project

HOSTILE = ["\t", "\r", "\ufeff", "\u2028", "\x85", "\x00", "\x7f", "&a ", "*a", "!!str ", "!x ", "{", "}", "[", "]",
           ",", ":", ": ", " #", "'", '"', "\\", "|", ">", "- ", "? ", "---\n", "  ", "\n  ", "\u00a0", "é",
           "\U0001F600", "<<: ", "\x0c"]
INVISIBLE = ["\u200b", "\u200d", "\u00ad", "\u202e", "\u2066", "\ufe0f", "\U000e0041", "\u2060", "\x1b"]
ODD_TEXT = ["\u2014", "\u2026", "[...]", "[ ... ]", "  ", "\u00a0", "\u201c", "\u2019", "e\u0301", "\u3000"]


def _damage_yaml(rng: random.Random, text: str) -> str:
    for _ in range(rng.randint(1, 3)):
        roll, at = rng.random(), rng.randint(0, len(text))
        lines = text.split("\n")
        which = rng.randrange(len(lines))
        if roll < 0.5:
            text = text[:at] + rng.choice(HOSTILE) + text[at:]
        elif roll < 0.65:
            text = text[:at] + text[at + 1 :]
        elif roll < 0.8:  # a line indented one way or the other
            lines[which] = (" " * rng.randint(1, 3) + lines[which]) if rng.random() < 0.5 else lines[which][1:]
            text = "\n".join(lines)
        else:  # a line twice (a field twice)
            lines.insert(which, lines[which])
            text = "\n".join(lines)
    return text


def _in_a_value(rng: random.Random, text: str, insert: str) -> str:
    """insert in a double-quoted value of text (a quote, the claim, the summary), where it stays valid YAML."""
    starts = [i for i in range(len(text)) if text.startswith(': "', i)]
    if not starts:
        return text
    at = rng.choice(starts) + 3
    at += rng.randint(0, max(0, text.find('"', at) - at))
    return text[:at] + insert + text[at:]


def _replace_line(rng: random.Random, text: str, field: str, value: str) -> str:
    lines = text.split("\n")
    found = [i for i, line in enumerate(lines) if line.lstrip(" -").startswith(field + ":")]
    if not found:
        return text
    i = rng.choice(found)
    lines[i] = lines[i][: lines[i].index(field + ":") + len(field) + 1] + " " + value
    return "\n".join(lines)


def damage(project: Path, rng: random.Random, share: float = 0.16) -> None:
    """Damage about share of the claims (and a few sources) in place, each one way."""
    claims = sorted((project / "claims").glob("*.yml"))
    sources = sorted((project / "sources").glob("*.md"))
    names = [path.stem for path in sources]
    gone: set[Path] = set()
    for path in rng.sample(claims, int(len(claims) * share)):
        text = path.read_text(encoding="utf-8")
        kind = rng.randrange(10)
        if kind == 0:
            text = _damage_yaml(rng, text)
        elif kind == 1:  # a misquote: a word changed
            text = _in_a_value(rng, text, rng.choice(["not ", "never ", "X", "[...] "]))
        elif kind == 2:
            text = _in_a_value(rng, text, rng.choice(INVISIBLE))
        elif kind == 3:
            text = _in_a_value(rng, text, rng.choice(ODD_TEXT))
        elif kind == 4:  # a bad field value
            field, value = rng.choice([("verdict", "mostly-ture"), ("published", "2017-13-40"),
                                       ("published", "2099-01-01"), ("stance", "agrees"), ("tags", "[a b, C]"),
                                       ("updated", "2001-01-01"), ("claimant", '""'), ("source", rng.choice(names)),
                                       ("source", "no-such-source"), ("appeared_in", "[nowhere]")])
            text = _replace_line(rng, text, field, value)
        elif kind == 5:  # an unknown or misspelt field
            text = text.replace("\nsummary:", rng.choice(["\nsumary:", "\nnotes: x\nsummary:"]), 1)
        elif kind == 6:  # a bare id, or a link to an unknown claim, in the prose
            text = _in_a_value(rng, text, rng.choice([f" {rng.choice(names)} ", " [x](../claims/nothing.md) ",
                                                      f" [see](../sources/{rng.choice(names)}.md) "]))
        elif kind == 7:  # a claimant spelled another way
            text = _replace_line(rng, text, "claimant", '"TROUSHAI  tugouva"')
        elif kind == 8:  # a bad file name
            path.unlink()
            gone.add(path)
            path = path.with_name(rng.choice(["Bad Name", "con", "index", "x" * 90, "a--b"]) + path.stem[-4:]
                                  + rng.choice([".yml", ".yaml", ".YML"]))
        elif rng.random() < 0.5:  # a copy of another claim
            text = rng.choice([claim for claim in claims[:50] if claim not in gone]).read_text(encoding="utf-8")
        path.write_text(text, encoding="utf-8")
    for path in rng.sample(sources, max(1, len(sources) // 50)):
        kind = rng.randrange(4)
        if kind == 0:
            path.unlink()  # a missing source: every claim quoting it is told
        elif kind == 1:
            text = path.read_text(encoding="utf-8")
            path.write_text(_damage_yaml(rng, text[: text.index("\n---", 4)]) + text[text.index("\n---", 4):],
                            encoding="utf-8")
        elif kind == 2:
            text = path.read_text(encoding="utf-8")
            at = rng.randint(text.index("\n---", 4) + 5, len(text))
            path.write_text(text[:at] + rng.choice(INVISIBLE) + text[at:], encoding="utf-8")
        else:
            shutil.copy(rng.choice(sources), path)  # one article saved twice


def validate(project: Path, generator: Path | None) -> tuple[int, bytes, bytes]:
    env = dict(os.environ)
    if generator is not None:
        env["PYTHONPATH"] = os.pathsep.join([str(generator), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    run = subprocess.run([sys.executable, "-m", "factcheck_site", "validate"], cwd=project, env=env,
                         capture_output=True, check=False)
    return run.returncode, run.stdout, run.stderr


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("generator", type=Path, help="the other commit's generator folder")
    parser.add_argument("--claims", type=int, default=5000)
    parser.add_argument("--seeds", default="1,2,3")
    parser.add_argument("--work", type=Path, default=None, help="where to make the projects (default: a temporary "
                                                                "folder, deleted)")
    args = parser.parse_args()
    differ = False
    with tempfile.TemporaryDirectory(dir=args.work) as work:
        for seed in (int(s) for s in args.seeds.split(",")):
            project = Path(work) / f"damaged-{seed}"
            make_project(project, args.claims, 1)
            damage(project, random.Random(seed))
            this, other = validate(project, None), validate(project, args.generator.resolve())
            same = this == other
            differ |= not same
            lines, other_lines = this[1].count(b"\n"), other[1].count(b"\n")
            print(f"seed {seed}: exit {this[0]}, {lines} lines of problems, "
                  f"{'the same' if same else 'DIFFERENT'} (other: exit {other[0]}, {other_lines} lines)")
            for name, mine, theirs in (("stdout", this[1], other[1]), ("stderr", this[2], other[2])):
                diff = difflib.unified_diff(theirs.decode(errors="replace").splitlines(),
                                            mine.decode(errors="replace").splitlines(), "other", "this", lineterm="")
                for line in itertools.islice(diff, 20):
                    print(f"  {name}: {line}")
            shutil.rmtree(project)
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
