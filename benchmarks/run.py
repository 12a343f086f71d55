#!/usr/bin/env python3
"""modelw-lint benchmark: times whole processes, as a user runs them.

    python benchmarks/run.py                      # synthetic repo, default size (~2,000 files, ~400k lines)
    python benchmarks/run.py --scale 2            # twice the size (×1, ×2, ×4 show the growth)
    python benchmarks/run.py --repo path/to/repo  # a real repository instead
    python benchmarks/run.py --django             # Django's source (its PyPI sdist), all rules
    python benchmarks/run.py --runs 5 --json out.json

It times, over several runs (median, min, max, and peak memory of the process): a cold check
(no cache), a warm check (cache from the previous run), a hook run on 10 changed files, and
``--fix`` on the legacy fixture. With ``pip install .[bench]`` it also times, on the same tree
and in the same session, ``ruff check`` (default rules) and Fixit with one rule equivalent to
MW601 (django.core.mail sends; see benchmarks/fixit_rule.py), and prints the ratios.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)

# -- the synthetic Model W monorepo ------------------------------------------------------------

MODEL = '''\
class {name}(models.Model):
    """A {lower} of the {app} app."""

    title = models.CharField(max_length=200, verbose_name=_("title"))
    slug = models.SlugField(unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    owner = models.ForeignKey("people.User", on_delete=models.CASCADE, related_name="{lower}s")
    is_published = models.BooleanField(default=False)
    position = models.PositiveIntegerField(default=0)
{extra}
    class Meta:
        ordering = ["position", "-created_at"]
        verbose_name = _("{lower}")

    def __str__(self):
        return self.title

    def publish(self, when=None):
        self.is_published = True
        self.updated_at = when or timezone.now()
        self.save(update_fields=["is_published", "updated_at"])

    @property
    def age_in_days(self):
        return (timezone.now() - self.created_at).days

'''

VIEW = '''\
class {name}ViewSet(viewsets.ModelViewSet):
    serializer_class = {name}Serializer
    permission_classes = [permissions.IsAuthenticated]
    filterset_fields = ["is_published", "owner"]

    def get_queryset(self):
        qs = {name}.objects.select_related("owner").filter(owner=self.request.user)
        if self.request.query_params.get("published") == "1":
            qs = qs.filter(is_published=True)
        return qs.order_by("position")

    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        obj = self.get_object()
        obj.publish()
        logger.info("published %s %s", obj.pk, request.user.pk)
        return Response(self.get_serializer(obj).data, status=status.HTTP_200_OK)


def {lower}_summary(request):
    items = {name}.objects.filter(is_published=True).values("pk", "title")[:50]
    return JsonResponse({{"items": list(items), "count": len(items)}})

'''

TEST = '''\
@pytest.mark.django_db
def test_{lower}_publish_{i}(user):
    obj = {name}.objects.create(title="t{i}", slug="s{i}", owner=user)
    obj.publish()
    obj.refresh_from_db()
    assert obj.is_published
    assert str(obj) == "t{i}"

'''


def _module(header: str, blocks: list[str], lines: int) -> str:
    body = header
    i = 0
    while body.count("\n") < lines:
        body += blocks[i % len(blocks)].replace("__I__", str(i))
        i += 1
    return body


def generate(dest: str, scale: float = 1.0, seed: int = 42) -> dict:
    """Write the synthetic repository to ``dest``; returns counts."""
    rnd = random.Random(seed)
    apps = max(2, int(200 * scale))
    files: dict[str, str] = {}
    files["README.md"] = "# Synthetic Model W project\n"
    files[".gitignore"] = ".env\nnode_modules/\n__pycache__/\n.modelw-lint-cache/\n"
    files["api/manage.py"] = ('import os\nimport sys\n\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "acme.django.settings")\n'
        'from django.core.management import execute_from_command_line\n\nexecute_from_command_line(sys.argv)\n')
    files["api/pyproject.toml"] = (
        '[tool.poetry]\nname = "acme"\nversion = "0.1.0"\npackages = [{include = "acme"}]\n\n'
        '[tool.poetry.dependencies]\npython = "~3.14"\n'
        'modelw-preset-django = {extras = ["psycopg", "procrastinate", "storages"], version = ">=2026.7.0,<2026.8.0"}\n'
        'pika = "^1.3"\n'
    )
    files["api/.env-template"] = "DEBUG=yes\nSECRET_KEY=change-me\nDATABASE_URL=postgres://acme@localhost/acme\n"
    files["api/Dockerfile"] = ("FROM modelw/base:2026.07\nCOPY . .\nRUN modelw-docker install\nRUN modelw-docker build\n"
        "CMD [\"python\", \"manage.py\", \"runserver\"]\n")
    files["api/acme/__init__.py"] = ""
    files["api/acme/django/__init__.py"] = ""
    installed = ",\n".join(f'        "acme.apps.app_{i}"' for i in range(apps))
    files["api/acme/django/settings.py"] = (
        "from model_w.env_manager import EnvManager\nfrom model_w.preset.django import ModelWDjango\n\n"
        "DEBUG = False\nMIDDLEWARE = []\n\nwith EnvManager(ModelWDjango()) as env:\n"
        f"    INSTALLED_APPS = [\n{installed},\n    ]\n"
        '    ROOT_URLCONF = "acme.django.urls"\n    LANGUAGES = [("en", "English")]\n'
        '    SECRET_KEY = "synthetic-secret"\n    EMAIL_HOST_PASSWORD = "hunter2"\n'
        '    REDIS_URL = env.get("REDIS_URL", default="redis://redis")\n'
    )
    files["api/acme/django/urls.py"] = "from django.urls import include, path\n\nurlpatterns = [\n" + "".join(
        f'    path("back/api/app-{i}/", include("acme.apps.app_{i}.urls")),\n' for i in range(apps)
    ) + '    path("admin/", admin.site.urls),\n]\n'
    files["api/acme/django/asgi.py"] = 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "acme.django.settings")\n'
    files["docker-compose.yml"] = "services:\n  db:\n    image: postgres:15\n  mq:\n    image: rabbitmq:3-management\n"
    for i in range(apps):
        base = f"api/acme/apps/app_{i}"
        names = [f"Item{i}x{k}" for k in range(3)]
        imports = (
            "import logging\n\nfrom django.db import models\nfrom django.utils import timezone\n"
            "from django.utils.translation import gettext_lazy as _\n\nlogger = logging.getLogger(__name__)\n\n\n"
        )
        extra = "    cover = models.ImageField(upload_to=\"covers/\", blank=True)\n" if i % 7 == 0 else ""
        files[f"{base}/__init__.py"] = ""
        files[f"{base}/apps.py"] = (
            f'from django.apps import AppConfig\n\n\nclass App{i}Config(AppConfig):\n    name = "acme.apps.app_{i}"\n'
        )
        files[f"{base}/models.py"] = _module(
            imports,
            [MODEL.format(name=n, lower=n.lower(), app=f"app_{i}", extra=extra) for n in names],
            450,
        )
        view_header = (
            "import logging\n\nfrom django.http import JsonResponse\nfrom rest_framework import permissions, status, viewsets\n"
            "from rest_framework.decorators import action\nfrom rest_framework.response import Response\n\n"
            f"from .models import {', '.join(names)}\nfrom .serializers import {', '.join(n + 'Serializer' for n in names)}\n\n"
            "logger = logging.getLogger(__name__)\n\n\n"
        )
        files[f"{base}/views.py"] = _module(view_header, [VIEW.format(name=n, lower=n.lower()) for n in names], 450)
        files[f"{base}/serializers.py"] = "from rest_framework import serializers\n\nfrom . import models\n\n\n" + "".join(
            f"class {n}Serializer(serializers.ModelSerializer):\n    class Meta:\n        model = models.{n}\n"
            '        fields = "__all__"\n\n\n'
            for n in names
        ) * 16
        files[f"{base}/urls.py"] = (
            "from rest_framework.routers import DefaultRouter\n\nfrom . import views\n\nrouter = DefaultRouter()\n"
            + "".join(f'router.register("{n.lower()}", views.{n}ViewSet, basename="{n.lower()}")\n' for n in names)
            + "urlpatterns = router.urls\n"
        )
        files[f"{base}/admin.py"] = "from django.contrib import admin\n\nfrom . import models\n\n" + "".join(
            f"admin.site.register(models.{n})\n" for n in names
        )
        services = "from procrastinate.contrib.django import app\n\n\n" + "".join(
            f"@app.task\ndef refresh_{n.lower()}(pk):\n    from .models import {n}\n\n"
            f"    obj = {n}.objects.get(pk=pk)\n    obj.save()\n    return obj.pk\n\n\n"
            for n in names
        ) * 12
        if i % 25 == 3:
            services = ("from django.core.mail import send_mail\n\n\ndef notify(user):\n"
                "    send_mail(\"Hi\", \"Body\", None, [user.email])\n\n\n") + services
        if i % 40 == 5:
            storage = 'from django.core.files.storage import FileSystemStorage\n\nlocal = FileSystemStorage(location="/srv")\n\n\n'
            services = storage + services
        files[f"{base}/tasks.py"] = services
        files[f"{base}/tests/__init__.py"] = ""
        files[f"{base}/tests/test_models.py"] = _module(
            "import pytest\n\nfrom ..models import " + ", ".join(names) + "\n\n\n",
            [TEST.format(name=names[0], lower=names[0].lower(), i="__I__")],
            400,
        )
        files[f"{base}/migrations/__init__.py"] = ""
        files[f"{base}/migrations/0001_initial.py"] = ("from django.db import migrations, models\n\n\n"
            "class Migration(migrations.Migration):\n    initial = True\n    dependencies = []\n    operations = [\n") + "".join(
            f'        migrations.CreateModel(name="{n}", fields=[("id", models.BigAutoField(primary_key=True)), '
            '("title", models.CharField(max_length=200))]),\n'
            for n in names
        ) * 10 + "    ]\n"
        files[f"{base}/templates/app_{i}/list.html"] = ("{% extends 'base.html' %}\n{% block content %}<ul>{% for o in items %}<li>{{ o "
            "}}</li>{% endfor %}</ul>{% endblock %}\n")
    files["front/package.json"] = json.dumps(
        {
            "name": "front",
            "dependencies": {"@model-w/preset-sveltekit": "~2026.7.0"},
            "devDependencies": {"@sveltejs/kit": "*", "svelte": "*", "vite": "*"},
        },
        indent=2,
    )
    files["front/vite.config.ts"] = 'export default { server: { proxy: { "/api": "http://localhost:8000" } } };\n'
    for i in range(max(1, int(40 * scale))):
        files[f"front/src/routes/page{i}/+page.svelte"] = "<script>\n  export let data;\n</script>\n\n<h1>{data.title}</h1>\n" * 5
        files[f"front/src/lib/api{i}.ts"] = f'export const get{i} = () => fetch("/back/api/app-{i}/");\n' * 20
    rnd.shuffle(keys := list(files))
    for path in sorted(keys):
        full = os.path.join(dest, *path.split("/"))
        os.makedirs(os.path.dirname(full), exist_ok=True)
        with open(full, "w", encoding="utf-8") as fh:
            fh.write(files[path])
    py = [p for p in files if p.endswith(".py")]
    return {"files": len(files), "python_files": len(py), "python_lines": sum(files[p].count("\n") for p in py)}


def dense(dest: str, findings: bool = True) -> None:
    """60 modules of 100 functions each; with ``findings`` every function sends mail with
    ``django.core.mail.send_mail`` (6,000 MW601 findings), else with the project's own
    ``send_mail`` helper (no finding, but the same text: each file is read, parsed and walked
    the same way), so the two timings show what the findings themselves cost."""
    files = {
        "api/manage.py": "import os\n",
        "api/acme/__init__.py": "",
        "api/pyproject.toml": (
            '[tool.poetry]\nname = "acme"\npackages = [{include = "acme"}]\n\n[tool.poetry.dependencies]\npython = "~3.14"\n'
            'modelw-preset-django = {extras = ["psycopg", "procrastinate", "storages"], version = ">=2026.7.0,<2026.8.0"}\n'
        ),
        "front/package.json": json.dumps({"dependencies": {"@model-w/preset-sveltekit": "~2026.7.0"}}),
    }
    call = "send_mail"
    header = "from django.core.mail import send_mail\n" if findings else "from .helpers import send_mail\n"
    for i in range(60):
        files[f"api/acme/apps/app{i}/__init__.py"] = ""
        files[f"api/acme/apps/app{i}/emails.py"] = header + "\n\n" + "".join(
            f'def notify_{k}(user):\n    {call}("Hi {k}", "Body", None, [user.email])\n\n\n' for k in range(100)
        )
    for path, text in files.items():
        full = os.path.join(dest, *path.split("/"))
        os.makedirs(os.path.dirname(full), exist_ok=True)
        with open(full, "w", encoding="utf-8") as fh:
            fh.write(text)
    git_init(dest)


def git_init(path: str) -> None:
    """A repository as a checkout is: committed, and an index newer than the files. Files
    written in the second the index was (every file here) are "racily clean" to git, which
    would hash each of them again on every ``git status`` (modelw-lint's git runs never write
    the index): a second later, ``update-index --refresh`` records them as clean."""
    for args in (
        ["git", "init", "-q"],
        ["git", "add", "-A"],
        ["git", "-c", "user.name=b", "-c", "user.email=b@b", "commit", "-qm", "bench"],
    ):
        subprocess.run(args, cwd=path, check=True, capture_output=True)
    time.sleep(1.1)
    subprocess.run(["git", "update-index", "-q", "--refresh"], cwd=path, check=False, capture_output=True)


# -- timing ------------------------------------------------------------------------------------


def timed(cmd: list[str], cwd: str, env: dict | None = None) -> tuple[float, float, int]:
    """(seconds, peak RSS in MB, exit code) of one whole process.

    Bytecode caching is left on (PYTHONDONTWRITEBYTECODE removed), as in a normal install
    where pip compiles the package: otherwise each run would recompile the sources."""
    env = {k: v for k, v in (env or os.environ).items() if k != "PYTHONDONTWRITEBYTECODE"}
    with tempfile.TemporaryFile() as err:  # a file, not a pipe: a chatty tool cannot block on it
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=err, env=env)
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - start
        code = os.waitstatus_to_exitcode(status)
        if code not in (0, 1):
            err.seek(0)
            raise SystemExit(f"{' '.join(cmd)} failed ({code}): {err.read().decode(errors='replace')[-2000:]}")
    return elapsed, usage.ru_maxrss / 1024, code


def series(label: str, runs: int, cmd: list[str], cwd: str, before=None, env=None) -> dict:
    times, mems = [], []
    for _ in range(runs):
        if before:
            before()
        t, m, _ = timed(cmd, cwd, env)
        times.append(t)
        mems.append(m)
    row = {"label": label, "median": statistics.median(times), "min": min(times), "max": max(times), "peak_mb": max(mems)}
    print(
        f"  {label:<34} median {row['median']:7.3f} s   min {row['min']:7.3f}   max {row['max']:7.3f}   peak {row['peak_mb']:6.0f} MB",
        flush=True,
    )
    return row


def lint_cmd(*args: str) -> list[str]:
    return [sys.executable, "-m", "modelw_lint", "check", "--exit-zero", "--format", "json", *args]


def django_tree(cache: str) -> str:
    """Django's source from its PyPI sdist (downloaded once into ``cache``)."""
    target = os.path.join(cache, "django-src")
    if os.path.isdir(target):
        return target
    os.makedirs(cache, exist_ok=True)
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary", ":all:", "-d", cache, "django"],
        check=True,
        capture_output=True,
    )
    sdist = next(os.path.join(cache, f) for f in os.listdir(cache) if f.lower().startswith("django-") and f.endswith(".tar.gz"))
    with tarfile.open(sdist) as tar:
        tar.extractall(cache, filter="data")
    extracted = next(
        os.path.join(cache, d) for d in os.listdir(cache) if d.lower().startswith("django-") and os.path.isdir(os.path.join(cache, d))
    )
    os.rename(extracted, target)
    return target


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--scale", type=float, default=1.0, help="size of the synthetic repository (1 = ~2,000 files)")
    ap.add_argument("--repo", help="benchmark this repository instead of a synthetic one (copied first)")
    ap.add_argument("--django", action="store_true", help="benchmark Django's source tree from its PyPI sdist")
    ap.add_argument("--runs", type=int, default=5, help="runs per measurement (median, min, max)")
    ap.add_argument("--json", help="also write the figures to this file")
    ap.add_argument("--keep", action="store_true", help="keep the generated tree")
    ap.add_argument("--no-fixit", action="store_true", help="skip Fixit (it takes minutes on large trees)")
    ap.add_argument("--only-fixit", action="store_true", help="time Fixit and one modelw-lint cold run only")
    args = ap.parse_args()

    work = tempfile.mkdtemp(prefix="modelw-lint-bench-")
    tree = os.path.join(work, "repo")
    info: dict = {}
    if args.django:
        shutil.copytree(django_tree(os.path.join(HERE, ".cache")), tree)
        info["tree"] = "django (PyPI sdist)"
    elif args.repo:
        shutil.copytree(args.repo, tree, symlinks=True, ignore=shutil.ignore_patterns(".git", "node_modules", ".modelw-lint-cache"))
        info["tree"] = args.repo
    else:
        info.update(generate(tree, args.scale))
        info["tree"] = f"synthetic ×{args.scale}"
    git_init(tree)
    py_lines = 0
    for folder, _d, names in os.walk(tree):
        if ".git" in folder:
            continue
        for n in names:
            if n.endswith(".py"):
                with open(os.path.join(folder, n), "rb") as fh:
                    py_lines += fh.read().count(b"\n")
    info["python_lines"] = py_lines
    print(f"modelw-lint benchmark on {info['tree']}: {py_lines:,} Python lines, {args.runs} runs each", flush=True)

    if args.only_fixit:
        cold = series("cold check", args.runs, lint_cmd("--no-cache"), tree)
        env = {**os.environ, "PYTHONPATH": HERE}
        fix = series(
            "fixit, one rule (mail sends)",
            1,
            [sys.executable, "-m", "fixit", "--rules", "fixit_rule", "lint", "."],
            tree,
            env=env,
        )
        print(f"  fixit / modelw-lint cold: {fix['median'] / cold['median']:.0f}×")
        shutil.rmtree(work, ignore_errors=True)
        return
    cache_dir = os.path.join(tree, ".modelw-lint-cache")
    clear = lambda: shutil.rmtree(cache_dir, ignore_errors=True)  # noqa: E731
    timed(lint_cmd("--no-cache", "--select", "MW101"), tree)  # compile the bytecode once, as pip does
    rows = [series("cold check", args.runs, lint_cmd("--no-cache"), tree)]
    rows.append(series("cold check (writes the cache)", args.runs, lint_cmd(), tree, before=clear))
    timed(lint_cmd(), tree)
    rows.append(series("warm check (cache)", args.runs, lint_cmd(), tree))

    changed = sorted(
        os.path.relpath(os.path.join(f, n), tree) for f, _d, ns in os.walk(tree) if ".git" not in f for n in ns if n.endswith(".py")
    )[:: max(1, py_lines // 10_000)][:10]

    def touch():
        for p in changed:
            with open(os.path.join(tree, p), "a", encoding="utf-8") as fh:
                fh.write("# edited\n")

    rows.append(series("hook run on 10 changed files", args.runs, lint_cmd("--hook", *changed), tree, before=touch))

    legacy = os.path.join(work, "legacy")

    def fresh_legacy():
        shutil.rmtree(legacy, ignore_errors=True)
        shutil.copytree(os.path.join(REPO, "fixtures", "legacy"), legacy)

    rows.append(series(
        "--fix on the legacy fixture",
        args.runs,
        lint_cmd("--fix", "--unsafe-fixes", "--no-cache", "legacy"),
        work,
        before=fresh_legacy,
    ))

    for with_findings in (True, False):
        target = os.path.join(work, "dense" if with_findings else "dense-clean")
        dense(target, with_findings)
        label = "dense: 6,000 findings in 60 files" if with_findings else "dense: same files, no finding"
        rows.append(series(label, args.runs, lint_cmd("--no-cache"), target))

    comparisons = {}
    # ruff with its default rules (--isolated: a repository's own ruff configuration, such as
    # saleor's, is not read), on the same tree; its warm runs after one run that fills its cache.
    ruff = shutil.which("ruff") or shutil.which("ruff", path=os.path.dirname(sys.executable))
    if ruff:
        ruff_cmd = [ruff, "check", "--isolated", "--exit-zero", "--quiet", "."]
        comparisons["ruff"] = series("ruff check (default rules)", args.runs, [*ruff_cmd[:2], "--no-cache", *ruff_cmd[2:]], tree)
        timed(ruff_cmd, tree, None)
        comparisons["ruff_warm"] = series("ruff check (its cache)", args.runs, ruff_cmd, tree)
    try:
        if args.no_fixit:
            raise ImportError
        import fixit  # noqa: F401

        env = {**os.environ, "PYTHONPATH": HERE}
        comparisons["fixit"] = series(
            "fixit, one rule (mail sends)",
            1,
            [sys.executable, "-m", "fixit", "--rules", "fixit_rule", "lint", "."],
            tree,
            env=env,
        )
    except ImportError:
        pass
    cold, warm, hook = rows[0]["median"], rows[2]["median"], rows[3]["median"]
    if "ruff" in comparisons:
        ratios = cold / comparisons["ruff"]["median"], warm / comparisons["ruff_warm"]["median"]
        print(f"  cold / ruff cold: {ratios[0]:.2f}×   warm / ruff warm: {ratios[1]:.2f}×")
    if "fixit" in comparisons:
        print(f"  fixit / modelw-lint cold: {comparisons['fixit']['median'] / cold:.0f}× faster")
    dense_rows = {r["label"]: r["median"] for r in rows if r["label"].startswith("dense")}
    dense_cold, dense_clean = dense_rows["dense: 6,000 findings in 60 files"], dense_rows["dense: same files, no finding"]
    print(f"  dense: {dense_cold:.2f} s with 6,000 findings, {dense_clean:.2f} s without "
          f"(findings cost {dense_cold - dense_clean:.2f} s; target ≤ 2 s {'✓' if dense_cold <= 2 else '✗'})")
    if "ruff" in comparisons:
        ratio_cold, ratio_warm = cold / comparisons["ruff"]["median"], warm / comparisons["ruff_warm"]["median"]
        print(f"  targets: cold ≤ 2× ruff {'✓' if ratio_cold <= 2 else '✗'}, warm ≤ 0.5× ruff {'✓' if ratio_warm <= 0.5 else '✗'}")
    if not (args.repo or args.django) and args.scale == 1:
        print(f"  targets (synthetic ×1): cold ≤ 2 s {'✓' if cold <= 2 else '✗'}, warm ≤ 0.5 s {'✓' if warm <= 0.5 else '✗'}, "
              f"hook ≤ 0.30 s {'✓' if hook <= 0.30 else '✗'}, peak ≤ 250 MB {'✓' if max(r['peak_mb'] for r in rows) <= 250 else '✗'}")
    if args.json:
        with open(args.json, "w") as fh:
            json.dump({"info": info, "rows": rows, "comparisons": comparisons}, fh, indent=2)
    if args.keep:
        print(f"tree kept in {tree}")
    else:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
