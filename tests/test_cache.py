"""The result cache and lazy imports: correctness, not timing (timing is benchmarks/run.py)."""

import json
import subprocess
import sys

import pytest
from conftest import cli_runner

from modelw_lint.project import files as files_module
from modelw_lint.engine.cache import read_signed, write_signed
from modelw_lint.cli import main

SETTINGS = "backend/shop/settings/prod.py"


def check(root, *args):
    result = cli_runner().invoke(main, ["check", str(root), "--format", "json", "--exit-zero", *args], catch_exceptions=False)
    return json.loads(result.stdout)


def findings(data):
    return [(f["code"], f["path"], f["line"], f["message"]) for f in data["findings"]]


@pytest.fixture
def legacy(fixture_copy):
    return fixture_copy("legacy")


@pytest.fixture
def reads(monkeypatch):
    seen = []
    real = files_module._read_bytes

    def spy(path, *args):
        seen.append(path)
        return real(path, *args)

    monkeypatch.setattr(files_module, "_read_bytes", spy)
    return seen


def test_warm_run_equals_cold_run_and_reads_little(legacy, reads):
    cold = check(legacy)
    assert (legacy / ".modelw-lint-cache").is_dir()
    cold_reads = len(reads)
    reads.clear()
    warm = check(legacy)
    assert warm == cold
    assert len(reads) < cold_reads / 3, f"a warm run read {len(reads)} files (cold: {cold_reads})"
    assert findings(check(legacy, "--no-cache")) == findings(cold)


def test_a_changed_file_is_checked_again(legacy):
    check(legacy)
    path = legacy / SETTINGS
    path.write_text(path.read_text().replace('    DEBUG = True\n', ''))
    warm = findings(check(legacy))
    assert not [f for f in warm if f[0] == "MW202" and f[1] == SETTINGS]
    assert warm == findings(check(legacy, "--no-cache"))


def test_a_change_to_what_facts_read_reruns_the_rules(legacy):
    check(legacy)
    # manage.py decides which module is the settings module: point it at prod.py only.
    manage = legacy / "backend/manage.py"
    manage.write_text(manage.read_text().replace("shop.settings.dev", "shop.settings.prod"))
    wsgi = legacy / "backend/shop/wsgi.py"
    wsgi.write_text(wsgi.read_text().replace("shop.settings.prod", "shop.settings.prod"))
    assert findings(check(legacy)) == findings(check(legacy, "--no-cache"))


def test_a_new_file_is_seen(legacy):
    check(legacy)
    (legacy / "backend/shop/orders/mail.py").write_text("from django.core.mail import send_mail\n\nsend_mail('a', 'b', None, ['c'])\n")
    warm = findings(check(legacy))
    assert any(f[0] == "MW601" and f[1] == "backend/shop/orders/mail.py" for f in warm)
    assert warm == findings(check(legacy, "--no-cache"))


def test_a_damaged_cache_is_ignored(legacy):
    cold = check(legacy)
    [cache] = [p for p in (legacy / ".modelw-lint-cache").iterdir() if p.suffix == ".json"]
    cache.write_text('{"key": "garbage", "files": [')
    assert check(legacy) == cold
    cache.write_text(json.dumps({"key": "x"}))
    assert check(legacy) == cold


def test_no_cache_and_cache_dir(legacy, tmp_path):
    check(legacy, "--no-cache")
    assert not (legacy / ".modelw-lint-cache").exists()
    elsewhere = tmp_path / "cache"
    check(legacy, "--cache-dir", str(elsewhere))
    assert any(p.suffix == ".json" for p in elsewhere.iterdir())
    assert (elsewhere / ".gitignore").read_text().endswith("*\n")
    assert not (legacy / ".modelw-lint-cache").exists()


def test_the_cache_is_not_linted_nor_committed(legacy):
    check(legacy)
    status = subprocess.run(["git", "status", "--porcelain"], cwd=legacy, capture_output=True, text=True).stdout
    assert ".modelw-lint-cache" not in status


def test_two_runs_at_once(legacy):
    cmd = [sys.executable, "-m", "modelw_lint", "check", str(legacy), "--format", "json", "--exit-zero"]
    procs = [subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(3)]
    outs = [p.communicate(timeout=120) for p in procs]
    assert all(p.returncode == 0 for p in procs), [o[1] for o in outs]
    results = [findings(json.loads(o[0])) for o in outs]
    assert results[0] == results[1] == results[2]
    for cache in (legacy / ".modelw-lint-cache").iterdir():
        if cache.suffix == ".json":
            read_signed(str(cache))  # complete, not interleaved
    assert findings(check(legacy)) == results[0]


