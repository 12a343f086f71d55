"""The command line as a user runs it: exit codes, formats, options, fixtures."""

import json
import os
import shutil
import subprocess
import sys

import pytest
from conftest import FIXTURES, REPO, cli_runner

from modelw_lint import __version__
from modelw_lint.cli import main

SNAPSHOTS = os.path.join(os.path.dirname(__file__), "snapshots")


def run(*args, cwd=None):
    runner = cli_runner()
    old = os.getcwd()
    try:
        if cwd:
            os.chdir(cwd)
        return runner.invoke(main, list(args), catch_exceptions=False)
    finally:
        os.chdir(old)


def normalised_json(output, root):
    data = json.loads(output)
    assert data["root"] == str(root)
    data["root"] = "<root>"
    return data


def test_version():
    result = run("--version")
    assert result.exit_code == 0
    assert result.output.strip() == f"modelw-lint {__version__}"


def test_python_dash_m(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "modelw_lint", "--version"], capture_output=True, text=True)
    assert proc.returncode == 0 and proc.stdout.strip() == f"modelw-lint {__version__}"


def test_help_explains_commands():
    result = run("--help")
    assert result.exit_code == 0
    for word in ("check", "rules", "explain", "Exit codes"):
        assert word in result.output
    check_help = run("check", "--help").output
    for option in (
        "--fix",
        "--unsafe-fixes",
        "--diff",
        "--select",
        "--ignore",
        "--config",
        "--format",
        "--output",
        "--exit-zero",
        "--no-cache",
    ):
        assert option in check_help


@pytest.mark.parametrize("name", ["compliant", "lookalikes", "nuxt3-celery"])
def test_clean_fixtures_have_no_finding(name, fixture_copy):
    # In place (as the README runs it; no cache written into the source tree) and as a fresh
    # git repository (with its cache).
    for root, cache in ((os.path.join(FIXTURES, name), ("--no-cache",)), (fixture_copy(name), ())):
        result = run("check", str(root), "--format", "json", *cache)
        assert result.exit_code == 0, result.output
        data = json.loads(result.stdout)
        assert data["findings"] == [] and data["errors"] == []


def test_era_fixture_without_its_ignore_has_only_the_celery_note(fixture_copy):
    root = fixture_copy("nuxt3-celery")
    result = run("check", str(root), "--config", os.devnull, "--format", "json")
    data = json.loads(result.stdout)
    assert [(f["code"], f["severity"]) for f in data["findings"]] == [("MW306", "info")]
    assert result.exit_code == 0  # info does not fail a run
    assert data["release"]["name"] == "2026.04" and data["release"]["supported"]


def test_release_is_reported(fixture_copy):
    root = fixture_copy("compliant")
    out = run("check", str(root)).stdout
    assert out.startswith("Model W release 2026.07 (supported), from modelw-preset-django >=2026.7.0,<2026.8.0 in api/pyproject.toml")
    (root / ".modelw-lint.toml").write_text('release = "2026.04"\n')
    data = json.loads(run("check", str(root), "--format", "json").stdout)
    assert data["release"] == {
        "name": "2026.04",
        "source": "set by `release` in the configuration (.modelw-lint.toml)",
        "supported": True,
        "known": True,
        "status": "supported",
    }
    # The configured release drives the release-aware rules: the base image now disagrees, and
    # the older signal (the configured release) is the one pointed at: no image is lowered.
    [finding] = data["findings"]
    assert (finding["code"], finding["path"], finding["line"]) == ("MW804", ".modelw-lint.toml", 1)
    assert "modelw/base:2026.07" in finding["message"] and finding["fix"] is None


def test_legacy_fixture_matches_snapshot(fixture_copy):
    root = fixture_copy("legacy")
    result = run("check", str(root), "--format", "json")
    assert result.exit_code == 1
    data = normalised_json(result.output, root)
    path = os.path.join(SNAPSHOTS, "legacy.json")
    if os.environ.get("UPDATE_SNAPSHOTS"):
        with open(path, "w") as fh:
            json.dump(data, fh, indent=2)
            fh.write("\n")
    with open(path) as fh:
        expected = json.load(fh)
    assert data == expected


