"""What a ruff user reaches for, and the gentle path onto a legacy project (issue 25): `-V`,
`init`, `--add-noqa`, `--fix-only`, `--exit-non-zero-on-fix`, `--color`, `--no-baseline`,
`output-format` in the configuration and `MODELW_LINT_OUTPUT_FORMAT`, `--fix --diff`, `--fix`
with a baseline, the hook on a legacy project, and the configuration's JSON schema."""

from __future__ import annotations

import json
import os
import subprocess

import pytest
from conftest import REPO, cli_runner

from modelw_lint.cli import main

SETTINGS = "backend/shop/settings/prod.py"


def run(*args, env=None):
    return cli_runner().invoke(main, list(args), catch_exceptions=False, env=env)


@pytest.fixture
def legacy(fixture_copy):
    """The legacy fixture as a project that never configured modelw-lint."""
    root = fixture_copy("legacy")
    (root / ".modelw-lint.toml").unlink()
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qam", "no configuration"], cwd=root,
                   check=True, capture_output=True)
    return root


def test_short_version_flag():
    assert run("-V").output == run("--version").output != ""


def test_init_writes_the_configuration_and_a_baseline_so_check_passes(legacy):
    result = run("init", str(legacy))
    assert result.exit_code == 0, result.output
    assert "Wrote .modelw-lint.toml (no Model W release detected)." in result.output
    assert "Recorded the 52 current finding(s) in .modelw-lint-baseline.json" in result.output
    config = (legacy / ".modelw-lint.toml").read_text()
    assert 'baseline = ".modelw-lint-baseline.json"' in config
    assert run("check", str(legacy), "--no-cache").exit_code == 0, "the next check passes"
    prod = legacy / SETTINGS
    prod.write_text(prod.read_text() + 'API_TOKEN = "new"\n')
    drift = run("check", str(legacy), "--no-cache", "--format", "concise")
    assert drift.exit_code == 1 and "MW203" in drift.output, "a new drift fails it"
    again = run("init", str(legacy))
    assert again.exit_code == 2 and "already configures modelw-lint here" in again.output


def test_init_on_a_model_w_project_writes_its_release(fixture_copy):
    root = fixture_copy("nuxt3-celery")
    (root / ".modelw-lint.toml").unlink(missing_ok=True)
    for name in ("pyproject.toml",):
        path = root / name
        if path.exists() and "modelw-lint" in path.read_text():
            path.unlink()
    result = run("init", str(root))
    assert result.exit_code == 0, result.output
    assert 'release = "2026.04"' in (root / ".modelw-lint.toml").read_text()
    assert "No finding: the project conforms." in result.output or "Recorded" in result.output


def test_add_noqa_comments_each_finding_and_the_next_check_passes(legacy):
    result = run("check", str(legacy), "--add-noqa", "--no-cache")
    assert result.exit_code == 0, result.output
    assert "Added 36 suppression comments in 10 files." in result.output
    text = (legacy / SETTINGS).read_text()
    assert 'SECRET_KEY = "prod-secret-do-not-share"  # modelw-lint: ignore[MW201]' in text
    docker = (legacy / "backend/Dockerfile").read_text()
    assert "# modelw-lint: ignore[MW802]\nCMD" in docker, "above the line in a Dockerfile (a trailing # is part of it)"
    left = run("check", str(legacy), "--no-cache", "--format", "json")
    remaining = json.loads(left.stdout)["findings"]
    assert remaining and all(f["code"] != "MW201" and f["path"] != SETTINGS or f["code"] == "MW003" for f in remaining)
    assert not [f for f in remaining if f["code"] == "MW003" and "modelw-lint: ignore" in (legacy / f["path"]).read_text()
                .splitlines()[f["line"] - 1] and "STRIPE" not in (legacy / f["path"]).read_text().splitlines()[f["line"] - 1]]
    twice = run("check", str(legacy), "--add-noqa", "--no-cache")
    assert "Added 0 suppression comments in 0 files." in twice.output, "adding twice changes nothing"


