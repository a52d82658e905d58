"""The `factcheck` command: the same checks and pages as the MkDocs build, for
editors, CI and other site builders."""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import gc
import os
import re
import shutil
import sys
import textwrap
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from factcheck_site import __version__
from factcheck_site.build import BuildOptions, build_site
from factcheck_site.config import read_settings
from factcheck_site.content.git_dates import claim_commit_dates, first_commit_dates
from factcheck_site.content.load import CLAIM_SUFFIX, display
from factcheck_site.content.problems import EditorError, Problem
from factcheck_site.content.published_dates import published_before_first_commit
from factcheck_site.content.publisher import publication_from_settings
from factcheck_site.content.settings import Settings
from factcheck_site.content.symlinks import folders_outside, input_folders, links_leaving
from factcheck_site.language import known
from factcheck_site.render.urls import GENERATED_FOLDERS

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2
EXIT_READER_GONE = 141  # 128 + SIGPIPE: what a shell reports for `yes | head`'s yes
SCHEMA_DIR = "schemas"


class UsageError(Exception):
    pass


def _settings(config: str) -> Settings:
    path = Path(config)
    if not path.is_file():
        raise UsageError(f"{config}: no such file; run factcheck in the site's folder or pass --config")
    settings, problems = read_settings(path)
    if problems:
        raise UsageError("\n".join(str(p) for p in problems))
    return settings


def program_name() -> str:
    """The command as the editor typed it, so the next command we suggest works when pasted."""
    program = sys.argv[0] if sys.argv and sys.argv[0] else "factcheck"
    if Path(program).name == "__main__.py":
        return "python -m factcheck_site"
    if not os.path.isabs(program):
        return program
    on_path = shutil.which(Path(program).name)
    if on_path and Path(on_path).resolve() == Path(program).resolve():
        return Path(program).name
    relative = os.path.relpath(program)
    return relative if not relative.startswith("..") else program


def _in_scope(problem: Problem, wanted: list[str]) -> bool:
    return any(problem.path == w or problem.path.startswith(w.rstrip("/") + "/") for w in wanted)


def _github_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def format_problem(problem: Problem, style: str, level: str = "error") -> str:
    """One line per problem; `github` is a workflow command that annotates the pull request's diff. A warning
    (the strict site build fails on it) says so."""
    if style == "github":
        path = _github_data(problem.path).replace(":", "%3A").replace(",", "%2C")
        return f"::{level} file={path},line={problem.line}::{_github_data(problem.message)}"
    return str(problem) if level == "error" else str(Problem(problem.path, problem.line, f"warning: {problem.message}"))


