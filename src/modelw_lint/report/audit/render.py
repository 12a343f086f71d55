"""Audit renderings, from Jinja2 templates (templates/): the self-contained HTML page (inline
CSS and SVG, no script, no network), Markdown, the one-screen text summary and JSON. HTML is
autoescaped: a path or a message is always text, never markup."""

from __future__ import annotations

import json
import os
import re
from collections import Counter
from typing import Any

import jinja2
import markupsafe

from modelw_lint.report.formats.escape import printable, safe_url
from modelw_lint.report.formats.markdown_format import cell as md_cell
from modelw_lint.report.formats.markdown_format import data as md_data
from modelw_lint.report.formats.markdown_format import text as md_text
from modelw_lint.report.audit.build import SCHEMA

TEMPLATES = os.path.join(os.path.dirname(__file__), "templates")
FLEET_SCHEMA = "modelw-lint-fleet/1"
SCORE_NOTE = (
    "Score: a distance to Model W. A system scores 100 when it conforms, 0 when Model W's way is not adopted "
    "(no preset, no release, no image on modelw/base…), and 50-99 when it is adopted but drifts (50, plus half the "
    "share of its rules that pass, weighing errors 3, warnings 2, info 1). The overall score is the mean of the "
    "systems that apply, each weighing by what it costs to get wrong{weights}. Effort: person-days, a range per "
    "step from its findings (by --fix, by --fix --unsafe-fixes, by hand), what it adopts that is absent, and the "
    "pack's evidence (release distance, a front to rewrite)."
)
MARKDOWN_LIMIT = 65_536  # characters of a GitHub comment


def score_note(audits: list[dict[str, Any]]) -> str:
    """The score's explanation, with the weights the audits used."""
    weights: dict[str, int] = {}
    for a in audits:
        weights.update(a.get("score_weights") or {})
    text = ": " + ", ".join(f"{k} {v}" for k, v in sorted(weights.items(), key=lambda kv: -kv[1])) if weights else ""
    return SCORE_NOTE.format(weights=text)


def _environment(kind: str) -> jinja2.Environment:
    """Templates whose every printed value is escaped for its reader (a merged audit's data
    comes from a file anyone could have written): ``html`` autoescaped, ``markdown`` through
    :func:`~modelw_lint.report.formats.markdown_format.data`, ``text`` through
    :func:`~modelw_lint.report.formats.escape.printable`; links only to http(s) URLs or anchors."""
    finalize = {
        "html": lambda v: v if isinstance(v, markupsafe.Markup) else printable(v) if isinstance(v, str) else v,
        "markdown": md_data,
        "text": printable,
    }[kind]
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=kind == "html",
        undefined=jinja2.StrictUndefined,
        trim_blocks=False,
        keep_trailing_newline=True,
        finalize=finalize,
    )
    env.filters["md"] = md_text
    env.filters["cell"] = md_cell
    env.filters["url"] = safe_url
    return env


def _css() -> str:
    with open(os.path.join(TEMPLATES, "style.css"), encoding="utf-8") as fh:
        return fh.read()


