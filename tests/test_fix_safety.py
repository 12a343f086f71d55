"""Fixes never harm: every fix of every rule example, fixture and corpus project is applied and
checked the way ruff checks its own (the file parses, the finding is gone, nothing new appears
anywhere, no name is left undefined), twice (the second pass changes nothing), and ``--diff``
shows exactly what ``--fix`` writes. Then the cases that harmed real projects, one by one."""

from __future__ import annotations

import json
import os
import shutil
from collections import Counter

import pytest
from conftest import cli_runner

from modelw_lint.cli import main
from modelw_lint.config import Config
from modelw_lint.engine.linter import Linter
from modelw_lint.fix.fixloop import fix
from modelw_lint.project.files import parse_text
from modelw_lint.engine.packs import Registry, load_packs
from modelw_lint.lang.pyhygiene import names
from modelw_lint.testing import git_add_all, iter_examples, write_files

REGISTRY = Registry(load_packs())
CORPUS = os.path.join(os.path.dirname(__file__), "corpus")


def _fixable_examples():
    out = []
    for rule, example, must_fire, index in iter_examples(REGISTRY):
        if must_fire and rule.fix_safety is not None:
            out.append(pytest.param(rule, example, id=f"{rule.code}-{index}"))
    return out


def assert_fixes_are_safe(root: str) -> dict:
    """Fix everything in ``root`` (unsafe fixes too) and check every promise; returns the changes."""
    linter = Linter(root, Config(), REGISTRY)
    before = linter.run()
    fixed = fix(linter, unsafe=True)
    assert not fixed.errors, fixed.errors
    for path, (old, new) in fixed.changes.items():
        kind = fixed.project.file(path).kind if fixed.project.file(path) else "other"
        parse_text(kind, new)  # (a) it parses
        if kind == "python" and old is not None:
            was, now = names(old), names(new)
            assert was is not None and now is not None
            added = {n for n, c in now.undefined.items() if c > was.undefined.get(n, 0)}
            assert not added, f"{path}: a fix left {added} undefined"  # (d)
    # (b) what was fixed is gone and (c) nothing new appeared (MW004 says what was refused).
    keys = lambda findings: Counter((f.code, f.path, f.message) for f in findings if f.code != "MW004")  # noqa: E731
    done = Counter((f.code, f.path, f.message) for f in fixed.fixed)
    after = keys(fixed.findings)
    for key in done:
        assert after[key] < keys(before.findings)[key] or key not in after, f"{key} is still reported after its fix"
    fixed_places = {(c, p) for c, p, _m in done} | {(code, f.path) for f in fixed.fixed for code in f.extra.get("folds", ())}
    for key in after - keys(before.findings):
        assert (key[0], key[1]) in fixed_places, f"a fix brought {key}"
    # --diff shows what --fix writes, and writing it then fixing again changes nothing.
    diff = cli_runner().invoke(main, ["check", root, "--diff", "--unsafe-fixes", "--no-cache"])
    for path in fixed.changes:
        assert f"+++ b/{path}" in diff.stdout
    for path, (_old, new) in fixed.changes.items():
        write_files(root, {path: new})
    again = fix(Linter(root, Config(), REGISTRY), unsafe=True)
    assert again.changes == {}, f"a second --fix still changes {sorted(again.changes)}"
    return fixed.changes


@pytest.mark.parametrize("rule,example", _fixable_examples())
def test_every_fix_of_every_example_is_safe(tmp_path, rule, example):
    write_files(str(tmp_path), dict(example.files))
    git_add_all(str(tmp_path))
    assert_fixes_are_safe(str(tmp_path))


@pytest.mark.parametrize("name", ["legacy", "compliant", "lookalikes", "nuxt3-celery"])
def test_every_fix_of_every_fixture_is_safe(fixture_copy, name):
    assert_fixes_are_safe(str(fixture_copy(name)))


