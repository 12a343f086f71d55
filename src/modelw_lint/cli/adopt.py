"""``modelw-lint init``: the gentle path onto an existing project. It writes the repository's
configuration (``.modelw-lint.toml``) with the release the packs detect, and, when the project
has findings, a baseline of them, so that the next ``check`` passes and a new drift fails it.
Then the pre-commit hook and CI see only what changes."""

from __future__ import annotations

import datetime as _dt
import os
from dataclasses import dataclass, field

from modelw_lint.config import ConfigError, find_config

CONFIG_NAME = ".modelw-lint.toml"
BASELINE_NAME = ".modelw-lint-baseline.json"


@dataclass
class Adopted:
    """What ``init`` did, to say it."""

    config: str  # the file written, relative to the root
    release: str | None  # the release written, when one was detected
    baseline: str | None = None  # the baseline written, when there were findings
    findings: int = 0
    errors: list[str] = field(default_factory=list)


def init_project(path: str, baseline: bool = True, local_packs: bool = False) -> Adopted:
    """Configure the repository holding ``path`` (raises :class:`ConfigError` when it already
    has a configuration, or when the run fails)."""
    from modelw_lint.engine.baseline import entries_for, write
    from modelw_lint.cli.checking import registry_and_config
    from modelw_lint.engine.linter import Linter
    from modelw_lint.project.inventory import find_root
    from modelw_lint.project.safeio import write_atomic

    root = find_root(os.path.abspath(path))
    existing = find_config(root)
    if existing is not None:
        raise ConfigError(
            f"{os.path.relpath(existing)} already configures modelw-lint here: edit it (or delete it to run init again)"
        )
    root, config, registry = registry_and_config(root, None, local_packs)
    config.baseline, config.keys = None, config.keys | {"baseline"}  # what is there, every finding of it
    result = Linter(root, config, registry).run(use_baseline=False)
    if result.errors:
        raise ConfigError("the check that init runs failed: " + "; ".join(result.errors))
    release_item = result.metadata.get("release")
    release = (release_item.data or {}).get("name") if release_item is not None and isinstance(release_item.data, dict) else None
    adopted = Adopted(CONFIG_NAME, release, findings=len(result.findings))
    if baseline and result.findings:
        entries = entries_for(result.findings, result.project)
        write(os.path.join(root, BASELINE_NAME), entries, root)
        adopted.baseline = BASELINE_NAME
    write_atomic(root, CONFIG_NAME, config_text(adopted, release_item.text if release_item is not None else ""))
    return adopted


def config_text(adopted: Adopted, release_text: str) -> str:
    today = _dt.date.today().isoformat()
    lines = [
        f"# modelw-lint's configuration, written by `modelw-lint init` on {today}.",
        "# Every key: the Configuration section of modelw-lint's README; its JSON schema: docs/modelw-lint.schema.json.",
        "",
    ]
    if adopted.release:
        lines += [
            f"# The Model W release this project is on ({release_text.split(' (', 1)[0].strip() or adopted.release}).",
            "# Change it when you upgrade, or delete it to let modelw-lint detect the release again.",
            f'release = "{adopted.release}"',
            "",
        ]
    else:
        lines += ["# No Model W release was detected: set `release = \"YYYY.MM\"` once the project is on one.", ""]
    if adopted.baseline:
        lines += [
            f"# The {adopted.findings} finding(s) there were when modelw-lint was adopted: `check` reports only new ones.",
            "# Fix them over time; `modelw-lint check --update-baseline` drops the entries that are gone.",
            f'baseline = "{adopted.baseline}"',
            "",
        ]
    return "\n".join(lines)
