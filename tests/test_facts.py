"""The Model W pack's facts: what rules learn about a repository."""

from modelw_lint_rules._examples import model_w_repo

from modelw_lint.config import Config
from modelw_lint.engine.linter import Linter
from modelw_lint.testing import write_files


def project(tmp_path, registry, files):
    write_files(str(tmp_path), files)
    return Linter(str(tmp_path), Config(), registry).project()


def test_components_and_django_projects(tmp_path, registry):
    files = model_w_repo()
    files.update({"bot/package.json": "{}", "docs/index.md": "x", "tools/manage.py": "", "api/tests/manage.py": ""})
    p = project(tmp_path, registry, files)
    comps = p.fact("components")
    assert sorted(comps) == ["api", "bot", "front", "tools"]
    assert comps["api"].manage_py == "api/manage.py" and comps["api"].pyproject == "api/pyproject.toml"
    assert comps["front"].package_json == "front/package.json"
    assert [d.manage_py for d in p.fact("django_projects")] == ["api/manage.py", "tools/manage.py"]


def test_settings_module_from_manage_wsgi_and_pytest(tmp_path, registry):
    files = model_w_repo()
    files["api/acme/django/wsgi.py"] = 'os.environ.setdefault("DJANGO_SETTINGS_MODULE", "acme.django.settings")\n'
    files["api/pytest.ini"] = "[pytest]\nDJANGO_SETTINGS_MODULE = acme.django.test_settings\n"
    files["api/acme/django/test_settings.py"] = "from .settings import *\n"
    mods = project(tmp_path, registry, files).fact("settings_modules")
    main = mods["api/acme/django/settings.py"]
    assert main.dotted == "acme.django.settings" and not main.is_test
    assert main.sources == ["api/manage.py", "api/acme/django/wsgi.py"]
    test = mods["api/acme/django/test_settings.py"]
    assert test.is_test and test.star_imports == ["api/acme/django/settings.py"]


def test_settings_package_and_star_imports(tmp_path, registry):
    files = model_w_repo()
    del files["api/acme/django/settings.py"]
    files["api/manage.py"] = 'os.environ.setdefault("DJANGO_SETTINGS_MODULE", "acme.settings")\n'
    files["api/acme/settings/__init__.py"] = "from .base import *\nfrom .local import *\n"
    files["api/acme/settings/base.py"] = "INSTALLED_APPS = []\n"
    files["api/acme/settings/local.py"] = "DEBUG = True\n"
    mods = project(tmp_path, registry, files).fact("settings_modules")
    assert sorted(mods) == ["api/acme/settings/__init__.py", "api/acme/settings/base.py", "api/acme/settings/local.py"]
    assert mods["api/acme/settings/base.py"].sources == ["import"]
    assert not any(m.is_test for m in mods.values())


def test_fallback_finds_django_settings_not_tool_settings(tmp_path, registry):
    files = model_w_repo()
    files["api/manage.py"] = "import sys\n"  # no DJANGO_SETTINGS_MODULE
    files["api/crawler/settings.py"] = 'BOT_NAME = "crawler"\nSPIDER_MODULES = ["crawler.spiders"]\n'
    files["scrapy_project/settings.py"] = 'INSTALLED_APPS = ["x"]\n'  # outside any Django project
    mods = project(tmp_path, registry, files).fact("settings_modules")
    assert list(mods) == ["api/acme/django/settings.py"]
    assert mods["api/acme/django/settings.py"].sources == ["fallback"]


def test_preset_block_through_aliases(tmp_path, registry):
    files = model_w_repo()
    files["api/acme/django/settings.py"] = (
        "from model_w.env_manager import EnvManager as EM\n"
        "import model_w.preset.django as preset\n\n"
        "with EM(preset=preset.ModelWDjango(enable_storages=True)) as e:\n    X = 1\n"
    )
    p = project(tmp_path, registry, files)
    block = p.fact("preset_blocks")["api/acme/django/settings.py"]
    assert block.env_name == "e" and list(block.kwargs) == ["enable_storages"]
    assert p.fact("preset_in_use") is True


def test_preset_block_requires_the_real_names(tmp_path, registry):
    files = model_w_repo()
    files["api/acme/django/settings.py"] = (
        "from my_env import EnvManager\nfrom model_w.preset.django import ModelWDjango\n\n"
        "with EnvManager(ModelWDjango()) as env:\n    X = 1\n"
    )
    assert project(tmp_path, registry, files).fact("preset_blocks") == {}