def test_a_run_that_parses_no_python_does_not_import_libcst(legacy):
    code = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from modelw_lint.cli import main\n"
        f"r = CliRunner().invoke(main, ['check', {str(legacy)!r}, '--select', 'layout,deploy', '--no-cache', '--exit-zero'])\n"
        "assert 'MW101' in r.output, r.output\n"
        "print(sorted(m for m in ('libcst', 'tomlkit') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_a_warm_run_imports_no_maintainer_tool_nor_a_parser_it_does_not_need(legacy):
    """The release tool (argparse, zip and email readers) is never loaded by a check; a warm
    run with nothing changed loads neither YAML, dotenv nor pathspec, and packs are found
    without importlib.metadata."""
    check(legacy)
    code = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from modelw_lint.cli import main\n"
        f"r = CliRunner().invoke(main, ['check', {str(legacy)!r}, '--exit-zero'])\n"
        "assert 'MW101' in r.output, r.output\n"
        "unwanted = ('modelw_lint_rules.refresh', 'argparse', 'yaml', 'dotenv', 'pathspec', 'importlib.metadata')\n"
        "print(sorted(m for m in unwanted if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_the_process_pool_gives_the_same_findings(legacy, monkeypatch):
    from modelw_lint.engine import pool

    monkeypatch.setattr(pool, "POOL_MIN_FILES", 1)
    used = []
    real = pool.file_rules
    monkeypatch.setattr(pool, "file_rules", lambda linter: used.append(linter.jobs) or real(linter))
    one = check(legacy, "--no-cache", "--jobs", "1")
    two = check(legacy, "--no-cache", "--jobs", "2")
    assert used == [2]
    assert findings(one) == findings(two)
    assert two["summary"]["files_checked"] == one["summary"]["files_checked"]


def test_no_pool_for_small_runs(legacy, monkeypatch):
    from modelw_lint.engine import pool

    monkeypatch.setattr(pool, "file_rules", lambda linter: (_ for _ in ()).throw(AssertionError("pool used")))
    check(legacy, "--no-cache", "--jobs", "4")


def test_progress_bar_only_when_asked_or_on_a_terminal(legacy):
    result = cli_runner().invoke(main, ["check", str(legacy), "--progress", "--format", "json", "--exit-zero"])
    assert "rules" in result.stderr and result.stdout.lstrip().startswith("{")
    quiet = cli_runner().invoke(main, ["check", str(legacy), "--format", "json", "--exit-zero"])
    assert quiet.stderr == ""


def test_editing_a_rule_invalidates_the_cache(legacy, monkeypatch, tmp_path):
    from modelw_lint.engine import cache

    check(legacy)
    keys = []
    real = cache.cache_key
    monkeypatch.setattr(cache, "cache_key", lambda *a, **k: keys.append(real(*a, **k)) or keys[-1])
    check(legacy)
    rule_file = tmp_path / "fake_rule.py"
    rule_file.write_text("x = 1\n")
    monkeypatch.setattr(cache, "code_signature", lambda objects: [[str(rule_file), 6, 1]])
    check(legacy)
    monkeypatch.setattr(cache, "code_signature", lambda objects: [[str(rule_file), 6, 2]])
    check(legacy)
    assert keys[1] != keys[2]


def _gis_project(root):
    from modelw_lint.testing import write_files

    files = {
        "api/manage.py": "import os\n",
        "api/pyproject.toml": (
            '[tool.poetry]\nname = "acme"\npackages = [{include = "acme"}]\n[tool.poetry.dependencies]\npython = "~3.14"\n'
            'modelw-preset-django = {extras = ["psycopg", "storages"], version = ">=2026.7.0,<2026.8.0"}\n'
        ),
        "api/acme/__init__.py": "",
        "api/acme/django/__init__.py": "",
        "api/acme/django/settings.py": (
            "from model_w.env_manager import EnvManager\nfrom model_w.preset.django import ModelWDjango\n\n"
            "with EnvManager(ModelWDjango()) as env:\n    pass\n"
        ),
    }
    for i in range(30):
        files[f"api/acme/apps/app{i}/__init__.py"] = ""
        files[f"api/acme/apps/app{i}/models.py"] = ("from django.db import models\n\n\nclass Shop(models.Model):\n"
            "    name = models.CharField(max_length=9)\n")
    write_files(str(root), files)
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)
    subprocess.run(["git", "add", "-A"], cwd=root, check=True)


