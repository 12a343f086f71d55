"""One root and one configuration whatever the entry point: `check`, `check PATH...`, the
pre-commit hook's `check --hook FILES` and a run from a sub-folder agree on the root, on the
paths they print, on the configuration that applies and on the findings under the paths.

The project is shaped as newcomers leave Model W projects: no configuration at the root, the
linter's settings in `api/pyproject.toml` (the only pyproject.toml there is)."""

from __future__ import annotations

import json
import os
import subprocess

import pytest
from conftest import cli_runner

from modelw_lint.cli import main

STORAGE_CODE = (
    "from django.core.files.storage import FileSystemStorage\n\n"
    "exports = FileSystemStorage(location=\"/srv/exports\")\n"
)
MAIL_CODE = (
    "from django.core.mail import send_mail\n\n\n"
    "def welcome(user):\n"
    "    send_mail(\"Welcome\", \"Hello\", \"noreply@acme.example\", [user.email])\n"
)
FRONT_CALL = "export const load = () => fetch(\"https://api.acme.example/v1/me\").then((r) => r.json());\n"


def run(*args, cwd):
    old = os.getcwd()
    try:
        os.chdir(cwd)
        return cli_runner().invoke(main, list(args), catch_exceptions=False)
    finally:
        os.chdir(old)


def findings(result):
    assert result.exit_code in (0, 1), result.output
    return sorted((f["code"], f["path"]) for f in json.loads(result.stdout)["findings"])


def git(root, *args):
    subprocess.run(["git", *args], cwd=root, check=True, capture_output=True)


@pytest.fixture
def project(fixture_copy):
    """The compliant project with its config moved into api/pyproject.toml, and three drifts:
    a local storage in api (MW402), raw send_mail in api (MW601, ignored by api's config) and an
    API domain called by the front (MW704)."""
    root = fixture_copy("compliant")
    (root / ".modelw-lint.toml").unlink()
    pyproject = root / "api" / "pyproject.toml"
    pyproject.write_text(pyproject.read_text() + '\n[tool.modelw-lint]\nignore = ["MW601"]\n')
    (root / "api" / "acme" / "apps" / "people" / "exports.py").write_text(STORAGE_CODE)
    (root / "api" / "acme" / "apps" / "people" / "emails.py").write_text(MAIL_CODE)
    (root / "front" / "src" / "routes" / "+page.ts").write_text(FRONT_CALL)
    git(root, "add", "-A")
    return root


EXPORTS = ("MW402", "api/acme/apps/people/exports.py")
FRONT = ("MW704", "front/src/routes/+page.ts")


def test_a_full_run_applies_the_component_config(project):
    result = run("check", "--format", "json", "--no-cache", cwd=project)
    data = json.loads(result.stdout)
    assert data["root"] == str(project)
    assert findings(result) == [EXPORTS, FRONT]  # MW601 is ignored in api/, by api's config


def test_a_file_checked_alone_is_judged_as_in_the_full_run(project):
    target = "api/acme/apps/people/exports.py"
    for args in (["check", target], ["check", "--hook", target]):
        result = run(*args, "--format", "json", "--no-cache", cwd=project)
        assert json.loads(result.stdout)["root"] == str(project)
        assert findings(result) == [EXPORTS]
    silenced = "api/acme/apps/people/emails.py"
    for args in (["check", silenced], ["check", "--hook", silenced]):
        assert run(*args, "--format", "json", "--no-cache", cwd=project).exit_code == 0


def test_a_run_from_a_component_folder_uses_the_same_root(project):
    result = run("check", "acme/apps/people/exports.py", "--format", "json", "--no-cache", cwd=project / "api")
    assert json.loads(result.stdout)["root"] == str(project)
    assert findings(result) == [EXPORTS]
    # With no PATH: the current folder, as ruff does.
    assert findings(run("check", "--format", "json", "--no-cache", cwd=project / "api")) == [EXPORTS]


def test_check_a_folder_reports_that_folder_only(project):
    result = run("check", "api", "--format", "json", "--no-cache", cwd=project)
    # Not "the Django project is in the repository root": the root is the repository's.
    assert findings(result) == [EXPORTS]
    assert findings(run("check", "front", "--format", "json", "--no-cache", cwd=project)) == [FRONT]


def test_two_folders_are_not_hook_mode(project):
    result = run("check", "api", "front", "--format", "json", "--no-cache", cwd=project)
    assert findings(result) == [EXPORTS, FRONT]
    # A repository rule still reads the whole repository: without a front, MW103 (reported on
    # api/pyproject.toml) is under the path `api`, not under `api/acme`.
    git(project, "rm", "-rqf", "front")
    assert ("MW103", "api/pyproject.toml") in findings(run("check", "api", "--format", "json", "--no-cache", cwd=project))
    assert findings(run("check", "api/acme", "--format", "json", "--no-cache", cwd=project)) == [EXPORTS]


def test_the_text_report_names_paths_from_the_root(project):
    result = run("check", "acme/apps/people/exports.py", "--no-cache", "--format", "concise", cwd=project / "api")
    assert result.stdout.startswith("api/acme/apps/people/exports.py:3:")


