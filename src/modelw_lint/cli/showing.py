"""``check --show-settings`` and ``check --show-files``: what a run would use and look at,
without running a rule (ruff's options of the same names)."""

from __future__ import annotations

import json
import os
from typing import Any

from modelw_lint.config import folder_pattern, gitignore_spec
from modelw_lint.engine.linter import is_within
from modelw_lint.project.inventory import config_table, list_files


def root_reason(root: str) -> str:
    """Why this folder is the root (see :func:`~modelw_lint.project.inventory.find_root`)."""
    table = config_table(root)
    if table is not None and table.get("root") is True:
        return "its configuration says root = true"
    if os.path.exists(os.path.join(root, ".git")):
        return "the top of the git work tree"
    if table is not None:
        return "the outermost folder holding a modelw-lint configuration"
    return "the folder given (no git work tree, no configuration above it)"


def settings(linter: Any, targets: Any, opts: Any) -> dict[str, Any]:
    config = linter.config
    project = linter.project()
    release = {}
    for key, fact in linter.registry.report.items():
        try:
            item = project.fact(fact)
        except Exception as exc:  # a pack's fact failing must not hide the settings
            item = None
            release[key] = f"unknown ({type(exc).__name__}: {exc})"
        if item is not None:
            release[key] = item.text
    def rel(p: str | None) -> str | None:
        return os.path.relpath(p, linter.root).replace(os.sep, "/") if p else None

    scopes = {
        folder or ".": sorted(linter.selection.enabled_in[folder]) for folder in linter.selection.enabled_in
    }
    return {
        "root": linter.root,
        "root_reason": root_reason(linter.root),
        "paths": targets.paths or ["."],
        "hook": targets.hook,
        "configuration": config.source or "none (the defaults)",
        "folder_configurations": [{"folder": cfg.folder, "file": rel(cfg.path), "project_of_its_own": cfg.root} for cfg in linter.folders],
        "report": release,
        "fail_on": config.fail_on.label if not opts.fail_on else opts.fail_on,
        "baseline": linter.baseline_path and (rel(linter.baseline_path) if linter.baseline_from_config else linter.baseline_path),
        "cache": linter.cache_dir,
        "max_file_size": config.max_file_size,
        "exclude": [*config.exclude, *config.extend_exclude]
        + [folder_pattern(cfg.folder, p) for cfg in linter.folders for p in (*cfg.exclude, *cfg.extend_exclude)],
        "per_file_ignores": {glob: codes for glob, codes in config.per_file_ignores.items()}
        | {folder_pattern(cfg.folder, glob): codes for cfg in linter.folders for glob, codes in cfg.per_file_ignores.items()},
        "ignored_with_reasons": linter.ignored_reasons,
        "packs": [getattr(p, "name", "?") for p in linter.registry.packs],
        "local_packs_not_loaded": list(linter.registry.skipped_local),
        "enabled_rules": scopes,
    }


def settings_report(linter: Any, targets: Any, opts: Any) -> str:
    data = settings(linter, targets, opts)
    if opts.fmt == "json":
        return json.dumps(data, indent=2) + "\n"
    lines = [
        f"Root: {data['root']} ({data['root_reason']})",
        f"Paths: {', '.join(data['paths'])}" + (" (hook mode)" if data["hook"] else ""),
        f"Configuration: {data['configuration']}",
    ]
    for cfg in data["folder_configurations"]:
        what = "a project of its own: not checked from here" if cfg["project_of_its_own"] else f"governs {cfg['folder']}/"
        lines.append(f"  folder configuration: {cfg['file']} ({what})")
    lines += [f"{key.capitalize()}: {text}" for key, text in data["report"].items()]
    lines += [
        f"Fail on: {data['fail_on']}",
        f"Baseline: {data['baseline'] or 'none'}",
        f"Cache: {data['cache'] or 'off'}",
        f"Max file size: {data['max_file_size']} bytes",
        f"Exclude: {', '.join(data['exclude']) or 'nothing'}",
    ]
    for glob, codes in data["per_file_ignores"].items():
        lines.append(f"Per-file ignore: {glob}: {', '.join(codes)}")
    for code, reason in sorted(data["ignored_with_reasons"].items()):
        lines.append(f"Ignored: {code} ({reason})")
    lines.append(f"Packs: {', '.join(data['packs'])}")
    if data["local_packs_not_loaded"]:
        lines.append(f"Local packs not loaded (pass --local-packs): {', '.join(data['local_packs_not_loaded'])}")
    for folder, codes in data["enabled_rules"].items():
        where = "" if folder == "." else f" in {folder}/"
        lines.append(f"Enabled rules{where} ({len(codes)}): {', '.join(codes)}")
    return "\n".join(lines) + "\n"


