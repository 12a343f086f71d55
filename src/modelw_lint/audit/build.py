"""An audit of one repository, as plain data (the JSON form, what every rendering and the
fleet merge read): the scorecard of the pack's families, the migration plan, components,
findings with their code frames, ignores, and what changed since a baseline.

The engine knows no Model W here either: families, steps and the facts that say which
families apply and what the components are come from the packs' :class:`AuditSpec`.

**Score.** A family's score is the share of its enabled rules that pass, each rule weighing
by its severity (error 3, warning 2, info 1): ``round(100 × passed weight / total weight)``.
A rule passes when it has no finding at warning or error (info findings are advice). A family
that does not apply (and has no finding) has no score. The overall score pools the weights of
every family that applies.
"""

from __future__ import annotations

import datetime as _dt
import os
from typing import Any

from ..baseline import apply as apply_baseline
from ..docs import anchor, docs_url, family_order
from ..finding import FixSafety, Severity
from ..inventory import git
from ..rule import AuditSpec, EngineRule, Family, MigrationStep

SCHEMA = "modelw-lint-audit/1"
WEIGHTS = {Severity.ERROR: 3, Severity.WARNING: 2, Severity.INFO: 1}
FRAME_LINES = 3


def spec_of(registry: Any) -> AuditSpec:
    """The packs' audit specs merged (steps in pack order)."""
    steps: list[MigrationStep] = []
    applicability = components = None
    for pack in registry.packs:
        spec = getattr(pack, "audit", None)
        if spec is None:
            continue
        steps += list(spec.steps)
        applicability = applicability or spec.applicability
        components = components or spec.components
    return AuditSpec(tuple(steps), applicability, components)


def repository_info(root: str) -> dict[str, Any]:
    info: dict[str, Any] = {"name": os.path.basename(os.path.abspath(root)) or root, "root": root, "commit": None, "branch": None}
    proc = git(["rev-parse", "HEAD"], root, timeout=20)
    if proc is not None and proc.returncode == 0:
        info["commit"] = proc.stdout.decode("ascii", "replace").strip()
    proc = git(["rev-parse", "--abbrev-ref", "HEAD"], root, timeout=20)
    if proc is not None and proc.returncode == 0:
        branch = proc.stdout.decode("utf-8", "replace").strip()
        info["branch"] = branch if branch != "HEAD" else None
    return info


def _fix_kind(f: Any) -> str:
    if f.fix is None:
        return "by hand"
    return "safe" if f.fix.safety is FixSafety.SAFE else "unsafe"


def _frame(project: Any, f: Any) -> list[dict[str, Any]]:
    if (f.line, f.column, f.end_line, f.end_column) == (1, 1, 1, 1):
        return []  # about the whole file: its first line says nothing
    file = project.file(f.path) if not f.repo_level else None
    if file is None or not file.text:
        return []
    lines = file.lines()
    if not 0 < f.line <= len(lines):
        return []
    last = min(f.end_line, f.line + FRAME_LINES - 1, len(lines))
    return [{"number": n, "text": lines[n - 1].rstrip("\r\n")[:400]} for n in range(f.line, last + 1)]


def _component_of(path: str, components: list[dict[str, Any]]) -> str | None:
    for comp in components:  # exact files first (deploy artifacts), then folders
        if path in comp["paths"]:
            return comp["name"]
    best, length = None, -1
    for comp in components:
        for prefix in comp["paths"]:
            if prefix.endswith("/") or prefix == "":
                if (path.startswith(prefix) or prefix == "") and len(prefix) > length:
                    best, length = comp["name"], len(prefix)
    return best


def _fact(project: Any, name: str | None, default: Any, errors: list[str]) -> Any:
    if not name:
        return default
    try:
        return project.fact(name)
    except Exception as exc:  # a pack's fact failing costs that part of the report only
        errors.append(f"audit fact {name}: {type(exc).__name__}: {exc}")
        return default