def test_a_folder_config_selects_and_excludes_relative_to_its_folder(project):
    pyproject = project / "api" / "pyproject.toml"
    text = pyproject.read_text().replace('ignore = ["MW601"]', 'select = ["messaging"]\nextend-exclude = ["acme/apps/people/emails.py"]')
    pyproject.write_text(text)
    # In api/ only messaging rules run, and emails.py is excluded: nothing there; the front
    # keeps the root's defaults.
    assert findings(run("check", "--format", "json", "--no-cache", cwd=project)) == [FRONT]
    pyproject.write_text(text.replace('extend-exclude = ["acme/apps/people/emails.py"]', ""))
    assert findings(run("check", "--format", "json", "--no-cache", cwd=project)) == [
        ("MW601", "api/acme/apps/people/emails.py"), FRONT,
    ]


def test_repository_keys_of_a_folder_config_apply_to_the_repository(project):
    pyproject = project / "api" / "pyproject.toml"
    pyproject.write_text(pyproject.read_text() + 'release = "2026.04"\n')
    data = json.loads(run("check", "--format", "json", "--no-cache", cwd=project).stdout)
    assert data["release"]["name"] == "2026.04"
    assert "api/pyproject.toml" in data["release"]["source"]


def test_folder_configs_that_disagree_are_a_config_error(project):
    pyproject = project / "api" / "pyproject.toml"
    pyproject.write_text(pyproject.read_text() + 'release = "2026.04"\n')
    (project / "front" / "modelw-lint.toml").write_text('release = "2026.07"\n')
    git(project, "add", "-A")
    result = run("check", "--no-cache", cwd=project)
    assert result.exit_code == 2
    assert "set release differently" in result.output and "front/modelw-lint.toml" in result.output


def test_local_packs_are_named_at_the_root_only(project):
    pyproject = project / "api" / "pyproject.toml"
    pyproject.write_text(pyproject.read_text() + 'packs = ["acme.lint"]\n')
    result = run("check", "--no-cache", cwd=project)
    assert result.exit_code == 2
    assert "'packs' applies to the whole repository" in result.output


def test_a_project_that_declares_its_own_root_is_not_part_of_the_outer_one(tmp_path, fixture_copy):
    outer = tmp_path / "agency"
    outer.mkdir()
    git(outer, "init", "-q")
    inner = fixture_copy("legacy", git=False)
    os.rename(inner, outer / "shop")
    (outer / "README.md").write_text("# Our projects\n")
    git(outer, "add", "-A")
    # The bundled fixtures are such projects: `root = true` in their configuration.
    assert "root = true" in (outer / "shop" / ".modelw-lint.toml").read_text()
    result = run("check", "--format", "json", "--no-cache", "--select", "layout", cwd=outer)
    assert all(not f["path"].startswith("shop/") for f in json.loads(result.stdout)["findings"])
    result = run("check", "shop", "--format", "json", "--no-cache", cwd=outer)
    data = json.loads(result.stdout)
    assert data["root"] == str(outer / "shop")
    assert ("MW101", "backend/manage.py") in {(f["code"], f["path"]) for f in data["findings"]}


def test_show_settings_says_what_a_run_would_use(project):
    out = run("check", "--show-settings", cwd=project / "api").stdout
    assert f"Root: {project} (the top of the git work tree)" in out
    assert "Paths: api" in out
    assert "folder configuration: api/pyproject.toml (governs api/)" in out
    assert "Release: Model W release 2026.07" in out
    api_rules = next(line for line in out.splitlines() if line.startswith("Enabled rules in api/"))
    assert "MW601" not in api_rules
    assert "MW601" in next(line for line in out.splitlines() if line.startswith("Enabled rules ("))
    data = json.loads(run("check", "--show-settings", "--format", "json", cwd=project).stdout)
    assert data["root"] == str(project) and data["folder_configurations"][0]["file"] == "api/pyproject.toml"


def test_show_files_lists_what_is_checked_and_why_others_are_not(project):
    pyproject = project / "api" / "pyproject.toml"
    pyproject.write_text(pyproject.read_text() + 'extend-exclude = ["acme/apps/people/emails.py"]\n')
    (project / "modelw-lint.toml").write_text('extend-exclude = ["front/src/"]\n')
    git(project, "add", "-A")
    data = json.loads(run("check", "--show-files", "--format", "json", cwd=project).stdout)
    assert "api/acme/apps/people/exports.py" in data["checked"]
    assert data["skipped"]["front/src/routes/+page.ts"].startswith("excluded by ")
    assert "modelw-lint.toml" in data["skipped"]["front/src/routes/+page.ts"]
    assert "api/pyproject.toml" in data["skipped"]["api/acme/apps/people/emails.py"]
    text = run("check", "api", "--show-files", cwd=project).stdout
    assert "front/" not in text.split("Skipped:")[0]
    assert "api/acme/apps/people/emails.py: excluded by" in text