def test_a_repository_rule_scanning_every_module_reads_only_what_changed(tmp_path, reads):
    """MW908 looks for `django.contrib.gis` in every module: warm, the answer for unchanged
    modules comes from the cache (no read), and a module that changes is read again."""
    _gis_project(tmp_path)
    assert [f for f in findings(check(tmp_path)) if f[0] == "MW908"] == []
    models = tmp_path / "api/acme/apps/app7/models.py"
    models.write_text("from django.contrib.gis.db import models\n\n\nclass Shop(models.Model):\n    where = models.PointField()\n")
    reads.clear()
    warm = check(tmp_path)
    assert [f[:2] for f in findings(warm) if f[0] == "MW908"] == [("MW908", "api/acme/apps/app7/models.py")]
    read_models = [p for p in reads if p.endswith("models.py")]
    assert read_models == [str(models)], "only the module that changed"
    assert findings(warm) == findings(check(tmp_path, "--no-cache"))
    # And back: the finding goes when the module no longer uses GIS.
    models.write_text("from django.db import models\n")
    assert [f for f in findings(check(tmp_path)) if f[0] == "MW908"] == []


def test_a_damaged_needle_table_is_ignored(tmp_path):
    _gis_project(tmp_path)
    check(tmp_path)
    [cache] = (tmp_path / ".modelw-lint-cache").glob("v*.json")
    data = read_signed(str(cache))
    data["needles"] = {"api/acme/apps/app1/models.py": ["not", "a", "table"]}
    write_signed(str(cache), data)
    assert findings(check(tmp_path)) == findings(check(tmp_path, "--no-cache"))


def test_a_damaged_file_state_counts_as_a_change(tmp_path):
    """File states are checked when their file is: a damaged one makes the file count as
    changed (read and checked again), never an error or a stale result."""
    _gis_project(tmp_path)
    check(tmp_path)
    settings = "api/acme/django/settings.py"
    [cache] = (tmp_path / ".modelw-lint-cache").glob("v*.json")
    data = read_signed(str(cache))
    assert data["file_rules"]["MW915"][settings]  # LANGUAGES is never set
    data["files"][settings] = ["junk", None]
    data["file_rules"]["MW915"].pop(settings)  # what trusting the damaged state would reuse
    write_signed(str(cache), data)
    warm = findings(check(tmp_path))
    assert [f for f in warm if f[0] == "MW915"] and warm == findings(check(tmp_path, "--no-cache"))


def test_a_hook_run_looks_only_at_the_files_it_needs(tmp_path, monkeypatch):
    """A warm hook run checks (stats, hashes) the given files and those its rules ask about
    (here every module, which repository rules read), not every file of the repository (the
    templates and docs no rule reads); its findings are those of a run without the cache."""
    import os

    from modelw_lint.engine import cache as cache_module
    from modelw_lint.testing import write_files

    _gis_project(tmp_path)
    write_files(str(tmp_path), {f"docs/page{i}.md": f"# Page {i}\n" for i in range(40)})
    write_files(str(tmp_path), {f"api/acme/templates/t{i}.html": "<p>{{ x }}</p>\n" for i in range(40)})
    subprocess.run(["git", "add", "-A"], cwd=tmp_path, check=True)
    check(tmp_path)
    models = tmp_path / "api/acme/apps/app3/models.py"
    send = "\n\ndef hi(u):\n    from django.core.mail import send_mail\n\n    send_mail('a', 'b', None, [u.email])\n"
    models.write_text(models.read_text() + send)
    checked = []
    real = cache_module.Reuse._check
    monkeypatch.setattr(cache_module.Reuse, "_check", lambda self, path: checked.append(path) or real(self, path))
    old = os.getcwd()
    os.chdir(tmp_path)
    try:
        args = ["check", "--format", "json", "--exit-zero", "--hook", "api/acme/apps/app3/models.py"]
        hook = json.loads(cli_runner().invoke(main, args, catch_exceptions=False).stdout)
    finally:
        os.chdir(old)
    assert "api/acme/apps/app3/models.py" in checked
    assert [p for p in checked if p.endswith((".md", ".html"))] == []
    assert [f[:2] for f in findings(hook)] == [("MW601", "api/acme/apps/app3/models.py")]


