"""CI outputs: SARIF (validated against the official schema), GitHub annotations, JUnit,
Markdown, statistics, and baselines."""

import collections
import json
import os
import shutil
import subprocess
import xml.etree.ElementTree as ET

import jsonschema
import pytest
from conftest import REPO, cli_runner

from modelw_lint.cli import main

# The official schema, as ../shared/schemas holds it beside the checkout; tests/data has a copy
# for checkouts without it (test_schema_copy_is_current keeps the two equal).
SHARED_SCHEMA = os.path.join(os.path.dirname(REPO), "shared", "schemas", "sarif-2.1.0.json")
SCHEMA = SHARED_SCHEMA if os.path.exists(SHARED_SCHEMA) else os.path.join(REPO, "tests", "data", "sarif-2.1.0.json")


def run(*args, env=None):
    return cli_runner(env=env).invoke(main, list(args), catch_exceptions=False)


@pytest.fixture
def legacy(fixture_copy):
    return fixture_copy("legacy")


# -- SARIF -------------------------------------------------------------------------------------


def validate_sarif(doc):
    with open(SCHEMA) as fh:
        schema = json.load(fh)
    jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker()).validate(doc)


@pytest.mark.skipif(not os.path.exists(SHARED_SCHEMA), reason="no ../shared beside this checkout")
def test_schema_copy_is_current():
    with open(SHARED_SCHEMA, "rb") as a, open(os.path.join(REPO, "tests", "data", "sarif-2.1.0.json"), "rb") as b:
        assert a.read() == b.read()


def test_sarif_of_the_legacy_fixture_validates(legacy, tmp_path):
    out = tmp_path / "report.sarif"
    result = run("check", str(legacy), "--format", "sarif", "--output", str(out))
    assert result.exit_code == 1
    doc = json.loads(out.read_text())
    validate_sarif(doc)
    [sarif_run] = doc["runs"]
    rules = sarif_run["tool"]["driver"]["rules"]
    ids = [r["id"] for r in rules]
    assert ids == sorted(ids) and "MW201" in ids
    mw201 = rules[ids.index("MW201")]
    assert mw201["name"] == "hardcoded-secret-key"
    assert mw201["helpUri"].endswith("docs/rules.md#mw201-hardcoded-secret-key")
    assert mw201["defaultConfiguration"]["level"] == "error"
    assert mw201["shortDescription"]["text"] and mw201["fullDescription"]["text"] and mw201["help"]["markdown"]
    results = sarif_run["results"]
    assert len(results) == len(json.loads(run("check", str(legacy), "--format", "json").stdout)["findings"])
    for r in results:
        loc = r["locations"][0]["physicalLocation"]
        assert (legacy / loc["artifactLocation"]["uri"]).is_file(), "every result points at a real file"
        assert rules[r["ruleIndex"]]["id"] == r["ruleId"]
        assert r["level"] in ("error", "warning", "note")
        assert r["partialFingerprints"]["modelwLint/v1"]
    repo_level = [r for r in results if r["properties"]["repoLevel"]]
    assert repo_level and all("reported on" in r["message"]["text"] for r in repo_level)


def test_sarif_of_a_clean_repo_and_of_a_missing_front(fixture_copy):
    root = fixture_copy("compliant")
    doc = json.loads(run("check", str(root), "--format", "sarif").stdout)
    validate_sarif(doc)
    assert doc["runs"][0]["results"] == []
    (root / "front" / "package.json").unlink()
    doc = json.loads(run("check", str(root), "--format", "sarif").stdout)
    validate_sarif(doc)
    [r] = doc["runs"][0]["results"]
    assert r["ruleId"] == "MW103"
    assert r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "api/pyproject.toml"
    assert "reported on api/pyproject.toml: the repository has no front component" in r["message"]["text"]


def test_sarif_fingerprints_survive_line_shifts(legacy):
    def fingerprints():
        results = json.loads(run("check", str(legacy), "--format", "sarif").stdout)["runs"][0]["results"]
        return {r["partialFingerprints"]["modelwLint/v1"] for r in results}

    before = fingerprints()
    base = legacy / "backend/shop/settings/base.py"
    base.write_text("# a comment\n# another\n\n" + base.read_text())
    after = fingerprints()
    assert before == after


