"""`modelw-lint audit`: the audit data (scorecard, migration plan, components, baseline), its
renderings as a person reads them (the text summary, Markdown, HTML source), fleets and
merged shards. The HTML as a browser shows it is tested in test_audit_browser.py."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess

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
    assert layout["status"] == "drifts" and layout["title"] == "Layout"
    assert {r["code"] for r in layout["failed"]} >= {"MW101", "MW102"}
    assert {r["code"] for r in layout["passed"]} >= {"MW106"}, "what passed is said too"
    assert len(layout["passed"]) + len(layout["failed"]) == layout["rules"]
    # The documented formula: passed weight over total weight (error 3, warning 2, info 1).
    weights = {"error": 3, "warning": 2, "info": 1}
    total = sum(weights[r["severity"]] for r in layout["passed"] + layout["failed"])
    assert layout["score"] == round(100 * sum(weights[r["severity"]] for r in layout["passed"]) / total)
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
    assert systems["deploy"]["status"] == "not-applicable" and "no deploy artifact" in systems["deploy"]["reason"]


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
    from modelw_lint.audit.build import spec_of
    from modelw_lint.rule import EngineRule

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
    assert "| Layout | ❌ drifts |" in text
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
    assert data["failures"] == [{"repository": str(tmp_path / "missing"), "reason": f"{tmp_path / 'missing'}: no such folder"}]
    assert f"{legacy}: score " in result.stdout and "missing: not audited" in result.stdout
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
    assert [f["repository"] for f in merged["failures"]] == [str(tmp_path / "gone")]
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