def test_add_noqa_never_changes_what_a_file_says(tmp_path):
    from modelw_lint.fix.noqa import with_comments

    python = 'X = """\nSECRET = 1\n"""\nSECRET_KEY = "a" \\\n    "b"\n'
    new = with_comments(python, "python", {4: {"MW201"}})
    assert new is not None and "# modelw-lint: ignore[MW201]\nSECRET_KEY" in new, "the line above, not after the backslash"
    yaml_text = "script: |\n  echo x\nimage: rabbitmq:3\n"
    assert with_comments(yaml_text, "yaml", {3: {"MW303"}}).endswith("image: rabbitmq:3  # modelw-lint: ignore[MW303]\n")
    merged = with_comments("A = 1  # modelw-lint: ignore[MW203]\n", "python", {1: {"MW201"}})
    assert merged == "A = 1  # modelw-lint: ignore[MW201, MW203]\n"


def test_fix_only_and_exit_non_zero_on_fix(fixture_copy):
    root = fixture_copy("legacy")
    result = run("check", str(root), "--fix-only", "--no-cache")
    assert result.exit_code == 0, result.output
    assert result.stdout == "" and "Fixed 5 findings; 47 left (not reported: --fix-only)." in result.stderr
    root2 = fixture_copy("nuxt3-celery")
    settings = next(p for p in root2.rglob("settings.py"))
    import re

    settings.write_text(re.sub(r"(with EnvManager\(.*\) as env:\n)", r"\1    DEBUG = True\n", settings.read_text(), count=1))
    fixed = run("check", str(root2), "--fix", "--exit-non-zero-on-fix", "--no-cache")
    assert "Fixed 1 finding" in fixed.output and fixed.exit_code == 1, fixed.output
    assert run("check", str(root2), "--no-cache").exit_code == 0


def test_fix_diff_shows_and_writes_nothing(fixture_copy):
    root = fixture_copy("legacy")
    before = (root / SETTINGS).read_text()
    result = run("check", str(root), "--fix", "--diff", "--no-cache")
    assert result.exit_code == 1 and result.stdout.startswith("--- a/")
    assert (root / SETTINGS).read_text() == before


def test_fix_with_a_baseline_fixes_baselined_findings_and_says_so(fixture_copy):
    root = fixture_copy("legacy")
    assert run("baseline", str(root)).exit_code == 0
    result = run("check", str(root), "--baseline", str(root / ".modelw-lint-baseline.json"), "--fix", "--no-cache")
    assert "Fixed 5 findings (5 of them in the baseline: --update-baseline drops their entries)." in result.output
    assert result.exit_code == 0, "what is left is the stale baseline entries (info)"
    assert 'SECRET_KEY = "prod-secret-do-not-share"' not in (root / SETTINGS).read_text()


def test_no_baseline_reports_everything(fixture_copy):
    root = fixture_copy("legacy")
    assert run("baseline", str(root)).exit_code == 0
    config = root / ".modelw-lint.toml"
    config.write_text(config.read_text() + 'baseline = ".modelw-lint-baseline.json"\n')
    assert run("check", str(root), "--no-cache").exit_code == 0
    everything = run("check", str(root), "--no-cache", "--no-baseline", "--format", "json")
    assert everything.exit_code == 1 and len(json.loads(everything.stdout)["findings"]) == 52
    both = run("check", str(root), "--no-baseline", "--update-baseline")
    assert both.exit_code == 2 and "pick one" in both.output


