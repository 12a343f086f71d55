"""Fixes that never break a project (issue 22): each pattern that broke real repositories,
written in its shape (our own code), fixed as a user fixes it (``check --fix --unsafe-fixes``),
and the result read file by file: what a fix must not touch is untouched, what it declines it
says, what it does is complete.
"""

from __future__ import annotations

import json

import pytest
from conftest import cli_runner, committed_model_w_repo
from modelw_lint_rules._examples import API_DOCKERFILE, DOGEFILE_OK, PACKAGE_JSON, PYPROJECT, SETTINGS_PATH, SETTINGS_PY

from modelw_lint.cli import main

URLS = "api/acme/django/urls.py"
CELERY = PYPROJECT.replace('"procrastinate"]', '"celery"]')


def project(tmp_path, files: dict[str, str | None]):
    return committed_model_w_repo(tmp_path, files)


def fix(root, *extra):
    result = cli_runner().invoke(main, ["check", str(root), "--fix", "--unsafe-fixes", "--no-cache", "--output-format", "json", *extra])
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)


def read(root, path):
    return (root / path).read_text()


def by_code(data, code):
    return [f for f in data["findings"] if f["code"] == code]


# -- safe fixes that would change meaning --------------------------------------------------------


PRESET_SUBCLASS = '''\
import dj_database_url
from model_w.env_manager import EnvManager
from model_w.preset.django import ModelWDjango


class AcmePreset(ModelWDjango):
    """Our preset: a local database when DATABASE_URL is not set."""

    def pre_database(self, env):
        if (url := env.get("DATABASE_URL", default=None)) is None:
            url = "postgres://acme@localhost/acme"
        yield "DATABASES", {"default": dj_database_url.parse(url, conn_max_age=60)}


with EnvManager(AcmePreset()) as env:
    INSTALLED_APPS = ["acme.apps.people"]
    ROOT_URLCONF = "acme.django.urls"
    LANGUAGES = [("en", "English")]
    if (redis := env.get("REDIS_URL", default=None)) is None:
        CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
'''


def test_a_read_in_an_overriding_preset_hook_or_a_tested_read_is_never_rewritten(tmp_path):
    root = project(tmp_path, {SETTINGS_PATH: PRESET_SUBCLASS})
    data = fix(root)
    assert read(root, SETTINGS_PATH) == PRESET_SUBCLASS  # neither call changed
    [mismatch] = by_code(data, "MW205")  # REDIS_URL only: the subclass owns DATABASE_URL's read
    assert '"REDIS_URL"' in mismatch["message"] and "tested" in mismatch["message"] and mismatch["fix"] is None


# -- versions ------------------------------------------------------------------------------------


@pytest.mark.parametrize("spec,expected", [
    (">=2026.7.2,<2026.8.0", ">=2026.7.2,<2026.8.0"),  # a raised floor is kept: no finding
    ("==2026.7.1", ">=2026.7.1,<2026.8.0"),  # canonical, floor kept
    ("^2026.7.3", ">=2026.7.3,<2026.8.0"),
])
def test_a_preset_floor_is_never_lowered(tmp_path, spec, expected):
    root = project(tmp_path, {"api/pyproject.toml": PYPROJECT.replace(">=2026.7.0,<2026.8.0", spec)})
    fix(root)
    assert f'version = "{expected}"' in read(root, "api/pyproject.toml")


def test_every_image_ends_on_the_back_ends_tag(tmp_path):
    root = project(tmp_path, {
        "api/Dockerfile": API_DOCKERFILE.replace("2026.07", "2026.01"),
        "front/Dockerfile": API_DOCKERFILE.replace("2026.07", "2026.01"),
        "front/package.json": PACKAGE_JSON.replace("~2026.7.0", "~2026.4.0"),  # the front's own pin lags
    })
    fix(root)
    assert "FROM modelw/base:2026.07" in read(root, "api/Dockerfile")
    assert "FROM modelw/base:2026.07" in read(root, "front/Dockerfile")


# -- route moves ---------------------------------------------------------------------------------