def _view(audit: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """The audit with what templates look up: findings by id, systems by family; and the
    fields an older audit (merged from a shard) lacks, at their neutral value."""
    view = dict(audit)
    view["findings"] = [{"link": None, "security": False, **f} for f in audit.get("findings", [])]
    view["summary"] = {"security": 0, **audit.get("summary", {})}
    view["effort"] = audit.get("effort") or {"days": [0.0, 0.0], "unit": "person-days"}
    view["plan"] = [{"days": [0.0, 0.0], "assumptions": [], "evidence": [], **s} for s in audit.get("plan", [])]
    view["systems"] = [{"evidence": None, **s} for s in audit.get("systems", [])]
    view["repository"] = {"remote": None, "branch": None, **audit.get("repository", {})}
    view.setdefault("trend", None)
    view["_index"] = {f["id"]: f for f in view["findings"]}
    view["_systems"] = {s["family"]: s for s in view["systems"]}
    view["_prefix"] = prefix
    return view


def html(audit: dict[str, Any]) -> str:
    template = _environment("html").get_template("report.html.j2")
    return template.render(a=_view(audit), css=_css(), score_note=score_note([audit]))


def markdown(audit: dict[str, Any], limit: int = MARKDOWN_LIMIT) -> str:
    """The audit in Markdown, within ``limit`` characters (a GitHub comment): findings past
    it are left out, and the report says how many and where they are."""
    env = _environment("markdown")
    view = _view(audit)
    text = env.get_template("report.md.j2").render(a=view, note=score_note([audit])).rstrip("\n") + "\n"
    if len(text) <= limit:
        return text
    findings = view["findings"]
    low, high = 0, len(findings)
    while low < high:  # the most findings that fit
        mid = (low + high + 1) // 2
        trial = env.get_template("report.md.j2").render(a={**view, "findings": findings[:mid], "_left_out": len(findings) - mid},
                                                        note=score_note([audit]))
        if len(trial) + 200 <= limit:
            low = mid
        else:
            high = mid - 1
    view = {**view, "findings": findings[:low], "_left_out": len(findings) - low}
    return env.get_template("report.md.j2").render(a=view, note=score_note([audit])).rstrip("\n") + "\n"


def summary(audit: dict[str, Any]) -> str:
    return _environment("text").get_template("summary.txt.j2").render(a=_view(audit)).rstrip("\n") + "\n"


def as_json(data: dict[str, Any]) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


# -- the fleet ---------------------------------------------------------------------------------


def fleet(audits: list[dict[str, Any]], failures: list[dict[str, str]], date: str, version: str) -> dict[str, Any]:
    """The fleet report's data: each audit as is, plus what the fleet page summarises."""
    return {"schema": FLEET_SCHEMA, "date": date, "version": version, "audits": audits, "failures": failures}


def _slug(name: str, taken: set[str]) -> str:
    base = re.sub(r"[^A-Za-z0-9_-]+", "-", name).strip("-").lower() or "repo"
    slug, n = base, 1
    while slug in taken:
        n += 1
        slug = f"{base}-{n}"
    taken.add(slug)
    return slug + "-"


def fleet_view(data: dict[str, Any]) -> dict[str, Any]:
    taken: set[str] = set()
    audits = [_view(a, _slug(a["repository"]["name"], taken)) for a in data["audits"]]
    systems: list[dict[str, Any]] = []
    seen: set[str] = set()
    for a in audits:
        for s in a["systems"]:
            if s["family"] not in seen:
                seen.add(s["family"])
                systems.append({"family": s["family"], "title": s["title"]})
    releases: dict[tuple[Any, ...], list[str]] = {}
    for a in audits:
        rel = (a.get("metadata") or {}).get("release") or {}
        data_ = rel.get("data") or {}
        key = (data_.get("name"), data_.get("status", "unknown"))
        releases.setdefault(key, []).append(a["repository"]["name"])
    drifts: Counter[str] = Counter()
    repos: Counter[str] = Counter()
    names: dict[str, tuple[str, str]] = {}
    for a in audits:
        codes = set()
        for f in a["findings"]:
            if f["severity"] == "info" or f["family"] == "engine":
                continue
            drifts[f["code"]] += 1
            codes.add(f["code"])
            names[f["code"]] = (f["name"], f["docs"])
        repos.update(codes)
    return {
        **data,
        "audits": audits,
        "by_score": sorted(audits, key=score_key),
        "by_risk": sorted(audits, key=risk_key),
        "by_cost": sorted(audits, key=lambda a: (-a["effort"]["days"][1], -a["effort"]["days"][0], a["repository"]["name"])),
        "effort": [sum(a["effort"]["days"][0] for a in audits), sum(a["effort"]["days"][1] for a in audits)],
        "systems": systems,
        "releases": [
            {"name": name, "status": status, "repositories": sorted(r)}
            for (name, status), r in sorted(releases.items(), key=lambda kv: (-len(kv[1]), str(kv[0][0])))
        ],
        "drifts": [
            {"code": code, "name": names[code][0], "docs": names[code][1], "repositories": n, "findings": drifts[code]}
            for code, n in sorted(repos.items(), key=lambda kv: (-kv[1], -drifts[kv[0]], kv[0]))[:15]
        ],
    }


def score_key(audit: dict[str, Any]) -> tuple[Any, ...]:
    """Closest to Model W first (the heat map's order): the highest score, then the fewest
    errors."""
    score = audit.get("score")
    return (-(score if score is not None else -1), audit["summary"].get("error", 0), audit["repository"]["name"])


def risk_key(audit: dict[str, Any]) -> tuple[Any, ...]:
    """Worst first: findings touching security, then errors, then the lowest score, then the
    largest effort."""
    score = audit.get("score")
    return (-audit["summary"].get("security", 0), -audit["summary"].get("error", 0), score if score is not None else 101,
            -audit["effort"]["days"][1], audit["repository"]["name"])


def _days(days: list[float]) -> str:
    low, high = days
    return "no work" if high == 0 else f"{low:g}" + (f"–{high:g}" if high != low else "") + " person-days"


def fleet_html(data: dict[str, Any]) -> str:
    template = _environment("html").get_template("fleet.html.j2")
    return template.render(fleet=fleet_view(data), css=_css(), score_note=score_note(data["audits"]))


def fleet_markdown(data: dict[str, Any], limit: int = MARKDOWN_LIMIT) -> str:
    """The fleet in Markdown: the matrix (worst first) and each repository's report, within
    ``limit`` characters (a GitHub comment); reports that do not fit are named, and left to
    the HTML report."""
    view = fleet_view(data)
    out = [f"# Model W fleet audit: {len(view['audits'])} repositories", "",
           f"Effort in all: {_days(view['effort'])}. Closest to Model W first; the triage below puts the worst first.", ""]
    head = "| repository | score | security | errors | effort | " + " | ".join(s["title"] for s in view["systems"]) + " |"
    out += [head, "| --- | ---: | ---: | ---: | --- | " + " | ".join("---:" for _ in view["systems"]) + " |"]
    for a in view["by_score"]:
        cells = []
        for s in view["systems"]:
            sys_ = a["_systems"].get(s["family"])
            cells.append("n/a" if not sys_ or sys_["status"] == "not-applicable" else str(sys_["score"]))
        score = a["score"] if a["score"] is not None else "n/a"
        out.append(f"| {md_cell(a['repository']['name'])} | {score} | {a['summary']['security']} | {a['summary']['error']} | "
                   f"{_days(a['effort']['days'])} | " + " | ".join(cells) + " |")
    for f in view["failures"]:
        out.append(f"| {md_cell(f['repository'])} | not audited: {md_cell(f['reason'])} |" + " |" * (len(view["systems"]) + 3))
    out += ["", "Triage, worst first (security findings, errors, the lowest score):", ""]
    for n, a in enumerate(view["by_risk"], 1):
        score = a["score"] if a["score"] is not None else "n/a"
        out.append(f"{n}. {md_cell(a['repository']['name'])}: {a['summary']['security']} touching security, "
                   f"{a['summary']['error']} errors, score {score}, {_days(a['effort']['days'])}")
    out.append("")
    text = "\n".join(out)
    left_out = []
    for a in view["by_risk"]:
        room = limit - len(text) - 400 - 120 * len(view["by_risk"])
        section = ""
        if room > 2000:
            section = markdown(a, room).replace("\n# ", "\n## ").replace("# Model W audit", "## Model W audit", 1)
        if not section or len(section) > room:
            left_out.append(a["repository"]["name"])
            continue
        text += "\n" + section
    if left_out:
        text += ("\n_Left out to stay within a GitHub comment: the reports of " + ", ".join(md_cell(n) for n in left_out)
                 + ". The HTML report (`modelw-lint audit --format html`) has them all._\n")
    return text.rstrip("\n") + "\n"


# -- CSV: the findings and the plan of every repository, for a spreadsheet -----------------------


def _cell(value: Any) -> str:
    """A CSV cell a spreadsheet shows as text: a leading ``=``, ``+``, ``-``, ``@`` is not a
    formula (CSV injection), control characters are escaped."""
    text = printable("" if value is None else str(value))
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def findings_csv(audits: list[dict[str, Any]]) -> str:
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["repository", "commit", "code", "rule", "severity", "security", "path", "line", "message", "fix", "step", "link",
                     "docs"])
    for a in audits:
        view = _view(a)
        steps = {fid: s["key"] for s in view["plan"] for fid in s["findings"]}
        for f in view["findings"]:
            writer.writerow([_cell(x) for x in (
                a["repository"]["name"], (a["repository"].get("commit") or "")[:12], f["code"], f["name"], f["severity"],
                "yes" if f["security"] else "", f["path"], f["line"], f["message"], f["fix_kind"], steps.get(f["id"], ""),
                f["link"] or "", f["docs"],
            )])
    return out.getvalue()


