"""``--format junit``: one testsuite per family, one testcase per rule and file.

A rule without findings is one passing testcase; a rule with findings is one testcase per
file: failing, with the findings in its failure, when some are errors or warnings; passing,
with the findings in ``system-out``, when all are info (advice, not failures, as the exit
code has it). ``time`` is the time the run spent on each rule (shared among its testcases);
``file`` names the file (GitLab reads it).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

from modelw_lint.report.docs import family_order
from modelw_lint.report.formats import ReportContext
from modelw_lint.report.formats.concise_format import line as concise_line
from modelw_lint.report.formats.escape import printable


def render(result: Any, context: ReportContext) -> str:
    by_rule_file: dict[tuple[str, str], list[Any]] = {}
    for f in result.findings:
        by_rule_file.setdefault((f.code, f.path), []).append(f)
    rules = {r.code: r for r in result.enabled}
    for f in result.findings:  # findings of rules outside the selection (engine ones)
        rules.setdefault(f.code, type("R", (), {"code": f.code, "name": f.name, "family": f.family}))
    root = ET.Element("testsuites", name="modelw-lint", time=_seconds(getattr(result, "seconds", 0.0)))
    timings = getattr(result, "timings", {})
    total_tests = total_failures = 0
    families: dict[str, list[Any]] = {}
    for r in sorted(rules.values(), key=lambda r: (r.family, r.code)):
        families.setdefault(r.family, []).append(r)
    order = family_order(rules.values())
    for fam in order:
        suite = ET.SubElement(root, "testsuite", name=fam)
        tests = failures = 0
        suite_time = 0.0
        for r in families[fam]:
            files = sorted(p for code, p in by_rule_file if code == r.code)
            spent = timings.get(r.code, 0.0)
            suite_time += spent
            if not files:
                ET.SubElement(suite, "testcase", classname=f"modelw-lint.{fam}", name=f"{r.code} {r.name}", time=_seconds(spent))
                tests += 1
                continue
            for path in files:
                items = by_rule_file[(r.code, path)]
                case = ET.SubElement(
                    suite, "testcase", classname=f"modelw-lint.{fam}", name=printable(f"{r.code} {r.name}: {path}"), file=printable(path),
                    time=_seconds(spent / len(files)),
                )
                tests += 1
                failing = [f for f in items if f.severity.label != "info"]
                advice = [f for f in items if f.severity.label == "info"]
                if failing:
                    message = printable(failing[0].message) if len(failing) == 1 else f"{len(failing)} findings"
                    failure = ET.SubElement(case, "failure", type=r.code, message=message)
                    failure.text = "\n".join(concise_line(f) for f in failing)
                    failures += 1
                if advice:
                    ET.SubElement(case, "system-out").text = "\n".join(concise_line(f) for f in advice)
        suite.set("tests", str(tests))
        suite.set("failures", str(failures))
        suite.set("errors", "0")
        suite.set("skipped", "0")
        suite.set("time", _seconds(suite_time))
        total_tests += tests
        total_failures += failures
    root.set("tests", str(total_tests))
    root.set("failures", str(total_failures))
    root.set("errors", str(len(result.errors)))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _seconds(value: float) -> str:
    return f"{value:.3f}"
