"""Every parser runs in time linear in its input (issue 21): a pull request can add any file,
and one crafted file must not stall the check. Each case is the worst case found for one
parser, about 100 kB, checked as a user runs it (``modelw-lint check``) under a time bound far
above what a linear parser needs (a fraction of a second) and far below what the backtracking
ones took (minutes to hours). A few cases guard parsers that were already linear or bounded
(python-dotenv, the proxy-block scan, the settings star-import scan): they say so."""

from __future__ import annotations

import os
import subprocess
import time

import pytest
from modelw_lint_rules._examples import API_DOCKERFILE, SETTINGS_PATH as SETTINGS, model_w_repo

from modelw_lint.testing import write_files

SIZE = 100_000
BOUND = 8.0  # seconds for the whole run (a cold run of this small repository takes ~0.5 s)
TOOL = os.path.join(os.path.dirname(__import__("sys").executable), "modelw-lint")

CASES = {
    # key_line's "^\s*" ran across blank lines from every line start, to a near miss.
    "pyproject.toml with blank lines": {
        "api/pyproject.toml": model_w_repo()["api/pyproject.toml"] + "\n" * SIZE + 'djangox = "1"\n"django" = "*"\n',
    },
    # "celery.*worker.*-B": cubic on a command repeating its words.
    "Procfile: celery worker repeated": {"Procfile": "worker: " + "celery worker " * (SIZE // 14) + "\n"},
    # "--worker-class[=\s]\S*(uvicorn|asgi)": quadratic on a worker class repeating the option.
    "Procfile: gunicorn and a long worker class": {"Procfile": "web: gunicorn " + "--worker-class=" * (SIZE // 15) + "\n"},
    # An unterminated absolute API URL in the front's code.
    "front code: an unterminated API URL": {"front/src/lib/api.ts": 'export const u = "https://api.' + "a" * SIZE + "\n"},
    # Proxy blocks opening inside each other (each scanned up to 5,000 characters).
    "front code: proxy blocks": {"front/vite.config.ts": "export default {server: {proxy: {" + "proxy: {" * (SIZE // 8) + "\n"},
    # "location\s+(?:[=~^]+\s*)?(\S+)": a run of "=" split between the modifier and the path.
    "nginx: location followed by a run of =": {
        "deploy/nginx.conf": "server {\n location / { proxy_pass http://front:3000; }\n location " + "=" * SIZE + "\n}\n",
    },
    # Deploy spec values scanned for references (read for the preset's branches).
    "snow.yml: braces": {
        "snow.yml": "envs:\n  api:\n    EMAIL_MODE: '" + "{{" * (SIZE // 2) + "'\n",
        SETTINGS: model_w_repo()[SETTINGS] + '    EMAIL_MODE = env.get("EMAIL_MODE", default="console")\n',
    },
    # A settings module named after blank lines.
    "DJANGO_SETTINGS_MODULE followed by blank lines": {"api/.env-template": "DJANGO_SETTINGS_MODULE" + "\n" * SIZE},
    # "^\s*FROM" across blank lines; ENV pairs; a default that never closes.
    "Dockerfile: blank lines": {"api/Dockerfile": "FROM python:3.14\n" + "\n" * SIZE + "FROM node:24\nCMD [\"node\"]\n"},
    "Dockerfile: ENV without =": {"api/Dockerfile": API_DOCKERFILE + "ENV A=1 " + "Z_" * (SIZE // 2) + "\n"},
    "Dockerfile: unclosed defaults": {"api/Dockerfile": "ARG B\nFROM ${B:-" + "${A:-" * (SIZE // 5) + "\n"},
    "Dockerfile: a CMD padded with blanks (a guard)": {"api/Dockerfile": API_DOCKERFILE + "CMD " + " \t" * (SIZE // 2) + "x\n"},
    # "^from\s+[\w.]*\s+import" across lines in a settings module (a guard).
    "settings: from and blanks": {SETTINGS: model_w_repo()[SETTINGS] + "# from" + "\t" * SIZE + "\n"},
    # Python 3.12+ syntax is rewritten statement by statement, one compile of the file each: a
    # file of nothing but such statements is bounded in rewrites and in text compiled.
    # (send_mail: a rule that reads the file parses it.)
    "Python: a file of newer-syntax statements": {"api/acme/apps/people/aliases.py": "send_mail = 1\n" + "type A = int\n" * (SIZE // 13)},
    "Python: newer-syntax statements in a long file": {
        "api/acme/apps/people/aliases.py": "send_mail = 1\n" + "X = 1\n" * (SIZE // 6) + "type A = int\n" * 300,
    },
    # Version ranges split on blanks.
    "pyproject: a range padded with blanks": {
        "api/pyproject.toml": model_w_repo()["api/pyproject.toml"].replace(
            'version = ">=2026.7.0,<2026.8.0"', 'version = ">=2026.7.0' + " " * SIZE + ',<2026.8.0"',
        ),
    },
    # python-dotenv on an unterminated quote per line (a guard: it was linear already).
    ".env-template: unterminated quotes": {"api/.env-template": "A='x\n" * (SIZE // 5)},
}


def run(root) -> tuple[float, subprocess.CompletedProcess]:
    start = time.monotonic()
    proc = subprocess.run(
        [TOOL, "check", "--no-cache", "--output-format", "json", str(root)], capture_output=True, text=True, timeout=300,
    )
    return time.monotonic() - start, proc


@pytest.mark.parametrize("case", CASES)
def test_a_crafted_file_is_checked_in_linear_time(tmp_path, case):
    files = model_w_repo()
    files.update(CASES[case])
    write_files(str(tmp_path), files)
    elapsed, proc = run(tmp_path)
    assert proc.returncode in (0, 1), proc.stderr
    assert elapsed < BOUND, f"{case}: {elapsed:.1f} s"


def test_gitignore_patterns_against_a_long_name(tmp_path):
    """A .gitignore whose patterns make a backtracking matcher exponential, in a folder that is
    not a git work tree (the walk reads it): RE2 matches it in linear time."""
    files = model_w_repo()
    files[".gitignore"] = ".env\n" + "**/a**a**a**a**a**a**a**a**z\n" * 20
    files["api/" + "a" * 200] = "x\n"
    files["api/" + "b/" * 40 + "a" * 150] = "x\n"
    write_files(str(tmp_path), files)
    elapsed, proc = run(tmp_path)
    assert proc.returncode in (0, 1), proc.stderr
    assert elapsed < BOUND, f"{elapsed:.1f} s"


def test_a_fifo_named_gitignore_does_not_block(tmp_path):
    """git opens every .gitignore it meets to list untracked files: a FIFO in place of a
    tracked one would block it until its time-out. modelw-lint says so and goes on."""
    files = model_w_repo()
    files["api/.gitignore"] = "*.pyc\n"
    write_files(str(tmp_path), files)
    for args in (["init", "-q"], ["add", "-A"], ["-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "x"]):
        subprocess.run(["git", *args], cwd=tmp_path, check=True, capture_output=True)
    os.unlink(tmp_path / "api" / ".gitignore")
    os.mkfifo(tmp_path / "api" / ".gitignore")
    elapsed, proc = run(tmp_path)
    assert elapsed < BOUND, f"{elapsed:.1f} s"
    assert proc.returncode == 2, proc.stdout  # what git would have listed is unknown: not a clean pass
    assert "api/.gitignore" in proc.stderr and "FIFO" in proc.stderr