def plan_csv(audits: list[dict[str, Any]]) -> str:
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["repository", "order", "step", "title", "status", "findings", "days low", "days high", "evidence", "assumptions"])
    for a in audits:
        for n, s in enumerate(_view(a)["plan"], 1):
            writer.writerow([_cell(x) for x in (
                a["repository"]["name"], n, s["key"], s["title"], s["status"], len(s["findings"]), s["days"][0], s["days"][1],
                "; ".join(s["evidence"]), "; ".join(s["assumptions"]),
            )])
    return out.getvalue()


# -- trend: what changed since a previous audit ---------------------------------------------------

_STATE_RANK = {"not-adopted": 0, "drifts": 1, "conforms": 2}


def trend(current: dict[str, Any], previous: dict[str, Any]) -> dict[str, Any]:
    """Per system and overall, what improved and what got worse since ``previous`` (an audit
    of the same repository)."""
    before = {s["family"]: s for s in previous.get("systems", [])}
    systems = []
    for s in current.get("systems", []):
        old = before.get(s["family"], {})
        change = "same"
        if old.get("status") != s["status"] or old.get("score") != s["score"]:
            a, b = old.get("score"), s["score"]
            if a is None or b is None:
                change = "changed"
            else:
                change = "better" if b > a else "worse" if b < a else "same"
        systems.append({"family": s["family"], "title": s["title"], "change": change,
                        "before": {"status": old.get("status"), "score": old.get("score")},
                        "after": {"status": s["status"], "score": s["score"]}})
    old_codes = {f["code"] for f in previous.get("findings", [])}
    new_codes = {f["code"] for f in current.get("findings", [])}
    return {
        "date": previous.get("date", ""), "score": [previous.get("score"), current.get("score")],
        "findings": [len(previous.get("findings", [])), len(current.get("findings", []))], "systems": systems,
        "fixed_codes": sorted(old_codes - new_codes), "new_codes": sorted(new_codes - old_codes),
    }