def test_the_release_is_reused_while_what_it_read_is_unchanged(fixture_copy):
    """The report's release line comes from the cache on a warm run (no settings, lock or
    Dockerfile read to find it again) and is found anew when a file it read changes."""
    root = fixture_copy("compliant")
    assert check(root)["release"]["name"] == "2026.07"
    [cache] = (root / ".modelw-lint-cache").glob("v*.json")
    data = read_signed(str(cache))
    assert "api/pyproject.toml" in data["report"]["release"]["reads"]
    data["report"]["release"]["data"]["name"] = "from the cache"
    write_signed(str(cache), data)
    assert check(root)["release"]["name"] == "from the cache"  # reused: nothing it read changed
    pyproject = root / "api/pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace(">=2026.7.0,<2026.8.0", ">=2026.10.0,<2026.11.0"))
    assert check(root)["release"]["name"] == "2026.10"
    assert check(root)["release"] == check(root, "--no-cache")["release"]


def test_the_listing_started_before_the_packs_load_is_taken_up_once(tmp_path):
    """The CLI starts git's listing before loading the rule packs; the run that follows uses
    it, and a listing left over by a run that stopped early is never used by a later one."""
    from modelw_lint.project import inventory

    root = tmp_path / "repo"
    root.mkdir()
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    (root / "a.py").write_text("x = 1\n")
    inventory.prefetch_listing(str(root))
    assert set(inventory.list_files(str(root)).files) == {"a.py"}
    inventory.prefetch_listing(str(root))  # a run that fails before listing leaves this behind
    (root / "b.py").write_text("y = 2\n")
    inventory.prefetch_listing(str(root))  # the next run starts its own
    assert set(inventory.list_files(str(root)).files) == {"a.py", "b.py"}
    assert set(inventory.list_files(str(root)).files) == {"a.py", "b.py"}  # nothing left to take up: listed anew


GIS_MODELS = "from django.contrib.gis.db import models\n\n\nclass Shop(models.Model):\n    location = models.PointField()\n"


def _committed_gis_project(root):
    _gis_project(root)
    subprocess.run(["git", "-c", "user.email=a@b", "-c", "user.name=a", "commit", "-qm", "x"], cwd=root, check=True)


def test_files_git_found_unchanged_are_not_stated_again(tmp_path, monkeypatch):
    """A warm run takes git's word for tracked files it found unchanged (the content id the
    cache recorded): no stat of its own for them, and what git says changed is checked."""
    from modelw_lint.engine import cache

    _committed_gis_project(tmp_path)
    cold = findings(check(tmp_path))
    check(tmp_path)  # records git's ids of the files the cold run read
    stated = []
    real = cache.os.stat

    def spy(path, *args, **kwargs):
        if sys._getframe(1).f_code.co_filename == cache.__file__:  # the cache's own checks
            stated.append(str(path))
        return real(path, *args, **kwargs)

    monkeypatch.setattr(cache.os, "stat", spy)
    assert findings(check(tmp_path)) == cold
    assert [p for p in stated if "/api/" in p] == []
    # Committed between two runs: git says the work tree is clean, but the id moved.
    models = tmp_path / "api/acme/apps/app3/models.py"
    models.write_text(GIS_MODELS)
    subprocess.run(["git", "-c", "user.email=a@b", "-c", "user.name=a", "commit", "-qam", "gis"], cwd=tmp_path, check=True)
    warm = findings(check(tmp_path))
    assert [f for f in warm if f[0] == "MW908"] and warm == findings(check(tmp_path, "--no-cache"))
    # Changed in the work tree only.
    models.write_text("from django.db import models\n")
    warm = findings(check(tmp_path))
    assert not [f for f in warm if f[0] == "MW908"] and warm == findings(check(tmp_path, "--no-cache"))


def test_files_git_is_told_to_ignore_are_stated(tmp_path):
    """A file flagged skip-worktree or assume-unchanged is one git does not look at: the cache
    checks it itself."""
    _committed_gis_project(tmp_path)
    check(tmp_path)
    check(tmp_path)
    settings = tmp_path / "api/acme/django/settings.py"
    subprocess.run(["git", "update-index", "--assume-unchanged", "api/acme/django/settings.py"], cwd=tmp_path, check=True)
    settings.write_text(settings.read_text().replace("    pass\n", '    LANGUAGES = [("en", "English")]\n'))
    warm = findings(check(tmp_path))
    assert not [f for f in warm if f[0] == "MW915"] and warm == findings(check(tmp_path, "--no-cache"))
    models = tmp_path / "api/acme/apps/app4/models.py"
    subprocess.run(["git", "update-index", "--skip-worktree", "api/acme/apps/app4/models.py"], cwd=tmp_path, check=True)
    models.write_text(GIS_MODELS)
    warm = findings(check(tmp_path))
    assert [f for f in warm if f[0] == "MW908"] and warm == findings(check(tmp_path, "--no-cache"))