def test_legacy_fix_matches_expected_files(fixture_copy):
    """`--fix --unsafe-fixes` on the legacy fixture: the files it changes, as the snapshot in
    tests/snapshots/legacy-fixed/ has them (UPDATE_SNAPSHOTS=1 rewrites it)."""
    root = fixture_copy("legacy")
    before = {p: (root / p).read_text() for p in ("backend/shop/settings/base.py",)}
    result = run("check", str(root), "--fix", "--unsafe-fixes")
    assert result.exit_code == 1, result.output  # unfixable findings remain
    assert "Fixed 10 findings." in result.output
    changed = subprocess.run(["git", "diff", "--name-only"], cwd=root, capture_output=True, text=True, check=True).stdout.split()
    expected_dir = os.path.join(SNAPSHOTS, "legacy-fixed")
    if os.environ.get("UPDATE_SNAPSHOTS"):
        shutil.rmtree(expected_dir, ignore_errors=True)
        for path in changed:
            os.makedirs(os.path.dirname(os.path.join(expected_dir, path)), exist_ok=True)
            shutil.copyfile(root / path, os.path.join(expected_dir, path))
    snapshot = sorted(
        os.path.relpath(os.path.join(folder, name), expected_dir).replace(os.sep, "/")
        for folder, _dirs, names in os.walk(expected_dir) for name in names
    )
    assert sorted(changed) == snapshot
    expected = {".gitignore", "Procfile", "backend/Dockerfile", "backend/shop/settings/prod.py"}
    assert expected <= set(changed)
    for path in changed:
        with open(os.path.join(expected_dir, path)) as fh:
            assert (root / path).read_text() == fh.read(), path
    # Files without a fix are untouched.
    assert (root / "backend/shop/settings/base.py").read_text() == before["backend/shop/settings/base.py"]
    # A second --fix changes nothing and still reports what remains.
    again = run("check", str(root), "--fix", "--unsafe-fixes", "--format", "json")
    assert again.exit_code == 1
    data = json.loads(again.output)
    assert data["summary"]["fixed"] == 0
    assert all(f["fix"] is None for f in data["findings"])
    assert {f["code"] for f in data["findings"]} >= {"MW101", "MW102", "MW209"}


def test_fix_without_unsafe_leaves_unsafe_findings(fixture_copy):
    root = fixture_copy("legacy")
    result = run("check", str(root), "--fix", "--format", "json")
    data = json.loads(result.output)
    assert data["summary"]["fixed"] == 5
    remaining = [f for f in data["findings"] if f["fix"]]
    assert sorted(f["code"] for f in remaining) == ["MW204", "MW305", "MW802", "MW803", "MW803"]
    assert {f["fix"]["safety"] for f in remaining} == {"unsafe"}
    assert "os.getenv" in (root / "backend/shop/settings/prod.py").read_text()


def test_diff_writes_nothing(fixture_copy):
    root = fixture_copy("legacy")
    before = (root / "backend/shop/settings/prod.py").read_text()
    result = run("check", str(root), "--diff")
    assert result.exit_code == 1
    assert "--- a/backend/shop/settings/prod.py" in result.output
    assert '-    SECRET_KEY = "prod-secret-do-not-share"' in result.output
    assert "+.env" in result.output
    assert (root / "backend/shop/settings/prod.py").read_text() == before
    clean = run("check", os.path.join(FIXTURES, "compliant"), "--diff", "--no-cache")
    assert clean.exit_code == 0 and clean.stdout == ""


def test_text_output_has_frame_fix_hint_and_summary(fixture_copy):
    root = fixture_copy("legacy")
    out = run("check", str(root)).output
    assert 'backend/shop/settings/prod.py:10:5: MW201 [error] literal SECRET_KEY' in out
    assert '  10 |     SECRET_KEY = "prod-secret-do-not-share"' in out
    assert "= fix (safe, --fix): delete the assignment" in out
    assert "(5 fixable with --fix, 5 more with --unsafe-fixes)" in out