def test_a_rule_given_anchor_keys_the_fingerprint():
    from modelw_lint.core.finding import Finding, Severity
    from modelw_lint.engine.fingerprint import fingerprint

    def finding(message, **extra):
        return Finding("X001", "x", "x", Severity.ERROR, "a.py", 3, 1, 3, 1, message, extra=extra)

    assert fingerprint(finding("one wording"), None) != fingerprint(finding("another wording"), None)
    anchored = fingerprint(finding("one wording", anchor="settings.CACHES"), None)
    assert anchored == fingerprint(finding("another wording", anchor="settings.CACHES"), None)
    assert anchored != fingerprint(finding("one wording", anchor="settings.STORAGES"), None)


# -- GitHub ------------------------------------------------------------------------------------


def test_github_annotations(legacy, tmp_path):
    summary = tmp_path / "summary.md"
    summary.write_text("previous step\n")
    result = run("check", str(legacy), "--format", "github", env={"GITHUB_STEP_SUMMARY": str(summary)})
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    annotations = [line for line in lines if line.startswith(("::error ", "::warning ", "::notice "))]
    kinds = [line.split(" ", 1)[0] for line in annotations]
    # The plain lines (the repository's names) are printed with workflow commands stopped.
    stop = [line for line in lines if line.startswith("::stop-commands::")]
    assert len(stop) == 1 and f"::{stop[0].split('::')[2]}::" in lines
    assert kinds.count("::error") == 10 and kinds.count("::warning") == 10 and kinds.count("::notice") <= 10
    assert kinds == sorted(kinds, key=["::error", "::warning", "::notice"].index), "errors first"
    first = annotations[0]
    findings = json.loads(run("check", str(legacy), "--format", "json").stdout)["findings"]
    errors = collections.Counter(f["path"] for f in findings if f["severity"] == "error")
    assert first.startswith(f"::error file={errors.most_common(1)[0][0]},line=")  # the file with the most errors
    assert ",title=MW" in first and "::" in first[2:]
    total = len(findings)
    [note] = [line for line in lines if "more findings were not annotated" in line]
    left = int(note.split("modelw-lint: ")[1].split(" ")[0])
    assert left == total - len(annotations)
    assert sum(1 for line in lines if line.startswith("  ")) == left
    text = summary.read_text()
    assert text.startswith("previous step\n") and "## modelw-lint" in text and "| **total** |" in text
    assert text.count("| 🔴 error |") + text.count("| 🟠 warning |") + text.count("| 🔵 info |") == total


def test_github_escaping():
    from modelw_lint.core.finding import Finding, Severity
    from modelw_lint.report.formats.github_format import annotation

    f = Finding("MW1", "x", "layout", Severity.WARNING, "a,b:c.py", 1, 1, 1, 1, "50% done\nnext")
    assert annotation(f) == "::warning file=a%2Cb%3Ac.py,line=1,col=1,endLine=1,endColumn=1,title=MW1 x::50%25 done%0Anext"


# -- JUnit, Markdown, statistics ---------------------------------------------------------------


def test_junit_parses_and_counts(legacy):
    result = run("check", str(legacy), "--format", "junit")
    root = ET.fromstring(result.stdout)
    assert root.tag == "testsuites"
    suites = {s.get("name"): s for s in root.findall("testsuite")}
    assert {"layout", "settings", "queue", "deploy"} <= set(suites)
    data = json.loads(run("check", str(legacy), "--format", "json").stdout)
    failing_pairs = {(f["code"], f["path"]) for f in data["findings"] if f["severity"] != "info"}
    info_pairs = {(f["code"], f["path"]) for f in data["findings"] if f["severity"] == "info"}
    assert info_pairs, "the legacy fixture has info findings"
    failures = root.findall(".//testcase/failure")
    assert len(failures) == len(failing_pairs) == int(root.get("failures"))
    # Info findings are advice, as the exit code has it: in system-out, not failures.
    for code, path in info_pairs - failing_pairs:
        [case] = [c for c in root.iter("testcase") if c.get("name").startswith(code) and c.get("file") == path]
        assert case.find("failure") is None and code in case.find("system-out").text
    for suite in suites.values():
        assert int(suite.get("tests")) == len(suite.findall("testcase"))
        assert float(suite.get("time")) >= 0
    assert all(float(c.get("time")) >= 0 for c in root.iter("testcase"))
    assert float(root.get("time")) > 0
    mw203 = [c for c in suites["settings"].findall("testcase") if c.get("name").startswith("MW203")]
    [case] = mw203
    assert case.find("failure").text.count("MW203") == 4
    passing = [c for c in suites["layout"].findall("testcase") if c.find("failure") is None]
    assert any(c.get("name").startswith("MW106") for c in passing)