@pytest.mark.parametrize("name", sorted(os.listdir(CORPUS)))
def test_every_fix_of_every_corpus_project_is_safe(tmp_path, name):
    root = tmp_path / name
    shutil.copytree(os.path.join(CORPUS, name), root, ignore=shutil.ignore_patterns("expected.txt"))
    git_add_all(str(root))
    assert_fixes_are_safe(str(root))


# -- the cases that harmed real projects --------------------------------------------------------


def repo(tmp_path, files):
    from modelw_lint_rules._examples import with_files

    write_files(str(tmp_path), with_files(files))
    git_add_all(str(tmp_path))
    return str(tmp_path)


def fix_json(root, *args):
    result = cli_runner().invoke(main, ["check", root, "--fix", "--unsafe-fixes", "--format", "json", "--no-cache", *args])
    return json.loads(result.stdout), result.exit_code


SETTINGS = "api/acme/django/settings.py"


def settings_with(body: str, before: str = "") -> str:
    from modelw_lint_rules._examples import settings

    return settings(body, before=before)[SETTINGS]


def test_deleting_an_override_a_later_line_uses_is_refused(tmp_path):
    text = settings_with(
        'CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}\n'
        'CACHES["default"]["TIMEOUT"] = 30',
    )
    from modelw_lint_rules._examples import WITH_REDIS

    root = repo(tmp_path, {SETTINGS: text, **WITH_REDIS})  # a Redis to move the cache to: the fix is offered
    data, _code = fix_json(root)
    refused = [f for f in data["findings"] if f["code"] == "MW004"]
    assert refused and "CACHES undefined" in refused[0]["message"]
    assert (tmp_path / SETTINGS).read_text() == text


def test_two_env_get_fixes_that_would_crash_together_are_not_both_applied(tmp_path):
    root = repo(tmp_path, {SETTINGS: settings_with('A = os.getenv("FLAG", "on")\nB = os.getenv("FLAG", "off")', before="import os")})
    data, _code = fix_json(root)
    text = (tmp_path / SETTINGS).read_text()
    assert text.count('env.get("FLAG"') == 1 and 'os.getenv("FLAG", "off")' in text
    assert "MW205" not in {f["code"] for f in data["findings"]}
    assert [f for f in data["findings"] if f["code"] == "MW004" and "MW205" in f["message"]]


def test_a_fix_removes_the_import_it_leaves_unused(tmp_path):
    root = repo(tmp_path, {SETTINGS: settings_with("sentry_sdk.init()", before="import sentry_sdk")})
    fix_json(root)
    text = (tmp_path / SETTINGS).read_text()
    assert "sentry_sdk" not in text and text.startswith("from model_w")


def test_two_deletions_that_empty_a_block_end_without_a_false_mw004(tmp_path):
    text = (
        "from model_w.env_manager import EnvManager\nfrom model_w.preset.django import ModelWDjango\n\n"
        'with EnvManager(ModelWDjango()) as env:\n    SECRET_KEY = "abc"\n    DEBUG = True\n'
    )
    root = repo(tmp_path, {SETTINGS: text})
    data, _code = fix_json(root, "--select", "MW201,MW202,MW004")
    assert data["findings"] == [] and data["summary"]["fixed"] == 2
    assert (tmp_path / SETTINGS).read_text().endswith("with EnvManager(ModelWDjango()) as env:\n    pass\n")


@pytest.mark.parametrize("route,fixed", [
    ('path(("admin/"), admin.site.urls)', 'path(("back/admin/"), admin.site.urls)'),
    (r're_path(r"^image/(?P<pk>\d+)/$", image)', r're_path(r"^back/image/(?P<pk>\d+)/$", image)'),
    ('re_path(r"", include("acme.pages"))', 're_path(r"^back/", include("acme.pages"))'),
    ("path('api/' 'v1/', api)", "path('back/api/' 'v1/', api)"),
])
def test_route_fixes_keep_routes_alive(tmp_path, route, fixed):
    from modelw_lint_rules._examples import DOGEFILE_OK

    urls = "from django.urls import include, path, re_path\n\nurlpatterns = [\n    {}\n]\n"
    # The Dogefile routes /back to Django: only then is a route move offered.
    root = repo(tmp_path, {"api/acme/django/urls.py": urls.format(route), "Dogefile": DOGEFILE_OK})
    fix_json(root, "--select", "MW701")
    assert (tmp_path / "api/acme/django/urls.py").read_text() == urls.format(fixed)