def test_concise_and_output_file(fixture_copy, tmp_path):
    root = fixture_copy("legacy")
    target = tmp_path / "report.txt"
    result = run("check", str(root), "--format", "concise", "--output", str(target))
    assert result.exit_code == 1
    assert result.output == ""
    *lines, total = target.read_text().splitlines()
    assert lines and all(":" in line and " MW" in line for line in lines)
    # A summary line, as ruff's concise output ends; --quiet leaves the findings alone.
    assert total == "52 findings (5 fixable with --fix, 5 more with --unsafe-fixes): 31 errors, 17 warnings, 4 info."
    quiet = run("check", str(root), "--format", "concise", "--quiet").output.splitlines()
    assert quiet == lines
    assert "backend/manage.py:1:1: MW101 [error]" in lines[1] or any(line.startswith("backend/manage.py:1:1: MW101") for line in lines)


def test_select_ignore_and_exit_zero(fixture_copy):
    root = fixture_copy("legacy")
    only = json.loads(run("check", str(root), "--select", "layout", "--format", "json").output)
    assert {f["family"] for f in only["findings"]} == {"layout"}
    codes = json.loads(run("check", str(root), "--select", "MW2", "--ignore", "MW203,MW204", "--format", "json").output)
    found = {f["code"] for f in codes["findings"]}
    assert found and all(c.startswith("MW2") for c in found) and not found & {"MW203", "MW204"}
    exact = json.loads(run("check", str(root), "--ignore", "settings", "--extend-select", "MW201", "--format", "json").output)
    assert {f["code"] for f in exact["findings"] if f["family"] == "settings"} == {"MW201"}
    assert run("check", str(root), "--exit-zero").exit_code == 0


def test_fail_on(tmp_path):
    # Only warnings: exit 1 by default (fail-on = warning), 0 with --fail-on error.
    (tmp_path / "api").mkdir()
    (tmp_path / "api" / "manage.py").write_text("import os\n")
    (tmp_path / "api" / "requirements.txt").write_text("Django\n")
    (tmp_path / "front").mkdir()
    (tmp_path / "front" / "package.json").write_text('{"dependencies": {"svelte": "*"}}')
    (tmp_path / ".modelw-lint.toml").write_text('select = ["layout"]\n')
    result = run("check", str(tmp_path), "--format", "json")
    data = json.loads(result.output)
    assert {f["severity"] for f in data["findings"]} == {"warning"}
    assert result.exit_code == 1
    assert run("check", str(tmp_path), "--fail-on", "error").exit_code == 0
    (tmp_path / ".modelw-lint.toml").write_text('select = ["layout"]\nfail-on = "error"\n')
    assert run("check", str(tmp_path)).exit_code == 0


def test_unknown_selector_is_a_usage_error(tmp_path):
    result = run("check", str(tmp_path), "--select", "MW999")
    assert result.exit_code == 2
    assert "modelw-lint: error: --select: unknown rule code or family 'MW999' (codes like MW201" in result.output
    assert "--select: --select" not in result.output


def test_codes_are_read_whatever_their_case(fixture_copy):
    root = fixture_copy("legacy")
    lower = json.loads(run("check", str(root), "--select", "mw201", "--format", "json").stdout)
    upper = json.loads(run("check", str(root), "--select", "MW201", "--format", "json").stdout)
    assert lower["findings"] == upper["findings"] and {f["code"] for f in lower["findings"]} == {"MW201"}


def test_unsafe_fixes_alone_says_it_does_nothing(fixture_copy):
    root = fixture_copy("legacy")
    result = run("check", str(root), "--unsafe-fixes")
    assert result.exit_code == 1
    assert "--unsafe-fixes applies fixes only with --fix (write them) or --diff (show them)" in result.stderr
    assert run("check", str(root), "--unsafe-fixes", "--diff").stderr.count("--unsafe-fixes applies") == 0


def test_show_fixes_lists_what_was_fixed(fixture_copy):
    root = fixture_copy("legacy")
    out = run("check", str(root), "--fix", "--show-fixes").stdout
    assert "Applied 5 fixes:" in out
    assert "- backend/shop/settings/prod.py:" in out
    assert "MW201 delete the assignment" in out.split("Applied 5 fixes:")[1]
    assert "Applied" not in run("check", str(root), "--fix").stdout


def test_quiet_prints_the_findings_only(fixture_copy):
    root = fixture_copy("legacy")
    quiet = run("check", str(root), "-q")
    assert quiet.exit_code == 1 and quiet.stderr == ""
    assert "Model W release" not in quiet.stdout and "findings (" not in quiet.stdout
    assert "MW201 [error]" in quiet.stdout
    assert run("check", str(root), "--diff", "--quiet").stderr == ""