def test_markdown_groups_by_family(legacy):
    out = run("check", str(legacy), "--format", "markdown").stdout
    assert out.startswith("## modelw-lint")
    assert out.index("### layout") < out.index("### settings") < out.index("### deploy")
    assert "[MW201](" in out


def test_markdown_escapes_what_github_would_take_for_html(legacy):
    out = run("check", str(legacy), "--format", "markdown").stdout
    assert "&lt;package&gt;/django/settings.py" in out  # MW105's message
    assert "<package>" not in out
    from modelw_lint.report.formats.markdown_format import text

    assert text("use `modelw/base:<YYYY.MM>` not <b>") == "use `modelw/base:<YYYY.MM>` not &lt;b&gt;"


@pytest.fixture
def crowded(legacy):
    """The legacy fixture with 6,000 more findings (literal tokens in its settings)."""
    base = legacy / "backend/shop/settings/base.py"
    base.write_text(base.read_text() + "".join(f'SERVICE{i}_API_TOKEN = "token-<{i}>-value"\n' for i in range(6000)))
    return legacy


def test_markdown_stays_within_a_pr_comment(crowded):
    total = len(json.loads(run("check", str(crowded), "--format", "json").stdout)["findings"])
    assert total > 6000
    out = run("check", str(crowded), "--format", "markdown").stdout
    assert len(out) <= 65_536
    rows = out.count("| 🔴 error |") + out.count("| 🟠 warning |") + out.count("| 🔵 info |")
    note = next(line for line in out.splitlines() if "more findings are not shown" in line)
    assert int(note.strip("_").split()[0]) == total - rows
    assert "| **total** |" in out  # the counts are always there


def test_github_job_summary_stays_within_its_mebibyte(crowded, tmp_path):
    summary = tmp_path / "summary.md"
    summary.write_text("previous step\n" + "x" * 200_000 + "\n")
    result = run("check", str(crowded), "--format", "github", env={"GITHUB_STEP_SUMMARY": str(summary)})
    assert result.exit_code == 1
    data = summary.read_bytes()
    assert len(data) <= 1024 * 1024
    assert b"more findings are not shown" in data and data.startswith(b"previous step\n")


def test_sarif_keeps_5000_results_and_says_so(crowded, tmp_path):
    out = tmp_path / "r.sarif"
    run("check", str(crowded), "--format", "sarif", "-o", str(out))
    doc = json.loads(out.read_text())
    validate_sarif(doc)
    [sarif_run] = doc["runs"]
    assert len(sarif_run["results"]) == 5000
    [note] = sarif_run["invocations"][0]["toolExecutionNotifications"]
    total = len(json.loads(run("check", str(crowded), "--format", "json").stdout)["findings"])
    assert note["message"]["text"].startswith(f"{total - 5000} results left out")
    levels = [r["level"] for r in sarif_run["results"]]
    assert levels.count("error") == 5000 or "note" not in levels  # the most severe are kept


def test_sarif_keeps_the_column_of_point_findings(legacy):
    doc = json.loads(run("check", str(legacy), "--format", "sarif").stdout)
    regions = [r["locations"][0]["physicalLocation"]["region"] for r in doc["runs"][0]["results"]]
    points = [g for g in regions if "endLine" not in g]
    assert points and all("startColumn" in g for g in points)
    assert any(g["startColumn"] > 1 for g in points)


