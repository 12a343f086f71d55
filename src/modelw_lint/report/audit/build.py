"""An audit of one repository, as plain data (the JSON form, what every rendering and the
fleet merge read): the scorecard of the pack's families, the migration plan with an effort
range per step, components, findings with their code frames and links, ignores, and what
changed since a baseline.

The engine knows no Model W here either: families, steps, weights and the facts that say
which families a project adopted come from the packs' :class:`AuditSpec`.

**Score: a distance.** Each system is in one state, with its evidence: *conforms* (adopted,
no error or warning), *drifts* (adopted, with findings), *not adopted* (the architecture's
way is absent: no preset, no release, no image on the base) or *not applicable* (the project
has no such concern, with why). A system scores 100 when it conforms, 0 when it is not
adopted, and between 50 and 99 when it drifts: 50 for having adopted it, plus half the share
of its enabled rules that pass, each rule weighing by its severity (error 3, warning 2, info
1; a rule passes with no error or warning). The repository's score is the mean of its applicable systems' scores, each
weighing by what it costs to get wrong (the pack's weights). Absence is never a pass.

**Effort: a range in person-days.** Per step still to do: each of its findings by how it is
fixed (:data:`FINDING_DAYS`), the work of adopting a system it brings that is not adopted at
all (the step's ``adopt``), and the pack's evidence beyond findings (a release distance, a
front to rewrite). A step is *done* only when each of its systems is adopted (or does not
apply) and none of its findings remain.
"""

from __future__ import annotations

import datetime as _dt
import os
import re
import urllib.parse
from typing import Any

from modelw_lint.engine.baseline import apply as apply_baseline
from modelw_lint.report.docs import anchor, docs_url, family_order
from modelw_lint.core.finding import FixSafety, Severity
from modelw_lint.project.inventory import git
from modelw_lint.core.rule import AuditSpec, EngineRule, Family, MigrationStep

SCHEMA = "modelw-lint-audit/1"
WEIGHTS = {Severity.ERROR: 3, Severity.WARNING: 2, Severity.INFO: 1}
FRAME_LINES = 3


def spec_of(registry: Any) -> AuditSpec:
    """The packs' audit specs merged (steps in pack order)."""
    steps: list[MigrationStep] = []
    applicability = components = adoption = effort = None
    weights: dict[str, int] = {}
    security: set[str] = set()
    for pack in registry.packs:
        spec = getattr(pack, "audit", None)
        if spec is None:
            continue
        steps += list(spec.steps)
        applicability = applicability or spec.applicability
        components = components or spec.components
        adoption = adoption or spec.adoption
        effort = effort or spec.effort
        weights = {**dict(spec.weights), **weights}
        security |= spec.security
    return AuditSpec(tuple(steps), applicability, components, adoption, effort, tuple(weights.items()), frozenset(security))


def repository_info(root: str) -> dict[str, Any]:
    """The repository's name, commit, branch and forge address: never a local path (a report
    goes to people who do not have this machine's folders)."""
    info: dict[str, Any] = {"name": os.path.basename(os.path.abspath(root)) or "repository", "commit": None, "branch": None,
                            "remote": None}
    proc = git(["rev-parse", "HEAD"], root, timeout=20)
    if proc is not None and proc.returncode == 0:
        info["commit"] = proc.stdout.decode("ascii", "replace").strip()
    proc = git(["rev-parse", "--abbrev-ref", "HEAD"], root, timeout=20)
    if proc is not None and proc.returncode == 0:
        branch = proc.stdout.decode("utf-8", "replace").strip()
        info["branch"] = branch if branch != "HEAD" else None
    proc = git(["remote", "get-url", "origin"], root, timeout=20)
    if proc is not None and proc.returncode == 0:
        info["remote"] = forge_url(proc.stdout.decode("utf-8", "replace").strip())
    return info


def forge_url(remote: str) -> str | None:
    """The https address of a GitHub or GitLab repository from its git remote
    (``git@github.com:o/r.git``, ``https://user:token@gitlab.com/g/r.git``), credentials
    dropped; None for another host or form."""
    m = re.match(r"^(?:ssh://)?[\w.-]+@([\w.-]+)[:/]([\w./-]+?)(?:\.git)?/?$", remote) or \
        re.match(r"^https?://(?:[^@/]*@)?([\w.-]+)(?::\d+)?/([\w./-]+?)(?:\.git)?/?$", remote)
    if not m or ("github" not in m.group(1) and "gitlab" not in m.group(1)):
        return None
    return f"https://{m.group(1)}/{m.group(2)}"


def link_template(info: dict[str, Any], template: str | None) -> str | None:
    """How a finding links to its file and line: the template given (``{path}``, ``{line}``,
    ``{commit}``), else the forge's own form for a GitHub or GitLab remote; None without a
    commit (nothing to point at) or a forge."""
    if template:
        return template
    remote = str(info.get("remote") or "")
    if not remote or not info.get("commit"):
        return None
    if "gitlab" in remote.split("/")[2]:
        return remote + "/-/blob/{commit}/{path}#L{line}"
    return remote + "/blob/{commit}/{path}#L{line}"


