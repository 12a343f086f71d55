"""Realistic project shapes (tests/corpus/, written here, not copied from any project): each
one's full report is asserted, finding by finding. They hold the customisations real projects
make (a preset subclass kept in a variable, storage classes derived from S3, split settings,
cookiecutter-django's layout, development-only images and branches), so every line of
``expected.txt`` is a finding a reviewer agreed with, and every absent line a false positive
that must not come back.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess

import pytest
from conftest import HERE, cli_runner

from modelw_lint.cli import main

CORPUS = os.path.join(HERE, "corpus")
PROJECTS = sorted(n for n in os.listdir(CORPUS) if os.path.isdir(os.path.join(CORPUS, n)))


def expected(name: str) -> list[str]:
    with open(os.path.join(CORPUS, name, "expected.txt"), encoding="utf-8") as fh:
        return [line.strip() for line in fh if line.strip() and not line.startswith("#")]


def report(tmp_path, name: str) -> tuple[list[str], dict]:
    root = tmp_path / name
    shutil.copytree(os.path.join(CORPUS, name), root, ignore=shutil.ignore_patterns(".modelw-lint-cache", "expected.txt"))
    for args in (["init", "-q"], ["add", "-A"], ["-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "corpus"]):
        subprocess.run(["git", *args], cwd=root, check=True, capture_output=True)
    result = cli_runner().invoke(main, ["check", str(root), "--format", "json", "--no-cache"])
    assert result.exit_code in (0, 1), result.output
    data = json.loads(result.stdout)
    assert data["errors"] == []
    return [f"{f['code']} {f['path']}:{f['line']}" for f in data["findings"]], data


@pytest.mark.parametrize("name", PROJECTS)
def test_corpus_project_full_report(tmp_path, name):
    got, _data = report(tmp_path, name)
    if os.environ.get("UPDATE_SNAPSHOTS"):
        path = os.path.join(CORPUS, name, "expected.txt")
        header = [line for line in open(path, encoding="utf-8") if line.startswith("#")] if os.path.exists(path) else []
        with open(path, "w", encoding="utf-8") as fh:
            fh.writelines(header)
            fh.write("\n".join(got) + "\n")
    assert got == expected(name)