ROUTES = '''\
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.generic import TemplateView

from acme.web import views

urlpatterns = [
    path(".well-known/openid-configuration", views.oidc),
    re_path(r"^\\.well-known/jwks\\.json$", views.jwks),
    path("robots.txt", views.robots),
    path("sitemap.xml", views.sitemap),
    path("", include("acme.web.urls")),
    path("admin/", admin.site.urls),
    path("api/", include("acme.api.urls")),
    path("hooks/stripe/", views.stripe_webhook),
    re_path(r"^app/.*$", TemplateView.as_view(template_name="index.html")),
]
'''
WEB_URLS = 'from django.urls import path\n\nfrom . import views\n\nurlpatterns = [\n    path("humans.txt", views.humans),\n' \
           '    path("", views.health),\n]\n'
FRONT_API = 'export const me = () => fetch("/api/me/");\nexport const admin = "/admin/";\n'


def test_routes_are_not_moved_when_nothing_routes_back_to_django(tmp_path):
    root = project(tmp_path, {
        URLS: ROUTES, "api/acme/web/__init__.py": "", "api/acme/web/urls.py": WEB_URLS,
        "front/src/lib/api.ts": FRONT_API,
        "Dogefile": DOGEFILE_OK.replace('route_prefixes: ["/back"]', 'route_prefixes: ["/api", "/admin"]'),
    })
    data = fix(root)
    assert read(root, URLS) == ROUTES
    [outside] = [f for f in by_code(data, "MW701") if "outside /back" in f["message"]]
    message = outside["message"]
    assert "nothing routes /back to Django yet" in message and outside["fix"] is None
    assert "Dogefile" in message and "front/src/lib/api.ts" in message and "hooks/stripe/" in message
    assert "robots.txt" not in message.split(";")[0] and ".well-known" not in message
    assert "acme.web.urls carries humans.txt, / (its empty pattern)" in message
    [front] = [f for f in by_code(data, "MW701") if "the front is served by Django" in f["message"]]
    assert "TemplateView of index.html" in front["message"] and front["fix"] is None


def test_routes_move_where_back_already_reaches_django_and_nothing_else_moves(tmp_path):
    vite = "export default {server: {proxy: {'/back': {target: process.env.VITE_API_URL}}}};\n"
    root = project(tmp_path, {
        URLS: ROUTES, "api/acme/web/__init__.py": "", "api/acme/web/urls.py": WEB_URLS, "front/vite.config.ts": vite,
    })
    fix(root)
    moved = read(root, URLS)
    for kept in ('path(".well-known/openid-configuration"', 'r"^\\.well-known/jwks', 'path("robots.txt"', 'path("sitemap.xml"',
                 'path("", include("acme.web.urls"))', 're_path(r"^app/.*$"'):
        assert kept in moved, kept
    for move in ('path("back/admin/"', 'path("back/api/"', 'path("back/hooks/stripe/"'):
        assert move in moved, move


def test_part_of_the_api_built_elsewhere_is_never_split(tmp_path):
    routes = ('from django.urls import path\n\nfrom acme.api.urls import api_urlpatterns\n\n'
              'urlpatterns = [path("api/me/", me), *api_urlpatterns]\n')
    root = project(tmp_path, {URLS: routes, "Dogefile": DOGEFILE_OK})
    data = fix(root)
    assert read(root, URLS) == routes
    [finding] = by_code(data, "MW701")
    assert "*api_urlpatterns" in finding["message"] and finding["fix"] is None


# -- service removals ----------------------------------------------------------------------------

COMPOSE = """\
services:
  worker:
    build: ./api
    command: celery -A acme worker -l info
    depends_on:
      - broker
  broker:
    image: rabbitmq:3-management
    volumes:
      - broker-data:/var/lib/rabbitmq
volumes:
  broker-data:
"""
OVERRIDE = "services:\n  worker:\n    depends_on:\n      - broker\n  broker:\n    ports:\n      - 15672:15672\n"


def test_rabbitmq_stays_until_something_replaces_the_broker(tmp_path):
    root = project(tmp_path, {"api/pyproject.toml": CELERY, "docker-compose.yml": COMPOSE, "docker-compose.override.yml": OVERRIDE})
    data = fix(root)
    assert read(root, "docker-compose.yml") == COMPOSE and read(root, "docker-compose.override.yml") == OVERRIDE
    [service] = [f for f in by_code(data, "MW303") if "RabbitMQ service" in f["message"]]
    assert "add a Redis service first" in service["message"] and service["fix"] is None