def build(linter: Any, result: Any, when: _dt.datetime | None = None) -> dict[str, Any]:
    """The audit of the repository ``result`` was run on (a full run, without baseline)."""
    from .. import __version__

    spec = spec_of(linter.registry)
    project = result.project
    errors = list(result.errors)
    applicability = _fact(project, spec.applicability, {}, errors) or {}
    components = _fact(project, spec.components, [], errors) or []
    findings = sorted(result.findings, key=lambda f: f.sort_key)
    ids = {id(f): f"F{n}" for n, f in enumerate(findings, 1)}
    by_code: dict[str, list] = {}
    for f in findings:
        by_code.setdefault(f.code, []).append(f)

    items = []
    for f in findings:
        item = f.to_json()
        item.update(
            id=ids[id(f)], fix_kind=_fix_kind(f), docs=f"{docs_url()}#{anchor(f)}",
            frame=_frame(project, f), component=_component_of(f.path, components),
        )
        items.append(item)

    # The scorecard: every family the packs declare, then any other family of enabled rules.
    families = [f for f in linter.registry.families() if f.name != "engine"]
    declared = {fam.name: fam for fam in families}
    enabled = [r for r in linter.enabled if not issubclass(r, EngineRule)]
    names = [fam.name for fam in families] + [n for n in family_order(enabled) if n not in declared]
    systems = []
    total_weight = passed_weight = 0
    for name in names:
        fam = declared.get(name) or Family(name, name.capitalize(), "")
        rules = [r for r in enabled if r.family == name]
        passed, failed = [], []
        counts = {"error": 0, "warning": 0, "info": 0}
        fam_total = fam_passed = 0
        for rule in rules:
            found = by_code.get(rule.code, [])
            for f in found:
                counts[f.severity.label] += 1
            weight = WEIGHTS[rule.severity]
            blocking = [f for f in found if f.severity >= Severity.WARNING]
            entry = {"code": rule.code, "name": rule.name, "severity": rule.severity.label, "count": len(found)}
            fam_total += weight
            if blocking:
                failed.append(entry)
            else:
                fam_passed += weight
                passed.append(entry)
        any_finding = any(counts.values())
        reason = applicability.get(name)
        if reason and not any_finding:
            status, score = "not-applicable", None
        else:
            status = "drifts" if counts["error"] or counts["warning"] else "conforms"
            score = round(100 * fam_passed / fam_total) if fam_total else None
            reason = None
            total_weight += fam_total
            passed_weight += fam_passed
        systems.append({
            "family": name, "title": fam.title, "prefix": fam.prefix, "conforming_means": fam.conforms,
            "status": status, "reason": reason, "score": score, "counts": counts,
            "passed": passed, "failed": failed, "rules": len(rules),
        })

    plan = _plan(spec, findings, ids)
    ignored = [{"code": c, "reason": r} for c, r in sorted(result.ignored_reasons.items())]
    comps = []
    for comp in components:
        mine = [i for i in items if i["component"] == comp["name"]]
        comps.append({**comp, "findings": [i["id"] for i in mine], "counts": _counts(mine)})
    rest = [i for i in items if i["component"] is None]
    if rest:
        comps.append({"name": "repository", "kind": "the rest of the repository", "paths": [],
                      "findings": [i["id"] for i in rest], "counts": _counts(rest)})

    baseline = None
    if linter.baseline_entries is not None:
        applied = apply_baseline(findings, project, linter.baseline_entries)
        new = {id(f) for f in applied.kept}
        baseline = {
            "path": os.path.relpath(linter.baseline_path, linter.root).replace(os.sep, "/")
            if linter.baseline_from_config else linter.baseline_path,
            "new": [ids[id(f)] for f in findings if id(f) in new],
            "fixed": [{"code": e.code, "path": e.path, "message": e.message, "count": missing} for e, missing in applied.stale],
        }

    when = when or _dt.datetime.now(_dt.timezone.utc)
    metadata = {key: {"text": item.text, "data": item.data} for key, item in result.metadata.items()}
    return {
        "schema": SCHEMA,
        "tool": {"name": "modelw-lint", "version": __version__},
        "date": when.replace(microsecond=0).isoformat(),
        "repository": {**repository_info(linter.root), "files": len(linter.inventory.files)},
        "metadata": metadata,
        "score": round(100 * passed_weight / total_weight) if total_weight else None,
        "summary": {"findings": len(findings), **_counts(items),
                    "fixable_safe": sum(1 for i in items if i["fix_kind"] == "safe"),
                    "fixable_unsafe": sum(1 for i in items if i["fix_kind"] == "unsafe")},
        "systems": systems,
        "plan": plan,
        "components": comps,
        "findings": items,
        "ignored": ignored,
        "baseline": baseline,
        "errors": errors,
    }


def _counts(items: list[dict[str, Any]]) -> dict[str, int]:
    out = {"error": 0, "warning": 0, "info": 0}
    for i in items:
        out[i["severity"]] += 1
    return out


def _plan(spec: AuditSpec, findings: list, ids: dict[int, str]) -> list[dict[str, Any]]:
    """The steps in the pack's order, each with the findings it resolves (those of its codes
    not claimed by an earlier step) and those that follow from it."""
    claimed: set[int] = set()
    steps = []
    for step in spec.steps:
        own = [f for f in findings if f.code in step.resolves and id(f) not in claimed]
        claimed.update(id(f) for f in own)
        follows = [f for f in findings if f.code in step.follows and id(f) not in claimed]
        fixes = {"safe": 0, "unsafe": 0, "by hand": 0}
        for f in own:
            fixes[_fix_kind(f)] += 1
        steps.append({
            "key": step.key, "title": step.title, "why": step.why, "effort": step.effort,
            "status": "todo" if own else "done",
            "findings": [ids[id(f)] for f in own], "follows": [ids[id(f)] for f in follows],
            "codes": sorted({f.code for f in own}), "fixes": fixes,
        })
    rest = [f for f in findings if id(f) not in claimed and f.family != "engine"]
    if rest:
        fixes = {"safe": 0, "unsafe": 0, "by hand": 0}
        for f in rest:
            fixes[_fix_kind(f)] += 1
        steps.append({
            "key": "other", "title": "Other findings", "why": "not part of a step of the plan", "effort": "small",
            "status": "todo", "findings": [ids[id(f)] for f in rest], "follows": [],
            "codes": sorted({f.code for f in rest}), "fixes": fixes,
        })
    return steps