def cmd_validate(args: argparse.Namespace) -> int:
    with _collector_paused():
        return _validate(args)


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cycle collector off while claims are loaded: loading makes no cycles to free, and each collection of
    the oldest objects walks every claim loaded so far (at 5,000 claims two of them, 0.15 s of CPU, one after the
    claims' processes have finished, while nothing else runs). The claims' processes run without it too (build.py)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        # Not in the program, which exits next (run): the first collection after it was off would walk every object
        # made while it was (0.03 s at 5,000 claims).
        if enabled and not _program:
            gc.enable()


def _validate(args: argparse.Namespace) -> int:
    settings = _settings(args.config)
    wanted = []
    for raw in args.paths:
        path = Path(raw)
        if not path.exists():
            raise UsageError(f"{raw}: no such file or folder")
        wanted.append(display(path, settings.root))
    docs_dir = settings.docs_dir
    problems = folders_outside(input_folders(settings), settings.root)  # nothing is read through them
    site = None
    if not problems:
        links = links_leaving(docs_dir, settings.root) if docs_dir else []
        # Pages are rendered only to find any that a page in docs/ would clash with.
        clashes_possible = bool(docs_dir) and any((docs_dir / folder).exists() for folder in GENERATED_FOLDERS)
        built = build_site(BuildOptions(settings, render=clashes_possible))
        site, problems = built.site, built.problems + links
        if not wanted:  # the pre-commit hook names files: their commit is yet to be made
            problems += claim_commit_dates(settings.claims_dir, CLAIM_SUFFIX, settings.root)[1]
        if docs_dir and built.pages:  # no pages, no clashes
            from factcheck_site.render.site_pages import docs_clashes  # here: validate seldom renders

            problems += docs_clashes(built.pages, docs_dir, settings.root, links)
    if wanted:
        problems = [p for p in problems if _in_scope(p, wanted)]
    for problem in sorted(problems):
        print(format_problem(problem, args.format))
    warnings = [] if site is None else published_before_first_commit(
        site.claims.values(), first_commit_dates(settings.claims_dir), settings.root, CLAIM_SUFFIX)
    for warning in warnings if not wanted else [w for w in warnings if _in_scope(w, wanted)]:
        print(format_problem(warning, args.format, "warning"))
    if problems:
        count = f"{len(problems)} problem{'s' if len(problems) != 1 else ''}"
        print(f"{count} found; fix them and run {program_name()} validate again.", file=sys.stderr)
        return EXIT_PROBLEMS
    assert site is not None
    print(f"OK: {len(site.claims)} claims and {len(site.sources)} sources checked, every quote found.",
          file=sys.stderr)
    return EXIT_OK


def cmd_render(args: argparse.Namespace) -> int:
    from factcheck_site.output.page_folder import OutputConflict, write_pages  # here: validate writes no pages
    from factcheck_site.output.site_export import builder_settings, site_export

    settings = _settings(args.config)
    directory_urls = not args.no_directory_urls
    publication = publication_from_settings(settings, directory_urls)
    problems = folders_outside(input_folders(settings), settings.root)  # nothing is read through them
    if not problems:
        committed, problems = claim_commit_dates(settings.claims_dir, CLAIM_SUFFIX, settings.root)
        built = build_site(BuildOptions(settings, directory_urls, publication, committed))
        problems += built.problems
    if problems:
        for problem in sorted(problems):
            print(problem)
        print("Nothing was written; fix the problems above first.", file=sys.stderr)
        return EXIT_PROBLEMS
    try:
        export = site_export(built, publication, settings.organization, settings.docs_dir, settings.root)
    except OSError as error:  # the link-preview cards are drawn into their cache first: a full disk, a size limit
        raise UsageError(f"cannot write the link-preview cards ({error.strerror or error}); nothing was changed in "
                         f"{args.out}") from None
    if export.problems:
        for problem in sorted(export.problems):
            print(problem)
        print("Nothing was written; fix the problems above first.", file=sys.stderr)
        return EXIT_PROBLEMS
    for warning in export.warnings:
        print(f"factcheck: {warning}", file=sys.stderr)
    try:
        result = write_pages(Path(args.out), export.files)
    except OutputConflict as conflict:
        raise UsageError("\n".join(conflict.problems) + "\nNothing was written.") from None
    except OSError as error:
        raise UsageError(f"cannot write to {args.out} ({error.strerror or error}); nothing was changed") from None
    print(f"{len(export.files)} files in {args.out}: {len(result.written)} written, {len(result.unchanged)} "
          f"unchanged, {len(result.removed)} old files removed", file=sys.stderr)
    settings_needed = builder_settings(args.out, settings.organization)
    print(f"To publish it without the factcheck plugin, set in mkdocs.yml: {settings_needed}", file=sys.stderr)
    for name in result.kept:
        print(f"factcheck: kept {Path(args.out) / name}: no longer generated, but changed since it was written",
              file=sys.stderr)
    return EXIT_OK


def _known_sources(settings: Settings) -> list[str]:
    return sorted(p.stem for p in settings.sources_dir.glob("*.md"))


def cmd_new(args: argparse.Namespace) -> int:
    from factcheck_site.editor import new_claim  # here: validate need not import the editor tools
    from factcheck_site.editor.json_schema import CLAIM_SCHEMA_FILE
    from factcheck_site.editor.prompting import ask, is_interactive
    settings = _settings(args.config)
    known = _known_sources(settings)
    new = new_claim.NewClaim(slug=args.slug, published=dt.date.today(), claim=args.claim or "",
                             claimant=args.claimant or "", verdict=args.verdict or "",
                             sources=tuple(args.source or ()), author=args.author or "")
    problem = new_claim.slug_problem(new.slug) or new_claim.existing_problem(settings.claims_dir, new.slug)
    if problem:
        raise EditorError(problem)  # before any question is asked
    if is_interactive() and new_claim.missing(new):
        print(f"A few questions for claims/{new.slug}.yml; press Enter to skip one and fill it in the file later.",
              file=sys.stderr)
        for question in new_claim.questions(settings.scale, known):
            if question.name in new_claim.missing(new):
                new = new_claim.with_answer(new, question.name, ask(question))
    schema = settings.root / SCHEMA_DIR / CLAIM_SCHEMA_FILE
    check = f"{program_name()} validate {display(settings.claims_dir / f'{new.slug}.yml', settings.root)}"
    path = new_claim.create_new_claim(new, settings.claims_dir, schema, settings.scale, known, check)
    print(f"Created {display(path, settings.root)}. Fill in every \"\" and every empty field, then check it "
          f"with:\n  {check}", file=sys.stderr)
    return EXIT_OK


def cmd_add_source(args: argparse.Namespace) -> int:
    from factcheck_site.editor import add_source  # here: validate need not import the editor tools
    from factcheck_site.editor.prompting import ask, is_interactive
    settings = _settings(args.config)
    page = add_source.read_article(Path(args.file))
    new = add_source.NewSource(file=Path(args.file), title=args.title or "", publisher=args.publisher or "",
                               url=args.url or "", archived=args.archived or "", published=args.published or "",
                               retrieved=args.retrieved or "", language=args.language or "",
                               source_id=args.id or "")
    if is_interactive():
        for question in add_source.questions(new, page):
            new = add_source.with_value(new, question.name, ask(question))
    path = add_source.create_source(new, page, settings.sources_dir, dt.date.today())
    print(add_source.summary(path.stem, display(path, settings.root), page), file=sys.stderr)
    return EXIT_OK


def cmd_quote(args: argparse.Namespace) -> int:
    from factcheck_site.editor import quote_lookup  # here: validate need not import the editor tools
    settings = _settings(args.config)
    source = quote_lookup.resolve_source(args.source, settings.sources_dir, settings.root)
    check = quote_lookup.check_quote(source, args.text)
    print(quote_lookup.report(check))
    return EXIT_OK if check.found else EXIT_PROBLEMS


def cmd_schemas(args: argparse.Namespace) -> int:
    from factcheck_site.editor.json_schema import update_schema_files  # here: validate need not import the editor tools

    settings = _settings(args.config)
    folder = settings.root / SCHEMA_DIR
    changed = update_schema_files(folder, settings.scale, check_only=args.check)
    shown = display(folder, settings.root)
    if args.check and changed:
        print(f"{shown}: {', '.join(changed)} out of date; run {program_name()} schemas to update", file=sys.stderr)
        return EXIT_PROBLEMS
    print(f"{shown}: {len(changed)} file(s) updated" if changed else f"{shown}: up to date", file=sys.stderr)
    return EXIT_OK


def cmd_init(args: argparse.Namespace) -> int:
    from factcheck_site.editor import new_site  # here: validate need not import the editor tools
    target = Path(args.dir)
    try:
        written = new_site.create_site(target, args.language)
    except new_site.InitError as error:
        raise UsageError(str(error)) from None
    notes = new_site.to_fill_in(target)
    print(f"Created a new fact-check site in {target} ({len(written)} files), with one invented example claim.",
          file=sys.stderr)
    if advice := new_site.generator_source().advice():
        print(advice, file=sys.stderr)
    if notes:
        print(f"Fill in these {len(notes)} placeholders and replace the invented example; until then "
              "`mkdocs build --strict` fails on them:",
              file=sys.stderr)
        for note in notes:
            print(f"  {note}", file=sys.stderr)
    print(f"Next: cd {target}, then read README.md (install, preview with `mkdocs serve`, publish).", file=sys.stderr)
    return EXIT_OK


def cmd_check_links(args: argparse.Namespace) -> int:
    from factcheck_site.editor import link_check  # here: validate need not import the editor tools
    try:
        return link_check.check_links(Path(args.site_dir), args.site_dir, Path(args.config))
    except link_check.LinkCheckError as error:
        raise UsageError(str(error)) from None


def _wrap(text: str) -> str:
    return textwrap.fill(text, 88)


@dataclass(frozen=True)
class Command:
    """One `factcheck COMMAND`: its one-line help, its description and examples, its arguments, and what runs."""

    name: str
    help: str
    description: str
    examples: str
    add_arguments: Callable[[argparse.ArgumentParser], None]
    run: Callable[[argparse.Namespace], int]


def _validate_arguments(command: argparse.ArgumentParser) -> None:
    command.add_argument("paths", nargs="*", metavar="PATH", help="only report problems in these files or folders")
    command.add_argument("--format", choices=("text", "github"), default="text",
                         help="text (default) or github workflow annotations")


def _render_arguments(command: argparse.ArgumentParser) -> None:
    command.add_argument("--out", required=True, metavar="DIR", help="folder to write the pages to")
    command.add_argument("--no-directory-urls", action="store_true",
                         help="link pages as page.html instead of page/ (MkDocs use_directory_urls: false)")


def _new_arguments(command: argparse.ArgumentParser) -> None:
    command.add_argument("slug", metavar="SLUG", help="the claim's id: lowercase words joined by hyphens; it becomes "
                         "the page address")
    command.add_argument("--claim", help="the claim, as made")
    command.add_argument("--claimant", help="who made the claim")
    command.add_argument("--verdict", help="an id from the verdict scale (can be decided later)")
    command.add_argument("--source", action="append", metavar="ID",
                         help="a source to quote (its file name in sources/ without .md); repeat for more")
    command.add_argument("--author", help="who writes the fact-check")


def _add_source_arguments(command: argparse.ArgumentParser) -> None:
    command.add_argument("file", metavar="FILE", help="the saved article: .html, .md or .txt")
    command.add_argument("--title", help="the article's headline (required)")
    command.add_argument("--publisher", help="who published it (required)")
    command.add_argument("--url", help="where it was published")
    command.add_argument("--archived", help="an archive copy of it, e.g. on the Wayback Machine")
    command.add_argument("--published", metavar="YYYY-MM-DD", help="when it was published")
    command.add_argument("--retrieved", metavar="YYYY-MM-DD", help="when you saved it (default: today)")
    command.add_argument("--language", help="its language code, if not English, e.g. ko or ru")
    command.add_argument("--id", help="the source's id and file name (default: made from the title)")


def _quote_arguments(command: argparse.ArgumentParser) -> None:
    command.add_argument("source", metavar="SOURCE", help="a source id, or the path of its file")
    command.add_argument("text", metavar="TEXT", help="the passage, in quotes; [...] marks an omission")


def _schemas_arguments(command: argparse.ArgumentParser) -> None:
    command.add_argument("--check", action="store_true", help="only check that they are up to date")


def _template_languages() -> list[str]:
    """The languages whose pages `init` has besides English (desk_template/languages/<code>/), listed here: the
    parser is made for every command, and validate need not import the editor tools."""
    folder = resources.files("factcheck_site").joinpath("desk_template", "languages")
    return sorted(entry.name for entry in folder.iterdir() if entry.is_dir()) if folder.is_dir() else []


def _init_arguments(command: argparse.ArgumentParser) -> None:
    command.add_argument("dir", metavar="DIR", help="the new site's folder")
    command.add_argument("--language", default="en", type=_site_language, metavar="CODE",
                         help="the language readers read, as the theme's theme.language: the generator's words, "
                              "dates and direction follow it, and the template's pages are in it where they have "
                              f"been translated ({', '.join(_template_languages())}); default: en")


def _site_language(code: str) -> str:
    """A theme.language value: a language code as the theme writes it (ko, pt-BR, zh-Hant)."""
    if not re.fullmatch(r"[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*", code) or not known(code):
        raise argparse.ArgumentTypeError(f"'{code}' is not a language code such as ko, ar or pt-BR")
    return code


def _check_links_arguments(command: argparse.ArgumentParser) -> None:
    command.add_argument("site_dir", nargs="?", default="site", metavar="SITE_DIR",
                         help="the built site (default: %(default)s)")


COMMANDS = (
    Command("validate", "check claims and sources, report every problem",
            "Check every claim and source: fields, dates, verdicts, and that each quote occurs in its "
            "source. Exit status: 0 clean, 1 problems found, 2 usage error.",
            "examples:\n  factcheck validate\n  factcheck validate claims/kim-said-120-days.yml\n"
            "  factcheck validate --format github   # annotations on a pull request",
            _validate_arguments, cmd_validate),
    Command("render", "write the whole site source, generated pages included, to a folder",
            "Write the site as Markdown files and the files beside them (the generated pages, the "
            "pages in docs/, the stylesheet, feeds and exports, and theme templates in DIR/.overrides), "
            "for inspection or a site builder without the factcheck plugin (README.md: Publishing without "
            "the plugin). The folder is updated in place; files this command did not write are never "
            "deleted.",
            "example:\n  factcheck render --out build/pages",
            _render_arguments, cmd_render),
    Command("new", "start a new claim file, ready to fill in",
            "Write claims/SLUG.yml with every required field, a comment explaining each, and today's "
            "date. In a terminal it asks for what the options did not give (press Enter to fill it in "
            "later). It never overwrites an existing file.",
            "examples:\n  factcheck new kim-praised-the-sappers\n"
            "  factcheck new deployment-lasted-120-days --claimant CaliToday --verdict unverified \\\n"
            "      --claim \"The deployment lasted 120 days.\" --source calitoday-unimaginable-burdens",
            _new_arguments, cmd_new),
    Command("add-source", "save an article as a source, with a fingerprint of its text",
            "Turn a saved article (a web page saved as HTML, a Markdown or a plain text file) into "
            "sources/ID.md. For a web page only the article's text is kept: menus, headers, footers, side "
            "boxes, forms and scripts are left out. The text's SHA-256 fingerprint is recorded, so "
            "validate reports the snapshot if its text is changed later. Never overwrites a file.",
            "examples:\n  factcheck add-source ~/Downloads/kim-speech.html \\\n"
            "      --title \"Kim Jong Un welcomes sappers home\" --publisher \"KCNA Watch\" \\\n"
            "      --url https://example.org/kim-speech --published 2025-12-13\n"
            "  factcheck add-source notes/article.txt --title \"...\" --publisher Reuters --id reuters-kursk",
            _add_source_arguments, cmd_add_source),
    Command("quote", "check that a passage occurs in a source, or show what the source says",
            "Say whether TEXT occurs in the source, with the same matching as validate (spaces, quote "
            "marks and dashes may differ; words and case may not). If it does not, show the closest "
            "passages, how similar they are, and the exact wording to paste. Exit status: 0 found, "
            "1 not found, 2 no such source (or it has problems).",
            "examples:\n  factcheck quote calitoday-unimaginable-burdens \"a miracle\"\n"
            "  factcheck quote sources/dprk-soldiers-return-home.md \"completing the mission in just three "
            "months\"",
            _quote_arguments, cmd_quote),
    Command("schemas", "write the JSON Schema files editors' tools use",
            "Write schemas/claim.schema.json and schemas/source.schema.json from the format definitions "
            "(and the site's verdict scale), so editors' tools offer completion and inline errors. "
            "Run it after changing generator/factcheck_site/content/formats.py or the verdicts in mkdocs.yml.",
            "examples:\n  factcheck schemas\n  factcheck schemas --check   # exit 1 if they are out of date",
            _schemas_arguments, cmd_schemas),
    Command("init", "start a new desk's site in a new folder",
            "Write a ready site into DIR (which must be new or empty): mkdocs.yml with who publishes "
            "the site marked as placeholders to fill in, the standards pages in docs/ (about, methodology, "
            "corrections policy, data), claims/ and sources/ with one invented example, schemas/, the "
            "GitHub workflows, a pre-commit configuration, .gitignore and a README. `mkdocs build` works at "
            "once; `mkdocs build --strict` fails until every placeholder is filled in, naming each with "
            "its file and line. Nothing is written if anything fails.",
            "example:\n  factcheck init my-desk",
            _init_arguments, cmd_init),
    Command("check-links", "check every link between the pages of the built site",
            "Serve the built site (SITE_DIR, default site) on this machine and follow every link between its "
            "pages with LinkChecker, as the pull-request workflow does; build the site again after an edit, "
            "since the built pages are what is checked. Each broken address is reported once, with a page that "
            "links to it (its path after the local address) and the link's text. Links to other websites and "
            "to headings within pages are not checked. Exit status: 0 no broken link, 1 broken links, 2 no "
            "built site, no LinkChecker, or LinkChecker failed.",
            "example:\n  factcheck check-links site   # after mkdocs build --site-dir site",
            _check_links_arguments, cmd_check_links),
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="factcheck",
        description=_wrap("Check and render a fact-check site's claims and sources."),
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="examples:\n  factcheck new kim-praised-the-sappers\n"
               "  factcheck add-source ~/Downloads/article.html --title \"Kim welcomes troops\" --publisher KCNA\n"
               "  factcheck quote calitoday-unimaginable-burdens \"a miracle\"\n"
               "  factcheck validate\n  factcheck validate claims/my-claim.yml\n"
               "  factcheck render --out build/pages\n  factcheck check-links site\n  factcheck init my-desk\n\n"
               "A step-by-step guide for editors is in CONTRIBUTING.md.",
    )
    parser.add_argument("--config", default="mkdocs.yml", help="the site's mkdocs.yml (default: %(default)s)")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.required = True
    for command in COMMANDS:
        sub = commands.add_parser(command.name, help=command.help, description=_wrap(command.description),
                                  epilog=command.examples, formatter_class=argparse.RawDescriptionHelpFormatter)
        command.add_arguments(sub)
        sub.set_defaults(run=command.run)
    return parser


# The commands that end holding a whole archive: Python's collector walks every object still held once more as the
# interpreter ends (0.2 s of CPU after validating 5,000 claims) although ending frees them all. Only after these is
# what they hold frozen, sparing that walk: frozen, an object in a cycle is never finalized (a file in one would not
# be flushed), which these two, whose files are all closed when they return, can afford. The others (check-links
# serves the site and runs LinkChecker) hold little, and end as any program does.
HOLD_AN_ARCHIVE = frozenset({"validate", "render"})
_ran: list[str] = []  # the command main ran
_program = False  # True in the `factcheck` program, which exits once main returns (run), not in a test calling main


def run() -> None:
    """The `factcheck` program: main, then exit."""
    global _program
    _program = True
    code = main()
    if _ran and _ran[-1] in HOLD_AN_ARCHIVE:
        gc.freeze()
    sys.exit(code)


def main(argv: list[str] | None = None) -> int:
    try:
        return _main(argv)
    except BrokenPipeError:
        return _reader_gone()


def _reader_gone() -> int:
    """`factcheck quote … | head`: the reader closed the pipe, having read what it wanted. Stop quietly, as a tool that
    the pipe's signal ends does (with its exit status, 128 + SIGPIPE), instead of a traceback and, when Python
    flushes the output at exit, a second complaint: what is left to write goes nowhere."""
    nowhere = os.open(os.devnull, os.O_WRONLY)
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError, AttributeError):  # not a file (captured output): nothing to do
            os.dup2(nowhere, stream.fileno())
    os.close(nowhere)
    return EXIT_READER_GONE


def _main(argv: list[str] | None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    _ran[:] = [args.command]
    try:
        return int(args.run(args))
    except UsageError as error:
        print(f"factcheck: {error}", file=sys.stderr)
        return EXIT_USAGE
    except EditorError as error:
        for line in str(error).splitlines():
            print(f"factcheck {args.command}: {line}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
