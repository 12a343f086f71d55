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
    assert data["repository"]["name"] == "project" and "root" not in data["repository"]  # no local path in a report
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


# -- 4. forged output ----------------------------------------------------------------------------

HOSTILE = "evil\n::warning file=forged.py::FORGED\nNo findings.\n\x1b]0;PWNED\x07\x1b[2J<img src=x onerror=alert(1)>\u202e"
MAIL = "from django.core.mail import send_mail\n\nsend_mail('\x1b]0;PWNED-TOO\x07\x1b[2J', '', None, ['a@b.c'])\n"


@pytest.fixture(scope="module")
def hostile_repo(tmp_path_factory):
    """Thirty files with a finding each in folders whose names hold newlines, workflow
    commands, terminal escape sequences, HTML and a right-to-left override, and a code frame
    holding escape sequences."""
    root = make_repo(tmp_path_factory.mktemp("hostile") / "repo", commit=False)
    for n in range(30):
        folder = root / "api" / "acme" / f"{HOSTILE}{n}"
        folder.mkdir(parents=True)
        (folder / "mailer.py").write_text(MAIL)
    git(root, "init", "-q")
    return root


def outside_code(markdown: str) -> str:
    """Markdown without its code spans (whose content GitHub shows as text, never as HTML)."""
    import re

    return re.sub(r"`[^`\n]*`", "", markdown)


def _no_forgery(text: str) -> None:
    assert "\x1b" not in text and "\x07" not in text and "\u202e" not in text
    for line in text.splitlines():
        assert line != "No findings.", "a file name printed a line of its own"
        assert not line.startswith("::warning file=forged.py"), "a file name forged a workflow command"


@pytest.mark.parametrize("fmt", ["text", "concise", "github", "markdown", "junit", "json", "sarif", "gitlab"])
def test_every_format_escapes_hostile_names_and_contents(hostile_repo, tmp_path, fmt):
    summary = tmp_path / "summary.md"
    proc = run_tool(["check", "--output-format", fmt, "--no-cache"], hostile_repo, env={"GITHUB_STEP_SUMMARY": str(summary)})
    assert proc.returncode == 1, proc.stderr
    _no_forgery(proc.stdout)
    _no_forgery(proc.stderr)
    if fmt == "github":
        lines = proc.stdout.splitlines()
        commands = [line for line in lines if line.startswith("::")]
        ours = ("::warning file=api/acme/evil", "::error file=api/acme/evil", "::notice file=api/acme/evil", "::stop-commands::")
        assert all(line.startswith(ours) or line.endswith("::") and len(line) == 36 for line in commands), commands
        assert len([line for line in commands if line.startswith("::warning file=")]) == 10
        stop = next(i for i, line in enumerate(lines) if line.startswith("::stop-commands::"))
        token = lines[stop].split("::")[2]
        end = lines.index(f"::{token}::")
        assert all("FORGED" not in line for line in lines[:stop] + lines[end + 1:] if not line.startswith(ours))
        written = summary.read_text()
        _no_forgery(written)
        assert "<img" not in outside_code(written)
    if fmt == "markdown":
        assert "<img" not in outside_code(proc.stdout)
    if fmt == "junit":
        import xml.etree.ElementTree as ET

        ET.fromstring(proc.stdout)  # well-formed XML: no control characters
    if fmt in ("json", "sarif", "gitlab"):
        json.loads(proc.stdout)


def test_the_audit_escapes_hostile_names(hostile_repo, tmp_path):
    for fmt in ("markdown", "html"):
        out = tmp_path / f"audit.{fmt}"
        proc = run_tool(["audit", str(hostile_repo), "--format", fmt, "-o", str(out)], hostile_repo)
        assert proc.returncode == 0, proc.stderr
        text = out.read_text()
        _no_forgery(text)
        _no_forgery(proc.stdout + proc.stderr)
        assert "<img" not in (outside_code(text) if fmt == "markdown" else text)


