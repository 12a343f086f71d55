"""Hostile and damaged repositories: modelw-lint never runs their code, never writes outside
them, never crashes, hangs or blows up its memory on them.

Each test builds a repository with one attack, runs the installed ``modelw-lint`` command as a
user would (a subprocess, with a timeout and an address-space limit), and asserts what must not
happen: no marker file written by the repository's code, nothing changed in a sentinel folder
outside the repository, an exit code of 0, 1 or 2 as documented, no traceback.
"""

from __future__ import annotations

import hashlib
import json
import os
import resource
import subprocess
import sys
import time

import pytest

from modelw_lint.engine.cache import read_signed, write_signed
from modelw_lint.testing import write_files

TOOL = os.path.join(os.path.dirname(sys.executable), "modelw-lint")
MEMORY_LIMIT = 2 * 1024**3  # bytes of address space for one run
SETTINGS = "api/acme/django/settings.py"


def run_tool(args, cwd, *, timeout=60, env=None, module=False):
    """Run modelw-lint like a user: exit code 0/1/2, no traceback, within time and memory."""

    def limits():
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))

    command = [sys.executable, "-m", "modelw_lint", *args] if module else [TOOL, *args]
    environment = {k: v for k, v in os.environ.items() if not k.startswith("MODELW_LINT")}
    environment.update(CI="1", **(env or {}))
    start = time.monotonic()
    proc = subprocess.run(
        command, cwd=cwd, capture_output=True, text=True, timeout=timeout, preexec_fn=limits, env=environment,
        errors="replace",
    )
    proc.elapsed = time.monotonic() - start
    assert "Traceback" not in proc.stderr + proc.stdout, proc.stderr
    assert proc.returncode in (0, 1, 2), (proc.returncode, proc.stderr)
    return proc


def git(root, *args):
    # The test's own git calls must not run the attacks' fsmonitor either.
    return subprocess.run(["git", "-c", "core.fsmonitor=false", *args], cwd=root, check=True, capture_output=True, text=True)


def make_repo(root, files=None, commit=True):
    from modelw_lint_rules._examples import model_w_repo

    repo = model_w_repo()
    repo.update(files or {})
    write_files(str(root), {p: t for p, t in repo.items() if t is not None})
    if commit:
        git(root, "init", "-q")
        git(root, "add", "-A")
        git(root, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "init")
    return root


class Sentinel:
    """A folder outside the repository whose every byte must survive the run."""

    def __init__(self, path):
        self.path = path
        path.mkdir()
        (path / "precious.txt").write_text("do not touch\n")
        (path / "sub").mkdir()
        (path / "sub" / "notes.md").write_text("# mine\n")
        self.before = self.snapshot()

    def snapshot(self):
        out = {}
        for folder, dirs, files in os.walk(self.path):
            for name in dirs + files:
                full = os.path.join(folder, name)
                data = open(full, "rb").read() if os.path.isfile(full) else b"<dir>"
                out[os.path.relpath(full, self.path)] = hashlib.sha256(data).hexdigest()
        return out

    def assert_untouched(self):
        assert self.snapshot() == self.before, "modelw-lint changed files outside the repository"


@pytest.fixture
def sentinel(tmp_path):
    return Sentinel(tmp_path / "outside")


@pytest.fixture
def markers(tmp_path):
    folder = tmp_path / "markers"
    folder.mkdir()
    return folder


def json_findings(proc):
    return json.loads(proc.stdout)["findings"]


# -- 1. the repository's own Python never runs without --local-packs ---------------------------


def marker_code(markers, name):
    return f"import pathlib\npathlib.Path({str(markers / name)!r}).write_text('ran')\n"


def test_local_pack_named_by_the_repository_is_not_imported(tmp_path, markers):
    root = make_repo(tmp_path / "repo", {
        "t/__init__.py": "",
        "t/p.py": marker_code(markers, "pack"),
        ".modelw-lint.toml": 'packs = ["t.p"]\n',
    })
    for args in (["check"], ["check", "--hook", SETTINGS], ["check", "--diff"], ["check", "--fix"], ["baseline"]):
        run_tool(args, root)
    assert not list(markers.iterdir())
    proc = run_tool(["check", "--format", "json"], root)
    assert [(f["code"], f["path"]) for f in json_findings(proc)] == [("MW006", ".modelw-lint.toml")]


