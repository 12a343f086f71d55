"""Model W's official templates are the ground truth (model-w-reference §6.5).

Every variant of every supported release's ``modelw-project-maker`` (front + back, with Channels,
with Wagtail, with both, front only, back only) is generated at test time by
``scripts/official_templates.py`` (wheels from the package index, answers on standard input;
cached, never committed) and checked untouched: no warning and no error. The release just
before the supported window reports only that it is unsupported. The release table agrees with
what the makers generate and with the published wheels (``python -m modelw_lint_rules.refresh``).
The July 2023 template, generated the same way, carries a realistic project's drift.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tomllib

import pytest
from conftest import REPO, cli_runner

from modelw_lint.cli import main
from modelw_lint_rules.releases import releases

_spec = importlib.util.spec_from_file_location("official_templates", os.path.join(REPO, "scripts", "official_templates.py"))
templates = importlib.util.module_from_spec(_spec)
sys.modules["official_templates"] = templates
_spec.loader.exec_module(templates)

# The real project makers run here (their wheels downloaded and cached): slow, run by CI with
# `-m slow` (see .ci/run).
pytestmark = pytest.mark.slow

SUPPORTED, BEFORE = templates.checked_releases()
MAKERS = templates.release_makers()
VARIANTS = list(templates.VARIANTS)
# The release before the window: its maker's main variants (its front-only variant crashes in the
# maker itself: the CMS question is asked outside the back-end's branch).
BEFORE_VARIANTS = ("front-back", "wagtail-channels", "back-only")
# A July 2023 project: Nuxt 3, Celery and Channels (the 2023 maker still asked about Celery).
TEMPLATE_2023 = ("2023.07", templates.Variant("celery-channels", front=True, back=True, channels=True, celery=True))


@pytest.fixture(scope="session")
def generated():
    """Every tree the tests need, generated once (two makers side by side) and cached."""
    jobs = [(MAKERS[r], templates.VARIANTS[v]) for r in SUPPORTED for v in VARIANTS]
    if BEFORE:
        jobs += [(MAKERS[BEFORE], templates.VARIANTS[v]) for v in BEFORE_VARIANTS]
    jobs.append((MAKERS[TEMPLATE_2023[0]], TEMPLATE_2023[1]))
    return templates.generate_many(jobs)


def tree(generated, release: str, variant: str):
    got = generated[(MAKERS[release], variant)]
    if isinstance(got, Exception):
        pytest.fail(f"{templates.MAKER} {MAKERS[release]} did not generate {variant}: {got}")
    return got


def check(path) -> dict:
    result = cli_runner().invoke(main, ["check", str(path), "--output-format", "json", "--no-cache"])
    assert result.exit_code in (0, 1), result.output
    data = json.loads(result.stdout)
    assert data["errors"] == []
    return data


def shown(data: dict) -> list[str]:
    return [f"{f['path']}:{f['line']}: {f['code']} [{f['severity']}] {f['message']}" for f in data["findings"]]


@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("release", SUPPORTED)
def test_an_untouched_official_template_has_no_warning_and_no_error(generated, release, variant):
    data = check(tree(generated, release, variant))
    assert [line for line, f in zip(shown(data), data["findings"]) if f["severity"] != "info"] == []
    assert data["release"]["name"] == release and data["release"]["status"] == "supported"
    infos = [f for f in data["findings"] if f["severity"] == "info"]
    if variant == "front-only":
        # The only note: where the back-end would go.
        assert [f["code"] for f in infos] == ["MW106"] and "api/" in infos[0]["message"]
    elif variant == "back-only":
        assert [f["code"] for f in infos] == ["MW103"] and "front/" in infos[0]["message"]
    else:
        assert infos == [], shown(data)


@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("release", SUPPORTED)
def test_an_untouched_official_template_scores_100_in_the_audit(generated, release, variant, tmp_path):
    """Issue 24: the audit's distance is 0 for the template, whatever it leaves out (a
    front-only or back-only variant: what it does not have does not apply, it is not absent)."""
    result = cli_runner().invoke(main, ["audit", str(tree(generated, release, variant)), "--format", "json", "-o", "-", "--no-cache"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["score"] == 100, [(s["family"], s["status"], s["reason"]) for s in data["systems"] if s["score"] not in (100, None)]
    assert {s["status"] for s in data["systems"]} <= {"conforms", "not-applicable"}
    assert all(s["status"] in ("done", "not-applicable") for s in data["plan"]), [(s["key"], s["status"]) for s in data["plan"]]
    assert data["effort"]["days"] == [0.0, 0.0]


@pytest.mark.skipif(BEFORE is None, reason="no release before the supported window in the table")
@pytest.mark.parametrize("variant", BEFORE_VARIANTS)
def test_the_release_before_the_window_reports_only_that_it_is_unsupported(generated, variant):
    data = check(tree(generated, BEFORE, variant))
    assert [f["code"] for f in data["findings"] if f["severity"] != "info"] == ["MW903"], shown(data)
    assert data["release"]["name"] == BEFORE and data["release"]["status"] == "no longer supported"


@pytest.mark.parametrize("release", SUPPORTED)
def test_the_release_table_is_what_the_maker_generates(generated, release):
    row = releases()[release]
    root = tree(generated, release, "front-back")
    api = tomllib.loads((root / "api" / "pyproject.toml").read_text())
    deps = api["tool"]["poetry"]["dependencies"]
    assert deps["python"] == row.python
    assert deps["modelw-preset-django"]["version"] == row.preset
    assert ("procrastinate" in deps["modelw-preset-django"]["extras"]) == (row.queue == "procrastinate")
    assert ("ninja" in deps["modelw-preset-django"]["extras"]) == ("ninja" in row.api)
    for dockerfile in ("api/Dockerfile", "front/Dockerfile"):
        assert f"FROM modelw/base:{row.base_image}\n" in (root / dockerfile).read_text()
    package = json.loads((root / "front" / "package.json").read_text())
    assert package["dependencies"][row.front_preset[0]] == row.front_preset[1]
    assert (root / "front" / "pnpm-workspace.yaml").exists() == (row.package_manager == "pnpm")
    # The maker leaves the lock file out of a fresh project; the front's image copies the one of its manager.
    lock = {"npm": "package-lock.json", "pnpm": "pnpm-lock.yaml"}[row.package_manager]
    assert lock in (root / "front" / "Dockerfile").read_text()


def test_the_refresh_command_agrees_with_the_table():
    """``python -m modelw_lint_rules.refresh --check`` reads the makers', presets' and
    modelw-docker's wheels of the supported releases and finds the table right."""
    result = subprocess.run(
        [sys.executable, "-m", "modelw_lint_rules.refresh", "--check", *SUPPORTED], capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-3000:]
    for release in SUPPORTED:
        assert f'[releases."{release}"]' in result.stdout
        assert f'maker = "{MAKERS[release]}"' in result.stdout
    assert "differs" not in result.stderr


