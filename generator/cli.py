"""The `factcheck` command: the same checks and pages as the MkDocs build, for
editors, CI and other site builders."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .load import display
from .pipeline import build_site
from .problems import Problem
from .render_index import render_home_page
from .render_out import write_pages
from .settings import Settings, read_settings

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


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


def _in_scope(problem: Problem, wanted: list[str]) -> bool:
    return any(problem.path == w or problem.path.startswith(w.rstrip("/") + "/") for w in wanted)


def format_problem(problem: Problem, style: str) -> str:
    if style == "github":
        message = problem.message.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        path = problem.path.replace(",", "%2C").replace(":", "%3A")
        return f"::error file={path},line={problem.line}::{message}"
    return str(problem)


def cmd_validate(args: argparse.Namespace) -> int:
    settings = _settings(args.config)
    wanted = []
    for raw in args.paths:
        path = Path(raw)
        if not path.exists():
            raise UsageError(f"{raw}: no such file or folder")
        wanted.append(display(path, settings.root))
    site, _, problems = build_site(settings.claims_dir, settings.sources_dir, settings.scale, settings.root,
                                   render=False)
    if wanted:
        problems = [p for p in problems if _in_scope(p, wanted)]
    for problem in sorted(problems):
        print(format_problem(problem, args.format))
    if problems:
        count = f"{len(problems)} problem{'s' if len(problems) != 1 else ''}"
        print(f"{count} found; fix them and run factcheck validate again.", file=sys.stderr)
        return EXIT_PROBLEMS
    print(f"OK: {len(site.claims)} claims and {len(site.sources)} sources checked, every quote found.",
          file=sys.stderr)
    return EXIT_OK


def cmd_render(args: argparse.Namespace) -> int:
    settings = _settings(args.config)
    site, pages, problems = build_site(settings.claims_dir, settings.sources_dir, settings.scale, settings.root,
                                       directory_urls=not args.no_directory_urls)
    if problems:
        for problem in sorted(problems):
            print(problem)
        print("Nothing was written; fix the problems above first.", file=sys.stderr)
        return EXIT_PROBLEMS
    pages.setdefault("index.md", render_home_page(site, not args.no_directory_urls))
    written = write_pages(Path(args.out), pages)
    print(f"Wrote {written} pages to {args.out}", file=sys.stderr)
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="factcheck",
        description="Check and render a fact-check site's claims and sources.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="examples:\n  factcheck validate\n  factcheck validate claims/my-claim.yml\n"
               "  factcheck render --out build/pages",
    )
    parser.add_argument("--config", default="mkdocs.yml", help="the site's mkdocs.yml (default: %(default)s)")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.required = True

    validate = commands.add_parser(
        "validate", help="check claims and sources, report every problem",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Check every claim and source: fields, dates, verdicts, and that each quote occurs in its "
                    "source. Exit status: 0 clean, 1 problems found, 2 usage error.",
        epilog="examples:\n  factcheck validate\n  factcheck validate claims/kim-said-120-days.yml\n"
               "  factcheck validate --format github   # annotations on a pull request")
    validate.add_argument("paths", nargs="*", metavar="PATH", help="only report problems in these files or folders")
    validate.add_argument("--format", choices=("text", "github"), default="text",
                          help="text (default) or github workflow annotations")
    validate.set_defaults(run=cmd_validate)

    render = commands.add_parser(
        "render", help="write the generated Markdown pages to a folder",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Write the generated pages as Markdown files, for inspection or another site builder. "
                    "The folder is updated in place; files this command did not write are never deleted.",
        epilog="example:\n  factcheck render --out build/pages")
    render.add_argument("--out", required=True, metavar="DIR", help="folder to write the pages to")
    render.add_argument("--no-directory-urls", action="store_true",
                        help="link pages as page.html instead of page/ (MkDocs use_directory_urls: false)")
    render.set_defaults(run=cmd_render)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.run(args))
    except UsageError as error:
        print(f"factcheck: {error}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
