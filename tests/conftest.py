import os
import shutil
import subprocess

import pytest

from modelw_lint.engine.packs import Registry, load_packs

HERE = os.path.dirname(__file__)


def pytest_addoption(parser):
    parser.addoption("--slow", action="store_true", help="run the fuzz tests with many more examples")


def pytest_configure(config):
    from hypothesis import settings

    settings.register_profile("ci", max_examples=30, derandomize=True, print_blob=True)
    settings.register_profile("slow", max_examples=600, print_blob=True)
    settings.load_profile("slow" if config.getoption("--slow") else "ci")
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
        # Without the caches a run in the checkout left (the README's first command does).
        shutil.copytree(os.path.join(FIXTURES, name), dest, symlinks=True, ignore=shutil.ignore_patterns(".modelw-lint-cache"))
        if git:
            run = lambda *a: subprocess.run(a, cwd=dest, check=True, capture_output=True)  # noqa: E731
            run("git", "init", "-q")
            run("git", "add", "-A")
            run("git", "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "fixture")
        return dest

    return make


class _Result:
    """``output`` is everything the user saw (stdout and stderr), ``stdout`` stdout alone."""

    def __init__(self, result):
        self._result = result

    def __getattr__(self, name):
        return getattr(self._result, name)

    @property
    def output(self):
        try:
            err = self._result.stderr
        except ValueError:
            err = ""
        combined = self._result.output
        return combined if not err or err in combined else self._result.stdout + err


def cli_runner(**kwargs):
    """A CliRunner that behaves the same with click 8.1 (fixit's) and 8.2+."""
    from click.testing import CliRunner

    class Runner(CliRunner):
        def invoke(self, *args, **kw):
            return _Result(super().invoke(*args, **kw))

    try:
        return Runner(mix_stderr=False, **kwargs)
    except TypeError:  # click 8.2+: stdout and stderr are always apart
        return Runner(**kwargs)


def committed_model_w_repo(root, files: dict | None = None):
    """The compliant Model W repository of the rule examples, with ``files`` replaced (None
    removes one), written to ``root`` and committed to a new git repository."""
    from modelw_lint_rules._examples import model_w_repo

    from modelw_lint.testing import write_files

    repo = model_w_repo()
    for path, text in (files or {}).items():
        if text is None:
            repo.pop(path, None)
        else:
            repo[path] = text
    write_files(str(root), repo)
    for args in (["init", "-q"], ["add", "-A"], ["-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "x"]):
        subprocess.run(["git", *args], cwd=root, check=True, capture_output=True)
    return root
