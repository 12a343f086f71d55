"""Hostile repositories, round 2 (issue 21): nothing read outside the root, no silent pass, no
forged output, no broken file at fix time. The stalls are in tests/test_linear_time.py.

Each test builds a repository with one attack and runs the installed ``modelw-lint`` as a user
would (tests/test_hostile.py's ``run_tool``: a subprocess with a time and memory limit, exit
code 0, 1 or 2, no traceback).
"""

from __future__ import annotations

import json
import os
import subprocess

import pytest
from modelw_lint_rules._examples import SETTINGS_PATH as SETTINGS
from modelw_lint_rules._examples import SETTINGS_PY
from test_hostile import git, json_findings, make_repo, run_tool

SECRET = "TOP-SECRET-OUTSIDE-THE-ROOT"
DRIFT = SETTINGS_PY + '    SECRET_KEY = "hard-coded-in-the-settings"\n'


def outside_folder(tmp_path):
    """A folder outside the repository whose settings module would give itself away."""
    folder = tmp_path / "outside"
    (folder / "acme" / "django").mkdir(parents=True)
    (folder / "acme" / "django" / "settings.py").write_text(f'SECRET_KEY = "{SECRET}"\n')
    return folder


# -- 1. reads outside the root -----------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_a_tracked_folder_replaced_by_a_symlink_out_of_the_root_is_not_read(tmp_path, fmt):
    root = make_repo(tmp_path / "repo")
    outside = outside_folder(tmp_path)
    subprocess.run(["rm", "-rf", str(root / "api" / "acme")], check=True)
    os.symlink(outside / "acme", root / "api" / "acme")
    proc = run_tool(["check", "--output-format", fmt, "--no-cache"], root)
    assert SECRET not in proc.stdout + proc.stderr
    if fmt == "json":
        problems = [f for f in json_findings(proc) if f["path"] == SETTINGS]
        assert problems and problems[0]["code"] == "MW001", proc.stdout
        assert "outside the repository" in problems[0]["message"] and "api/acme" in problems[0]["message"]


def write_index(root, entries):
    """A git index (version 2) holding exactly ``entries`` (path, blob id), as a copied .git
    may hold one: git itself refuses to write a path with ``..``, but reads it."""
    import hashlib
    import struct

    body = b""
    for path, blob in sorted(entries):
        name = path.encode()
        entry = struct.pack(">10I", 0, 0, 0, 0, 0, 0, 0o100644, 0, 0, 0) + bytes.fromhex(blob) + struct.pack(">H", len(name)) + name
        body += entry + b"\0" * (8 - len(entry) % 8)
    data = b"DIRC" + struct.pack(">II", 2, len(entries)) + body
    (root / ".git" / "index").write_bytes(data + hashlib.sha1(data).digest())


def test_an_index_entry_that_leaves_the_root_is_not_read(tmp_path):
    """A repository copied with its .git: an index entry ``../outside/…`` is refused (MW001
    says why), never read or printed."""
    root = make_repo(tmp_path / "repo")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "mailer.py").write_text(f'from django.core.mail import send_mail\n\nsend_mail("{SECRET}", "", "", [])\n')
    listed = git(root, "ls-files", "-s").stdout.splitlines()
    entries = [(line.split("\t", 1)[1], line.split()[1]) for line in listed]
    blob = git(root, "hash-object", "-w", str(outside / "mailer.py")).stdout.strip()
    write_index(root, [*entries, ("../outside/mailer.py", blob)])
    assert "../outside/mailer.py" in git(root, "ls-files").stdout  # git lists it
    for fmt in ("text", "json"):
        proc = run_tool(["check", "--output-format", fmt, "--no-cache"], root)
        assert SECRET not in proc.stdout + proc.stderr
    problems = [f for f in json_findings(proc) if "outside" in f["path"]]
    assert problems and problems[0]["code"] == "MW001" and "leaves the repository" in problems[0]["message"]


def test_fix_does_not_write_into_a_folder_linked_out_of_the_root(tmp_path):
    root = make_repo(tmp_path / "repo", {SETTINGS: DRIFT})
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "settings.py").write_text(DRIFT)
    subprocess.run(["rm", "-rf", str(root / "api" / "acme" / "django")], check=True)
    os.symlink(outside, root / "api" / "acme" / "django")
    run_tool(["check", "--fix", "--no-cache"], root)
    assert (outside / "settings.py").read_text() == DRIFT


# -- 2. silent passes --------------------------------------------------------------------------