def test_local_pack_in_a_parent_folder_config_is_not_imported(tmp_path, markers):
    parent = tmp_path / "parent"
    write_files(str(parent), {"t/__init__.py": "", "t/p.py": marker_code(markers, "parent"), ".modelw-lint.toml": 'packs = ["t.p"]\n'})
    child = make_repo(parent / "project", commit=False)  # not a git repository
    run_tool(["check", str(child)], tmp_path)
    run_tool(["check"], child)
    assert not list(markers.iterdir())


# -- 2. git runs nothing the repository configured ---------------------------------------------


def test_git_does_not_run_the_repositorys_fsmonitor(tmp_path, markers):
    root = make_repo(tmp_path / "repo")
    git(root, "config", "core.fsmonitor", f"touch {markers / 'fsmonitor'}")
    (root / "new.py").write_text("x = 1\n")  # an untracked file: git must scan the work tree
    run_tool(["check"], root)
    git(root, "add", "new.py")
    run_tool(["check", "--hook", "new.py"], root)
    run_tool(["check", "--hook"], root)
    assert not list(markers.iterdir())


# -- 3. nothing is written outside the root ----------------------------------------------------


def test_fix_does_not_write_through_a_symlink_out_of_the_root(tmp_path, sentinel):
    # MW207's fix appends .env to the root .gitignore, which points outside.
    root = make_repo(tmp_path / "repo", {".gitignore": None, "api/.env": "SECRET_KEY=x\n"})
    os.symlink(sentinel.path / "precious.txt", root / ".gitignore")
    git(root, "add", "-A")
    diff = run_tool(["check", "--diff"], root)
    assert "/dev/null" not in diff.stdout and ".gitignore" not in diff.stdout
    fixed = run_tool(["check", "--fix", "--format", "json"], root)
    assert any(f["code"] == "MW004" and "outside the repository" in f["message"] for f in json_findings(fixed))
    sentinel.assert_untouched()
    assert os.path.islink(root / ".gitignore")


def test_fix_does_not_follow_a_dangling_symlink_out_of_the_root(tmp_path, sentinel):
    root = make_repo(tmp_path / "repo", {".gitignore": None, "api/.env": "SECRET_KEY=x\n"})
    os.symlink(sentinel.path / "newdir" / "deeper" / "file", root / ".gitignore")
    run_tool(["check", "--fix"], root)
    sentinel.assert_untouched()
    assert not (sentinel.path / "newdir").exists()


def test_baseline_is_not_written_through_a_symlink(tmp_path, sentinel):
    root = make_repo(tmp_path / "repo", {"front/package.json": None})
    os.symlink(sentinel.path / "precious.txt", root / ".modelw-lint-baseline.json")
    proc = run_tool(["baseline"], root)
    assert proc.returncode == 2 and "outside the repository" in proc.stderr
    sentinel.assert_untouched()


def test_configured_baseline_must_be_inside_the_root(tmp_path, sentinel):
    root = make_repo(tmp_path / "repo", {".modelw-lint.toml": 'baseline = "../outside/precious.txt"\n'})
    proc = run_tool(["check", "--update-baseline"], root)
    assert proc.returncode == 2 and "outside the repository" in proc.stderr
    os.symlink(sentinel.path / "precious.txt", root / "b.json")
    (root / ".modelw-lint.toml").write_text('baseline = "b.json"\n')
    proc = run_tool(["check", "--update-baseline"], root)
    assert proc.returncode == 2 and "outside the repository" in proc.stderr
    sentinel.assert_untouched()


def test_cache_is_not_written_through_a_symlinked_cache_folder(tmp_path, sentinel):
    root = make_repo(tmp_path / "repo")
    os.symlink(sentinel.path, root / ".modelw-lint-cache")
    proc = run_tool(["check"], root)
    assert proc.returncode == 0 and "cache is not used" in proc.stderr
    sentinel.assert_untouched()


