"""CI outputs: SARIF (validated against the official schema), GitHub annotations, JUnit,
Markdown, statistics, and baselines."""

import collections
import json
import os
import xml.etree.ElementTree as ET

import jsonschema
import pytest

from modelw_lint.cli import main

from conftest import REPO, cli_runner

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
    before = {r["partialFingerprints"]["modelwLint/v1"] for r in json.loads(run("check", str(legacy), "--format", "sarif").stdout)["runs"][0]["results"]}
    base = legacy / "backend/shop/settings/base.py"
    base.write_text("# a comment\n# another\n\n" + base.read_text())
    after = {r["partialFingerprints"]["modelwLint/v1"] for r in json.loads(run("check", str(legacy), "--format", "sarif").stdout)["runs"][0]["results"]}
    assert before == after


# -- GitHub ------------------------------------------------------------------------------------


def test_github_annotations(legacy, tmp_path):
    summary = tmp_path / "summary.md"
    summary.write_text("previous step\n")
    result = run("check", str(legacy), "--format", "github", env={"GITHUB_STEP_SUMMARY": str(summary)})
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    annotations = [line for line in lines if line.startswith("::")]
    kinds = [line.split(" ", 1)[0] for line in annotations]
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
    from modelw_lint.finding import Finding, Severity
    from modelw_lint.reporters.github_format import annotation

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
    failing_pairs = {(f["code"], f["path"]) for f in data["findings"]}
    failures = root.findall(".//testcase/failure")
    assert len(failures) == len(failing_pairs) == int(root.get("failures"))
    for suite in suites.values():
        assert int(suite.get("tests")) == len(suite.findall("testcase"))
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
    base.write_text("# moved down\n\n" + base.read_text().replace('EMAIL_HOST_PASSWORD = "mailgun-password"', 'EMAIL_HOST_PASSWORD   =   "mailgun-password"'))
    again = run("check", str(legacy), "--baseline", str(path), "--format", "json")
    assert json.loads(again.stdout)["findings"] == []
    # A new finding is reported, through the config key too.
    base.write_text(base.read_text() + 'API_TOKEN = "new"\n')
    (legacy / ".modelw-lint.toml").write_text('baseline = ".modelw-lint-baseline.json"\n')
    new = run("check", str(legacy), "--format", "json")
    assert new.exit_code == 1
    assert [(f["code"], f["message"]) for f in json.loads(new.stdout)["findings"]] == [("MW203", "literal API_TOKEN in settings: read it from the environment")]


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