def test_a_repository_git_refuses_is_not_a_silent_pass(tmp_path):
    """"dubious ownership": the .git belongs to another user (a CI container running as
    someone else). The files a walk finds are checked, the run says why it is blind, exit 2."""
    root = make_repo(tmp_path / "repo")
    subprocess.run(["chown", "-R", "12345:12345", str(root / ".git")], check=True)
    env = {"GIT_CONFIG_GLOBAL": str(tmp_path / "empty-gitconfig"), "GIT_CONFIG_NOSYSTEM": "1"}
    (tmp_path / "empty-gitconfig").write_text("")
    proc = run_tool(["check", "--no-cache"], root, env=env)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "git repository but git refused it" in proc.stderr and "safe.directory" in proc.stderr


def test_git_variables_inherited_from_the_environment_are_not_followed(tmp_path):
    """GIT_DIR/GIT_WORK_TREE/GIT_INDEX_FILE left by a hook or a script name another
    repository: modelw-lint's own git calls read the repository it checks."""
    other = make_repo(tmp_path / "other")
    rabbit = "services:\n  broker:\n    image: rabbitmq:3-management\n"
    root = make_repo(tmp_path / "repo", {"docker-compose.yml": rabbit})
    env = {"GIT_DIR": str(other / ".git"), "GIT_WORK_TREE": str(other), "GIT_INDEX_FILE": str(other / ".git" / "index")}
    proc = run_tool(["check", "--output-format", "json", "--no-cache"], root, env=env)
    assert "MW303" in [f["code"] for f in json_findings(proc)], proc.stdout


def test_a_committed_cache_is_not_trusted(tmp_path):
    """A pull request commits a cache saying a drifting file has no findings: a cache entry
    is trusted only when this machine wrote it (an HMAC keyed in the user's cache folder)."""
    root = make_repo(tmp_path / "repo", {SETTINGS: DRIFT})
    first = run_tool(["check", "--output-format", "json"], root)
    assert "MW201" in [f["code"] for f in json_findings(first)]
    [cache] = [p for p in (root / ".modelw-lint-cache").iterdir() if p.name.endswith(".json")]
    text = cache.read_text()
    data = json.loads(text[text.index("{"):])
    for per_file in data["file_rules"].values():
        per_file.pop(SETTINGS, None)
    data["file_rules"] = {code: {path: [] for path in by_path} for code, by_path in data["file_rules"].items()}
    cache.write_text(json.dumps(data))  # the attacker's cache: no key, no MAC
    second = run_tool(["check", "--output-format", "json"], root)
    assert "MW201" in [f["code"] for f in json_findings(second)], second.stdout


def test_a_cache_written_on_another_machine_is_not_trusted(tmp_path):
    root = make_repo(tmp_path / "repo", {SETTINGS: DRIFT})
    mine = {"XDG_CACHE_HOME": str(tmp_path / "mine")}
    theirs = {"XDG_CACHE_HOME": str(tmp_path / "theirs")}
    run_tool(["check"], root, env=theirs)
    (root / SETTINGS).write_text(SETTINGS_PY)  # fixed after "their" run: their cache says MW201
    os.utime(root / SETTINGS, ns=(0, 0))
    proc = run_tool(["check", "--output-format", "json"], root, env=mine)
    assert "MW201" not in [f["code"] for f in json_findings(proc)]


def test_the_cache_key_does_not_depend_on_the_hash_seed(tmp_path):
    config = (
        'select = ["MW2", "MW7"]\nignore = ["MW205"]\nextend-select = ["MW901"]\nexclude = ["docs/"]\n'
        'fail-on = "error"\nrelease = "2026.07"\nmax-file-size = 1000000\n[per-file-ignores]\n"api/x.py" = ["MW201"]\n'
    )
    root = make_repo(tmp_path / "repo", {".modelw-lint.toml": config})
    for seed in ("1", "2", "3", "4", "5"):
        run_tool(["check"], root, env={"PYTHONHASHSEED": seed})
    caches = [p.name for p in (root / ".modelw-lint-cache").iterdir() if p.name.endswith(".json")]
    assert len(caches) == 1, caches