def test_cache_gitignore_symlink_is_not_followed(tmp_path, sentinel):
    root = make_repo(tmp_path / "repo")
    (root / ".modelw-lint-cache").mkdir()
    os.symlink(sentinel.path / "planted.txt", root / ".modelw-lint-cache" / ".gitignore")
    run_tool(["check"], root)
    sentinel.assert_untouched()


def test_output_named_by_the_user_goes_where_they_said(tmp_path):
    root = make_repo(tmp_path / "repo")
    target = tmp_path / "reports" / "deep" / "out.sarif"
    proc = run_tool(["check", "--format", "sarif", "--output", str(target)], root)
    assert proc.returncode == 0 and json.loads(target.read_text())["version"] == "2.1.0"


# -- 4. python -m never imports modules lying in the checked repository ------------------------


def test_python_m_ignores_modules_in_the_current_directory(tmp_path, markers):
    root = make_repo(tmp_path / "repo", {
        name: marker_code(markers, name) for name in ("yaml.py", "click.py", "inspect.py", "pathspec.py", "tomllib.py")
    })
    proc = run_tool(["check", "--format", "json"], root, module=True)
    assert proc.returncode in (0, 1)
    assert not list(markers.iterdir())


# -- 5. inputs the configuration names are regular files, inside the root, of bounded size ----


@pytest.mark.parametrize("target", ["/dev/zero", "fifo", "../outside.json"])
def test_configured_baseline_that_is_not_a_small_regular_file(tmp_path, target):
    root = make_repo(tmp_path / "repo", {".modelw-lint.toml": f'baseline = "{target}"\n'})
    if target == "fifo":
        os.mkfifo(root / "fifo")
    (tmp_path / "outside.json").write_text('{"findings": []}')
    proc = run_tool(["check"], root, timeout=20)
    assert proc.returncode == 2 and "baseline" in proc.stderr and proc.elapsed < 10


def test_config_file_that_is_a_fifo(tmp_path):
    root = make_repo(tmp_path / "repo")
    os.mkfifo(root / ".modelw-lint.toml")
    proc = run_tool(["check"], root, timeout=20)
    assert proc.returncode == 2 and "FIFO" in proc.stderr


def test_pyproject_that_is_a_fifo(tmp_path):
    # Outside git, finding the root reads each parent's pyproject.toml.
    root = make_repo(tmp_path / "repo", commit=False)
    os.mkfifo(root / "pyproject.toml")
    (root / "api" / "pyproject.toml").unlink()
    os.mkfifo(root / "api" / "pyproject.toml")
    proc = run_tool(["check", "api"], root, timeout=20)
    assert proc.returncode in (0, 1)


# -- 6. nesting that would crash the parser ----------------------------------------------------


DEEP = "x = " + "(" * 3000 + "1" + ")" * 3000 + "\n"
DEEP_WITHOUT_BRACKETS = "x = " + "-" * 2900 + "1\n"
SLOW = "x = " + "lambda: " * 550 + "1\n"
# Valid to the last line: libcst must not re-read it all to tell newer syntax from an error.
LONG_THEN_BROKEN = ("y = " + "(" * 150 + "1" + ")" * 150 + "\n") * 3000 + "def f(:\n    pass\n"


@pytest.mark.parametrize(
    "code", [DEEP, DEEP_WITHOUT_BRACKETS, SLOW * 40, LONG_THEN_BROKEN], ids=["brackets", "unary", "slow", "long-then-broken"],
)
def test_deeply_nested_python_is_a_parse_error_and_the_rest_is_checked(tmp_path, code):
    root = make_repo(tmp_path / "repo", {
        "api/acme/apps/deep.py": "from django.core.mail import send_mail\n" + code,
        "api/acme/apps/mail.py": "from django.core.mail import send_mail\nsend_mail('a', 'b', None, ['c'])\n",
    })
    proc = run_tool(["check", "--format", "json"], root, timeout=60)
    found = {(f["code"], f["path"]) for f in json_findings(proc)}
    assert ("MW002", "api/acme/apps/deep.py") in found
    assert ("MW601", "api/acme/apps/mail.py") in found
    assert proc.elapsed < 30


