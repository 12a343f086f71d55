"""Bad input never stops a run: each bad file is reported with its path, the rest is checked,
and no traceback reaches the user."""

import json
import os

import pytest
from conftest import cli_runner

from modelw_lint.project import files as files_module
from modelw_lint.cli import main
from modelw_lint.testing import write_files

SETTINGS = "api/acme/django/settings.py"


@pytest.fixture
def repo(tmp_path):
    """A Model W repo with no front (MW103 proves the rest is still checked) and a second,
    healthy back-end settings module that must still be checked (MW201 fires on it)."""
    from modelw_lint_rules._examples import model_w_repo

    files = model_w_repo()
    del files["front/package.json"]
    files["api/acme/django/wsgi.py"] = 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "acme.django.other")\n'
    files["api/acme/django/other.py"] = 'SECRET_KEY = "committed"\n'
    write_files(str(tmp_path), files)
    return tmp_path


def check(root):
    result = cli_runner().invoke(main, ["check", str(root), "--format", "json"], catch_exceptions=False)
    assert "Traceback" not in result.output
    assert result.exit_code == 1, result.output
    data = json.loads(result.stdout)
    assert data["errors"] == []
    codes = {f["code"] for f in data["findings"]}
    assert {"MW103", "MW201"} <= codes, "the other files were not checked"
    return data


def problems(data, path):
    return [f for f in data["findings"] if f["path"] == path and f["code"] in ("MW001", "MW002")]


def test_python_file_that_does_not_parse(repo):
    (repo / SETTINGS).write_text("with EnvManager(ModelWDjango()) as env\n    X = 1\n")
    [p] = problems(check(repo), SETTINGS)
    assert p["code"] == "MW002" and p["line"] in (1, 2) and "syntax error" in p["message"]
    assert "newer Python" not in p["message"]


# Valid in a newer Python than the one running the tests (each compiles from the version named).
NEWER_SYNTAX = [
    ((3, 12), 'with EnvManager(ModelWDjango()) as env:\n    X = {"a": "b"}\n    Y = f"{X["a"]}"\n'),
    ((3, 14), "try:\n    X = 1\nexcept KeyError, ValueError:\n    X = 2\n"),
]


def test_python_file_in_a_newer_syntax_is_read(repo):
    """Syntax of Python 3.12 and 3.14 is read whatever Python runs modelw-lint: no MW002."""
    for _version, text in NEWER_SYNTAX:
        (repo / SETTINGS).write_text(text)
        assert problems(check(repo), SETTINGS) == []


def test_python_file_in_a_newer_syntax_too_long_to_rewrite_says_so(repo):
    import sys

    if sys.version_info >= (3, 12):
        pytest.skip("this Python reads type aliases")
    from modelw_lint.lang.pyguard import MAX_REWRITES

    (repo / SETTINGS).write_text("".join(f"type Alias{i} = int\n" for i in range(MAX_REWRITES + 1)))
    [p] = problems(check(repo), SETTINGS)
    assert p["code"] == "MW002" and "the file is written for a newer Python" in p["message"]
    assert "run modelw-lint with the Python the project uses" in p["message"]


def test_non_utf8_file(repo):
    (repo / SETTINGS).write_bytes("# caf\xe9\nSECRET_KEY = 'x'\n".encode("latin-1"))
    [p] = problems(check(repo), SETTINGS)
    assert p["code"] == "MW001" and "not valid UTF-8" in p["message"]


def test_binary_file_named_py(repo):
    (repo / SETTINGS).write_bytes(b"\x7fELF\x00\x00\x01" + bytes(range(256)))
    [p] = problems(check(repo), SETTINGS)
    assert p["code"] == "MW001" and "binary" in p["message"]


def test_empty_file(repo):
    (repo / SETTINGS).write_text("")
    data = check(repo)
    assert problems(data, SETTINGS) == []
    assert any(f["path"] == SETTINGS and f["code"] == "MW210" for f in data["findings"])


def test_symlink_loop(repo):
    target = repo / SETTINGS
    target.unlink()
    os.symlink("settings_b.py", target)
    os.symlink("settings.py", repo / "api/acme/django/settings_b.py")
    [p] = problems(check(repo), SETTINGS)
    assert p["code"] == "MW001" and "symlink loop" in p["message"]


def test_broken_symlink(repo):
    target = repo / SETTINGS
    target.unlink()
    os.symlink("gone.py", target)
    [p] = problems(check(repo), SETTINGS)
    assert p["code"] == "MW001" and "broken symlink" in p["message"]


def test_symlink_out_of_the_root_is_not_followed(repo, tmp_path_factory):
    outside = tmp_path_factory.mktemp("outside") / "settings.py"
    outside.write_text('SECRET_KEY = "outside"\n')
    (repo / SETTINGS).unlink()
    os.symlink(outside, repo / SETTINGS)
    data = check(repo)
    assert not [f for f in data["findings"] if f["path"] == SETTINGS]


def test_huge_file(repo):
    (repo / SETTINGS).write_text("X = 1\n" * (5 * 1024 * 1024 // 6 + 1))
    [p] = problems(check(repo), SETTINGS)
    assert p["code"] == "MW001" and "MiB" in p["message"] and "limit" in p["message"]


def test_unreadable_file(repo, monkeypatch):
    # As root, chmod 000 does not stop reads: make the read itself fail the way it would.
    real = files_module._read_bytes

    def read(path, *args):
        if path.endswith(os.path.join("django", "settings.py")):
            raise PermissionError(13, "Permission denied", path)
        return real(path, *args)

    monkeypatch.setattr(files_module, "_read_bytes", read)
    [p] = problems(check(repo), SETTINGS)
    assert p["code"] == "MW001" and "Permission denied" in p["message"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_unreadable_file_by_mode(repo):
    (repo / SETTINGS).chmod(0)
    try:
        [p] = problems(check(repo), SETTINGS)
        assert p["code"] == "MW001"
    finally:
        (repo / SETTINGS).chmod(0o644)


def test_broken_pyproject(repo):
    (repo / "api/pyproject.toml").write_text('[tool.poetry\nname = "acme"\n')
    [p] = problems(check(repo), "api/pyproject.toml")
    assert p["code"] == "MW002" and "TOML" in p["message"] and p["line"] == 1


def test_broken_package_json(repo):
    write_files(str(repo), {"frontend/package.json": '{"dependencies": {"svelte": "*",}}'})
    data = check(repo)
    [p] = problems(data, "frontend/package.json")
    assert p["code"] == "MW002" and "JSON" in p["message"]


def test_every_problem_at_once(repo):
    (repo / SETTINGS).write_bytes(b"\xff\xfe\x00")
    (repo / "api/pyproject.toml").write_text("[[[")
    data = check(repo)
    assert problems(data, SETTINGS) and problems(data, "api/pyproject.toml")


def test_unknown_config_key(repo):
    (repo / ".modelw-lint.toml").write_text("colour = true\n")
    result = cli_runner().invoke(main, ["check", str(repo)])
    assert result.exit_code == 2
    assert "unknown key 'colour'" in result.output and ".modelw-lint.toml" in result.output
    assert "Traceback" not in result.output