def add_trends(audits: list[dict[str, Any]], previous: list[dict[str, Any]]) -> list[str]:
    """Each audit gets its ``trend`` against the previous audit of the same repository (by
    name, then by forge address); the names with no previous audit are returned."""
    by_name = {p["repository"].get("name"): p for p in previous}
    by_remote = {p["repository"].get("remote"): p for p in previous if p["repository"].get("remote")}
    missing = []
    for a in audits:
        old = by_remote.get(a["repository"].get("remote")) if a["repository"].get("remote") else None
        old = old or by_name.get(a["repository"]["name"])
        if old is None:
            missing.append(a["repository"]["name"])
        else:
            a["trend"] = trend(a, old)
    return missing


def load(path: str) -> tuple[list[dict[str, Any]], list[dict[str, str]]]:
    """The audits (and the failed repositories) of a JSON file written by ``audit --format
    json``: one audit or a fleet. Raises ValueError when it is not one."""
    from modelw_lint.project.safeio import UnsafePath, read_regular

    try:
        raw = read_regular(path, 256 * 1024 * 1024, "audit", user_named=True)
        data = json.loads(raw.decode("utf-8"))
    except (UnsafePath, OSError, UnicodeDecodeError, RecursionError, json.JSONDecodeError) as exc:
        raise ValueError(f"cannot read {path}: {exc}") from None
    if isinstance(data, dict) and data.get("schema") == SCHEMA and _well_formed(data):
        return [data], []
    if isinstance(data, dict) and data.get("schema") == FLEET_SCHEMA and isinstance(data.get("audits"), list):
        audits = [a for a in data["audits"] if isinstance(a, dict) and a.get("schema") == SCHEMA and _well_formed(a)]
        failures = [f for f in data.get("failures", []) if isinstance(f, dict) and {"repository", "reason"} <= set(f)]
        return audits, failures
    raise ValueError(f"{path} is not a modelw-lint audit (its \"schema\" is neither {SCHEMA} nor {FLEET_SCHEMA})")


def _well_formed(audit: dict[str, Any]) -> bool:
    """Enough of an audit for the templates (a hand-edited or truncated file is refused)."""
    needed = {"tool": dict, "date": str, "repository": dict, "metadata": dict, "summary": dict, "systems": list,
              "plan": list, "components": list, "findings": list, "ignored": list, "errors": list}
    return all(isinstance(audit.get(k), t) for k, t in needed.items()) and "name" in audit["repository"]