def test_verbose_says_where_and_how_long(fixture_copy):
    root = fixture_copy("legacy")
    result = run("check", str(root), "-v", "--no-cache")
    assert f"modelw-lint: root: {root}" in result.stderr
    assert "modelw-lint: configuration: " in result.stderr and ".modelw-lint.toml" in result.stderr
    assert "modelw-lint: time: " in result.stderr and "modelw-lint: rules: " in result.stderr
    assert run("check", str(root), "-q", "-v").exit_code == 2


def test_clean_removes_the_cache_and_nothing_else(fixture_copy, tmp_path):
    root = fixture_copy("compliant")
    assert run("check", str(root)).exit_code == 0
    cache = root / ".modelw-lint-cache"
    assert any(cache.iterdir())
    result = run("clean", str(root))
    assert result.exit_code == 0 and "Removed" in result.stdout
    assert not cache.exists()
    assert "No cache" in run("clean", str(root)).stdout
    # A cache folder holding something else keeps it; a symlinked cache is unlinked, not followed.
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("keep me")
    assert run("clean", str(root), "--cache-dir", str(mine)).exit_code == 0
    assert (mine / "notes.txt").read_text() == "keep me"
    (mine / "v1-abc.json").write_text("{}")
    cache.symlink_to(mine)
    run("clean", str(root))
    assert not cache.exists() and (mine / "v1-abc.json").exists()


def test_config_unknown_key_names_key_and_file(tmp_path):
    (tmp_path / "modelw-lint.toml").write_text('selec = ["MW2"]\n')
    result = run("check", str(tmp_path))
    assert result.exit_code == 2
    assert "unknown key 'selec'" in result.output
    assert str(tmp_path / "modelw-lint.toml") in result.output


def test_config_unknown_code_in_pyproject(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.modelw-lint]\nignore = ["queue-ish"]\n')
    result = run("check", str(tmp_path))
    assert result.exit_code == 2
    assert "pyproject.toml [tool.modelw-lint]: ignore: unknown rule code or family 'queue-ish'" in result.output


def test_broken_config_is_exit_2(tmp_path):
    (tmp_path / ".modelw-lint.toml").write_text("select = [\n")
    result = run("check", str(tmp_path))
    assert result.exit_code == 2 and "invalid TOML" in result.output


def test_ignore_reasons_are_reported(fixture_copy):
    root = fixture_copy("compliant")
    (root / "front" / "package.json").unlink()
    data = json.loads(run("check", str(root), "--format", "json").output)
    assert [f["code"] for f in data["findings"]] == ["MW103"]
    (root / ".modelw-lint.toml").write_text('[ignore-reasons]\nMW103 = "the mobile app is the client"\n')
    result = run("check", str(root), "--format", "json")
    data = json.loads(result.output)
    assert result.exit_code == 0 and data["findings"] == []
    assert data["ignored"] == [{"code": "MW103", "reason": "the mobile app is the client"}]
    assert "Ignored by configuration: MW103 (the mobile app is the client)" in run("check", str(root)).output
    (root / ".modelw-lint.toml").write_text('[ignore-reasons]\nMW103 = ""\n')
    assert run("check", str(root)).exit_code == 2


def test_per_file_ignores(fixture_copy):
    root = fixture_copy("legacy")
    (root / ".modelw-lint.toml").write_text('[per-file-ignores]\n"backend/shop/settings/base.py" = ["MW203", "MW204"]\n'
        '"**/prod.py" = ["settings"]\n')
    data = json.loads(run("check", str(root), "--format", "json").output)
    assert not [f for f in data["findings"] if f["path"].endswith("base.py") and f["code"] in ("MW203", "MW204")]
    assert not [f for f in data["findings"] if f["path"].endswith("prod.py") and f["family"] == "settings"]
    assert [f for f in data["findings"] if f["path"].endswith("base.py") and f["code"] == "MW403"]


def test_check_defaults_to_the_repo_of_the_current_directory(fixture_copy):
    root = fixture_copy("legacy")
    result = run("check", "--format", "json", cwd=root / "backend" / "shop")
    assert json.loads(result.output)["root"] == str(root)


