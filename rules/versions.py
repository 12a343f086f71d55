"""Version ranges as the tools that read them mean them, parsed with ``packaging`` (never by
a regular expression on the text): PEP 440 specifiers, Poetry's ``^``/``~``/``*``/``||``
forms, and npm's ``~``/``^``/``x``/``&&``/``||`` ranges, each turned into ``SpecifierSet``s.

Model W versions are calendar versions: ``2026.7.0`` is release 2026.07 (``YYYY.M.patch``,
betas ``2026.7.0b1``), so a range says which releases it admits.
"""

from __future__ import annotations

import re
from typing import Any

# packaging is imported when a range is first read (most hook runs read none).
InvalidSpecifier: Any = None
SpecifierSet: Any = None
InvalidVersion: Any = None
Version: Any = None


def _load() -> None:
    global InvalidSpecifier, SpecifierSet, InvalidVersion, Version
    if Version is None:
        from packaging.specifiers import InvalidSpecifier, SpecifierSet
        from packaging.version import InvalidVersion, Version

_SPLIT_OR = re.compile(r" ?\|\| ?")  # on text whose blanks are collapsed (linear)


def _bump(version: Version, part: int) -> str:
    """The next version at ``part`` (0: major, 1: minor, 2: patch), prerelease dropped."""
    release = list(version.release) + [0] * (3 - len(version.release))
    release[part] += 1
    for i in range(part + 1, len(release)):
        release[i] = 0
    return ".".join(str(n) for n in release[:3])


def _parse_version(text: str) -> Version | None:
    _load()
    try:
        return Version(text)
    except InvalidVersion:
        return None


def _caret(text: str) -> str | None:
    """``^1.2.3``: the same leftmost non-zero part (Poetry and npm agree)."""
    version = _parse_version(text)
    if version is None:
        return None
    parts = list(version.release) + [0] * (3 - len(version.release))
    given = len(version.release)
    index = next((i for i, n in enumerate(parts) if n != 0), min(given - 1, 2))
    index = min(index, given - 1) if given else 0
    return f">={version},<{_bump(version, index)}"


def _tilde(text: str) -> str | None:
    """``~1.2.3`` and ``~1.2``: the same minor; ``~1``: the same major."""
    version = _parse_version(text)
    if version is None:
        return None
    part = 0 if len(version.release) == 1 else 1
    return f">={version},<{_bump(version, part)}"


def _wildcard(text: str) -> str | None:
    """``1.2.*``, ``1.2.x``, ``1.x``: everything with that prefix."""
    prefix = re.split(r"\.[*xX]", text, maxsplit=1)[0]
    version = _parse_version(prefix)
    if version is None:
        return None
    return f">={prefix},<{_bump(version, len(version.release) - 1)}"


def _term(term: str) -> str | None:
    """One comparison of Poetry or npm syntax as PEP 440 specifiers."""
    term = term.strip().strip("\"'")
    if term in ("", "*", "x", "X", "latest"):
        return ""
    if term.startswith("^"):
        return _caret(term[1:].strip())
    if term.startswith("~") and not term.startswith("~="):
        return _tilde(term[1:].strip().lstrip("="))
    if re.search(r"\.[*xX]$|\.[*xX]\.", term):
        return _wildcard(term)
    m = re.match(r"^(===|==|!=|~=|>=|<=|>|<|=)?\s*v?(.+)$", term)
    if not m:
        return None
    op, version = m.group(1) or "==", m.group(2).strip()
    if op == "=":
        op = "=="
    if _parse_version(version) is None and not (op in ("==", "!=") and version.endswith(".*")):
        return None
    return f"{op}{version}"


def specifier_sets(spec: str | None) -> list[SpecifierSet] | None:
    """The alternatives (``||``) of a Poetry, npm or PEP 440 range, each a SpecifierSet;
    None when the range cannot be read."""
    _load()
    if spec is None:
        return None
    out = []
    for alternative in _SPLIT_OR.split(" ".join(spec.split())):
        # Blanks collapsed first: the split's blanks around a separator then never backtrack.
        terms = re.split(r" ?(?:,|&&) ?| (?=[<>=~^!])", " ".join(alternative.split()))
        parts = []
        for term in terms:
            converted = _term(term)
            if converted is None:
                return None
            if converted:
                parts.append(converted)
        try:
            out.append(SpecifierSet(",".join(parts)))
        except InvalidSpecifier:
            return None
    return out


def admits(spec: str | None, version: str) -> bool | None:
    """Whether the range admits ``version`` (prereleases admitted when the range names one);
    None when the range cannot be read."""
    sets = specifier_sets(spec)
    parsed = _parse_version(version)
    if sets is None or parsed is None:
        return None
    return any(s.contains(parsed, prereleases=True if parsed.is_prerelease else None) for s in sets)


def lower_bound(spec: str | None) -> Version | None:
    """The lowest version a range starts at (``>=``, ``==``, ``~=``, ``>``), None when it has
    none (``*``, ``<2027``) or cannot be read."""
    _load()
    sets = specifier_sets(spec)
    if not sets:
        return None
    bounds = []
    for s in sets:
        lows = [Version(x.version) for x in s if x.operator in (">=", "==", "~=", ">", "===") and _parse_version(x.version)]
        if not lows:
            return None
        bounds.append(max(lows))
    return min(bounds)


def upper_bound(spec: str | None) -> Version | None:
    """The version a range stays below (``<``, ``<=``, ``==``, ``~=``), None when unbounded."""
    _load()
    sets = specifier_sets(spec)
    if not sets:
        return None
    bounds = []
    for s in sets:
        highs = []
        for x in s:
            version = _parse_version(x.version.removesuffix(".*"))
            if version is None:
                continue
            if x.operator in ("<", "<=", "==", "==="):
                highs.append(version)
            elif x.operator == "~=":
                highs.append(Version(_bump(version, max(len(version.release) - 2, 0))))
        if not highs:
            return None
        bounds.append(min(highs))
    return max(bounds)


def release_of(spec: str | None) -> tuple[int, int] | None:
    """The Model W release (year, month) a range starts at: ``>=2026.7.0,<2026.8.0``,
    ``<2026.8.0,>=2026.7.0``, ``^2026.7``, ``~2026.7.0b1`` are all 2026.07."""
    low = lower_bound(spec)
    if low is None or len(low.release) < 2 or not 2000 <= low.release[0] <= 2999 or not 1 <= low.release[1] <= 12:
        return None
    return low.release[0], low.release[1]


def one_release(spec: str | None) -> bool:
    """Whether a range admits the versions of a single Model W release (or fewer)."""
    _load()
    low, high = lower_bound(spec), upper_bound(spec)
    if low is None or high is None or len(low.release) < 2:
        return False
    year, month = low.release[0], low.release[1]
    next_release = Version(f"{year + 1}.1.0" if month == 12 else f"{year}.{month + 1}.0")
    return high <= next_release