def test_deeply_nested_python_in_the_process_pool(tmp_path):
    files = {f"api/acme/apps/gen/m{i}.py": f"X{i} = {i}\n" for i in range(1000)}
    files["api/acme/apps/deep.py"] = "from django.core.mail import send_mail\n" + DEEP
    files["api/acme/apps/mail.py"] = "from django.core.mail import send_mail\nsend_mail('a', 'b', None, ['c'])\n"
    root = make_repo(tmp_path / "repo", files)
    proc = run_tool(["check", "--format", "json", "--jobs", "2", "--no-cache"], root, timeout=120)
    found = {(f["code"], f["path"]) for f in json_findings(proc)}
    assert {("MW002", "api/acme/apps/deep.py"), ("MW601", "api/acme/apps/mail.py")} <= found


@pytest.mark.parametrize("path,text", [
    ("front/package.json", '{"dependencies": ' + "[" * 100_000 + "]" * 100_000 + "}"),
    ("api/pyproject.toml", "a = " + "[" * 100_000 + "]" * 100_000 + "\n"),
    ("docker-compose.yml", "services: " + "[" * 100_000 + "]" * 100_000 + "\n"),
])
def test_deeply_nested_data_files_are_parse_errors(tmp_path, path, text):
    root = make_repo(tmp_path / "repo", {path: text})
    proc = run_tool(["check", "--format", "json"], root)
    assert ("MW002", path) in {(f["code"], f["path"]) for f in json_findings(proc)}
    assert json.loads(proc.stdout)["errors"] == []


# -- 7. a YAML alias bomb ----------------------------------------------------------------------


def alias_bomb(levels=9):
    lines = ['x-a: &a ["amqp://guest:guest@rabbit//","l","l","l","l","l","l","l","l"]']
    names = "abcdefghijklmnop"
    for i in range(1, levels):
        lines.append(f"x-{names[i]}: &{names[i]} [" + ",".join(f"*{names[i - 1]}" for _ in range(9)) + "]")
    lines.append("services:\n  api:\n    image: acme\n    environment:\n      CELERY_BROKER_URL: amqp://guest:guest@rabbit//")
    lines.append(f"    command: *{names[levels - 1]}")
    return "\n".join(lines) + "\n"


def test_yaml_alias_bomb(tmp_path):
    bomb = alias_bomb()
    assert len(bomb) < 700
    root = make_repo(tmp_path / "repo", {"docker-compose.yml": bomb})
    proc = run_tool(["check", "--format", "json"], root, timeout=30)
    assert proc.elapsed < 15
    findings = json_findings(proc)
    keys = [(f["code"], f["path"], f["line"], f["column"], f["message"]) for f in findings]
    assert len(keys) == len(set(keys)), "the same finding was reported twice"
    assert len(findings) < 20


def test_anchor_merged_into_two_services_is_one_finding(tmp_path):
    compose = (
        "x-env: &env\n  CELERY_BROKER_URL: amqp://guest:guest@rabbit//\n"
        "services:\n  api:\n    image: acme\n    environment: *env\n"
        "  worker:\n    image: acme\n    environment:\n      <<: *env\n"
    )
    root = make_repo(tmp_path / "repo", {"docker-compose.yml": compose})
    findings = json_findings(run_tool(["check", "--format", "json"], root))
    amqp = [f for f in findings if f["path"] == "docker-compose.yml" and "amqp" in f["message"].lower()]
    assert len(amqp) == 1 and amqp[0]["line"] == 2


# -- 8. FIFOs and other non-regular files ------------------------------------------------------


def test_fifo_in_place_of_a_tracked_file(tmp_path):
    root = make_repo(tmp_path / "repo")
    run_tool(["check"], root)  # a warm cache that remembers the file
    (root / SETTINGS).unlink()
    os.mkfifo(root / SETTINGS)
    for _ in range(2):
        proc = run_tool(["check", "--format", "json"], root, timeout=20)
        [problem] = [f for f in json_findings(proc) if f["path"] == SETTINGS and f["code"] == "MW001"]
        assert "FIFO" in problem["message"]


