"""Per-file facts: what several rules derive from one Python file (its imports, relative ones
resolved; its environment reads; its ``env.get`` calls) is computed once per file and handed
to every rule that names it, as ruff builds one checker per file for all its rules."""

from __future__ import annotations

import json

import pytest
from conftest import cli_runner

from modelw_lint.cli import main
from modelw_lint.project.model import FactError, Project
from modelw_lint.testing import write_files

# The shape cookiecutter-django generates: production settings import the base module's
# django-environ reader relatively.
COOKIECUTTER = {
    "api/manage.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'acme.django.production')\n",
    "api/acme/__init__.py": "",
    "api/acme/django/__init__.py": "",
    "api/acme/django/base.py": "import environ\n\nenv = environ.Env()\nINSTALLED_APPS = []\n",
    "api/acme/django/production.py": (
        "from .base import *  # noqa\nfrom .base import env\n\n"
        'DEBUG = env.bool("DJANGO_DEBUG", default=True)\n'
        'SECRET_KEY = env("DJANGO_SECRET_KEY", default="not-a-secret-really-1234")\n'
    ),
}


def test_reads_through_a_relative_import_are_seen(tmp_path):
    """`from .base import env` binds the base module's reader: the reads it makes in
    production are environment reads with literal defaults (they used to go unseen)."""
    write_files(str(tmp_path), COOKIECUTTER)
    found = _codes(tmp_path)
    prod = "api/acme/django/production.py"
    assert ("MW202", prod, 4) in found  # DEBUG falls back to on
    assert ("MW201", prod, 5) in found and ("MW203", prod, 5) in found  # a literal fallback secret


def test_each_file_fact_is_computed_once_per_file(tmp_path, monkeypatch):
    """Six rules read environment reads and a dozen the imports: each file's are built once."""
    import modelw_lint_rules.facts.python_file as python_file

    write_files(str(tmp_path), COOKIECUTTER)
    built: list[int] = []
    original = python_file.EnvReads

    def counting(tree, *args, **kwargs):
        built.append(id(tree))
        return original(tree, *args, **kwargs)

    monkeypatch.setattr(python_file, "EnvReads", counting)
    assert {code for code, _path, _line in _codes(tmp_path)} >= {"MW201", "MW202", "MW203"}
    assert built, "the settings rules ask for the environment reads"
    assert len(built) == len(set(built)), "a file's environment reads were built more than once"


def test_the_same_value_for_every_rule(tmp_path, registry):
    write_files(str(tmp_path), COOKIECUTTER)
    project = Project(str(tmp_path), facts=registry.facts)
    file = project.file("api/acme/django/production.py")
    imports = project.file_fact("imports", file)
    assert project.file_fact("imports", file) is imports
    assert imports.names["env"] == "acme.django.base.env"  # resolved from the package roots
    assert project.file_fact("env_reads", file).imports is imports


def test_a_per_file_fact_needs_a_file(tmp_path, registry):
    project = Project(str(tmp_path), facts=registry.facts)
    with pytest.raises(FactError, match="computed per file"):
        project.fact("imports")


def test_a_cached_run_follows_what_a_per_file_fact_read_in_another_file(tmp_path):
    """production.py's environment reads depend on base.py (what `env` is bound to there):
    base.py changing, production.py not, the cached run sees what a fresh run sees."""
    write_files(str(tmp_path), COOKIECUTTER)
    prod = "api/acme/django/production.py"
    assert ("MW202", prod, 4) in _codes(tmp_path, cache=True)
    write_files(str(tmp_path), {"api/acme/django/base.py": "env = {}\nINSTALLED_APPS = []\n"})
    cached = _codes(tmp_path, cache=True)
    assert cached == _codes(tmp_path)
    assert ("MW202", prod, 4) not in cached  # no longer an environment read


def _codes(root, cache=False):
    args = ["check", str(root), "--output-format", "json"] + ([] if cache else ["--no-cache"])
    result = cli_runner().invoke(main, args)
    return {(f["code"], f["path"], f["line"]) for f in json.loads(result.stdout)["findings"]}
