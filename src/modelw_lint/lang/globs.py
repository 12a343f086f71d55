"""Path matching that does not import pathspec on the hook's hot path.

``ReadsMatcher`` matches the globs rules declare in ``reads`` with gitignore's meaning (as
pathspec's ``GitIgnoreSpec`` does: a pattern without a slash matches a name at any depth, one
with a slash is anchored at the root, ``**`` crosses folders, a pattern that matches a folder
matches everything in it), for the forms packs use: no negation, no escapes. A test holds it
equal to pathspec on every rule's ``reads``. User patterns (``exclude``, ``per-file-ignores``,
``.gitignore`` files) keep pathspec and its full syntax, through :func:`gitignore_spec`.
"""

from __future__ import annotations

import functools
from typing import Any, Iterable


def gitignore_spec(lines: Iterable[str], *, strict: bool = False) -> Any:
    """pathspec's ``GitIgnoreSpec`` of ``lines``, matched by RE2, whose time is linear in the
    path whatever the patterns: a repository's ``.gitignore`` or configuration may hold
    patterns that make a backtracking engine run for hours on a long file name
    (``**/a**a**a**a**z``). An invalid pattern (``!`` alone, a trailing ``\\``) is skipped, as
    git skips it, or, with ``strict``, raises ``ValueError`` naming it (a configuration's own
    patterns)."""
    import warnings

    import pathspec
    from pathspec.patterns.gitignore.spec import GitIgnoreSpecPattern

    valid = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # re's FutureWarning on "[[" in a pattern is not the user's business
        for line in lines:
            try:
                GitIgnoreSpecPattern(line)
            except (ValueError, TypeError, pathspec.patterns.gitignore.GitIgnorePatternError) as exc:
                if strict:
                    raise ValueError(f"invalid pattern {line!r}: {exc}") from None
                continue
            valid.append(line)
        return pathspec.GitIgnoreSpec.from_lines(valid, backend="re2")


def _segment_match(pattern: str, name: str) -> bool:
    """``fnmatch`` for one path segment (``*``, ``?``, ``[...]``), without compiling a regex:
    the hook matches a few paths against a few dozen patterns once per process."""
    if "[" in pattern:
        import fnmatch

        return fnmatch.fnmatchcase(name, pattern)
    p = n = 0
    star = -1
    mark = 0
    while n < len(name):
        if p < len(pattern) and (pattern[p] == "?" or pattern[p] == name[n]):
            p += 1
            n += 1
        elif p < len(pattern) and pattern[p] == "*":
            star, mark = p, n
            p += 1
        elif star != -1:
            p = star + 1
            mark += 1
            n = mark
        else:
            return False
    while p < len(pattern) and pattern[p] == "*":
        p += 1
    return p == len(pattern)


def _match_parts(pattern: tuple[str, ...], parts: list[str]) -> bool:
    """Whether the segments ``parts`` match ``pattern`` (``**`` spans any number of them)."""
    if not pattern:
        return not parts
    head = pattern[0]
    if head == "**":
        rest = pattern[1:]
        if not rest:
            return True
        return any(_match_parts(rest, parts[i:]) for i in range(len(parts) + 1))
    return bool(parts) and _segment_match(head, parts[0]) and _match_parts(pattern[1:], parts[1:])


class ReadsMatcher:
    def __init__(self, patterns: tuple[str, ...]):
        if any(p.startswith(("!", "\\")) for p in patterns):
            raise ValueError("reads patterns have no negation or escape")
        self._patterns: list[tuple[tuple[str, ...], bool]] = []
        for pattern in patterns:
            pattern = pattern.rstrip("/")
            anchored = "/" in pattern
            self._patterns.append((tuple(pattern.lstrip("/").split("/")), anchored))

    def _matches(self, parts: list[str]) -> bool:
        last = parts[-1]
        for pattern, anchored in self._patterns:
            if pattern[-1] != "**" and not _segment_match(pattern[-1], last):
                continue  # the last segments differ: no need to try the rest
            if anchored:
                if _match_parts(pattern, parts):
                    return True
            elif _match_parts(pattern, parts[-len(pattern):]) if len(parts) >= len(pattern) else False:
                return True
        return False

    def match_file(self, path: str) -> bool:
        parts = path.split("/")
        # The path itself, or a folder holding it (a pattern matching a folder matches what it holds).
        return any(self._matches(parts[:n]) for n in range(len(parts), 0, -1))


@functools.lru_cache(maxsize=None)
def reads_matcher(patterns: tuple[str, ...]) -> ReadsMatcher:
    return ReadsMatcher(patterns)