def test_gitlab_code_quality(legacy):
    result = run("check", str(legacy), "--output-format", "gitlab")
    assert result.exit_code == 1
    issues = json.loads(result.stdout)
    findings = json.loads(run("check", str(legacy), "--format", "json").stdout)["findings"]
    assert len(issues) == len(findings)
    for issue, f in zip(issues, findings):
        assert issue["check_name"] == f["code"] and f["message"] in issue["description"]
        assert issue["severity"] == {"error": "major", "warning": "minor", "info": "info"}[f["severity"]]
        assert issue["location"]["path"] == f["path"] and issue["location"]["lines"]["begin"] == f["line"]
    assert len({i["fingerprint"] for i in issues}) == len(issues), "GitLab wants them unique"
    # Stable across line shifts, like SARIF's.
    base = legacy / "backend/shop/settings/base.py"
    base.write_text("# moved down\n" + base.read_text())
    again = json.loads(run("check", str(legacy), "--format", "gitlab").stdout)
    assert {i["fingerprint"] for i in again} == {i["fingerprint"] for i in issues}


def test_statistics_as_json(legacy):
    rows = json.loads(run("check", str(legacy), "--statistics", "--format", "json").stdout)
    findings = json.loads(run("check", str(legacy), "--format", "json").stdout)["findings"]
    assert sum(r["count"] for r in rows) == len(findings)
    assert {"code", "name", "family", "severity", "count", "fixable"} <= set(rows[0])
    result = run("check", str(legacy), "--statistics", "--format", "sarif")
    assert result.exit_code == 2 and "--statistics works with --format text, concise or json" in result.output


def test_statistics(legacy):
    out = run("check", str(legacy), "--statistics").stdout.splitlines()
    counts = [int(line.split()[0]) for line in out]
    assert counts == sorted(counts, reverse=True)
    assert any(" MW203 " in line and line.split()[0] == "4" for line in out)


# -- baseline ----------------------------------------------------------------------------------


def test_baseline_survives_edits_and_reports_only_new_findings(legacy):
    result = run("baseline", str(legacy))
    assert result.exit_code == 0 and "Recorded" in result.stdout
    path = legacy / ".modelw-lint-baseline.json"
    text = path.read_text()
    data = json.loads(text)
    keys = [(e["path"], e["code"], e["fingerprint"]) for e in data["findings"]]
    assert keys == sorted(keys), "sorted, stable"
    assert run("baseline", str(legacy)).exit_code == 0 and path.read_text() == text, "stable"
    clean = run("check", str(legacy), "--baseline", str(path), "--format", "json")
    assert clean.exit_code == 0 and json.loads(clean.stdout)["findings"] == []
    # An edit above the findings and a reformatting: nothing new.
    base = legacy / "backend/shop/settings/base.py"
    base.write_text("# moved down\n\n" + base.read_text().replace(
        'EMAIL_HOST_PASSWORD = "mailgun-password"',
        'EMAIL_HOST_PASSWORD   =   "mailgun-password"',
    ))
    again = run("check", str(legacy), "--baseline", str(path), "--format", "json")
    assert json.loads(again.stdout)["findings"] == []
    # A new finding is reported, through the config key too.
    base.write_text(base.read_text() + 'API_TOKEN = "new"\n')
    (legacy / ".modelw-lint.toml").write_text('baseline = ".modelw-lint-baseline.json"\n')
    new = run("check", str(legacy), "--format", "json")
    assert new.exit_code == 1
    assert [(f["code"], f["message"]) for f in json.loads(new.stdout)["findings"]] == [(
        "MW203",
        "literal API_TOKEN in settings: read it from the environment",
    )]


def test_identical_findings_are_counted(legacy):
    base = legacy / "backend/shop/settings/base.py"
    base.write_text(base.read_text() + 'EMAIL_HOST_PASSWORD = "mailgun-password"\n')
    run("baseline", str(legacy))
    entries = json.loads((legacy / ".modelw-lint-baseline.json").read_text())["findings"]
    [entry] = [e for e in entries if e["code"] == "MW203" and "EMAIL_HOST_PASSWORD" in e["message"]]
    assert entry["count"] == 2
    base.write_text(base.read_text() + 'EMAIL_HOST_PASSWORD = "mailgun-password"\n')
    data = json.loads(run("check", str(legacy), "--baseline", str(legacy / ".modelw-lint-baseline.json"), "--format", "json").stdout)
    assert [f["code"] for f in data["findings"]] == ["MW203"], "the third copy is new"


