"""The project model the rules ask: the Python index (modules, re-exports, class bases across
modules), settings discovery and roles, the preset through subclasses and variables, and what
production finally assigns."""

from __future__ import annotations

import ast

import pytest
from modelw_lint_rules.facts.settings import classify_condition

from modelw_lint.project.model import Project
from modelw_lint.lang.pyindex import PythonIndex
from modelw_lint.testing import write_files


def project(tmp_path, files, registry):
    write_files(str(tmp_path), files)
    return Project(str(tmp_path), facts=registry.facts)


# -- the Python index --------------------------------------------------------------------------

STORAGE_FILES = {
    "api/manage.py": "",
    "api/acme/__init__.py": "",
    "api/acme/storage/__init__.py": "from .backends import *  # noqa\n",
    "api/acme/storage/backends.py": (
        "from storages.backends.s3 import S3Storage as Base\n\n\n"
        "class DandiS3Storage(Base):\n    pass\n"
    ),
    "api/acme/storage/minio.py": "from . import DandiS3Storage\n\n\nclass Minio(DandiS3Storage):\n    pass\n",
    "api/acme/local.py": "from django.core.files.storage import FileSystemStorage\n\n\nclass Local(FileSystemStorage):\n    pass\n",
    "api/acme/plain.py": "class Plain:\n    pass\n\n\nclass Child(Plain):\n    pass\n",
}


def test_module_map_from_the_package_roots(tmp_path):
    write_files(str(tmp_path), STORAGE_FILES)
    index = PythonIndex(Project(str(tmp_path)), ["api"])
    assert index.module_file("acme.storage") == "api/acme/storage/__init__.py"
    assert index.module_file("acme.storage.minio") == "api/acme/storage/minio.py"
    assert index.module_file("acme.nowhere") is None
    assert index.module_name("api/acme/storage/minio.py") == "acme.storage.minio"
    assert index.module_name("README.md") is None


def test_names_resolve_through_imports_aliases_and_star_re_exports(tmp_path):
    write_files(str(tmp_path), STORAGE_FILES)
    index = PythonIndex(Project(str(tmp_path)), ["api"])
    assert index.resolve("acme.storage.DandiS3Storage") == "acme.storage.backends.DandiS3Storage"
    assert index.bases("acme.storage.backends.DandiS3Storage") == ["storages.backends.s3.S3Storage"]
    assert index.bases("acme.storage.minio.Minio") == ["acme.storage.backends.DandiS3Storage"]


def test_subclassing_through_modules_is_three_valued(tmp_path):
    write_files(str(tmp_path), STORAGE_FILES)
    index = PythonIndex(Project(str(tmp_path)), ["api"])
    s3 = {"storages.backends.s3.S3Storage"}
    assert index.is_subclass("acme.storage.minio.Minio", s3) is True
    assert index.is_subclass("acme.local.Local", s3) is None  # FileSystemStorage's bases are unknown here
    assert index.is_subclass("acme.plain.Child", s3) is False  # every ancestor is known
    assert index.is_subclass("acme.local.Local", lambda n: n.startswith("django.core.files.storage.")) is True
    assert index.binds("acme.plain", "Child") is True and index.binds("acme.plain", "Ghost") is False


def test_a_cycle_of_re_exports_ends(tmp_path):
    write_files(str(tmp_path), {"a/__init__.py": "", "a/x.py": "from a.y import N\n", "a/y.py": "from a.x import N\n"})
    index = PythonIndex(Project(str(tmp_path)), [""])
    assert index.resolve("a.x.N") in ("a.x.N", "a.y.N")
    assert index.is_subclass("a.x.N", {"object"}) is None


# -- settings ----------------------------------------------------------------------------------


COOKIECUTTER = {
    "manage.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'config.settings.local')\n",
    "config/__init__.py": "",
    "config/wsgi.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'config.settings.production')\n",
    "config/settings/__init__.py": "",
    "config/settings/base.py": "INSTALLED_APPS = []\nSTATIC_URL = '/static/'\nSTORAGES = {'default': {'BACKEND': 'a.Local'}}\n",
    "config/settings/local.py": "from .base import *  # noqa\nDEBUG = True\n",
    "config/settings/production.py": (
        "from .base import *  # noqa\n"
        "STORAGES['default'] = {'BACKEND': 'storages.backends.s3.S3Storage'}\n"
        "STORAGES.update({'staticfiles': {'BACKEND': 'whitenoise.storage.CompressedManifestStaticFilesStorage'}})\n"
        "if DEBUG:\n    STATIC_URL = '/dev-static/'\n"
    ),
    "config/settings/test.py": "from .base import *  # noqa\n",
    "pytest.ini": "[pytest]\nDJANGO_SETTINGS_MODULE = config.settings.test\n",
}


def test_settings_modules_roles_and_what_production_runs(tmp_path, registry):
    p = project(tmp_path, COOKIECUTTER, registry)
    modules = p.fact("settings_modules")
    roles = {path: (m.role, m.production) for path, m in modules.items()}
    assert roles == {
        "config/settings/base.py": ("production", True),
        "config/settings/local.py": ("dev", False),
        "config/settings/production.py": ("production", True),
        "config/settings/test.py": ("test", False),
    }
    assert p.fact("project_settings") == {"config/settings/base.py", "config/settings/production.py"}