def test_python_dependencies(tmp_path, registry):
    files = model_w_repo()
    files["api/pyproject.toml"] = (
        '[tool.poetry.dependencies]\npython = "~3.14"\n'
        'modelw-preset-django = {extras = ["celery"], version = ">=2026.7.0,<2026.8.0"}\n'
        'Django_Extensions = "*"\n'
        "[tool.poetry.group.dev.dependencies]\npytest = \"*\"\n"
        '[project]\ndependencies = ["pika>=1.3", "redis[hiredis]==5.0"]\n'
    )
    files["api/requirements.txt"] = "# pinned\nceleryx==5.3  # comment\n-r other.txt\n"
    files["api/poetry.lock"] = '[[package]]\nname = "kombu"\n'
    deps = project(tmp_path, registry, files).fact("python_dependencies")
    got = {(d.name, d.spec, d.extras, d.path, d.line, d.group) for d in deps}
    assert ("modelw-preset-django", ">=2026.7.0,<2026.8.0", ("celery",), "api/pyproject.toml", 3, "main") in got
    assert ("django-extensions", "*", (), "api/pyproject.toml", 4, "main") in got
    assert ("pytest", "*", (), "api/pyproject.toml", 6, "dev") in got
    assert ("pika", ">=1.3", (), "api/pyproject.toml", 8, "main") in got
    assert ("redis", "==5.0", ("hiredis",), "api/pyproject.toml", 8, "main") in got
    assert ("celeryx", "==5.3", (), "api/requirements.txt", 2, "main") in got
    assert not any(d.name == "kombu" for d in deps)


def test_front_dependencies(tmp_path, registry):
    deps = project(tmp_path, registry, model_w_repo()).fact("front_dependencies")
    by_name = {d.name: d for d in deps}
    assert by_name["@sentry/sveltekit"].line == 6 and not by_name["@sentry/sveltekit"].dev
    assert by_name["svelte"].dev and by_name["svelte"].path == "front/package.json"


def test_snow_yml_as_written(tmp_path, registry):
    """model-w-reference §6.3: components keyed id, hooks as one-off jobs, env groups resolved
    (references are not values), images as components (their code is the Dockerfile's folder
    under the context), resources."""
    from modelw_lint_rules._examples import SNOW_YML

    files = model_w_repo()
    files["snow.yml"] = SNOW_YML.replace(
        "  - {id: api, context: api, dockerfile: Dockerfile}\n",
        "  - {id: api, context: api, dockerfile: Dockerfile}\n  - {id: admin, context: ., dockerfile: admin/Dockerfile}\n",
    ) + "    EMAIL_MODE: mailjet\n"
    files["admin/Dockerfile"] = "FROM node:24\n"
    files["admin/package.json"] = '{"dependencies": {"express": "^4"}}'
    p = project(tmp_path, registry, files)
    [spec] = p.fact("spec_models")["snow.yml"]
    by_name = {(s.name, s.kind): s for s in spec.services}
    api, front = by_name[("api", "service")], by_name[("front", "service")]
    assert (api.role, [r.prefix for r in api.routes], api.port) == ("api", ["/back/"], 8000)
    assert (front.role, [r.prefix for r in front.routes]) == ("front", ["/"])
    assert by_name[("migrate", "job")].role is None  # a component that only runs the hook
    [hook] = spec.migration_jobs
    assert (hook.when, hook.image) == ("pre-deploy", "api") and "manage.py migrate" in hook.command
    assert api.env["SECRET_KEY"] == "${{ secrets::SECRET_KEY }}" and hook.env == api.env
    assert spec.roles == {"api", "front"}
    assert [(i.id, i.folder) for i in spec.images] == [("front", "front"), ("api", "api"), ("admin", "admin")]
    assert [(r.kind, r.id, r.version) for r in spec.resources] == [
        ("redis", "redis", "7"), ("postgres", "psql", "15"), ("postgres", "psql", ""),
    ]
    values = p.fact("configured_values")
    # References are no values: only the .env-template's literals are there.
    assert values["SECRET_KEY"] == {"change-me"} and "REDIS_URL" not in values and "SENTRY_DSN" not in values
    assert values["EMAIL_MODE"] == {"mailjet"}
    comps = p.fact("components")
    assert comps["admin"].declared == "snow.yml, image admin" and comps["admin"].is_front(p)
    assert [f.path for f in p.fact("fronts")] == ["admin/package.json", "front/package.json"]