def test_stale_entries_are_reported_and_pruned(legacy):
    run("baseline", str(legacy))
    path = legacy / ".modelw-lint-baseline.json"
    before = json.loads(path.read_text())["findings"]
    prod = legacy / "backend/shop/settings/prod.py"
    prod.write_text(prod.read_text().replace("    DEBUG = True\n", ""))
    result = run("check", str(legacy), "--baseline", str(path), "--format", "json")
    stale = [f for f in json.loads(result.stdout)["findings"] if f["code"] == "MW005"]
    assert [f["path"] for f in stale] == [".modelw-lint-baseline.json"]
    assert "MW202" in stale[0]["message"] and stale[0]["line"] > 1
    assert result.exit_code == 0  # info
    updated = run("check", str(legacy), "--baseline", str(path), "--update-baseline", "--format", "json")
    assert json.loads(updated.stdout)["findings"] == []
    after = json.loads(path.read_text())["findings"]
    assert len(after) == len(before) - 1 and all(e in before for e in after)
    assert run("check", str(legacy), "--baseline", str(path), "--format", "json").exit_code == 0


def test_bad_baseline_is_exit_2(legacy):
    (legacy / "bad.json").write_text("{}")
    result = run("check", str(legacy), "--baseline", str(legacy / "bad.json"))
    assert result.exit_code == 2 and "is not a modelw-lint baseline" in result.output
    assert run("check", str(legacy), "--update-baseline").exit_code == 2


def _every_project():
    corpus = os.path.join(REPO, "tests", "corpus")
    return [("fixture", n) for n in ("legacy", "compliant", "lookalikes", "nuxt3-celery")] + [
        ("corpus", n) for n in sorted(os.listdir(corpus)) if os.path.isdir(os.path.join(corpus, n))
    ]


@pytest.mark.parametrize("where,name", _every_project())
def test_a_line_added_at_the_top_of_every_file_makes_no_finding_new(fixture_copy, tmp_path, where, name):
    """What a team does all day (an import, a comment, a blank line at the top of a file) never
    turns a baselined finding into a new one, nor moves a code-scanning alert: file-level and
    module-level findings are fingerprinted by what they say, not by line 1's text."""
    if where == "fixture":
        root = fixture_copy(name)
    else:
        root = tmp_path / name
        shutil.copytree(os.path.join(REPO, "tests", "corpus", name), root, ignore=shutil.ignore_patterns("expected.txt"))
        subprocess.run(["git", "init", "-q"], cwd=root, check=True)
        subprocess.run(["git", "add", "-A"], cwd=root, check=True)
    assert run("baseline", str(root)).exit_code == 0
    sarif_before = _sarif_fingerprints(root)
    for path in subprocess.run(["git", "ls-files"], cwd=root, capture_output=True, text=True, check=True).stdout.split():
        file = root / path
        try:
            text = file.read_bytes().decode("utf-8")
        except UnicodeDecodeError:
            continue  # the corpus's deliberately unreadable files stay as they are
        comment = "" if path.endswith((".json", ".md", ".svelte", ".vue", ".html")) else _comment_for(path)
        file.write_text(comment + "\n" + text)
    result = run("check", str(root), "--baseline", str(root / ".modelw-lint-baseline.json"), "--format", "json")
    assert [(f["code"], f["path"], f["message"]) for f in json.loads(result.stdout)["findings"]] == []
    assert _sarif_fingerprints(root) == sarif_before


def _comment_for(path):
    if path.endswith((".js", ".ts", ".mjs", ".cjs")):
        return "// added on top"
    return "# added on top"


def _sarif_fingerprints(root):
    doc = json.loads(run("check", str(root), "--format", "sarif").stdout)
    return sorted(r["partialFingerprints"]["modelwLint/v1"] for r in doc["runs"][0]["results"])