def test_production_final_values_through_star_imports_and_branches(tmp_path, registry):
    p = project(tmp_path, COOKIECUTTER, registry)
    [view] = p.fact("production_settings").values()
    assert view.files == ["config/settings/production.py", "config/settings/base.py"]
    node, assignment = view.final("STORAGES", ("default", "BACKEND"))
    assert node.value == "storages.backends.s3.S3Storage" and assignment.path == "config/settings/production.py"
    node, assignment = view.final("STATIC_URL")  # the DEBUG branch is development
    assert node.value == "/static/" and assignment.path == "config/settings/base.py"
    assert view.final("NOT_SET") == (None, None)


@pytest.mark.parametrize("where,text", [
    (".env.production", "DJANGO_SETTINGS_MODULE=shop.settings.live\n"),
    ("Procfile", "web: DJANGO_SETTINGS_MODULE=shop.settings.live gunicorn shop.wsgi\n"),
    ("docker-compose.yml", "services:\n  web:\n    environment:\n      DJANGO_SETTINGS_MODULE: shop.settings.live\n"),
    ("Dockerfile", "FROM python:3.12\nENV DJANGO_SETTINGS_MODULE shop.settings.live\n"),
    (".github/workflows/deploy.yml", "env:\n  DJANGO_SETTINGS_MODULE: shop.settings.live\n"),
    ("app.json", '{"env": {"DJANGO_SETTINGS_MODULE": {"value": "shop.settings.live"}}}\n'),
])
def test_settings_named_only_outside_python(tmp_path, registry, where, text):
    files = {
        "manage.py": "import sys\n",
        "shop/__init__.py": "",
        "shop/settings/__init__.py": "",
        "shop/settings/live.py": "INSTALLED_APPS = []\n",
        where: text,
    }
    p = project(tmp_path, files, registry)
    modules = p.fact("settings_modules")
    assert "shop/settings/live.py" in modules and modules["shop/settings/live.py"].production
    assert where in modules["shop/settings/live.py"].sources


PRESET_SUBCLASS = {
    "api/manage.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'acme.django.settings')\n",
    "api/acme/__init__.py": "",
    "api/acme/django/__init__.py": "",
    "api/acme/presets.py": "from model_w.preset.django import ModelWDjango as MW\n\n\nclass AcmePreset(MW):\n    pass\n",
    "api/acme/django/preset_instance.py": "from acme.presets import AcmePreset\n\npreset = AcmePreset(enable_storages=True)\n",
    "api/acme/django/settings.py": (
        "from model_w.env_manager import EnvManager\n\nfrom .preset_instance import preset\n\n"
        "with EnvManager(preset) as env:\n    LANGUAGES = [('en', 'English')]\n"
    ),
}


def test_the_preset_through_a_subclass_and_an_imported_variable(tmp_path, registry):
    p = project(tmp_path, PRESET_SUBCLASS, registry)
    [block] = p.fact("preset_blocks").values()
    assert block.preset_class == "acme.presets.AcmePreset" and block.exact and not block.in_this_module
    assert block.kwarg("enable_storages") is True and block.kwarg("enable_cache") is None
    assert p.fact("preset_status") == {"api/acme/django/settings.py": True}


def test_a_preset_from_a_library_is_unknown(tmp_path, registry):
    files = dict(PRESET_SUBCLASS)
    files["api/acme/django/settings.py"] = (
        "from agency.presets import AgencyPreset\nfrom model_w.env_manager import EnvManager\n\n"
        "with EnvManager(AgencyPreset()) as env:\n    pass\n"
    )
    p = project(tmp_path, files, registry)
    assert p.fact("preset_blocks") == {}
    assert p.fact("preset_status") == {"api/acme/django/settings.py": None}
    assert p.fact("preset_in_use") is True  # unknown counts: never a finding on a guess


@pytest.mark.parametrize("condition,bindings,kind", [
    ("DEBUG", {}, "dev"),
    ("settings.DEBUG", {}, "dev"),
    ("not DEBUG", {}, "prod"),
    ('env.get("ENVIRONMENT") == "local"', {}, "dev"),
    ('os.environ.get("DJANGO_ENV", "") in ("dev", "local")', {}, "dev"),
    ('ENVIRONMENT == "production"', {}, "prod"),
    ('"test" in sys.argv', {}, "test"),
    ("LOCAL", {"LOCAL": 'os.environ.get("ENVIRONMENT") == "local"'}, "dev"),
    ("FEATURE_X", {}, None),
    ('REGION == "eu"', {}, None),
])
def test_which_branch_a_condition_selects(condition, bindings, kind):
    parsed = {k: ast.parse(v, mode="eval").body for k, v in bindings.items()}
    assert classify_condition(ast.parse(condition, mode="eval").body, parsed) == kind


def test_facts_package_imports_no_rule_family():
    import pathlib

    import modelw_lint_rules.facts as facts

    families = {"layout", "settings", "queue", "storage", "sentry", "messaging", "routing", "deploy", "stack"}
    root = pathlib.Path(facts.__file__).parent
    for path in root.rglob("*.py"):
        depth = len(path.relative_to(root).parts) - 1  # facts/settings/preset.py: 1
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.level >= depth + 2:
                top = (node.module or "").split(".")[0]
                assert top not in families, f"{path.name} imports the {top} family"