# -- the July 2023 template with a project's drift ----------------------------------------------

# What a team added to a generated 2023.07 project (our own code, in the shapes such projects
# have): a bookings app with an upload field, Celery tasks sending Wailer emails, a beat
# schedule, the debug toolbar in the preset block, a django.setup() script, CI and a Makefile.
DRIFT_2023 = {
    "api/demo_shop/apps/bookings/__init__.py": "",
    "api/demo_shop/apps/bookings/models.py": '''\
from django.conf import settings
from django.db import models


class Berth(models.Model):
    name = models.CharField(max_length=80)
    length_m = models.DecimalField(max_digits=5, decimal_places=2)
    plan = models.FileField(upload_to="berths/plans/", blank=True)


class Booking(models.Model):
    berth = models.ForeignKey(Berth, on_delete=models.PROTECT, related_name="bookings")
    skipper = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    starts = models.DateField()
    ends = models.DateField()
    held_until = models.DateTimeField(null=True, blank=True)
    confirmed = models.BooleanField(default=False)
''',
    "api/demo_shop/apps/bookings/tasks.py": '''\
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.utils import timezone
from wailer.models import Email

from .models import Booking


@shared_task
def release_expired_holds():
    limit = timezone.now() - timedelta(minutes=settings.BOOKING_HOLD_MINUTES)
    Booking.objects.filter(confirmed=False, held_until__lt=limit).delete()


@shared_task
def confirm(booking_id: int):
    booking = Booking.objects.select_related("berth", "skipper").get(pk=booking_id)
    booking.confirmed = True
    booking.save(update_fields=["confirmed"])
    Email.send("booking-confirmed", {"berth": booking.berth.name, "email": booking.skipper.email}, booking.skipper)
''',
    "api/demo_shop/apps/bookings/emails.py": '''\
from typing import Mapping

from wailer.interfaces import EmailType, JsonType


class BookingConfirmed(EmailType):
    def get_context(self, context: Mapping[str, JsonType]) -> Mapping[str, JsonType]:
        return context

    def get_locale(self, context: Mapping[str, JsonType]) -> str:
        return "en"

    def get_subject(self, context: Mapping[str, JsonType]) -> str:
        return f"Berth {context['berth']} is yours"

    def get_template_html_path(self, context: Mapping[str, JsonType]) -> str:
        return "bookings/emails/confirmed.html"

    def get_template_text_path(self, context: Mapping[str, JsonType]) -> str:
        return "bookings/emails/confirmed.txt"

    def get_to(self, context: Mapping[str, JsonType]) -> str:
        return context["email"]
''',
    "api/demo_shop/apps/bookings/tests/__init__.py": "",
    "api/demo_shop/apps/bookings/tests/test_tasks.py": '''\
import pytest
from django.core import mail

from demo_shop.apps.bookings.tasks import confirm


@pytest.mark.django_db
def test_confirm_sends_the_email(booking, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    confirm(booking.pk)
    assert len(mail.outbox) == 1
''',
    "api/scripts/send_test_email.py": '''\
#!/usr/bin/env python
"""Send the confirmation email of one booking, to check templates by hand."""

import os
import sys

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "demo_shop.django.settings")
django.setup()

from demo_shop.apps.bookings.tasks import confirm  # noqa: E402

if __name__ == "__main__":
    confirm(int(sys.argv[1]))
''',
    "Makefile": "format:\n\tcd api && poetry run black . && poetry run isort .\n\tcd front && npx prettier --write .\n",
    ".github/workflows/ci.yml": '''\
name: CI
on: [push]
jobs:
  api:
    runs-on: ubuntu-latest
    services:
      postgres:
        image: postgres:15
        env:
          POSTGRES_PASSWORD: ci
        ports: ["5432:5432"]
    env:
      DATABASE_URL: postgres://postgres:ci@localhost/postgres
      SECRET_KEY: ci-only
    steps:
      - uses: actions/checkout@v4
      - run: cd api && pip install poetry && poetry install && poetry run pytest
''',
}
SETTINGS_2023_ADDITIONS = '''
    WAILER_EMAIL_TYPES = {
        "booking-confirmed": "demo_shop.apps.bookings.emails.BookingConfirmed",
    }

    CELERY_BEAT_SCHEDULE = {
        "release-expired-holds": {
            "task": "demo_shop.apps.bookings.tasks.release_expired_holds",
            "schedule": 600,
        },
    }

    BOOKING_HOLD_MINUTES = env.get("BOOKING_HOLD_MINUTES", default=20)

    if DEBUG:
        INSTALLED_APPS.append("debug_toolbar")
        MIDDLEWARE.insert(1, "debug_toolbar.middleware.DebugToolbarMiddleware")
        INTERNAL_IPS = ["127.0.0.1"]
'''


