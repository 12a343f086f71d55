"""Running rule examples as tests: for this project's tests and for any pack's own.

``check_example(registry, rule, example, tmp_dir, expect_fire)`` writes the example repository,
runs that rule alone (plus the engine's parse checks) and raises AssertionError with a readable
message when the rule does not behave as the example says.
"""

from __future__ import annotations

import os
import re
import subprocess
from collections import Counter
from typing import Iterator

from modelw_lint.config import Config
from modelw_lint.engine.linter import Linter, RunResult
from modelw_lint.engine.engine_rules import ParseFailure, UnreadableFile
from modelw_lint.fix.fixloop import fix
from modelw_lint.engine.packs import Registry
from modelw_lint.core.rule import Example, Rule


def write_files(root: str, files: dict[str, str | bytes]) -> None:
    for path, content in files.items():
        full = os.path.join(root, *path.split("/"))
        os.makedirs(os.path.dirname(full), exist_ok=True)
        if isinstance(content, bytes):
            with open(full, "wb") as raw:
                raw.write(content)
        else:
            with open(full, "w", encoding="utf-8", newline="") as fh:
                fh.write(content)


def example_id(rule: type[Rule], example: Example, must_fire: bool, index: int) -> str:
    """A test id that says what the example shows: ``MW201-fires-a-literal-key``, from its
    note (``MW201-fires-0`` when it has none)."""
    slug = re.sub(r"[^a-z0-9]+", "-", example.note.lower()).strip("-")[:60].rstrip("-")
    return f"{rule.code}-{'fires' if must_fire else 'silent'}-{slug or index}"


def example_ids(cases: list[tuple[type[Rule], Example, bool, int]]) -> list[str]:
    """:func:`example_id` for each case, numbered where two would be the same."""
    ids = [example_id(*case) for case in cases]
    total = Counter(ids)
    seen: Counter[str] = Counter()
    out = []
    for name in ids:
        seen[name] += 1
        out.append(name if total[name] == 1 else f"{name}-{seen[name]}")
    return out


def iter_examples(registry: Registry) -> Iterator[tuple[type[Rule], Example, bool, int]]:
    """(rule, example, must_fire, index) for every example of every loaded rule."""
    for rule in registry.checking_rules():
        for i, ex in enumerate(rule.fires):
            yield rule, ex, True, i
        for i, ex in enumerate(rule.silent):
            yield rule, ex, False, i


def _describe(result: RunResult) -> str:
    return "\n".join(f"  {f.path}:{f.line}: {f.code} {f.message}" for f in result.findings) or "  (no findings)"


def git_add_all(root: str) -> None:
    """Make ``root`` a git repository with every file staged (as if committed)."""
    for args in (["git", "init", "-q"], ["git", "add", "-A"]):
        subprocess.run(args, cwd=root, check=True, capture_output=True)


def check_example(registry: Registry, rule: type[Rule], example: Example, root: str, must_fire: bool) -> RunResult:
    """Run ``rule`` alone on the example, written to ``root`` as a git repository."""
    write_files(root, dict(example.files))
    git_add_all(root)
    config = Config(select=[rule.code, UnreadableFile.code, ParseFailure.code])
    linter = Linter(root, config, registry)
    result = linter.run()
    label = f"{rule.code} {'fires' if must_fire else 'silent'} example" + (f" ({example.note})" if example.note else "")
    if result.errors:
        raise AssertionError(f"{label}: internal errors:\n" + "\n".join(result.errors))
    broken = [f for f in result.findings if f.code in (UnreadableFile.code, ParseFailure.code)]
    if broken:
        raise AssertionError(f"{label}: the example itself does not parse:\n{_describe(result)}")
    own = [f for f in result.findings if f.code == rule.code]
    if must_fire and not own:
        raise AssertionError(f"{label}: expected {rule.code} to fire, got:\n{_describe(result)}")
    if not must_fire and own:
        raise AssertionError(f"{label}: expected {rule.code} to stay silent, got:\n{_describe(result)}")
    if must_fire and example.expects():
        line, fragment = example.line, example.message
        if not any((line is None or f.line == line) and fragment in f.message for f in own):
            raise AssertionError(f"{label}: expected {rule.code} {example.expects()}, got:\n{_describe(result)}")
    if example.fixed is not None:
        fixed = fix(linter, unsafe=True)
        for path, expected in example.fixed.items():
            got = fixed.changes.get(path, (None, None))[1]
            if got is None:
                file = fixed.project.file(path)
                got = file.text if file is not None else None
            if got != expected:
                raise AssertionError(f"{label}: after --fix, {path} is\n{got}\n--- expected ---\n{expected}")
        # Fixing again changes nothing.
        for path, (_old, new) in fixed.changes.items():
            write_files(root, {path: new})
        again = fix(Linter(root, config, registry), unsafe=True)
        if again.changes:
            raise AssertionError(f"{label}: a second --fix still changes {sorted(again.changes)}")
    return result
