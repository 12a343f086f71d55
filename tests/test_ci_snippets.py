"""The CI snippets, the container and the release housekeeping work where users put them
(issue 25): pinned versions, SARIF only where code scanning can take it, a GitLab template, a
Dockerfile for CI runners, a licence, a changelog and a version the README's lines name."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tomllib

import pytest
import yaml
from conftest import REPO

from modelw_lint import __version__
from modelw_lint.lang.dockerfile import parse, stages

README = open(os.path.join(REPO, "README.md"), encoding="utf-8").read()
# The oldest major of each action that runs on Node 20 (older ones run on Node 16 or 12).
NODE20 = {"actions/checkout": 4, "actions/setup-python": 5, "github/codeql-action/upload-sarif": 3}


def read(*path):
    with open(os.path.join(REPO, *path), encoding="utf-8") as fh:
        return fh.read()


def test_the_version_is_one_and_the_readme_names_its_tag():
    with open(os.path.join(REPO, "pyproject.toml"), "rb") as fh:
        project = tomllib.load(fh)["project"]
    assert project["version"] == __version__
    assert project["license"] == "MIT" and read("LICENSE").startswith("MIT License")
    tag = f"v{__version__}"
    installs = re.findall(r"modelw-lint(?:\[\w+\])? @ git\+https://github\.com/modelw/modelw-lint@([\w.]+)", README)
    assert installs and set(installs) == {tag}, "every install line names the release tag"
    assert re.findall(r"rev: (\S+)", README) and set(re.findall(r"rev: (\S+)", README)) == {tag}, "pre-commit pins the tag"
    changelog = read("CHANGELOG.md")
    assert f"## [{__version__}] - " in changelog and "## [Unreleased]" in changelog
    assert f"[{__version__}]: https://github.com/modelw/modelw-lint/compare/" in changelog


def test_the_github_actions_job_works_on_private_repositories_and_forks():
    text = read("docs", "ci", "github-actions.yml")
    workflow = yaml.safe_load(text)
    assert workflow["permissions"] == {"contents": "read"}
    steps = workflow["jobs"]["modelw-lint"]["steps"]
    for step in steps:
        if "uses" in step:
            action, _, version = step["uses"].partition("@")
            assert re.fullmatch(r"v\d+", version), f"{action} is pinned to a major version"
            assert int(version[1:]) >= NODE20[action], f"{action}@{version} runs on an old Node"
    [install] = [s["run"] for s in steps if s.get("run", "").startswith("pip install")]
    assert install.endswith(f'@v{__version__}"'), "installs a release, not a branch"
    annotate = next(s for s in steps if "--format github" in s.get("run", ""))
    assert "if" not in annotate, "annotations and the job summary always run"
    upload = next(s for s in steps if s.get("uses", "").startswith("github/codeql-action/upload-sarif"))
    assert upload["continue-on-error"] is True, "a repository without code scanning never turns the job red"
    assert "head.repo.full_name == github.repository" in upload["if"], "no upload from a fork's pull request"


def test_the_gitlab_template():
    job = yaml.safe_load(read("docs", "ci", "gitlab-ci.yml"))["modelw-lint"]
    image = job["image"]
    assert ":" in image and not image.endswith(":latest")
    assert any(line.endswith(f'@v{__version__}"') for line in job["before_script"])
    assert job["artifacts"]["reports"]["codequality"] == "gl-code-quality-report.json"
    assert any("--format gitlab --output gl-code-quality-report.json" in line for line in job["script"])
    assert "```yaml\n" + read("docs", "ci", "gitlab-ci.yml") + "```" in README


def test_the_container_definition():
    text = read("Dockerfile")
    instructions = parse(text)
    [base] = stages(instructions)
    assert re.fullmatch(r"python:\d+\.\d+-slim-\w+", base.image), "a pinned, slim base"
    users = [i.value for i in instructions if i.keyword == "USER"]
    assert users and users[-1] not in ("root", "0"), "runs as a user, not root"
    [entry] = [i for i in instructions if i.keyword == "ENTRYPOINT"]
    assert entry.exec_form == ["modelw-lint"]
    assert not [i for i in instructions if i.keyword == "ADD"], "COPY, never ADD (no remote fetch)"
    assert ".git" in read(".dockerignore").split()


@pytest.mark.slow
def test_the_container_builds_and_checks_a_project(fixture_copy):
    docker = shutil.which("docker")
    if docker is None or subprocess.run([docker, "info"], capture_output=True).returncode != 0:
        pytest.skip("no docker daemon on this machine: the Dockerfile is checked by test_the_container_definition")
    subprocess.run([docker, "build", "-q", "-t", "modelw-lint-test", REPO], check=True, capture_output=True, timeout=900)
    root = fixture_copy("compliant")
    proc = subprocess.run([docker, "run", "--rm", "-v", f"{root}:/repo", "modelw-lint-test", "check", "--format", "concise"],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