def test_rules_lists_every_rule(registry):
    text = run("rules").output
    data = json.loads(run("rules", "--format", "json").output)
    codes = [r["code"] for r in data]
    assert codes == sorted(registry.rules)
    assert set(data[0]) == {"code", "name", "family", "severity", "fix", "kind", "summary"}
    mw201 = next(r for r in data if r["code"] == "MW201")
    assert mw201 == {**mw201, "name": "hardcoded-secret-key", "family": "settings", "severity": "error", "fix": "safe"}
    for code in codes:
        assert code in text


@pytest.mark.parametrize("columns", [80, 120, 200])
def test_rules_is_an_aligned_table_that_fits_the_terminal(columns, monkeypatch):
    monkeypatch.setenv("COLUMNS", str(columns))
    lines = run("rules").stdout.splitlines()
    assert all(len(line) <= columns for line in lines), max(lines, key=len)
    rows = [line for line in lines if line.startswith("MW")]
    assert len(rows) == len(json.loads(run("rules", "--format", "json").stdout))
    name_column = {line.index(line.split()[1]) for line in rows}
    family_column = {line.index(" " + line.split()[2] + " ") for line in rows}
    assert len(name_column) == 1 and len(family_column) == 1, "aligned"


def test_explain_is_drawn_for_a_terminal(registry, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    result = run("explain", "MW201")
    assert result.exit_code == 0
    out = result.stdout
    assert out.startswith("MW201 hardcoded-secret-key\n")
    for section in ("What it does", "Why it matters", "Example", "Use instead", "Fix safety", "References"):
        assert f"\n{section}\n{'-' * len(section)}\n" in out
    assert "## " not in out and "```" not in out, "no raw Markdown"
    prose = [line for line in out.splitlines() if not line.startswith(("        ", "Docs: "))]
    assert all(len(line) <= 80 for line in prose), "prose wrapped to the terminal"
    assert "Examples that fire (" in out and "Examples that stay silent (" in out
    assert out.rstrip().endswith("#mw201-hardcoded-secret-key")
    assert run("explain", "hardcoded-secret-key").output == result.output
    bad = run("explain", "MW999")
    assert bad.exit_code == 2 and "unknown rule" in bad.output


def test_explain_shows_a_repository_example_as_a_tree_and_its_file():
    out = run("explain", "MW404").stdout
    example = out.split("Examples that fire")[1].split("  • ")[1]
    assert "├── api/" in example and "└── " in example
    assert "models.py  ←" in example
    assert "api/acme/apps/people/models.py:" in example and "avatar = models.ImageField" in example
    assert "api/acme/django/settings.py:" not in example, "only the file the example is about"


def test_explain_markdown_is_the_docs_section(registry):
    from modelw_lint.report.docs import explain_text

    result = run("explain", "MW201", "--format", "markdown")
    assert result.stdout == explain_text(registry.lookup("MW201"))
    for section in ("What it does", "Examples that fire", "Examples that stay silent"):
        assert f"## {section}" in result.stdout


def test_docs_are_generated_and_current():
    result = run("rules", "--format", "markdown")
    with open(os.path.join(REPO, "docs", "rules.md")) as fh:
        assert fh.read() == result.output, "docs/rules.md is stale: run `modelw-lint rules --format markdown > docs/rules.md`"


def test_the_process_exits_with_its_code_and_all_its_output(tmp_path):
    """The entry point leaves without tearing the interpreter down: what it printed is all
    there, the exit code is the run's, and a reader that goes away early costs no traceback."""
    import subprocess
    import sys

    legacy = os.path.join(REPO, "fixtures", "legacy")
    proc = subprocess.run([sys.executable, "-m", "modelw_lint", "check", legacy, "--format", "json", "--no-cache"],
                          capture_output=True, text=True)
    assert proc.returncode == 1 and json.loads(proc.stdout)["findings"], proc.stderr
    proc = subprocess.run([sys.executable, "-m", "modelw_lint", "check", str(tmp_path / "missing")], capture_output=True, text=True)
    assert proc.returncode == 2 and "does not exist" in proc.stderr
    reader = subprocess.Popen([sys.executable, "-m", "modelw_lint", "rules"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert reader.stdout is not None and reader.stdout.read(10)
    reader.stdout.close()  # the reader goes away (as `| head -1` does)
    _out, err = reader.communicate()
    assert b"Traceback" not in err and reader.returncode in (0, 1, 120), err