def test_a_2023_template_project_reports_its_release_and_its_uploads(generated, tmp_path):
    """Only two drifts: release 2023.07 is unsupported, and uploads have no S3 storage (no
    storages extra then). Celery on 2023.07, the debug toolbar in the block, the setup script,
    Wailer through Celery and the CI's literal test values are not drift."""
    release, variant = TEMPLATE_2023
    root = tmp_path / "project"
    shutil.copytree(tree(generated, release, variant.name), root, symlinks=True)
    for path, text in DRIFT_2023.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(text)
    settings = root / "api" / "demo_shop" / "django" / "settings.py"
    text = settings.read_text()
    assert '        "demo_shop.apps.people",\n' in text
    text = text.replace('        "demo_shop.apps.people",\n', '        "demo_shop.apps.people",\n        "wailer",\n'
                        '        "demo_shop.apps.bookings",\n')
    settings.write_text(text.rstrip("\n") + "\n" + SETTINGS_2023_ADDITIONS)
    subprocess.run(["git", "add", "-A"], cwd=root, check=True, capture_output=True)
    data = check(root)
    got = {f["code"]: (f["path"], f["line"]) for f in data["findings"]}
    pin = next(i for i, line in enumerate((root / "api" / "pyproject.toml").read_text().splitlines(), 1) if "modelw-preset-django" in line)
    assert got == {"MW903": ("api/pyproject.toml", pin), "MW404": ("api/demo_shop/apps/bookings/models.py", 8)}, shown(data)
    assert data["release"]["name"] == "2023.07" and data["release"]["status"] == "no longer supported"


