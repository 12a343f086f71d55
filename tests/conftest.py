import os
import shutil
import subprocess

import pytest

from modelw_lint.packs import Registry, load_packs

HERE = os.path.dirname(__file__)
REPO = os.path.dirname(HERE)
FIXTURES = os.path.join(REPO, "fixtures")


@pytest.fixture(scope="session")
def registry():
    return Registry(load_packs())


@pytest.fixture
def fixture_copy(tmp_path):
    """Copy a fixture repository into a fresh git repository (all files committed)."""

    def make(name, git=True):
        dest = tmp_path / name
        shutil.copytree(os.path.join(FIXTURES, name), dest, symlinks=True)
        if git:
            run = lambda *a: subprocess.run(a, cwd=dest, check=True, capture_output=True)  # noqa: E731
            run("git", "init", "-q")
            run("git", "add", "-A")
            run("git", "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "fixture")
        return dest

    return make