def explain_report(linter: Any, opts: Any) -> tuple[str, list[str]]:
    """``check --explain-project``: each pack's :class:`~modelw_lint.core.rule.Explanation` of the
    project, as text or JSON; and what made the explanation incomplete (a blind listing, a
    pack's fact failing), which makes the exit code 2."""
    from modelw_lint.report.formats.escape import printable

    project = linter.project()
    problems = list(linter.inventory.blind)
    explained: dict[str, Any] = {}
    for pack, fact in linter.registry.explain:
        try:
            explained[pack] = project.fact(fact)
        except Exception as exc:  # a pack's fact failing: say so, exit 2
            problems.append(f"cannot explain the project for pack {pack}: {type(exc).__name__}: {exc}")
    if opts.fmt == "json":
        data = {"root": linter.root, "packs": {name: e.to_json() for name, e in explained.items()}, "problems": problems}
        return json.dumps(data, indent=2) + "\n", problems
    lines = [f"Root: {printable(linter.root)}"]
    if not explained:
        lines.append("No loaded pack explains projects.")
    for name, explanation in explained.items():
        for title, entries in explanation.sections:
            lines += ["", f"{printable(title)} ({name}):" if len(explained) > 1 else f"{printable(title)}:"]
            if not entries:
                lines.append("  (none)")
            for subject, understood in entries:
                lines.append(f"  {printable(subject)}: {printable(understood)}")
    for problem in problems:
        lines += ["", f"Incomplete: {printable(problem)}"]
    return "\n".join(lines) + "\n", problems


def files(linter: Any, targets: Any) -> dict[str, Any]:
    """The files a run checks (under the paths), and those it skips with why."""
    wanted = targets.paths or [""]
    checked = sorted(p for p in linter.inventory.files if is_within(p, wanted))
    skipped: dict[str, str] = {}
    raw = list_files(linter.root)
    root_spec = linter.config.exclude_spec()
    folder_specs = [
        (cfg, gitignore_spec([folder_pattern(cfg.folder, p) for p in (*cfg.exclude, *cfg.extend_exclude)]))
        for cfg in linter.folders
    ]
    for path in sorted(raw.files):
        if path in linter.inventory.files or not is_within(path, wanted):
            continue
        if root_spec.match_file(path):
            skipped[path] = f"excluded by {linter.config.source}"
            continue
        for cfg, spec in folder_specs:
            if cfg.root and path.startswith(cfg.folder + "/"):
                skipped[path] = f"in {cfg.folder}/, a project of its own ({os.path.basename(cfg.path)} says root = true)"
                break
            if spec.match_file(path):
                skipped[path] = f"excluded by {cfg.source}"
                break
        else:
            skipped[path] = "excluded"
    for path, why in sorted({**raw.problems, **linter.inventory.problems}.items()):
        if is_within(path, wanted):
            skipped[path + "/"] = why
    limit = linter.config.max_file_size
    for path in checked:
        try:
            size = os.lstat(os.path.join(linter.root, *path.split("/"))).st_size
        except OSError:
            continue
        if size > limit:
            skipped[path] = f"over max-file-size ({size} > {limit} bytes): reported as MW001 when a rule needs it"
    return {"checked": [p for p in checked if p not in skipped], "skipped": dict(sorted(skipped.items()))}


NEVER_LISTED = (
    "Never listed: what git ignores (or .gitignore files, outside git), and .git, node_modules, "
    "virtualenvs, caches and build outputs, which are always skipped."
)


def files_report(linter: Any, targets: Any, opts: Any) -> str:
    data = files(linter, targets)
    if opts.fmt == "json":
        return json.dumps(data, indent=2) + "\n"
    lines = list(data["checked"])
    if data["skipped"]:
        lines += ["", "Skipped:"] + [f"  {path}: {why}" for path, why in data["skipped"].items()]
    lines += ["", f"{len(data['checked'])} file(s) checked, {len(data['skipped'])} skipped. {NEVER_LISTED}"]
    return "\n".join(lines) + "\n"