def test_rabbitmq_goes_with_everything_that_refers_to_it(tmp_path):
    compose = COMPOSE.replace("volumes:\n  broker-data:\n", "  redis:\n    image: redis:7\nvolumes:\n  broker-data:\n")
    root = project(tmp_path, {"api/pyproject.toml": CELERY, "docker-compose.yml": compose, "docker-compose.override.yml": OVERRIDE})
    fix(root)
    base, override = read(root, "docker-compose.yml"), read(root, "docker-compose.override.yml")
    assert "broker" not in base and "rabbitmq" not in base and "redis:7" in base
    assert "depends_on" not in base  # its only entry went, and the key with it
    assert override == "services: {}\n"  # compose merges it: nothing may refer to the broker there


# -- process changes -----------------------------------------------------------------------------


def test_dropping_beat_never_stops_periodic_tasks(tmp_path):
    procfile = "web: modelw-docker serve\nworker: celery -A acme worker -B --loglevel=info\n"
    root = project(tmp_path / "heroku", {"api/pyproject.toml": CELERY, "Procfile": procfile})
    fix(root)
    assert read(root, "Procfile") == (
        "web: modelw-docker serve\nworker: celery -A acme worker --loglevel=info\nbeat: celery -A acme beat --loglevel=info\n"
    )
    compose = "services:\n  worker:\n    image: acme-api\n    command: celery -A acme worker -B\n"
    root = project(tmp_path / "compose", {"api/pyproject.toml": CELERY, "docker-compose.yml": compose, "Procfile": procfile})
    data = fix(root)
    assert read(root, "docker-compose.yml") == compose  # the only worker there (a Procfile's beat is another platform's)
    [left] = [f for f in by_code(data, "MW802") if f["path"] == "docker-compose.yml"]
    assert "add a beat process" in left["message"] and left["fix"] is None


# -- ignore rules --------------------------------------------------------------------------------


def test_a_fronts_public_env_is_not_ignored(tmp_path):
    root = project(tmp_path, {".gitignore": "node_modules/\n", "front/.env": "PUBLIC_API_URL=/back\nVITE_RELEASE=dev\n"})
    data = fix(root)
    assert read(root, ".gitignore") == "node_modules/\n/.env\n/api/.env\n"
    assert not by_code(data, "MW208")  # the front's public .env is committed on purpose


# -- small truths --------------------------------------------------------------------------------


def test_diff_with_exit_zero_exits_zero(tmp_path):
    root = project(tmp_path, {SETTINGS_PATH: SETTINGS_PY + '    SECRET_KEY = "x"\n'})
    result = cli_runner().invoke(main, ["check", str(root), "--diff", "--exit-zero", "--no-cache"])
    assert result.exit_code == 0 and "SECRET_KEY" in result.stdout


def test_the_fixed_count_never_exceeds_the_findings_there_were(tmp_path):
    drifts = SETTINGS_PY + '    SECRET_KEY = "x"\n    DEBUG = True\n'
    root = project(tmp_path, {SETTINGS_PATH: drifts, ".gitignore": "node_modules/\n"})
    before = json.loads(cli_runner().invoke(main, ["check", str(root), "--no-cache", "--output-format", "json"]).stdout)
    data = fix(root)
    fixable = [f for f in before["findings"] if f["fix"]]
    assert 0 < data["summary"]["fixed"] <= len(fixable)
    assert data["summary"]["fixed"] + len(data["findings"]) <= len(before["findings"]) + 1  # + the MW004 of a refusal at most


def test_a_refused_fix_is_not_advertised(tmp_path, monkeypatch):
    """A fix verification refuses (here: every fix, as if each brought a new finding) leaves
    its finding without the fix it could not apply; MW004 says why."""
    import modelw_lint.fix.fixloop as fixloop

    root = project(tmp_path, {SETTINGS_PATH: SETTINGS_PY + '    SECRET_KEY = "x"\n'})

    def refuse(checker, project, whole, overlay, todo, refused, only_paths, changed):
        for f in todo:
            refused[fixloop._key(f)] = (f, "a test refuses it")
        return None, whole

    monkeypatch.setattr(fixloop, "_verified_pass", refuse)
    data = fix(root)
    [secret] = by_code(data, "MW201")
    assert secret["fix"] is None
    assert any(f["code"] == "MW004" and "a test refuses it" in f["message"] for f in data["findings"])