def test_output_format_from_the_configuration_and_the_environment(fixture_copy):
    root = fixture_copy("legacy")
    config = root / ".modelw-lint.toml"
    config.write_text(config.read_text() + 'output-format = "concise"\n')
    concise = run("check", str(root), "--no-cache")
    assert concise.output.splitlines()[0].startswith(".gitignore:1:1: MW207 [error]")
    env = run("check", str(root), "--no-cache", env={"MODELW_LINT_OUTPUT_FORMAT": "json"})
    assert json.loads(env.stdout)["findings"]
    cli = run("check", str(root), "--no-cache", "--format", "text", env={"MODELW_LINT_OUTPUT_FORMAT": "json"})
    assert "  = fix (safe, --fix)" in cli.output, "the command line wins"
    config.write_text(config.read_text().replace('"concise"', '"yaml"'))
    bad = run("check", str(root))
    assert bad.exit_code == 2 and "'output-format' must be one of text, concise" in bad.output


@pytest.mark.parametrize("choice, env, colour", [
    ("always", {}, True), ("never", {"FORCE_COLOR": "1"}, False), (None, {"FORCE_COLOR": "1"}, True), (None, {"NO_COLOR": "1"}, False),
])
def test_color(fixture_copy, choice, env, colour):
    root = fixture_copy("legacy")
    args = ["check", str(root), "--no-cache"] + (["--color", choice] if choice else [])
    output = run(*args, env={"NO_COLOR": None, "FORCE_COLOR": None, **env}).output
    assert ("\x1b[" in output) is colour


def test_the_hook_on_a_legacy_project_reports_what_the_commit_changed(fixture_copy):
    root = fixture_copy("legacy")
    views = root / "backend/shop/orders/views.py"
    views.write_text("def index(request):\n    return None\n")
    unrelated = run("check", "--hook", "--no-cache", "--format", "json", str(views))
    data = json.loads(unrelated.stdout)
    assert data["findings"] == [] and unrelated.exit_code == 0, "legacy findings elsewhere stay for CI"
    views.write_text("from django.core.mail import send_mail\n\n\ndef index(request):\n    send_mail('a', 'b', None, ['c'])\n")
    drift = json.loads(run("check", "--hook", "--no-cache", "--format", "json", str(views)).stdout)
    assert [(f["code"], f["path"]) for f in drift["findings"]] == [("MW601", "backend/shop/orders/views.py")]


def test_the_configuration_schema_is_generated_and_current(tmp_path):
    import jsonschema
    import tomllib

    schema = json.loads(run("schema").stdout)
    with open(os.path.join(REPO, "docs", "modelw-lint.schema.json"), encoding="utf-8") as fh:
        assert json.load(fh) == schema, "docs/modelw-lint.schema.json is stale: run `modelw-lint schema > docs/modelw-lint.schema.json`"
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    from modelw_lint.config import KEYS

    for name, key in KEYS.items():  # every documented example is valid
        assert not list(validator.iter_errors({name: key.example})), name
    for path in ("fixtures/legacy/.modelw-lint.toml", "fixtures/nuxt3-celery/.modelw-lint.toml"):
        full = os.path.join(REPO, path)
        if os.path.exists(full):
            with open(full, "rb") as fh:
                assert not list(validator.iter_errors(tomllib.load(fh))), path
    # What the reader refuses, the schema refuses.
    from modelw_lint.config import ConfigError, load_config

    bad_configs = {
        'fail-on = "fatal"\n': {"fail-on": "fatal"},
        'select = "MW2"\n': {"select": "MW2"},
        'root = "yes"\n': {"root": "yes"},
        "max-file-size = 0\n": {"max-file-size": 0},
        'output-format = "xml"\n': {"output-format": "xml"},
        '[per-file-ignores]\n"a/**" = "MW201"\n': {"per-file-ignores": {"a/**": "MW201"}},
        'colour = "always"\n': {"colour": "always"},
    }
    for n, (toml_text, data) in enumerate(bad_configs.items()):
        assert list(validator.iter_errors(data)), data
        path = os.path.join(tmp_path, f"bad-{n}.toml")
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(toml_text)
        with pytest.raises(ConfigError):
            load_config(path, user_named=True)
