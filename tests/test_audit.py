"""`modelw-lint audit`: the audit data (scorecard, migration plan, components, baseline), its
renderings as a person reads them (the text summary, Markdown, HTML source), fleets and
merged shards. The HTML as a browser shows it is tested in test_audit_browser.py."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess

import pytest
from conftest import REPO, cli_runner

from modelw_lint.cli import main

SYSTEMS = ["layout", "settings", "queue", "storage", "sentry", "messaging", "routing", "deploy", "stack"]


def run(*args, cwd=None):
    old = os.getcwd()
    try:
        if cwd:
            os.chdir(cwd)
        return cli_runner().invoke(main, list(args), catch_exceptions=False)
    finally:
        os.chdir(old)


def audit_json(root, *extra):
    result = run("audit", str(root), "--format", "json", "-o", "-", "--no-cache", *extra)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def corpus_copy(tmp_path, name):
    dest = tmp_path / name
    shutil.copytree(os.path.join(REPO, "tests", "corpus", name), dest, ignore=shutil.ignore_patterns("expected.txt"))
    subprocess.run(["git", "init", "-q"], cwd=dest, check=True)
    subprocess.run(["git", "add", "-A"], cwd=dest, check=True)
    return dest


# -- one repository ----------------------------------------------------------------------------


def test_audit_writes_the_report_here_and_prints_a_summary(fixture_copy):
    root = fixture_copy("legacy")
    result = run("audit", cwd=root)
    assert result.exit_code == 0  # an audit reports, it does not gate
    assert result.stdout.startswith("Model W audit of legacy (")
    assert "Overall score: " in result.stdout and "First steps:" in result.stdout
    assert "1. Move the back-end into api/ and the front into front/" in result.stdout
    assert result.stdout.rstrip().endswith("Report: modelw-lint-audit.html")
    page = (root / "modelw-lint-audit.html").read_text()
    assert page.startswith("<!DOCTYPE html>") and "</html>" in page
    assert len(result.stdout.splitlines()) <= 25, "one screen"


def test_the_scorecard_has_the_nine_systems_with_passed_and_failed_rules(fixture_copy):
    data = audit_json(fixture_copy("legacy"))
    assert data["schema"] == "modelw-lint-audit/1"
    assert [s["family"] for s in data["systems"]] == SYSTEMS
    layout = data["systems"][0]
    # backend/ and frontend/: Model W's layout is not adopted at all, whatever rules pass.
    assert layout["status"] == "not-adopted" and layout["title"] == "Layout" and layout["score"] == 0
    assert layout["reason"] == "outside api/ and front/: backend/manage.py, frontend/package.json"
    assert {r["code"] for r in layout["failed"]} >= {"MW101", "MW102"}
    assert {r["code"] for r in layout["passed"]} >= {"MW106"}, "what passed is said too"
    assert len(layout["passed"]) + len(layout["failed"]) == layout["rules"]
    # The documented formula of a drifting system: 50, plus half the share of the rule weight
    # that passes (error 3, warning 2, info 1).
    settings = data["systems"][1]
    assert settings["status"] == "drifts" and settings["evidence"].startswith("settings built with the Model W preset")
    weights = {"error": 3, "warning": 2, "info": 1}
    total = sum(weights[r["severity"]] for r in settings["passed"] + settings["failed"])
    share = round(100 * sum(weights[r["severity"]] for r in settings["passed"]) / total)
    assert settings["score"] == min(50 + share // 2, 99)
    counted = sum(sum(s["counts"].values()) for s in data["systems"])
    assert counted == sum(1 for f in data["findings"] if f["family"] != "engine")


def test_a_conforming_project_scores_100_and_says_what_does_not_apply(fixture_copy):
    data = audit_json(fixture_copy("compliant"))
    assert data["score"] == 100 and data["summary"]["findings"] == 0
    statuses = {s["family"]: s["status"] for s in data["systems"]}
    assert set(statuses.values()) == {"conforms"}, "Procrastinate through the preset's extra: the queue applies"
    assert all(step["status"] == "done" for step in data["plan"])


def test_not_applicable_systems_carry_their_reason(tmp_path):
    # An API-only Django project with no task queue and no deploy artifact.
    from modelw_lint.testing import write_files

    write_files(str(tmp_path), {
        "api/manage.py": "import os\n",
        "api/pyproject.toml": '[tool.poetry.dependencies]\npython = "~3.14"\nmodelw-preset-django = "~2026.7.0"\n',
    })
    data = audit_json(tmp_path)
    systems = {s["family"]: s for s in data["systems"]}
    assert systems["queue"]["status"] == "not-applicable"
    assert systems["queue"]["reason"] == "no background tasks (neither Celery nor Procrastinate)"
    assert systems["queue"]["score"] is None
    # No deploy artifact is no Model W deployment: not adopted, never a pass.
    assert systems["deploy"]["status"] == "not-adopted" and systems["deploy"]["score"] == 0
    assert systems["deploy"]["reason"] == "no image on modelw/base and no deploy spec (snow.yml, Dogefile)"
    assert systems["storage"]["status"] == "not-applicable"
    assert systems["storage"]["reason"] == "no uploads in the code (no FileField, ImageField or Wagtail)"


def test_the_plan_follows_the_dependencies_between_drifts(fixture_copy):
    data = audit_json(fixture_copy("legacy"))
    keys = [s["key"] for s in data["plan"]]
    assert keys[:4] == ["layout", "preset", "environment", "services"]
    assert keys.index("routing") < keys.index("images") < keys.index("release")
    by_key = {s["key"]: s for s in data["plan"]}
    index = {f["id"]: f for f in data["findings"]}
    assert {index[i]["code"] for i in by_key["layout"]["findings"]} >= {"MW101", "MW102"}
    # Adopting the preset also settles findings of later steps (storage, mail backend).
    follows = {index[i]["code"] for i in by_key["preset"]["follows"]}
    assert follows and follows <= {"MW401", "MW404", "MW501", "MW603", "MW909"}
    assert all(i in by_key["services"]["findings"] for i in by_key["preset"]["follows"] if index[i]["code"] != "MW909")
    # Each finding of the pack is resolved by exactly one step; --fix says what it does.
    owned = [i for s in data["plan"] for i in s["findings"]]
    assert len(owned) == len(set(owned)) == sum(1 for f in data["findings"] if f["family"] != "engine")
    env = by_key["environment"]
    assert env["fixes"]["safe"] >= 1 and sum(env["fixes"].values()) == len(env["findings"])
    assert {s["effort"] for s in data["plan"]} <= {"small", "medium", "large"}


def test_every_rule_of_the_pack_belongs_to_one_step(registry):
    from modelw_lint.report.audit.build import spec_of
    from modelw_lint.core.rule import EngineRule

    spec = spec_of(registry)
    owners: dict[str, list[str]] = {}
    for step in spec.steps:
        for code in step.resolves:
            owners.setdefault(code, []).append(step.key)
        assert set(step.follows) <= set(registry.rules), step.key
    codes = {r.code for r in registry.sorted_rules() if not issubclass(r, EngineRule)}
    assert set(owners) == codes
    assert {c: o for c, o in owners.items() if len(o) > 1} == {}
    families = [f for f in registry.families() if f.name != "engine"]
    assert [f.name for f in families] == SYSTEMS


def test_components_and_ignores(fixture_copy):
    data = audit_json(fixture_copy("nuxt3-celery"))
    assert data["ignored"] == [{
        "code": "MW306",
        "reason": "Celery stays until the move to 2026.10, when we switch to Procrastinate (ticket ACME-412)",
    }]
    legacy = audit_json(fixture_copy("legacy"))
    comps = {c["name"]: c for c in legacy["components"]}
    assert comps["backend"]["kind"] == "Django back-end"
    assert comps["frontend"]["kind"].startswith("front (")
    assert "backend/Dockerfile" in comps["deploy"]["paths"]
    index = {f["id"]: f for f in legacy["findings"]}
    assert all(index[i]["path"] in comps["deploy"]["paths"] for i in comps["deploy"]["findings"])
    assert all(index[i]["path"].startswith("backend/") for i in comps["backend"]["findings"])
    assert sum(len(c["findings"]) for c in legacy["components"]) == len(legacy["findings"])


def test_findings_carry_frames_docs_and_fixes(fixture_copy):
    data = audit_json(fixture_copy("legacy"))
    mw201 = next(f for f in data["findings"] if f["code"] == "MW201")
    assert mw201["frame"][0]["text"].strip().startswith("SECRET_KEY =")
    assert mw201["docs"].endswith("#mw201-hardcoded-secret-key") and mw201["fix_kind"] == "safe"
    header = data["repository"]
    assert re.fullmatch(r"[0-9a-f]{40}", header["commit"]) and header["name"] == "legacy"
    assert data["metadata"]["release"]["data"]["status"] == "unknown"


def test_since_a_baseline_new_and_fixed(fixture_copy):
    root = fixture_copy("legacy")
    assert run("baseline", str(root)).exit_code == 0
    prod = root / "backend/shop/settings/prod.py"
    prod.write_text(prod.read_text().replace("    DEBUG = True\n", "") + 'API_TOKEN = "new"\n')
    data = audit_json(root, "--baseline", str(root / ".modelw-lint-baseline.json"))
    index = {f["id"]: f for f in data["findings"]}
    assert [(index[i]["code"], index[i]["message"]) for i in data["baseline"]["new"]] == [
        ("MW203", "literal API_TOKEN in settings: read it from the environment"),
    ]
    assert [e["code"] for e in data["baseline"]["fixed"]] == ["MW202"]
    md = run("audit", str(root), "--format", "markdown", "-o", "-", "--baseline", str(root / ".modelw-lint-baseline.json")).stdout
    assert "## Since the baseline" in md and "- New: 1" in md and "- Fixed: 1" in md


def test_markdown_report(fixture_copy):
    root = fixture_copy("legacy")
    md = run("audit", str(root), "--format", "markdown", "-o", str(root / "audit.md")).output
    text = (root / "audit.md").read_text()
    assert "Report: " in md
    assert text.startswith("# Model W audit: legacy")
    assert "## Scorecard" in text and "## Migration plan" in text and "## Findings" in text
    assert "| Layout | ❌ not adopted | 0 | outside api/ and front/: backend/manage.py, frontend/package.json |" in text
    assert "| Settings | ⚠️ drifts |" in text
    assert "&lt;package&gt;" in text, "escaped for GitHub"


# -- what the page is made of ------------------------------------------------------------------


def test_html_is_self_contained_and_escapes_hostile_names(tmp_path):
    from modelw_lint.testing import write_files

    hostile = 'x<script>alert("path")</script>'
    write_files(str(tmp_path), {
        f"backend/{hostile}/manage.py": "import os\n",
        f"backend/{hostile}/settings.py": 'SECRET_KEY = "<script>alert(1)</script>"\nDEBUG = True\n',
    })
    result = run("audit", str(tmp_path), "-o", str(tmp_path / "report.html"), "--no-cache")
    assert result.exit_code == 0, result.output
    page = (tmp_path / "report.html").read_text()
    assert "<script" not in page.lower(), "no script at all, and the hostile names are text"
    assert "x&lt;script&gt;alert(" in page
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page.replace('href="https://github.com/modelw/modelw-lint', "")), \
        "nothing loaded from the network"
    assert "<style>" in page and "@media print" in page and "<svg" in page


def test_the_report_is_never_written_through_a_symlink_out_of_the_folder(fixture_copy, tmp_path):
    root = fixture_copy("legacy")
    outside = tmp_path / "outside.txt"
    outside.write_text("keep")
    (root / "modelw-lint-audit.html").symlink_to(outside)
    result = run("audit", cwd=root)
    assert result.exit_code == 2 and "cannot write the report" in result.output
    assert outside.read_text() == "keep"


# -- fleets ------------------------------------------------------------------------------------


def test_a_fleet_has_a_row_per_repository_and_one_for_each_failure(fixture_copy, tmp_path):
    legacy, compliant = fixture_copy("legacy"), fixture_copy("compliant")
    django = corpus_copy(tmp_path, "cookiecutter-django")
    listing = tmp_path / "repos.txt"
    listing.write_text(f"# our projects\n{compliant}\n{django}  # the old one\nmissing\n")
    result = run("audit", str(legacy), "--repos-from", str(listing), "-o", str(tmp_path / "fleet.json"), "--format", "json", "-j", "2")
    assert result.exit_code == 0, result.output
    data = json.loads((tmp_path / "fleet.json").read_text())
    assert data["schema"] == "modelw-lint-fleet/1"
    assert [a["repository"]["name"] for a in data["audits"]] == ["legacy", "compliant", "cookiecutter-django"]
    # No local absolute path in the report: a path given absolute shows as its folder's name.
    assert data["failures"] == [{"repository": "missing", "reason": "missing: no such folder"}]
    assert str(tmp_path) not in json.dumps(data)
    assert "legacy: score " in result.stdout and "missing: not audited" in result.stdout
    page = run("audit", str(legacy), str(compliant), "-o", str(tmp_path / "fleet.html")).exit_code
    assert page == 0
    html = (tmp_path / "fleet.html").read_text()
    assert html.count('class="repo-row"') == 2 and "Most common drifts" in html and "Releases in use" in html


def test_merged_shards_make_the_same_fleet(fixture_copy, tmp_path):
    repos = [fixture_copy("legacy"), fixture_copy("compliant"), fixture_copy("nuxt3-celery")]
    shards = []
    for n, repo in enumerate(repos):
        shard = tmp_path / f"shard-{n}.json"
        assert run("audit", str(repo), "--format", "json", "-o", str(shard)).exit_code == 0
        shards.append(str(shard))
    # A shard may itself be a fleet (a CI job auditing several repositories).
    fleet_shard = tmp_path / "fleet-shard.json"
    assert run("audit", str(repos[0]), str(tmp_path / "gone"), "--format", "json", "-o", str(fleet_shard)).exit_code == 0
    result = run("audit", "--merge", *shards[1:], str(fleet_shard), "--format", "json", "-o", str(tmp_path / "merged.json"))
    assert result.exit_code == 0, result.output
    merged = json.loads((tmp_path / "merged.json").read_text())
    assert [a["repository"]["name"] for a in merged["audits"]] == ["compliant", "nuxt3-celery", "legacy"]
    assert [f["repository"] for f in merged["failures"]] == ["gone"]
    direct = json.loads(open(shards[0]).read())
    assert merged["audits"][2]["systems"] == direct["systems"] and merged["audits"][2]["plan"] == direct["plan"]
    html = run("audit", "--merge", *shards, "-o", str(tmp_path / "merged.html"))
    assert html.exit_code == 0 and (tmp_path / "merged.html").read_text().count('class="repo-row"') == 3
    bad = tmp_path / "bad.json"
    bad.write_text('{"findings": []}')
    refused = run("audit", "--merge", str(bad))
    assert refused.exit_code == 2 and "is not a modelw-lint audit" in refused.output


def test_the_fleet_workflow_example_runs_the_commands_this_tool_has():
    import yaml

    with open(os.path.join(REPO, "docs", "fleet-audit.yml"), encoding="utf-8") as fh:
        workflow = yaml.safe_load(fh)
    jobs = workflow["jobs"]
    assert {"repositories", "audit", "merge"} <= set(jobs)
    assert "matrix" in jobs["audit"]["strategy"]
    text = json.dumps(workflow)
    assert "modelw-lint audit" in text and "--format json" in text and "--merge" in text
    assert "gh repo list" in text and "upload-artifact" in text and "download-artifact" in text


# -- issue 24: a score that measures distance, effort, triage, links, trend ------------------------

STARTPROJECT = {
    # What `django-admin startproject mysite` writes (Django 5.1), in its shape.
    "manage.py": "#!/usr/bin/env python\nimport os\nimport sys\n\n\ndef main():\n"
    "    os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'mysite.settings')\n"
    "    from django.core.management import execute_from_command_line\n    execute_from_command_line(sys.argv)\n\n\n"
    "if __name__ == '__main__':\n    main()\n",
    "mysite/__init__.py": "",
    "mysite/settings.py": "from pathlib import Path\n\nBASE_DIR = Path(__file__).resolve().parent.parent\n"
    "SECRET_KEY = 'django-insecure-1x^c9$k2@v7!q0m#w8e4r5t6y7u8i9o0p'\nDEBUG = True\nALLOWED_HOSTS = []\n"
    "INSTALLED_APPS = ['django.contrib.admin', 'django.contrib.auth', 'django.contrib.contenttypes', "
    "'django.contrib.sessions', 'django.contrib.messages', 'django.contrib.staticfiles']\n"
    "ROOT_URLCONF = 'mysite.urls'\nWSGI_APPLICATION = 'mysite.wsgi.application'\n"
    "DATABASES = {'default': {'ENGINE': 'django.db.backends.sqlite3', 'NAME': BASE_DIR / 'db.sqlite3'}}\n"
    "STATIC_URL = 'static/'\nDEFAULT_AUTO_FIELD = 'django.db.models.BigAutoField'\n",
    "mysite/urls.py": "from django.contrib import admin\nfrom django.urls import path\n\n"
    "urlpatterns = [\n    path('admin/', admin.site.urls),\n]\n",
    "mysite/wsgi.py": "import os\n\nfrom django.core.wsgi import get_wsgi_application\n\n"
    "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'mysite.settings')\n\napplication = get_wsgi_application()\n",
}


def git_repo(root, files=None, remote=None):
    from modelw_lint.testing import write_files

    root.mkdir(parents=True, exist_ok=True)
    write_files(str(root), files or {})
    for args in (["init", "-q"], ["add", "-A"], ["-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "x", "--allow-empty"]):
        subprocess.run(["git", *args], cwd=root, check=True, capture_output=True)
    if remote:
        subprocess.run(["git", "remote", "add", "origin", remote], cwd=root, check=True)
    return root


def test_absence_is_never_a_pass_empty_and_plain_projects_score_near_zero(tmp_path):
    empty = audit_json(git_repo(tmp_path / "empty"))
    plain = audit_json(git_repo(tmp_path / "plain", STARTPROJECT))
    for data in (empty, plain):
        assert data["score"] <= 10, data["score"]
        states = {s["family"]: s["status"] for s in data["systems"]}
        assert "conforms" not in states.values(), states
        assert states["settings"] == states["stack"] == states["deploy"] == "not-adopted"
    plain_states = {s["family"]: s for s in plain["systems"]}
    assert plain_states["settings"]["reason"] == "settings without the Model W preset (mysite/settings.py)"
    assert plain_states["routing"]["reason"] == "Django answers at the root of the domain: nothing routes /back to it"
    assert plain_states["storage"]["status"] == "not-applicable"  # no upload in the code
    # The plan says what is to do on evidence: nothing is "done" for what is absent.
    steps = {s["key"]: s for s in plain["plan"]}
    assert steps["release"]["status"] == "todo" and steps["preset"]["status"] == "todo"
    assert steps["front"]["status"] == "not-applicable"
    assert not [s for s in plain["plan"] if s["status"] == "done"]


def test_projects_on_model_w_rank_above_projects_without_it(tmp_path, fixture_copy):
    compliant = audit_json(fixture_copy("compliant"))
    customised = audit_json(corpus_copy(tmp_path, "modelw-customised"))
    legacy = audit_json(fixture_copy("legacy"))
    cookiecutter = audit_json(corpus_copy(tmp_path, "cookiecutter-django"))
    plain = audit_json(git_repo(tmp_path / "plain", STARTPROJECT))
    order = [compliant["score"], customised["score"], legacy["score"], cookiecutter["score"], plain["score"]]
    assert order == sorted(order, reverse=True) and order[0] == 100 and order[-1] <= 10, order
    assert legacy["score"] > cookiecutter["score"], "on the preset, drifting, is closer than no preset at all"
    # Each weight is documented with the number.
    assert legacy["score_weights"]["settings"] > legacy["score_weights"]["layout"]


def test_every_repository_has_an_effort_range_and_a_fleet_a_total(tmp_path, fixture_copy):
    legacy = audit_json(fixture_copy("legacy"))
    low, high = legacy["effort"]["days"]
    assert 0 < low < high
    todo = [s for s in legacy["plan"] if s["status"] == "todo"]
    assert sum(s["days"][0] for s in todo) == pytest.approx(low, abs=0.5)
    layout = next(s for s in legacy["plan"] if s["key"] == "layout")
    assert any(a.startswith("adopting what is absent (outside api/ and front/") for a in layout["assumptions"])
    assert all(s["days"] == [0.0, 0.0] for s in legacy["plan"] if s["status"] != "todo")
    # The release step counts the distance: 2023.07 is several releases, Python and Django versions away.
    from modelw_lint.testing import write_files

    root = tmp_path / "old"
    write_files(str(root), {"api/manage.py": "import os\n", "api/pyproject.toml": (
        '[tool.poetry.dependencies]\npython = "~3.11"\nmodelw-preset-django = {extras = ["celery"], version = "~2023.7.0"}\n')})
    old = audit_json(root)
    release = next(s for s in old["plan"] if s["key"] == "release")
    text = " ".join(release["assumptions"])
    assert "release(s) from 2023.07 to 2026.10" in text and "Python 3.11 to 3.14" in text and "Django 4.1 to 6.1" in text
    fleet = tmp_path / "fleet.json"
    assert run("audit", str(fixture_copy("compliant")), str(fixture_copy("nuxt3-celery")), str(root), "--format", "json",
               "-o", str(fleet), "--no-cache").exit_code == 0
    html = run("audit", "--merge", str(fleet), "-o", str(tmp_path / "fleet.html"))
    assert html.exit_code == 0
    page = (tmp_path / "fleet.html").read_text()
    total = sum(a["effort"]["days"][1] for a in json.loads(fleet.read_text())["audits"])
    assert "person-days</b> in all" in page and f"–{total:g} person-days" in page


def test_csv_exports_of_findings_and_plan(fixture_copy, tmp_path):
    import csv

    root = fixture_copy("legacy")
    settings = root / "backend/shop/settings/prod.py"
    settings.write_text(settings.read_text() + 'API_TOKEN = "=HYPERLINK(\\"http://evil\\")"\n')
    out = run("audit", str(root), "--format", "csv", "-o", "-", "--no-cache").stdout
    rows = list(csv.DictReader(out.splitlines()))
    data = audit_json(root)
    assert len(rows) == len(data["findings"])
    assert {r["repository"] for r in rows} == {"legacy"}
    assert any(r["security"] == "yes" and r["code"] == "MW201" for r in rows)
    assert all(not r["message"].startswith(("=", "+", "-", "@")) for r in rows), "no formula reaches a spreadsheet"
    assert any(r["step"] == "environment" for r in rows)
    plan = list(csv.DictReader(run("audit", str(root), "--format", "plan-csv", "-o", "-", "--no-cache").stdout.splitlines()))
    assert [r["step"] for r in plan][:3] == ["layout", "preset", "environment"]
    assert float(plan[0]["days low"]) > 0 and plan[0]["status"] == "todo"


def test_fleet_baseline_is_each_repositorys_own(fixture_copy, tmp_path):
    legacy, compliant = fixture_copy("legacy"), fixture_copy("compliant")
    assert run("baseline", str(legacy)).exit_code == 0
    prod = legacy / "backend/shop/settings/prod.py"
    prod.write_text(prod.read_text() + 'API_TOKEN = "new"\n')
    result = run("audit", str(legacy), str(compliant), "--baseline", ".modelw-lint-baseline.json", "--format", "json", "-o", "-",
                 "--no-cache")
    assert result.exit_code == 0, result.output
    audits = {a["repository"]["name"]: a for a in json.loads(result.stdout)["audits"]}
    assert audits["compliant"]["baseline"] is None, "compliant has no baseline of its own"
    new = [f for f in audits["legacy"]["findings"] if f["id"] in audits["legacy"]["baseline"]["new"]]
    assert [f["code"] for f in new] == ["MW203"]


def test_merging_a_shard_twice_counts_once_and_a_bad_shard_is_reported(fixture_copy, tmp_path):
    shard = tmp_path / "legacy.json"
    assert run("audit", str(fixture_copy("legacy")), "--format", "json", "-o", str(shard), "--no-cache").exit_code == 0
    bad = tmp_path / "broken.json"
    bad.write_text('{"schema": "modelw-lint-audit/1", "findings": ')
    result = run("audit", "--merge", str(shard), str(shard), str(bad), "--format", "json", "-o", "-")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert [a["repository"]["name"] for a in data["audits"]] == ["legacy"]
    assert [f["repository"] for f in data["failures"]] == ["broken.json"]
    assert data["failures"][0]["reason"].startswith("shard not merged: cannot read broken.json")
    assert "warning: cannot read" in result.stderr


def test_findings_link_to_the_forge_at_the_audited_commit(tmp_path, fixture_copy):
    root = fixture_copy("legacy")
    subprocess.run(["git", "remote", "add", "origin", "git@github.com:acme/shop.git"], cwd=root, check=True)
    data = audit_json(root)
    commit = data["repository"]["commit"]
    assert data["repository"]["remote"] == "https://github.com/acme/shop"
    mw201 = next(f for f in data["findings"] if f["code"] == "MW201")
    assert mw201["link"] == f"https://github.com/acme/shop/blob/{commit}/{mw201['path']}#L{mw201['line']}"
    assert mw201["docs"].endswith("#mw201-hardcoded-secret-key")
    subprocess.run(["git", "remote", "set-url", "origin", "https://oauth2:secret@gitlab.example.com/team/shop.git"], cwd=root, check=True)
    gitlab = audit_json(root)
    assert gitlab["repository"]["remote"] == "https://gitlab.example.com/team/shop" and "oauth2" not in json.dumps(gitlab)
    assert next(f for f in gitlab["findings"] if f["code"] == "MW201")["link"].startswith(
        f"https://gitlab.example.com/team/shop/-/blob/{commit}/")
    custom = audit_json(root, "--link-template", "https://code.acme.test/shop/{path}?at={commit}#{line}")
    assert next(f for f in custom["findings"] if f["code"] == "MW201")["link"] == (
        f"https://code.acme.test/shop/{mw201['path']}?at={commit}#{mw201['line']}")
    refused = run("audit", str(root), "--link-template", "https://x.test/", "-o", "-")
    assert refused.exit_code == 2 and "--link-template needs {path}" in refused.output
    # Outside git: no commit to point at, said in full, and no link.
    plain = tmp_path / "outside-git"
    shutil.copytree(os.path.join(REPO, "fixtures", "legacy"), plain)
    data = audit_json(plain)
    assert data["repository"]["commit"] is None and all(f["link"] is None for f in data["findings"])
    md = run("audit", str(plain), "--format", "markdown", "-o", "-", "--no-cache").stdout
    assert "- Commit: not a git repository (no commit)" in md
    page = run("audit", str(plain), "--format", "html", "-o", "-", "--no-cache").stdout
    assert "<b>not a git repository</b> (no commit)" in page and str(plain) not in page


def test_previous_audit_shows_what_improved_and_what_got_worse(fixture_copy, tmp_path):
    root = fixture_copy("legacy")
    old = tmp_path / "old.json"
    assert run("audit", str(root), "--format", "json", "-o", str(old), "--no-cache").exit_code == 0
    prod = root / "backend/shop/settings/prod.py"
    prod.write_text(prod.read_text().replace("    DEBUG = True\n", ""))
    (root / "backend/shop/orders/views.py").write_text(
        "from django.core.mail import send_mail\n\n\ndef f():\n    send_mail('a', 'b', None, ['c'])\n")
    data = audit_json(root, "--previous", str(old))
    trend = data["trend"]
    changes = {t["family"]: t["change"] for t in trend["systems"]}
    assert changes["settings"] == "better" and changes["messaging"] in ("worse", "same")
    assert "MW202" in trend["fixed_codes"]
    md = run("audit", str(root), "--previous", str(old), "--format", "markdown", "-o", "-", "--no-cache").stdout
    assert "## Since the previous audit" in md and "- Settings: better" in md
    refused = run("audit", str(root), "--previous", str(tmp_path / "none.json"), "-o", "-")
    assert refused.exit_code == 2 and "--previous: cannot read" in refused.output


def test_the_markdown_fleet_report_fits_a_github_comment(fixture_copy, tmp_path):
    shard = json.loads(run("audit", str(fixture_copy("legacy")), "--format", "json", "-o", "-", "--no-cache").stdout)
    # A large project: 2,000 findings (the plan's own ids stay, the copies get new ones).
    shard["findings"] += [{**f, "id": f"C{n}-{f['id']}"} for n in range(40) for f in shard["findings"]]
    paths = []
    for n in range(12):
        copy = json.loads(json.dumps(shard))
        copy["repository"]["name"] = f"project-{n}"
        path = tmp_path / f"shard-{n}.json"
        path.write_text(json.dumps(copy))
        paths.append(str(path))
    md = run("audit", "--merge", *paths, "--format", "markdown", "-o", "-").stdout
    assert len(md) <= 65_536
    assert md.count("| project-") == 12, "every repository keeps its row"
    assert "Left out to stay within a GitHub comment" in md or "more findings are left out" in md
    one = run("audit", "--merge", paths[0], "--format", "markdown", "-o", "-").stdout
    assert len(one) <= 65_536 and "more findings are left out to stay within a GitHub comment" in one
