"""Precision without losing recall (issue 23), each pattern in the shape real projects write
it, run the way a user runs modelw-lint (``check`` through the CLI, JSON output):

- Python written for a newer Python (3.12 f-strings and type parameters, 3.14 ``except A, B:``
  and t-strings) is read, its findings reported on their lines, and no fix edits it;
- a rule concluding from an absence does not conclude over a file it could not parse;
- workspace packages, Storybook stories, mocks, a multi-stage Dockerfile's development stage,
  a Dockerfile only a local compose file builds and a client SDK with its own pyproject are
  not the application; an nginx image serving a built front is;
- ``check --explain-project`` shows how the project was understood.

The shapes of cookiecutter-django and of a Docker-built project live in tests/corpus/
(``cookiecutter-uploads-on-disk``, ``django-docker-chain``).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess

import pytest
from conftest import HERE, cli_runner, committed_model_w_repo
from modelw_lint_rules._examples import API_DOCKERFILE, SETTINGS_PATH, SETTINGS_PY, model_w_repo

from modelw_lint.cli import main


def project(tmp_path, files: dict[str, str | None], name: str = "repo"):
    return committed_model_w_repo(tmp_path / name, files)


def check(root, *extra):
    result = cli_runner().invoke(main, ["check", str(root), "--no-cache", "--output-format", "json", *extra])
    assert result.exit_code in (0, 1), result.output
    data = json.loads(result.stdout)
    assert data["errors"] == []
    return data


def found(data) -> set[tuple[str, str, int]]:
    return {(f["code"], f["path"], f["line"]) for f in data["findings"]}


def new_findings(tmp_path, files) -> set[tuple[str, str, int]]:
    """What the files add to the report of the untouched compliant project."""
    before = found(check(project(tmp_path, {}, "before")))
    return found(check(project(tmp_path, files, "after"))) - before


# -- Python written for a newer Python ------------------------------------------------------------

SERVICES = '''\
from django.core.mail import send_mail

type Recipients = list[str]


def notify[T](user: T, recipients: Recipients) -> None:
    message = f"{user.profile["name"]} joined"
    try:
        send_mail("Hello", message, None, recipients)
    except ConnectionError, TimeoutError:
        pass
    print(t"notified {user}")
'''

SETTINGS_314 = SETTINGS_PY.replace("    LANGUAGES", '''\
    try:
        from .local import *  # noqa: F403
    except ImportError, ModuleNotFoundError:
        pass
    GREETING = f"{env.get("SITE_NAME", default="Acme")} says {
        "hello"
    }"
    SECRET_KEY = "hunter2-but-longer-and-in-the-code"
    LANGUAGES''')


def test_findings_in_files_written_for_newer_python_are_reported_on_their_lines(tmp_path):
    added = new_findings(tmp_path, {"api/acme/apps/people/services.py": SERVICES, SETTINGS_PATH: SETTINGS_314})
    secret_line = SETTINGS_314.splitlines().index('    SECRET_KEY = "hunter2-but-longer-and-in-the-code"') + 1
    assert added == {("MW601", "api/acme/apps/people/services.py", 9), ("MW201", SETTINGS_PATH, secret_line)}


NEWER_FORMS = {
    "except without parentheses (3.14)": "try:\n    import x\nexcept ImportError, ValueError:\n    x = None\n",
    "except* without parentheses (3.14)": "try:\n    pass\nexcept* ValueError, TypeError:\n    pass\n",
    "type parameters (3.12)": "def first[T](items: list[T]) -> T:\n    return items[0]\n\n\nclass Box[T]:\n    item: T\n",
    "type parameter defaults (3.13)": "class Box[T = int]:\n    pass\n",
    "a type alias (3.12)": "type Pair[T] = tuple[T, T]\n",
    "a t-string (3.14)": 'GREETING = t"hello {NAME!r:>10}"\n',
    "an f-string nesting its quotes (3.12)": 'LABEL = f"{CONFIG["name"]} {", ".join(TAGS)}"\n',
    "an f-string over lines, with a comment (3.12)": 'LABEL = f"{\n    NAME  # the name\n}"\n',
    "an f-string with a backslash (3.12)": 'LABEL = f"{"\\n".join(TAGS)}"\n',
}


@pytest.mark.parametrize("form", NEWER_FORMS)
def test_each_newer_form_is_read_and_lines_kept(tmp_path, form):
    text = "NAME, TAGS, CONFIG = 'a', [], {}\n" + NEWER_FORMS[form] + 'SECRET_KEY = "hunter2-but-longer-and-in-the-code"\n'
    root = project(tmp_path, {SETTINGS_PATH: text})
    findings = check(root)["findings"]
    assert not [f for f in findings if f["code"] in ("MW001", "MW002")]
    [secret] = [f for f in findings if f["code"] == "MW201"]
    assert secret["line"] == text.count("\n")


def test_no_fix_edits_a_file_written_for_newer_python(tmp_path):
    root = project(tmp_path, {SETTINGS_PATH: SETTINGS_314})
    data = check(root, "--fix")
    assert (root / SETTINGS_PATH).read_text() == SETTINGS_314
    [refused] = [f for f in data["findings"] if f["code"] == "MW004"]
    assert refused["path"] == SETTINGS_PATH and "written for a newer Python" in refused["message"]
    assert any(f["code"] == "MW201" for f in data["findings"])


def test_absence_is_not_concluded_over_a_file_that_does_not_parse(tmp_path):
    settings = 'import sentry_sdk\n\nsentry_sdk.init(dsn="x" if True else)\nINSTALLED_APPS = []\n'
    root = project(tmp_path, {SETTINGS_PATH: settings, "api/requirements.txt": "sentry-sdk==2.0\n"})
    data = check(root)
    by_code = {f["code"]: f for f in data["findings"]}
    assert by_code["MW002"]["path"] == SETTINGS_PATH
    for code in ("MW501", "MW502"):
        if code in by_code:
            assert by_code[code]["severity"] == "info" and "could not be parsed" in by_code[code]["message"]
    assert "MW502" in by_code  # says what it could not read


# -- what is not the application -------------------------------------------------------------

UI_PACKAGE = '''\
{
  "name": "@acme/ui",
  "type": "module",
  "exports": {".": {"svelte": "./dist/index.js", "types": "./dist/index.d.ts"}},
  "peerDependencies": {"svelte": "^5.0.0"},
  "devDependencies": {"@sveltejs/kit": "^2.8.0", "@sveltejs/package": "^2.3.0", "svelte": "^5.0.0", "vite": "^6.0.0"}
}
'''
HOOKS_PACKAGE = '{"name": "@acme/hooks", "main": "dist/index.cjs", "module": "dist/index.js", "dependencies": {"react": "^19"}}\n'
MULTI_STAGE = API_DOCKERFILE.replace("FROM modelw/base:2026.07", "FROM modelw/base:2026.07 AS production") + (
    '\nFROM production AS dev\nCMD ["python", "manage.py", "runserver", "0.0.0.0:8000"]\n'
)
SDK_PYPROJECT = '[project]\nname = "acme-client"\nversion = "1.2.0"\ndependencies = ["httpx>=0.27", "sentry-sdk>=2"]\n'
SDK_INIT = 'import sentry_sdk\n\n\ndef configure(dsn: str) -> None:\n    """Report its own errors."""\n    sentry_sdk.init(dsn=dsn)\n'
NOT_THE_APPLICATION = {
    "package.json": '{"private": true, "workspaces": ["front", "packages/*"]}\n',
    "packages/ui/package.json": UI_PACKAGE,
    "packages/ui/src/lib/Button.svelte": "<button><slot /></button>\n",
    "packages/hooks/package.json": HOOKS_PACKAGE,
    "front/src/lib/Avatar.stories.ts": 'export const Default = { args: { src: "https://api.acme.com/avatar.png" } };\n',
    "front/src/mocks/handlers.ts": 'export const handlers = [http.get("https://api.acme.com/me", () => HttpResponse.json({}))];\n',
    "front/src/lib/api.test.ts": 'expect(url("me")).toBe("https://api.acme.com/me");\n',
    "api/Dockerfile": MULTI_STAGE,
    "docker-compose.local.yml": "services:\n  api:\n    build:\n      context: ./api\n      dockerfile: ../docker/web.Dockerfile\n",
    "docker/web.Dockerfile": 'FROM python:3.14\nCOPY . .\nCMD ["python", "manage.py", "runserver", "0.0.0.0:8000"]\n',
    "sdk/pyproject.toml": SDK_PYPROJECT,
    "sdk/acme_client/__init__.py": SDK_INIT,
}


def test_libraries_stories_mocks_dev_stages_and_sdks_are_not_the_application(tmp_path):
    assert new_findings(tmp_path, NOT_THE_APPLICATION) == set()


def test_what_the_application_is_stays_reported(tmp_path):
    """The same shapes, each turned into the application: every one is reported again."""
    files = {
        **NOT_THE_APPLICATION,
        # a front of its own in the workspace (an app: no library entry points)
        "packages/hooks/package.json": '{"name": "@acme/admin", "dependencies": {"react": "^19"}, "devDependencies": {"vite": "^6"}}\n',
        # front code calling another host
        "front/src/lib/api.ts": 'export const me = () => fetch("https://api.acme.com/me");\n',
        # the production compose file targets the development stage
        "docker-compose.production.yml": "services:\n  api:\n    build:\n      context: ./api\n      target: dev\n",
        # the back-end installs the SDK: its init is back-end code
        "api/pyproject.toml": model_w_repo()["api/pyproject.toml"] + 'acme-client = {path = "../sdk", develop = true}\n',
        # a front built by node and served by nginx
        "front/Dockerfile": "FROM node:22 AS build\nCOPY . .\nRUN pnpm install && pnpm run build\n\n"
        "FROM nginx:1.27-alpine\nCOPY --from=build /app/build /usr/share/nginx/html\n",
    }
    codes = {(code, path) for code, path, _line in new_findings(tmp_path, files)}
    assert {
        ("MW910", "packages/hooks/package.json"), ("MW704", "front/src/lib/api.ts"), ("MW802", "api/Dockerfile"),
        ("MW504", "sdk/acme_client/__init__.py"), ("MW801", "front/Dockerfile"),
    } <= codes
    assert not any(path.startswith(("packages/ui/", "front/src/mocks/", "front/src/lib/Avatar")) for _code, path in codes)


# -- check --explain-project -------------------------------------------------------------------


def corpus(tmp_path, name):
    root = tmp_path / name
    shutil.copytree(os.path.join(HERE, "corpus", name), root, ignore=shutil.ignore_patterns("expected.txt"))
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)
    subprocess.run(["git", "add", "-A"], cwd=root, check=True)
    return root


def explain(root, *extra):
    return cli_runner().invoke(main, ["check", str(root), "--explain-project", "--no-cache", *extra])


def test_explain_project_shows_values_sources_and_images(tmp_path):
    result = explain(corpus(tmp_path, "cookiecutter-uploads-on-disk"))
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "config/settings/production.py: config.settings.production: production settings (named in config/wsgi.py); " \
        "production runs it; without the Model W preset" in out
    assert "config/settings/local.py: config.settings.local: dev settings (named in manage.py); production does not run it" in out
    assert ("STORAGES[\"default\"][\"BACKEND\"]: 'django.core.files.storage.FileSystemStorage' unless "
            "DJANGO_STORAGES_DEFAULT_BACKEND or DJANGO_USE_S3 are set (config/settings/base.py:49); "
            "config/settings/production.py:17 changes it only when a variable is set") in out
    assert "CACHES[\"default\"][\"BACKEND\"]: 'django.core.cache.backends.locmem.LocMemCache' unless DJANGO_CACHE_URL is set" in out
    assert "SECRET_KEY: read from the environment (DJANGO_SECRET_KEY) without a literal default" in out
    assert "compose/production/django/Dockerfile: application: the django service of production.yml builds it" in out
    assert "compose/production/postgres/Dockerfile: infrastructure: built FROM docker.io/postgres:16" in out
    assert "compose/local/django/Dockerfile: development:" in out
    assert "production.yml: a deployment compose file: django, postgres, redis, nginx, celeryworker" in out


def test_explain_project_as_json_and_hidden_secrets(tmp_path):
    root = project(tmp_path, {SETTINGS_PATH: SETTINGS_314, "api/acme/apps/people/services.py": SERVICES, **NOT_THE_APPLICATION})
    result = explain(root, "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["problems"] == []
    sections = data["packs"]["modelw"]
    components = {e["subject"]: e["understood"] for e in sections["Components"]}
    assert components["packages/"].startswith("JS packages, no front")
    code = {e["subject"]: e["understood"] for e in sections["Code read"]}
    assert code["sdk/"].startswith("a Python package of its own")
    assert code[SETTINGS_PATH].startswith("written for a newer Python")
    values = next(v for k, v in sections.items() if k.startswith("What production runs with"))
    secret = next(e["understood"] for e in values if e["subject"] == "SECRET_KEY")
    assert secret.startswith("a literal (hidden)") and "hunter2" not in result.stdout
    images = {e["subject"]: e["understood"] for e in sections["Images"]}
    assert images["docker/web.Dockerfile"].startswith("development")
    assert images["api/Dockerfile"].startswith("application: the Dockerfile of the api/ component")


@pytest.mark.parametrize("extra, message", [
    (["--show-files"], "--show-files and --explain-project each print a report and exit: pick one"),
    (["--format", "sarif"], "--explain-project prints text or json, not sarif"),
])
def test_explain_project_usage_errors(tmp_path, extra, message):
    result = explain(project(tmp_path, {}), *extra)
    assert result.exit_code == 2 and message in result.output
