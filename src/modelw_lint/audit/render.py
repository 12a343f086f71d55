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

from ..reporters.escape import printable, safe_url
from ..reporters.markdown_format import cell as md_cell
from ..reporters.markdown_format import data as md_data
from ..reporters.markdown_format import text as md_text
from .build import SCHEMA

TEMPLATES = os.path.join(os.path.dirname(__file__), "templates")
FLEET_SCHEMA = "modelw-lint-fleet/1"
SCORE_NOTE = (
    "Score: the share of a system's enabled rules that pass, each weighing by its severity "
    "(error 3, warning 2, info 1); a rule passes when it has no error or warning finding. "
    "The overall score pools every system that applies."
)


def _environment(kind: str) -> jinja2.Environment:
    """Templates whose every printed value is escaped for its reader (a merged audit's data
    comes from a file anyone could have written): ``html`` autoescaped, ``markdown`` through
    :func:`~modelw_lint.reporters.markdown_format.data`, ``text`` through
    :func:`~modelw_lint.reporters.escape.printable`; links only to http(s) URLs or anchors."""
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
    """The audit with what templates look up: findings by id, systems by family."""
    view = dict(audit)
    view["_index"] = {f["id"]: f for f in audit.get("findings", [])}
    view["_systems"] = {s["family"]: s for s in audit.get("systems", [])}
    view["_prefix"] = prefix
    return view


def html(audit: dict[str, Any]) -> str:
    template = _environment("html").get_template("report.html.j2")
    return template.render(a=_view(audit), css=_css(), score_note=SCORE_NOTE)


def markdown(audit: dict[str, Any]) -> str:
    return _environment("markdown").get_template("report.md.j2").render(a=_view(audit)).rstrip("\n") + "\n"


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
    releases: dict[tuple, list[str]] = {}
    for a in audits:
        rel = (a.get("metadata") or {}).get("release") or {}
        data_ = rel.get("data") or {}
        key = (data_.get("name"), data_.get("status", "unknown"))
        releases.setdefault(key, []).append(a["repository"]["name"])
    drifts: Counter = Counter()
    repos: Counter = Counter()
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


def fleet_html(data: dict[str, Any]) -> str:
    template = _environment("html").get_template("fleet.html.j2")
    return template.render(fleet=fleet_view(data), css=_css(), score_note=SCORE_NOTE)


def fleet_markdown(data: dict[str, Any]) -> str:
    view = fleet_view(data)
    out = [f"# Model W fleet audit: {len(view['audits'])} repositories", ""]
    head = "| repository | score | " + " | ".join(s["title"] for s in view["systems"]) + " |"
    out += [head, "| --- | ---: | " + " | ".join("---:" for _ in view["systems"]) + " |"]
    for a in view["audits"]:
        cells = []
        for s in view["systems"]:
            sys_ = a["_systems"].get(s["family"])
            cells.append("n/a" if not sys_ or sys_["status"] == "not-applicable" else str(sys_["score"]))
        score = a["score"] if a["score"] is not None else "n/a"
        out.append(f"| {md_cell(a['repository']['name'])} | {score} | " + " | ".join(cells) + " |")
    for f in view["failures"]:
        out.append(f"| {md_cell(f['repository'])} | not audited: {md_cell(f['reason'])} |" + " |" * len(view["systems"]))
    out.append("")
    for a in data["audits"]:
        out += [markdown(a).replace("\n# ", "\n## ").replace("# Model W audit", "## Model W audit", 1), ""]
    return "\n".join(out).rstrip("\n") + "\n"


def load(path: str) -> tuple[list[dict[str, Any]], list[dict[str, str]]]:
    """The audits (and the failed repositories) of a JSON file written by ``audit --format
    json``: one audit or a fleet. Raises ValueError when it is not one."""
    from ..safeio import UnsafePath, read_regular

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