@pytest.mark.parametrize("value", ["9e18", "9_000_000_000_000_000_000", "1e3", "-1", "true"])
def test_max_file_size_the_repository_cannot_raise_without_bound(tmp_path, value):
    """A repository's configuration may lower max-file-size or raise it up to a ceiling it
    cannot move; a value that is not a whole number of bytes is a configuration error."""
    root = make_repo(tmp_path / "repo", {".modelw-lint.toml": f"max-file-size = {value}\n"})
    proc = run_tool(["check", "--no-cache"], root)
    if value in ("9_000_000_000_000_000_000",):
        assert proc.returncode in (0, 1) and "ceiling" in proc.stderr, proc.stderr
    else:
        assert proc.returncode == 2 and "max-file-size" in proc.stderr


def test_a_huge_file_is_not_read_whatever_the_configuration_says(tmp_path):
    root = make_repo(tmp_path / "repo", {".modelw-lint.toml": "max-file-size = 8_000_000_000\n"})
    with open(root / "api" / "acme" / "django" / "huge_settings.py", "wb") as fh:
        fh.truncate(200 * 1024 * 1024)  # sparse: 200 MiB of zeros, no disk used
    (root / "api" / "manage.py").write_text((root / "api" / "manage.py").read_text().replace(
        "acme.django.settings", "acme.django.huge_settings"))
    proc = run_tool(["check", "--output-format", "json", "--no-cache"], root)
    problems = [f for f in json_findings(proc) if f["path"].endswith("huge_settings.py")]
    assert problems and problems[0]["code"] == "MW001" and "limit" in problems[0]["message"]


def test_a_configuration_in_a_world_writable_parent_does_not_govern(tmp_path):
    """A folder that is not a git work tree, under a world-writable one (/tmp, a shared
    Downloads folder) holding a configuration that silences every rule."""
    shared = tmp_path / "shared"
    shared.mkdir()
    os.chmod(shared, 0o1777)
    (shared / ".modelw-lint.toml").write_text('ignore = ["ALL"]\n')
    root = make_repo(shared / "project", {SETTINGS: DRIFT}, commit=False)
    proc = run_tool(["check", "--output-format", "json", "--no-cache"], root)
    assert "MW201" in [f["code"] for f in json_findings(proc)], proc.stdout + proc.stderr


def test_a_configuration_in_a_parent_folder_is_said(tmp_path):
    outer = tmp_path / "outer"
    outer.mkdir()
    (outer / ".modelw-lint.toml").write_text('ignore = ["MW201"]\n')
    root = make_repo(outer / "project", {SETTINGS: DRIFT}, commit=False)
    proc = run_tool(["check", "--no-cache"], root)
    assert str(outer / ".modelw-lint.toml") in proc.stderr and "parent folder" in proc.stderr


def test_audit_of_a_folder_audits_that_folder(tmp_path):
    """``audit DIR`` inside a larger git work tree audits DIR, not the enclosing repository."""
    outer = make_repo(tmp_path / "outer", {"sub/project/api/manage.py": "", "sub/project/front/package.json": "{}"})
    proc = run_tool(["audit", str(outer / "sub" / "project"), "--format", "json", "-o", "-"], outer)
    data = json.loads(proc.stdout)
    assert data["repository"]["name"] == "project" and data["repository"]["root"].endswith("sub/project")
    assert data["repository"]["files"] == 2  # api/manage.py and front/package.json, not the outer repository's
    paths = {f["path"] for f in data["findings"]}
    assert all(not p.startswith(("sub/", "api/acme")) for p in paths), paths


@pytest.mark.parametrize("with_git", [False, True])
def test_a_folder_that_cannot_be_listed_is_reported(tmp_path, with_git):
    """A path longer than the system allows (built one folder at a time from inside): the
    folder is reported (MW001), never skipped in silence."""
    root = make_repo(tmp_path / "repo", commit=with_git)
    here = os.getcwd()
    try:
        os.chdir(root / "api")
        for _ in range(24):  # 24 x 201 characters: past PATH_MAX (4096)
            os.mkdir("d" * 200)
            os.chdir("d" * 200)
        with open("settings.py", "w") as fh:
            fh.write('SECRET_KEY = "deep"\n')
    finally:
        os.chdir(here)
    proc = run_tool(["check", "--output-format", "json", "--no-cache"], root)
    findings = json_findings(proc)
    reported = [f for f in findings if f["code"] == "MW001" and "cannot list" in f["message"]]
    assert reported or proc.returncode == 2, (proc.stdout[-2000:], proc.stderr[-2000:])
    if reported:
        assert reported[0]["path"].startswith("api/d")


# -- helpers for the rest of the file ------------------------------------------------------------


def git_commit(root):
    git(root, "add", "-A")
    git(root, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "change")
