"""The README's commands and examples are true."""

import json
import os
import shlex
import subprocess

import pytest
import yaml
from conftest import REPO, cli_runner
from test_ci_formats import validate_sarif

from modelw_lint.cli import main

README = open(os.path.join(REPO, "README.md"), encoding="utf-8").read()


def readme_commands():
    """The shell commands of the README's "On a new machine" section, in order."""
    section = README.split("### On a new machine\n")[1].split("\n## ")[0].split("\n### ")[0]
    return [block.strip() for block in section.split("```sh\n")[1:] for block in [block.split("```")[0]]]


def test_readme_starts_with_the_two_new_machine_commands():
    install_and_run, tests = readme_commands()
    assert install_and_run.endswith("pip install . && modelw-lint check fixtures/legacy")
    assert tests.endswith("pip install '.[test]' && python -m pytest -q")


def test_ci_runs_the_readme_commands_verbatim_and_in_order():
    ci = [line.strip() for line in open(os.path.join(REPO, ".ci", "run"), encoding="utf-8")]
    positions = [ci.index(command) for command in readme_commands()]
    assert positions == sorted(positions)


def test_github_actions_example_produces_valid_sarif(fixture_copy, tmp_path):
    with open(os.path.join(REPO, "docs", "ci", "github-actions.yml"), encoding="utf-8") as fh:
        text = fh.read()
    assert "```yaml\n" + text + "```" in README, "the README shows docs/ci/github-actions.yml as it is"
    workflow = yaml.safe_load(text)
    steps = workflow["jobs"]["modelw-lint"]["steps"]
    commands = [s["run"] for s in steps if "run" in s and s["run"].startswith("modelw-lint")]
    assert any("--format github" in c for c in commands)
    [sarif_cmd] = [c for c in commands if "--format sarif" in c]
    upload = next(s for s in steps if s.get("uses", "").startswith("github/codeql-action/upload-sarif"))
    root = fixture_copy("legacy")
    old = os.getcwd()
    os.chdir(root)
    try:
        result = cli_runner().invoke(main, shlex.split(sarif_cmd)[1:], catch_exceptions=False)
    finally:
        os.chdir(old)
    assert result.exit_code == 0  # --exit-zero: the upload step still runs
    doc = json.loads((root / upload["with"]["sarif_file"]).read_text())
    validate_sarif(doc)
    assert doc["runs"][0]["results"]


@pytest.mark.slow
def test_the_first_readme_command_works_in_a_fresh_clone(tmp_path):
    """The newcomer's first five minutes: clone, then the README's first command, verbatim.
    (The second, the tests, is what .ci/run runs after it.) The clone is of the last commit."""
    clone = tmp_path / "modelw-lint"
    subprocess.run(["git", "clone", "-q", "--no-hardlinks", REPO, str(clone)], check=True, capture_output=True)
    install_and_run, _tests = readme_commands()
    proc = subprocess.run(["bash", "-c", install_and_run], cwd=clone, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 1, proc.stdout[-2000:] + proc.stderr[-2000:]  # the legacy fixture has findings
    assert "backend/manage.py:1:1: MW101 [error]" in proc.stdout
    assert "findings (" in proc.stdout.splitlines()[-1]
    # It leaves the clone as it was: the venv and the cache are ignored by git.
    status = subprocess.run(["git", "status", "--porcelain"], cwd=clone, capture_output=True, text=True, check=True)
    assert status.stdout == ""


def test_the_first_screen_is_for_users_and_shows_the_adoption_path():
    """Users first: the install, `init` and its baseline, the hook, CI and the editor come
    before any contributor material (which closes the README)."""
    first_screen = README.split("## Getting started\n")[1].split("\n## ")[0]
    for step in ("modelw-lint init", "baseline", "rev: v", "docs/ci/github-actions.yml", "modelw-lint\n   server"):
        assert step in first_screen, step
    assert README.index("## Contents") < README.index("## Getting started") < README.index("## Contributing")
    assert README.index("### On a new machine") > README.index("## Performance")