# -- 9./10. the cache ------------------------------------------------------------------------


@pytest.mark.parametrize("damage", [
    lambda d: d.update(files=[]),
    lambda d: d.update(repo_rules={"MW103": {"deps": [], "findings": [{"code": 1}]}}),
    lambda d: d["file_rules"].update(MW201={"x.py": [{"code": "MW201"}]}),
    lambda d: d.update(supp={"a.py": [[1, 2]]}),
    lambda d: d.pop("problems"),
    lambda d: d.update(fact_values={"release": {"value": 1}}),
])
def test_damaged_cache_structure_is_ignored(tmp_path, damage):
    from modelw_lint_rules._examples import SETTINGS_PY

    root = make_repo(tmp_path / "repo", {"front/package.json": None, SETTINGS: SETTINGS_PY + "    DEBUG = True\n"})
    cold = run_tool(["check", "--format", "json"], root)
    [cache] = [p for p in (root / ".modelw-lint-cache").iterdir() if p.suffix == ".json"]
    data = read_signed(str(cache))
    damage(data)
    write_signed(str(cache), data)  # signed by this user: the structure checks must catch it
    warm = run_tool(["check", "--format", "json"], root)
    assert warm.returncode == cold.returncode == 1
    assert json_findings(warm) == json_findings(cold)
    assert read_signed(str(cache)).get("problems") is not None  # rewritten


def test_file_changed_while_being_read_is_not_cached(tmp_path, monkeypatch):
    from conftest import cli_runner

    from modelw_lint.project import files as files_module
    from modelw_lint.cli import main

    root = make_repo(tmp_path / "repo")
    settings = root / SETTINGS
    real = files_module._read_bytes

    def edit_while_reading(path, *args):
        data = real(path, *args)
        if path.endswith("settings.py") and b"SECRET_KEY" not in settings.read_bytes():
            settings.write_text(settings.read_text().replace("    LANGUAGES", '    SECRET_KEY = "edited"\n    LANGUAGES'))
        return data

    monkeypatch.setattr(files_module, "_read_bytes", edit_while_reading)
    cli_runner().invoke(main, ["check", str(root), "--format", "json"])
    monkeypatch.undo()
    warm = cli_runner().invoke(main, ["check", str(root), "--format", "json"])
    assert any(f["code"] == "MW201" for f in json.loads(warm.stdout)["findings"])


# -- 11. hook mode sees staged renames ---------------------------------------------------------


def test_hook_sees_a_renamed_front_package(tmp_path):
    root = make_repo(tmp_path / "repo")
    git(root, "mv", "front/package.json", "front/package.old.json")
    proc = run_tool(["check", "--hook", "--format", "json"], root)
    assert "MW103" in {f["code"] for f in json_findings(proc)}


def test_hook_sees_a_renamed_api_folder(tmp_path):
    root = make_repo(tmp_path / "repo")
    git(root, "mv", "api", "backend")
    proc = run_tool(["check", "--hook", "--format", "json"], root)
    assert {"MW101", "MW106"} & {f["code"] for f in json_findings(proc)}


# -- 12. small ones ----------------------------------------------------------------------------


def test_tool_that_is_not_a_table(tmp_path):
    root = make_repo(tmp_path / "repo", {"pyproject.toml": "tool = 3\n"})
    proc = run_tool(["check"], root)
    assert proc.returncode == 0, proc.stderr
    (root / "api/pyproject.toml").write_text("tool = 3\n[tool.poetry]\n")
    proc = run_tool(["check", "--format", "json"], root)
    assert proc.returncode in (0, 1) and json.loads(proc.stdout)["errors"] == []