def test_a_crafted_shard_cannot_put_a_link_in_the_fleet_page(hostile_repo, tmp_path):
    shard = tmp_path / "shard.json"
    run_tool(["audit", str(hostile_repo), "--format", "json", "-o", str(shard)], hostile_repo)
    data = json.loads(shard.read_text())
    for f in data["findings"]:
        f["docs"] = "javascript:alert(document.cookie)"
        f["name"] = "<script>alert(1)</script>"
    data["repository"]["name"] = '"><script>alert(2)</script>'
    shard.write_text(json.dumps(data))
    for fmt in ("html", "markdown"):
        out = tmp_path / f"fleet.{fmt}"
        proc = run_tool(["audit", "--merge", str(shard), str(shard), "--format", fmt, "-o", str(out)], tmp_path)
        assert proc.returncode == 0, proc.stderr
        text = out.read_text()
        assert "javascript:" not in text and "<script" not in text


# -- 5. fix-time safety --------------------------------------------------------------------------


def test_a_file_saved_while_the_fixes_are_computed_is_not_overwritten(tmp_path, monkeypatch):
    from conftest import cli_runner

    from modelw_lint.fix import fixloop
    from modelw_lint.cli import main

    root = make_repo(tmp_path / "repo", {SETTINGS: DRIFT})
    saved = SETTINGS_PY + '    # being edited\n    SECRET_KEY = "still-here"\n'
    original_fix = fixloop.fix

    def fix_then_someone_saves(*args, **kwargs):
        result = original_fix(*args, **kwargs)
        (root / SETTINGS).write_text(saved)  # an editor saves between the fix and the write
        return result

    monkeypatch.setattr(fixloop, "fix", fix_then_someone_saves)
    result = cli_runner().invoke(main, ["check", str(root), "--fix", "--no-cache", "--output-format", "json"])
    assert (root / SETTINGS).read_text() == saved
    assert "changed while the fixes were computed" in result.stderr
    data = json.loads(result.stdout)
    assert "MW201" in [f["code"] for f in data["findings"]] and data["summary"]["fixed"] == 0
    assert result.exit_code == 1


def test_a_kill_during_a_write_leaves_nothing_in_the_work_tree(tmp_path):
    """The temporary file of an atomic write lives in .git/ (same filesystem): a SIGKILL
    between writing it and renaming it leaves nothing git status or the user sees."""
    import sys

    root = make_repo(tmp_path / "repo", {SETTINGS: DRIFT})
    script = (
        "import os, signal\n"
        "import modelw_lint.project.safeio as s\n"
        "s.os.replace = lambda a, b: os.kill(os.getpid(), signal.SIGKILL)\n"
        f"s.write_atomic({str(root)!r}, {SETTINGS!r}, 'x = 1\\n')\n"
    )
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True)
    assert proc.returncode == -9
    assert git(root, "status", "--porcelain", "--ignored", "--untracked-files=all").stdout == ""
    assert (root / SETTINGS).read_text() == DRIFT
    assert list((root / ".git" / "modelw-lint-tmp").iterdir())  # where the write was going on


def test_ctrl_c_exits_130(tmp_path):
    """Interrupted (here while it waits on a configuration read from a pipe): exit 130, a
    word, no traceback."""
    import signal
    import sys
    import time

    root = make_repo(tmp_path / "repo")
    tool = os.path.join(os.path.dirname(sys.executable), "modelw-lint")
    proc = subprocess.Popen([tool, "check", "--config", "/dev/stdin"], cwd=root, stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(1.5)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=30)
    proc.stdin.close()
    assert proc.returncode == 130, (out, err)
    assert "interrupted" in err and "Traceback" not in err


def test_a_utf8_file_with_a_byte_order_mark_is_read(tmp_path):
    """A settings module saved with a BOM (Windows editors): read, its findings reported at
    the right columns, never "written for a newer Python"."""
    root = make_repo(tmp_path / "repo", {SETTINGS: "\ufeff" + DRIFT})
    proc = run_tool(["check", "--output-format", "json", "--no-cache"], root)
    findings = json_findings(proc)
    assert not [f for f in findings if f["code"] in ("MW001", "MW002")], findings
    [secret] = [f for f in findings if f["code"] == "MW201"]
    assert secret["line"] == DRIFT.count("\n")
    fixed = run_tool(["check", "--fix", "--no-cache"], root)
    assert fixed.returncode in (0, 1)
    assert (root / SETTINGS).read_text().startswith("\ufeff") and "hard-coded" not in (root / SETTINGS).read_text()