def finding_link(template: str | None, commit: str | None, path: str, line: int) -> str | None:
    if not template or ("{commit}" in template and not commit):
        return None
    quoted = urllib.parse.quote(path, safe="/")
    return template.replace("{path}", quoted).replace("{line}", str(line)).replace("{commit}", commit or "")


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
            return str(comp["name"])
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


def build(linter: Any, result: Any, when: _dt.datetime | None = None, link: str | None = None) -> dict[str, Any]:
    """The audit of the repository ``result`` was run on (a full run, without baseline);
    ``link`` a template linking findings to the forge (else detected from the remote)."""
    from modelw_lint import __version__

    info = repository_info(linter.root)
    template = link_template(info, link)

    spec = spec_of(linter.registry)
    project = result.project
    errors = list(result.errors)
    applicability = _fact(project, spec.applicability, {}, errors) or {}
    adoption = _fact(project, spec.adoption, {}, errors) or {}
    extra_effort = _fact(project, spec.effort, {}, errors) or {}
    components = _fact(project, spec.components, [], errors) or []
    findings = sorted(result.findings, key=lambda f: f.sort_key)
    ids = {id(f): f"F{n}" for n, f in enumerate(findings, 1)}
    by_code: dict[str, list[Any]] = {}
    for f in findings:
        by_code.setdefault(f.code, []).append(f)

    items = []
    for f in findings:
        item = f.to_json()
        item.update(
            id=ids[id(f)], fix_kind=_fix_kind(f), docs=f"{docs_url()}#{anchor(f)}",
            frame=_frame(project, f), component=_component_of(f.path, components),
            link=finding_link(template, info["commit"], f.path, f.line) if not f.repo_level else None,
            security=f.code in spec.security,
        )
        items.append(item)

    # The scorecard: every family the packs declare, then any other family of enabled rules.
    families = [f for f in linter.registry.families() if f.name != "engine"]
    declared = {fam.name: fam for fam in families}
    enabled = [r for r in linter.enabled if not issubclass(r, EngineRule)]
    names = [fam.name for fam in families] + [n for n in family_order(enabled) if n not in declared]
    weights = dict(spec.weights)
    systems = []
    total_weight = weighted = 0.0
    for name in names:
        fam = declared.get(name) or Family(name, name.capitalize(), "")
        system = _system(name, fam, [r for r in enabled if r.family == name], by_code, adoption.get(name), applicability.get(name))
        system["weight"] = weights.get(name, 1)
        if system["score"] is not None:
            total_weight += system["weight"]
            weighted += system["weight"] * system["score"]
        systems.append(system)

    plan = _plan(spec, findings, ids, adoption, extra_effort)
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
        "repository": {**info, "files": len(linter.inventory.files)},
        "metadata": metadata,
        "score": round(weighted / total_weight) if total_weight else None,
        "summary": {"findings": len(findings), **_counts(items),
                    "security": sum(1 for i in items if i["code"] in spec.security),
                    "fixable_safe": sum(1 for i in items if i["fix_kind"] == "safe"),
                    "fixable_unsafe": sum(1 for i in items if i["fix_kind"] == "unsafe")},
        "effort": _total_effort(plan),
        "score_weights": {name: weights.get(name, 1) for name in names},
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