def _copy(generated, tmp_path, release="2026.10", variant="front-back"):
    root = tmp_path / "project"
    shutil.copytree(tree(generated, release, variant), root, symlinks=True)
    return root


def _stage(root, files: dict[str, str | bytes]):
    for path, content in files.items():
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content)
    subprocess.run(["git", "add", "-A"], cwd=root, check=True, capture_output=True)


# -- a deployment written as a Dogefile and as snow.yml gives the same answers -----------------


def dogefile(api: str = "/back", worker: bool = True, migrate: bool = True) -> str:
    text = "jobs:\n  - name: migrate\n    command: modelw-docker run python manage.py migrate\n" if migrate else ""
    text += (
        "services:\n"
        f"  - name: api\n    port: 8000\n    route_prefixes: [\"{api}\"]\n"
        "    env:\n      SENTRY_DSN: '{{ secret(\"SENTRY_DSN\") }}'\n"
        "  - name: front\n    port: 3000\n    route_prefixes: [\"/\"]\n"
    )
    if worker:
        text += "  - name: worker\n    command: modelw-docker run python manage.py procrastinate worker\n"
    return text


def snow(api: str = "/back/", worker: bool = True, migrate: bool = True) -> str:
    """snow.yml as written (model-w-reference §6.3): components keyed id, hooks, env groups."""
    text = (
        "images:\n  - {id: front, context: front, dockerfile: Dockerfile}\n  - {id: api, context: api, dockerfile: Dockerfile}\n"
        "components:\n  - {id: front, image: front, envs: [front], size_hint: ram >= 512m}\n"
        "  - {id: api, image: api, envs: [api], size_hint: ram >= 1g}\n"
    )
    if worker:
        text += "  - {id: worker, image: api, envs: [api]}\n"
    if migrate:
        text += "  - {id: migrate, image: api, envs: [api]}\n"
    text += (
        "ingresses:\n  - {match: {prefix: '/'}, target: {component: front, port: 3000}}\n"
        f"  - {{match: {{prefix: '{api}'}}, target: {{component: api, port: 8000}}}}\n"
    )
    if migrate:
        text += "hooks:\n  - {when: pre-deploy, component: migrate, run_command: modelw-docker run python manage.py migrate}\n"
    text += (
        "domains: [{id: api}]\n"
        "resources:\n  redis_clusters: [{id: redis, version: '7'}]\n  pg_clusters: [{id: psql, version: '15'}]\n"
        "  pg_databases: [{id: psql, cluster: psql}]\n"
        "envs:\n  api:\n    SECRET_KEY: '${{ secrets::SECRET_KEY }}'\n"
        "    DATABASE_URL: '${{ resources::pg_databases.psql.url }}'\n    SENTRY_DSN: '${{ vars::SENTRY_DSN_BACK }}'\n"
        "  front:\n    PUBLIC_SENTRY_DSN: '${{ vars::SENTRY_DSN_FRONT }}'\n"
    )
    return text


SCENARIOS = {
    "conforming": {},
    "the API at /api": {"api": "/api"},
    "no worker": {"worker": False},
    "no migration step": {"migrate": False},
}