def test_file_name_that_is_not_utf8_in_every_format(tmp_path):
    root = make_repo(tmp_path / "repo", commit=False)
    name = os.fsencode(str(root / "api/acme/apps")) + b"/mail_\xe9t\xe9.py"
    os.makedirs(os.path.dirname(name), exist_ok=True)
    with open(name, "w") as fh:
        fh.write("from django.core.mail import send_mail\nsend_mail('a', 'b', None, ['c'])\n")
    git(root, "init", "-q")
    for fmt in ("text", "concise", "json", "sarif", "github", "junit", "markdown"):
        proc = run_tool(["check", "--format", fmt], root)
        assert proc.returncode == 1, (fmt, proc.stderr)
    sarif = json.loads(run_tool(["check", "--format", "sarif"], root).stdout)
    uris = [r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in sarif["runs"][0]["results"]]
    assert "api/acme/apps/mail_%E9t%E9.py" in uris


@pytest.mark.parametrize("value", ["garbage", "1999.01", "2026.05"])
def test_release_setting_that_is_no_release(tmp_path, value):
    root = make_repo(tmp_path / "repo", {".modelw-lint.toml": f'release = "{value}"\n'})
    proc = run_tool(["check"], root)
    assert proc.returncode == 2 and "2026.07" in proc.stderr and value in proc.stderr


def test_unreadable_folder_is_reported(tmp_path, monkeypatch):
    from modelw_lint.project.inventory import list_files

    root = make_repo(tmp_path / "repo", {"api/acme/secret/x.py": "x = 1\n"}, commit=False)
    real = os.scandir

    def scandir(path="."):
        if str(path).endswith(os.path.join("acme", "secret")):
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    inventory = list_files(str(root))
    assert inventory.problems == {"api/acme/secret": "cannot list this folder: Permission denied"}


@pytest.mark.skipif(os.geteuid() != 0, reason="only root can give a file to another owner")
def test_fix_keeps_owner_and_mode(tmp_path):
    root = make_repo(tmp_path / "repo")
    settings = root / SETTINGS
    settings.write_text(settings.read_text().replace("    LANGUAGES", '    SECRET_KEY = "x"\n    LANGUAGES'))
    os.chown(settings, 1234, 4321)
    os.chmod(settings, 0o640)
    run_tool(["check", "--fix"], root)
    st = os.stat(settings)
    assert "SECRET_KEY" not in settings.read_text()
    assert (st.st_uid, st.st_gid, st.st_mode & 0o777) == (1234, 4321, 0o640)


def test_over_limit_file_is_never_read_whole(tmp_path, monkeypatch):
    from conftest import cli_runner

    from modelw_lint.engine import cache as cache_module
    from modelw_lint.cli import main

    root = make_repo(tmp_path / "repo", {"api/acme/big.py": "x = 1\n" * 400_000, ".modelw-lint.toml": "max-file-size = 100000\n"})
    cli_runner().invoke(main, ["check", str(root)])
    (root / "api/acme/big.py").write_text("y = 2\n" * 400_000)  # changed: a warm run looks again
    sizes = []
    real = cache_module.read_regular

    def spy(path, limit, *args, **kw):
        if ".modelw-lint-cache" not in path:  # the cache's own file has its own limit
            sizes.append(limit)
        return real(path, limit, *args, **kw)

    monkeypatch.setattr(cache_module, "read_regular", spy)
    result = cli_runner().invoke(main, ["check", str(root), "--format", "json"])
    assert sizes and max(sizes) <= 100000
    big = [f for f in json.loads(result.stdout)["findings"] if f["path"] == "api/acme/big.py"]
    assert big == [] or big[0]["code"] == "MW001"


def test_cr_only_line_endings_give_the_right_line(tmp_path):
    from modelw_lint_rules._examples import SETTINGS_PY

    text = SETTINGS_PY.replace("    LANGUAGES", '    SECRET_KEY = "abcdefgh"\n    LANGUAGES').replace("\n", "\r")
    root = make_repo(tmp_path / "repo", {SETTINGS: text})
    [finding] = json_findings(run_tool(["check", "--format", "json"], root))
    expected = text.split("\r").index('    SECRET_KEY = "abcdefgh"') + 1
    assert (finding["code"], finding["line"], finding["column"]) == ("MW201", expected, 5)