def test_redirects_and_well_known_routes_stay_where_they_are(tmp_path):
    urls = (
        "from django.urls import path\nfrom django.views.generic import RedirectView\n\nurlpatterns = [\n"
        '    path(".well-known/jwks.json", jwks),\n    path("api/", RedirectView.as_view(url="/back/api/")),\n]\n'
    )
    root = repo(tmp_path, {"api/acme/django/urls.py": urls})
    data, _code = fix_json(root, "--select", "MW701")
    assert (tmp_path / "api/acme/django/urls.py").read_text() == urls
    [finding] = data["findings"]
    assert '"api/"' in finding["message"] and ".well-known" not in finding["message"]


def test_no_fix_lowers_python_or_the_base_image(tmp_path):
    from modelw_lint_rules._examples import API_DOCKERFILE, PYPROJECT

    pyproject = PYPROJECT.replace('python = "~3.14"', 'python = "^3.13"').replace("2026.7.0,<2026.8.0", "2024.10.0,<2024.11.0")
    root = repo(tmp_path, {"api/pyproject.toml": pyproject, "api/Dockerfile": API_DOCKERFILE})
    data, _code = fix_json(root)
    assert (tmp_path / "api/pyproject.toml").read_text() == pyproject
    assert (tmp_path / "api/Dockerfile").read_text() == API_DOCKERFILE
    pointed = {(f["code"], f["path"]) for f in data["findings"]}
    assert {("MW906", "api/pyproject.toml"), ("MW804", "api/pyproject.toml")} <= pointed


def test_a_fix_never_pins_a_release_that_excludes_the_locked_version(tmp_path):
    from modelw_lint_rules._examples import PYPROJECT

    pyproject = PYPROJECT.replace('">=2026.7.0,<2026.8.0"', '"~2026.7.0b1"')
    lock = '[[package]]\nname = "modelw-preset-django"\nversion = "2026.7.0b3"\n'
    root = repo(tmp_path, {"api/pyproject.toml": pyproject, "api/poetry.lock": lock})
    data, _code = fix_json(root)
    assert (tmp_path / "api/pyproject.toml").read_text() == pyproject
    assert [f["code"] for f in data["findings"]] == ["MW905"]


def test_bounds_in_another_order_are_read_as_one_release(tmp_path):
    from modelw_lint_rules._examples import PYPROJECT

    pyproject = PYPROJECT.replace('">=2026.7.0,<2026.8.0"', '"<2026.8.0,>=2026.7.0"')
    root = repo(tmp_path, {"api/pyproject.toml": pyproject})
    data, _code = fix_json(root)
    assert data["findings"] == [] and data["release"]["name"] == "2026.07"
    assert (tmp_path / "api/pyproject.toml").read_text() == pyproject



def test_every_fix_states_its_promise_in_the_docs_and_the_readme():
    """`explain` ends each rule's "Fix safety" with what its safety promises, and the README's
    fix section says the same words (they are written once, in modelw_lint.report.docs)."""
    from conftest import REPO, cli_runner

    from modelw_lint.cli import main
    from modelw_lint.report.docs import FIX_MEANING

    readme = open(os.path.join(REPO, "README.md"), encoding="utf-8").read()
    for meaning in FIX_MEANING.values():
        assert meaning in " ".join(readme.split()), meaning
    for code, safety in (("MW201", "safe"), ("MW701", "unsafe")):
        out = cli_runner().invoke(main, ["explain", code]).output
        assert " ".join(FIX_MEANING[safety].split()) in " ".join(out.split()), code
    assert "A safe fix" not in cli_runner().invoke(main, ["explain", "MW501"]).output  # no fix: no promise
