"""Faults: a failed build or render leaves no half-written output, `factcheck render
--out` never touches a file it did not write, and builds are reproducible."""

from __future__ import annotations

import gzip
import hashlib
import resource
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ENV, ROOT, copy_project, factcheck, mkdocs_build
from factcheck_site.output.page_folder import MANIFEST

# A claim that no other claim links to, so removing it leaves the rest of the site sound.
STALE = next(path.stem for path in sorted((ROOT / "claims").glob("*.yml"))
             if not any(f"claim:{path.stem})" in other.read_text(encoding="utf-8")
                        for other in (ROOT / "claims").glob("*.yml")))


def tree(folder: Path) -> dict[str, tuple]:
    """Every entry under folder with its kind, content fingerprint and modification time."""
    found: dict[str, tuple] = {}
    for path in sorted(folder.rglob("*")):
        info = path.lstat()
        key = path.relative_to(folder).as_posix()
        if stat.S_ISREG(info.st_mode):
            found[key] = ("file", hashlib.sha256(path.read_bytes()).hexdigest(), info.st_mtime_ns)
        else:
            found[key] = (stat.S_IFMT(info.st_mode),)
    return found


def contents(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def render(project: Path, out: Path) -> subprocess.CompletedProcess[str]:
    return factcheck("render", "--out", str(out), cwd=project)


# --- factcheck render --out -----------------------------------------------------------

def test_render_writes_pages_and_a_manifest_then_leaves_unchanged_pages_alone(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = render(project, out)
    assert first.returncode == 0, first.stderr
    pages = [p for p in out.rglob("*.md")]
    assert len(pages) > 30 and (out / "claims" / "deployment-lasted-120-days.md").is_file()
    assert all(stat.S_IMODE(p.stat().st_mode) & 0o044 for p in pages), "pages must be readable by others"
    listed = (out / MANIFEST).read_text(encoding="utf-8")
    assert all(p.relative_to(out).as_posix() in listed for p in pages)
    before = tree(out)
    second = render(project, out)
    assert second.returncode == 0 and "0 written" in second.stderr
    assert tree(out) == before


def test_render_removes_only_its_own_stale_pages(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert render(project, out).returncode == 0
    (out / "notes.txt").write_text("mine")
    (out / "claims" / "my-own-page.md").write_text("mine too")
    (project / "claims" / f"{STALE}.yml").unlink()
    result = render(project, out)
    assert result.returncode == 0, result.stderr
    assert not (out / "claims" / f"{STALE}.md").exists()
    assert (out / "notes.txt").read_text() == "mine"
    assert (out / "claims" / "my-own-page.md").read_text() == "mine too"


def test_render_keeps_a_stale_page_someone_changed(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert render(project, out).returncode == 0
    page = out / "claims" / f"{STALE}.md"
    page.write_text(page.read_text() + "\nAn editor's note.\n")
    (project / "claims" / f"{STALE}.yml").unlink()
    result = render(project, out)
    assert result.returncode == 0, result.stderr
    assert "An editor's note." in page.read_text()
    assert "kept" in result.stderr and f"{STALE}.md" in result.stderr


@pytest.mark.parametrize("obstacle", ["foreign file", "changed page", "folder in the way", "file in the way"])
def test_render_refuses_to_replace_what_it_did_not_write(obstacle: str, project: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    if obstacle == "changed page":
        assert render(project, out).returncode == 0
        (out / "index.md").write_text("changed by hand")
        (project / "claims" / f"{STALE}.yml").unlink()  # so the run has something to write
    elif obstacle == "foreign file":
        (out / "claims").mkdir(parents=True)
        (out / "claims" / "deployment-lasted-120-days.md").write_text("someone else's page")
    elif obstacle == "folder in the way":
        (out / "claims" / "deployment-lasted-120-days.md").mkdir(parents=True)
    else:
        out.mkdir()
        (out / "verdicts").write_text("not a folder")
    before = tree(out)
    result = render(project, out)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr and "Nothing was written" in result.stderr
    assert str(out) in result.stderr
    assert tree(out) == before


def test_render_ignores_manifest_entries_outside_its_folder(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert render(project, out).returncode == 0
    victim = tmp_path / "victim.md"
    victim.write_text("precious")
    digest = hashlib.sha256(b"precious").hexdigest()
    with open(out / MANIFEST, "a", encoding="utf-8") as manifest:
        manifest.write(f"{digest} {victim}\n{digest} ../victim.md\n")
    assert render(project, out).returncode == 0
    assert victim.read_text() == "precious"


FILE_SIZE_LIMIT = 20_000  # above every page but the source pages (claim pages are about 13 kB)


def _small_files_only() -> None:
    resource.setrlimit(resource.RLIMIT_FSIZE, (FILE_SIZE_LIMIT, FILE_SIZE_LIMIT))


def test_a_render_that_fails_midway_changes_nothing(project: Path, tmp_path: Path) -> None:
    """A real write failure, not a simulated one: under a file-size limit the OS
    accepts the smaller pages, written first, and refuses the source pages."""
    out = tmp_path / "out"
    assert render(project, out).returncode == 0
    sizes = [p.stat().st_size for p in sorted(out.rglob("*.md"), key=lambda p: p.relative_to(out).as_posix())]
    first_too_big = next(i for i, size in enumerate(sizes) if size > FILE_SIZE_LIMIT)
    assert first_too_big > 10, "the failure must come after several pages were written"
    for source in (project / "sources").glob("*.md"):  # source and claim pages change
        source.write_text(source.read_text().replace("\ntitle: \"", "\ntitle: \"Re: ", 1))
    before = tree(out)
    result = subprocess.run([sys.executable, "-m", "factcheck_site", "render", "--out", str(out)], cwd=project, env=ENV,
                            capture_output=True, text=True, timeout=600, preexec_fn=_small_files_only)
    assert result.returncode == 2, result.stderr
    assert "cannot write" in result.stderr and "nothing was changed" in result.stderr
    assert "Traceback" not in result.stderr
    assert tree(out) == before, "a page was replaced, or a temporary file left behind"
    assert render(project, out).returncode == 0  # and the next run succeeds


# --- mkdocs build ---------------------------------------------------------------------

BROKEN_TEMPLATE = '{% extends "base.html" %}\n{% block content %}{{ page.meta.nothing.here }}{% endblock %}\n'


def test_a_build_that_fails_midway_leaves_the_last_site_untouched(project: Path, tmp_path: Path) -> None:
    """The theme breaks while pages are written (after MkDocs would have cleaned the
    site folder): the site built before stays byte for byte, and no staging folder
    is left behind."""
    site = tmp_path / "site"
    assert mkdocs_build(project, site).returncode == 0
    (site / ".git").mkdir()
    (site / ".git" / "HEAD").write_text("ref: refs/heads/gh-pages\n")
    before = tree(tmp_path)
    (project / "overrides").mkdir()
    (project / "overrides" / "main.html").write_text(BROKEN_TEMPLATE)
    config = (project / "mkdocs.yml").read_text()
    config = config.replace("  name: material\n", "  name: material\n  custom_dir: overrides\n")
    (project / "mkdocs.yml").write_text(config)
    result = mkdocs_build(project, site)
    assert result.returncode != 0
    assert "nothing" in result.stderr  # jinja2's UndefinedError, from the theme
    after = tree(tmp_path)
    assert {k: v for k, v in after.items() if not k.startswith("site-src/")} == \
        {k: v for k, v in before.items() if not k.startswith("site-src/")}


def test_a_strict_build_failing_on_late_warnings_leaves_the_last_site_untouched(project: Path, tmp_path: Path
                                                                                ) -> None:
    """`mkdocs build --strict` fails for warnings only once every plugin's on_post_build has run, which is where the
    staging folder was swapped in: a warning there (an organisation page that does not exist), or earlier from the
    build cache (a tampered page), must leave the site built before as it was, and no staging folder."""
    site = tmp_path / "site"
    assert mkdocs_build(project, site).returncode == 0
    before = tree(tmp_path)
    config = project / "mkdocs.yml"
    good = config.read_text(encoding="utf-8")
    config.write_text(good.replace("corrections_policy: corrections-policy/", "corrections_policy: no-such-page/"),
                      encoding="utf-8")
    result = mkdocs_build(project, site)
    assert result.returncode == 1 and "organization.corrections_policy is" in result.stderr, result.stderr
    assert "Aborted with 1 warnings in strict mode" in result.stdout + result.stderr
    config.write_text(good, encoding="utf-8")
    for page in (project / ".cache" / "factcheck" / "html").glob("*/*.html"):
        page.write_bytes(page.read_bytes().replace(b"</body>", b"<script>alert(1)</script></body>"))
    result = mkdocs_build(project, site)
    assert result.returncode == 1 and "was changed since" in result.stderr, result.stderr
    after = tree(tmp_path)
    assert {k: v for k, v in after.items() if not k.startswith("site-src/")} == \
        {k: v for k, v in before.items() if not k.startswith("site-src/")}


def test_a_successful_build_replaces_the_site_and_keeps_hidden_entries(project: Path, tmp_path: Path) -> None:
    """As MkDocs' own clean: stale pages go, hidden entries (a gh-pages checkout's .git) stay."""
    site = tmp_path / "site"
    extra = project / "claims" / "a-claim-soon-withdrawn.yml"  # linked from no page, so the build stays sound
    extra.write_text((project / "claims" / f"{STALE}.yml").read_text(encoding="utf-8").replace(
        'claim: "', 'claim: "Withdrawn: ', 1), encoding="utf-8")  # a claim of its own: a claim is checked once
    assert mkdocs_build(project, site).returncode == 0
    assert (site / "claims" / "a-claim-soon-withdrawn" / "index.html").is_file()
    (site / ".git").mkdir()
    (site / ".git" / "HEAD").write_text("ref: refs/heads/gh-pages\n")
    extra.unlink()
    assert mkdocs_build(project, site).returncode == 0
    assert not (site / "claims" / "a-claim-soon-withdrawn").exists()
    assert (site / "claims" / "deployment-lasted-120-days" / "index.html").is_file()
    assert (site / ".git" / "HEAD").read_text() == "ref: refs/heads/gh-pages\n"
    assert stat.S_IMODE(site.stat().st_mode) & 0o055 == 0o055, "the site folder must be readable by the web server"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site", "site-src"], "a staging folder was left"


# --- reproducible builds --------------------------------------------------------------

def test_builds_of_the_same_commit_are_byte_identical(tmp_path: Path) -> None:
    """Two checkouts in different folders, built one after the other (so the clock has
    moved) with different hash seeds: with SOURCE_DATE_EPOCH set, every byte matches."""
    epoch = 1765497600  # 2025-12-12
    builds = []
    for name, seed in (("first", "1"), ("second", "2")):
        project = copy_project(tmp_path / name / "checkout")
        site = tmp_path / name / "site"
        env = {**ENV, "SOURCE_DATE_EPOCH": str(epoch), "PYTHONHASHSEED": seed}
        result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(site)],
                                cwd=project, env=env, capture_output=True, text=True, timeout=900)
        assert result.returncode == 0, result.stderr
        builds.append(contents(site))
    assert builds[0].keys() == builds[1].keys()
    differing = [name for name in builds[0] if builds[0][name] != builds[1][name]]
    assert differing == []
    sitemap = tmp_path / "first" / "site" / "sitemap.xml.gz"
    with open(sitemap, "rb") as raw:
        assert int.from_bytes(raw.read(8)[4:8], "little") == epoch  # gzip's own timestamp
    assert "<lastmod>2025-12-12</lastmod>" in gzip.decompress(sitemap.read_bytes()).decode()

