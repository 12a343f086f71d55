"""``--format junit``: one testsuite per family, one testcase per rule and file.

A rule without findings is one passing testcase; a rule with findings is one failing testcase
per file, whose failure lists the findings.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

from ..docs import family_key
from . import ReportContext
from .concise_format import line as concise_line


def render(result: Any, context: ReportContext) -> str:
    by_rule_file: dict[tuple[str, str], list] = {}
    for f in result.findings:
        by_rule_file.setdefault((f.code, f.path), []).append(f)
    rules = {r.code: r for r in result.enabled}
    for f in result.findings:  # findings of rules outside the selection (engine ones)
        rules.setdefault(f.code, type("R", (), {"code": f.code, "name": f.name, "family": f.family}))
    root = ET.Element("testsuites", name="modelw-lint")
    total_tests = total_failures = 0
    families: dict[str, list] = {}
    for r in sorted(rules.values(), key=lambda r: (r.family, r.code)):
        families.setdefault(r.family, []).append(r)
    order = sorted(families, key=lambda fam: family_key(families[fam][0]))
    for fam in order:
        suite = ET.SubElement(root, "testsuite", name=fam)
        tests = failures = 0
        for r in families[fam]:
            files = sorted(p for code, p in by_rule_file if code == r.code)
            if not files:
                ET.SubElement(suite, "testcase", classname=f"modelw-lint.{fam}", name=f"{r.code} {r.name}")
                tests += 1
                continue
            for path in files:
                items = by_rule_file[(r.code, path)]
                case = ET.SubElement(suite, "testcase", classname=f"modelw-lint.{fam}", name=f"{r.code} {r.name}: {path}", file=path)
                first = items[0]
                failure = ET.SubElement(case, "failure", type=r.code, message=first.message if len(items) == 1 else f"{len(items)} findings")
                failure.text = "\n".join(concise_line(f) for f in items)
                tests += 1
                failures += 1
        suite.set("tests", str(tests))
        suite.set("failures", str(failures))
        suite.set("errors", "0")
        suite.set("skipped", "0")
        total_tests += tests
        total_failures += failures
    root.set("tests", str(total_tests))
    root.set("failures", str(total_failures))
    root.set("errors", str(len(result.errors)))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
