"""Hook mode (files on the command line, as pre-commit passes them), and the real pre-commit
package running this checkout's hooks against a temporary git repository."""

import json
import os
import shutil
import subprocess
import sys
import time

import pytest
from conftest import REPO, cli_runner

from modelw_lint.cli import main

SETTINGS = "api/acme/django/settings.py"


def git(root, *args):
    return subprocess.run(["git", *args], cwd=root, check=True, capture_output=True, text=True)


def check(root, *args):
    old = os.getcwd()
    os.chdir(root)
    try:
        result = cli_runner().invoke(main, ["check", "--format", "json", *args], catch_exceptions=False)
    finally:
        os.chdir(old)
    return result.exit_code, json.loads(result.stdout)["findings"]


@pytest.fixture
def repo(fixture_copy):
    return fixture_copy("compliant")


def test_per_file_rules_only_see_passed_files(repo):
    (repo / SETTINGS).write_text((repo / SETTINGS).read_text().replace('    AUTH_USER_MODEL', '    SECRET_KEY = "x"\n    AUTH_USER_MODEL'))
    (repo / "api/acme/django/urls.py").write_text('from django.urls import path\n\nurlpatterns = [path("admin/", admin)]\n')
    code, findings = check(repo, SETTINGS)
    assert code == 1 and [f["code"] for f in findings] == ["MW201"]
    code, findings = check(repo, "api/acme/django/urls.py")
    assert [f["code"] for f in findings] == ["MW701"]


def test_unrelated_file_runs_nothing(repo):
    (repo / "front" / "package.json").unlink()  # would fire MW103 in a full run
    (repo / "README.md").write_text("# changed\n")
    assert check(repo, "README.md") == (0, [])
    code, findings = check(repo)
    assert [f["code"] for f in findings] == ["MW103"]


def test_repo_rule_runs_when_a_file_it_reads_is_passed(repo):
    (repo / "docker-compose.yml").write_text("services:\n  mq:\n    image: rabbitmq:3\n")
    code, findings = check(repo, "docker-compose.yml")
    assert [f["code"] for f in findings] == ["MW303"]


def test_staged_deletion_triggers_the_rules_that_read_it(repo):
    git(repo, "rm", "-q", "front/package.json")
    assert check(repo, "README.md", "--hook")[1][0]["code"] == "MW103"
    code, findings = check(repo, "--hook")  # pre-commit with only a deletion: no file passed
    # A back-end-only project is a shape the project maker offers: a note, which does not fail.
    assert code == 0 and [(f["code"], f["severity"]) for f in findings] == [("MW103", "info")]


def test_config_excludes_apply_to_passed_files(repo):
    (repo / SETTINGS).write_text((repo / SETTINGS).read_text() + '    SECRET_KEY = "x"\n')
    (repo / ".modelw-lint.toml").write_text('extend-exclude = ["api/acme/django/settings.py"]\n')
    assert check(repo, SETTINGS) == (0, [])


# -- the real pre-commit -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def precommit_home(tmp_path_factory):
    if shutil.which("git") is None:
        pytest.skip("git is needed")
    try:
        import pre_commit  # noqa: F401
    except ImportError:
        pytest.skip("pre-commit is not installed (pip install '.[test]')")
    return tmp_path_factory.mktemp("pre-commit-home")


def try_repo(root, home, hook="modelw-lint"):
    env = {**os.environ, "PRE_COMMIT_HOME": str(home), "PRE_COMMIT_COLOR": "never"}
    env.pop("GIT_DIR", None)
    start = time.monotonic()
    proc = subprocess.run(
        [sys.executable, "-m", "pre_commit", "try-repo", REPO, hook, "--verbose"],
        cwd=root, capture_output=True, text=True, env=env, timeout=600,
    )
    return proc.returncode, proc.stdout + proc.stderr, time.monotonic() - start


@pytest.mark.slow
def test_pre_commit_scenarios(fixture_copy, precommit_home):
    root = fixture_copy("compliant")
    # 1. A commit that breaks a rule: the hook fails and names it.
    settings = root / SETTINGS
    settings.write_text(settings.read_text().replace("    AUTH_USER_MODEL", '    SECRET_KEY = "hunter2"\n    AUTH_USER_MODEL'))
    git(root, "add", SETTINGS)
    code, out, _ = try_repo(root, precommit_home)
    assert code == 1, out
    assert "MW201" in out and SETTINGS in out
    git(root, "checkout", "--", ".")
    git(root, "reset", "-q", "--hard")
    # 2. A clean commit passes.
    settings.write_text(settings.read_text().replace(
        "    AUTH_USER_MODEL",
        '    TIMEOUT = env.get("TIMEOUT", default="30")\n    AUTH_USER_MODEL',
    ))
    git(root, "add", SETTINGS)
    code, out, _ = try_repo(root, precommit_home)
    assert code == 0, out
    git(root, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "clean")
    # 3. Only an unrelated file: passes, and runs nothing.
    (root / "README.md").write_text("# Acme\n\nMore words.\n")
    git(root, "add", "README.md")
    code, out, _ = try_repo(root, precommit_home)
    assert code == 0, out
    git(root, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "readme")
    # 4. Deleting a required file fails, although pre-commit passes no file name.
    git(root, "rm", "-q", "api/pyproject.toml")
    code, out, _ = try_repo(root, precommit_home)
    assert code == 1, out
    assert "MW104" in out
    # The fixing hook fixes what it can and still fails when findings remain.
    git(root, "reset", "-q", "--hard")
    settings.write_text(settings.read_text().replace(
        "    AUTH_USER_MODEL",
        '    DEBUG = True\n    STATIC_URL = "/assets/"\n    AUTH_USER_MODEL',
    ))
    (root / "api/acme/django/urls.py").write_text('from django.urls import path\n\nurlpatterns = [path("admin/", admin)]\n')
    git(root, "add", "-A")
    code, out, _ = try_repo(root, precommit_home, "modelw-lint-fix")
    assert code == 1, out
    assert "DEBUG = True" not in settings.read_text() and "/assets/" not in settings.read_text()
    assert "MW701" in out


def readme_block(language, containing):
    text = open(os.path.join(REPO, "README.md"), encoding="utf-8").read()
    blocks = text.split(f"```{language}\n")[1:]
    return next(b.split("```", 1)[0] for b in blocks if containing in b)


@pytest.mark.slow
def test_readme_pre_commit_config_installs_and_runs(fixture_copy, precommit_home):
    import yaml

    config = yaml.safe_load(readme_block("yaml", "repos:"))
    [repo_entry] = config["repos"]
    assert [h["id"] for h in repo_entry["hooks"]] == ["modelw-lint"]
    repo_entry["repo"] = REPO
    repo_entry["rev"] = subprocess.run(["git", "rev-parse", "HEAD"], cwd=REPO, capture_output=True, text=True, check=True).stdout.strip()
    root = fixture_copy("compliant")
    (root / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config))
    git(root, "add", ".pre-commit-config.yaml")
    env = {**os.environ, "PRE_COMMIT_HOME": str(precommit_home), "PRE_COMMIT_COLOR": "never"}
    proc = subprocess.run(
        [sys.executable, "-m", "pre_commit", "run", "--all-files"],
        cwd=root,
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "modelw-lint" in proc.stdout and "Passed" in proc.stdout