def _system(name: str, fam: Family, rules: list[Any], by_code: dict[str, Any], adopted: Any, not_applicable: str | None) -> dict[str, Any]:
    """One system of the scorecard: its state with the evidence, its score, its rules."""
    passed, failed = [], []
    counts = {"error": 0, "warning": 0, "info": 0}
    total = ok = 0
    for rule in rules:
        found = by_code.get(rule.code, [])
        for f in found:
            counts[f.severity.label] += 1
        weight = WEIGHTS[rule.severity]
        entry = {"code": rule.code, "name": rule.name, "severity": rule.severity.label, "count": len(found)}
        total += weight
        if any(f.severity >= Severity.WARNING for f in found):
            failed.append(entry)
        else:
            ok += weight
            passed.append(entry)
    drifting = bool(counts["error"] or counts["warning"])
    share = round(100 * ok / total) if total else 100
    state = getattr(adopted, "state", None)
    evidence = getattr(adopted, "evidence", None)
    if state == "not-applicable" and not drifting:
        status, score, reason = "not-applicable", None, evidence
    elif state == "not-adopted":
        status, score, reason = "not-adopted", 0, evidence
    elif state is None and not_applicable and not any(counts.values()):
        status, score, reason = "not-applicable", None, not_applicable  # a pack without adoption facts
    else:
        status = "drifts" if drifting else "conforms"
        score = min(50 + share // 2, 99) if drifting else 100  # there, but drifting: half for being there
        reason = evidence if state is not None else None
    return {
        "family": name, "title": fam.title, "prefix": fam.prefix, "conforming_means": fam.conforms,
        "status": status, "reason": reason, "evidence": evidence, "score": score, "counts": counts,
        "passed": passed, "failed": failed, "rules": len(rules),
    }


HOW = {"safe": "with --fix", "unsafe": "with --fix --unsafe-fixes, then reviewed", "by hand": "by hand"}
# Person-days (low, high) a finding costs, by how it is fixed.
FINDING_DAYS = {"safe": (0.0, 0.05), "unsafe": (0.05, 0.25), "by hand": (0.1, 0.5)}


def _days(value: float) -> float:
    """Rounded to the half day above (an estimate, not a count)."""
    return float(int(value * 2 + 0.999)) / 2


def _plan(
    spec: AuditSpec, findings: list[Any], ids: dict[int, str], adoption: dict[str, Any], extra: dict[str, Any]
) -> list[dict[str, Any]]:
    """The steps in the pack's order, each with the findings it resolves (those of its codes
    not claimed by an earlier step) and those that follow from it, whether it is done (only
    on evidence), and its effort range."""
    claimed: set[int] = set()
    steps = []
    for step in spec.steps:
        own = [f for f in findings if f.code in step.resolves and id(f) not in claimed]
        claimed.update(id(f) for f in own)
        follows = [f for f in findings if f.code in step.follows and id(f) not in claimed]
        states = {name: adoption.get(name) for name in step.systems}
        missing = [a for a in states.values() if getattr(a, "state", None) == "not-adopted"]
        blocking = [f for f in own if f.severity >= Severity.WARNING]  # info findings are advice
        if blocking or missing:
            status = "todo"
        elif states and all(getattr(a, "state", None) == "not-applicable" for a in states.values()):
            status = "not-applicable"
        elif states and any(a is None for a in states.values()):
            status = "todo" if not adoption else "done"  # a pack without adoption facts: done when no finding
        else:
            status = "done"
        evidence = list(dict.fromkeys(f"{name}: {a.evidence}" for name, a in states.items() if a is not None))
        work = _step_work(step, blocking, missing, extra.get(step.key, []) if status == "todo" else [])
        steps.append(_step(step.key, step.title, step.why, step.effort, status, own, follows, ids, evidence, work))
    rest = [f for f in findings if id(f) not in claimed and f.family != "engine"]
    if rest:
        steps.append(_step("other", "Other findings", "not part of a step of the plan", "small", "todo", rest, [], ids, [],
                           _step_work(None, rest, [], [])))
    return steps


def _step_work(step: Any, own: list[Any], missing: list[Any], extra: list[Any]) -> dict[str, Any]:
    low = high = 0.0
    assumptions = []
    fixes = {"safe": 0, "unsafe": 0, "by hand": 0}
    for f in own:
        fixes[_fix_kind(f)] += 1
    for kind, n in fixes.items():
        if n:
            low += FINDING_DAYS[kind][0] * n
            high += FINDING_DAYS[kind][1] * n
            assumptions.append(f"{n} finding(s) fixed {HOW[kind]}")
    absent = "; ".join(dict.fromkeys(a.evidence for a in missing))
    if missing and step is not None and step.adopt != (0.0, 0.0):
        low += step.adopt[0]
        high += step.adopt[1]
        assumptions.append(f"adopting what is absent ({absent}): {step.adopt[0]:g}-{step.adopt[1]:g} days")
    elif missing:
        assumptions.append(f"done with an earlier step that adopts what is absent ({absent})")
    for a, b, why in extra:
        low += a
        high += b
        assumptions.append(f"{why}: {a:g}-{b:g} days")
    return {"fixes": fixes, "days": [_days(low), _days(high)], "assumptions": assumptions}


def _step(
    key: str, title: str, why: str, effort: str, status: str, own: list[Any], follows: list[Any], ids: dict[int, str],
    evidence: list[str], work: dict[str, Any],
) -> dict[str, Any]:
    days = work["days"] if status == "todo" else [0.0, 0.0]
    size = "small" if days[1] <= 2 else "medium" if days[1] <= 10 else "large"
    return {
        "key": key, "title": title, "why": why, "effort": size if status == "todo" else effort, "status": status,
        "findings": [ids[id(f)] for f in own], "follows": [ids[id(f)] for f in follows],
        "codes": sorted({f.code for f in own}), "fixes": work["fixes"], "days": days,
        "assumptions": work["assumptions"] if status == "todo" else [], "evidence": evidence,
    }


def _total_effort(plan: list[dict[str, Any]]) -> dict[str, Any]:
    """The repository's effort: the sum of its steps' ranges."""
    low = sum(s["days"][0] for s in plan if s["status"] == "todo")
    high = sum(s["days"][1] for s in plan if s["status"] == "todo")
    return {"days": [_days(low), _days(high)], "unit": "person-days"}