def _deploy_answers(root, registry) -> dict:
    """What modelw-lint understood of the deployment: routes by role, roles, migration step."""
    from modelw_lint.config import Config
    from modelw_lint.engine.linter import Linter

    project = Linter(str(root), Config(), registry).project()
    specs = [spec for specs in project.fact("spec_models").values() for spec in specs]
    return {
        "routes": sorted({(svc.role, r.prefix.rstrip("/") or "/") for spec in specs for svc in spec.services for r in svc.routes}),
        "roles": sorted(set().union(*(spec.roles for spec in specs))),
        "migrates": any(spec.migration_jobs for spec in specs),
    }


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_snow_yml_as_written_answers_as_the_equivalent_dogefile(generated, tmp_path, registry, scenario):
    options = SCENARIOS[scenario]
    results, answers = {}, {}
    for name, text in (("Dogefile", dogefile(**options)), ("snow.yml", snow(**{**options, **(
            {"api": options["api"] + "/"} if "api" in options else {})}))):
        root = _copy(generated, tmp_path / name.replace(".", "-"))
        _stage(root, {name: text})
        data = check(root)
        answers[name] = _deploy_answers(root, registry)
        results[name] = sorted(
            (f["code"], f["message"].replace("/api/", "/api")) for f in data["findings"] if f["code"] in ("MW703", "MW805")
        )
    assert answers["Dogefile"] == answers["snow.yml"]
    assert answers["snow.yml"]["migrates"] == options.get("migrate", True)
    assert ("worker" in answers["snow.yml"]["roles"]) == options.get("worker", True)
    assert results["Dogefile"] == results["snow.yml"]
    expected = {"conforming": [], "the API at /api": ["MW703"], "no worker": ["MW805"], "no migration step": ["MW805"]}[scenario]
    assert [code for code, _m in results["snow.yml"]] == expected, results


# -- what Model W's own tools leave in a project is never a finding ----------------------------


def _sqlite_file() -> bytes:
    import sqlite3
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "compliance.db")
        with sqlite3.connect(path) as db:
            db.execute("create table app (id integer primary key, name text)")
        with open(path, "rb") as fh:
            return fh.read()


def test_model_w_tools_artefacts_are_never_findings(generated, tmp_path):
    """model-wtf (compliance as code: compliance.db, compliance/ folders, .model-wtf.yml, its
    CI workflow, `compliance` blocks on snow.yml images) and agent-w (.agents/skills, a doc/
    site with its own pyproject.toml and uv.lock), model-w-reference §6.4, on a 2026.10 project
    deployed with snow.yml."""
    root = _copy(generated, tmp_path)
    snow_yml = snow().replace(
        "  - {id: api, context: api, dockerfile: Dockerfile}\n",
        "  - {id: api, context: api, dockerfile: Dockerfile, compliance: {discover: django}}\n",
    ).replace(
        "  - {id: front, context: front, dockerfile: Dockerfile}\n",
        "  - {id: front, context: front, dockerfile: Dockerfile, compliance: {discover: sveltekit}}\n",
    )
    _stage(root, {
        "snow.yml": snow_yml,
        "compliance.db": _sqlite_file(),
        ".model-wtf.yml": "units:\n  - id: api\n    context: api\n    compliance: {discover: django}\n",
        "compliance/parties/acme.yaml": "name: Acme SAS\ncountry: FR\nemail: dpo@acme.example\n",
        "api/compliance/touchpoints.yaml": "- id: signup\n  data: [email, name]\n  purpose: account\n",
        "front/compliance/stores.yaml": "- id: session-cookie\n  kind: cookie\n",
        ".github/workflows/compliance.yml": "name: compliance\non: [pull_request]\njobs:\n  gate:\n    runs-on: ubuntu-latest\n"
                                           "    steps:\n      - uses: actions/checkout@v4\n",
        ".agents/skills/model-w-deps-web/SKILL.md": "---\nname: model-w-deps-web\ndescription: Front dependencies\n---\n\n"
                                                    "Upgrade the front's dependencies with pnpm.\n",
        ".agents/skills/model-w-release/scripts/bump.py": "import subprocess\n\nsubprocess.run(['poetry', 'lock'], check=True)\n",
        "doc/pyproject.toml": '[project]\nname = "acme-doc"\nversion = "0.1.0"\nrequires-python = ">=3.12"\n'
                              'dependencies = ["sphinx>=8", "myst-parser>=4"]\n',
        "doc/uv.lock": 'version = 1\nrequires-python = ">=3.12"\n\n[[package]]\nname = "sphinx"\nversion = "8.2.3"\n',
        "doc/source/conf.py": 'project = "Acme"\nextensions = ["myst_parser"]\nhtml_theme = "furo"\n',
        "doc/source/index.md": "# Acme\n\nHow the project works.\n",
    })
    data = check(root)
    assert [line for line, f in zip(shown(data), data["findings"]) if f["severity"] != "info"] == []
    assert data["findings"] == [], shown(data)
