"""The result cache: per-file results reused for unchanged files, repo-level results reused
while none of the files they read changed.

One JSON file per configuration (tool version, packs, enabled rules and settings) in the cache
folder (``.modelw-lint-cache/`` under the root by default). A file counts as unchanged when its
size and modification time are those recorded, or, when they differ, when its content hash is.
So a warm run stats every file but reads only the changed ones. Facts record the files they
read: a rule whose facts read a changed file is run again in full. Writes are atomic (temporary
file and rename), so two runs at once cannot corrupt it, and a damaged or foreign cache file is
silently ignored.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from typing import Any

from .finding import Edit, Finding, Fix, FixSafety, Severity

CACHE_VERSION = 1
DEFAULT_DIR = ".modelw-lint-cache"


def code_signature(objects: list) -> list:
    """Size and modification time of the modules that define ``objects`` (rules, facts) and of
    the engine: editing a rule (without a version bump) must not reuse its old results."""
    import sys

    files = set()
    for obj in objects:
        module = sys.modules.get(getattr(obj, "__module__", ""), None)
        if module is not None and getattr(module, "__file__", None):
            files.add(module.__file__)
    here = os.path.dirname(os.path.abspath(__file__))
    files.update(os.path.join(here, n) for n in os.listdir(here) if n.endswith(".py"))
    out = []
    for path in sorted(files):
        try:
            st = os.stat(path)
            out.append([path, st.st_size, st.st_mtime_ns])
        except OSError:
            pass
    return out


def cache_key(version: str, packs: list, enabled: list[str], config: Any, code: list | None = None) -> str:
    parts = {
        "code": code or [],
        "version": version,
        "cache": CACHE_VERSION,
        "packs": sorted(getattr(p, "name", "?") for p in packs),
        "enabled": sorted(enabled),
        "config": {k: v for k, v in sorted(vars(config).items()) if k not in ("source", "baseline", "fail_on")},
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()[:24]


def content_hash(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def paths_hash(files: dict[str, Any]) -> str:
    """The set of files and their tracked flags: adding, removing or staging a file changes it."""
    text = "\n".join(f"{p}\t{files[p]}" for p in sorted(files))
    return hashlib.sha256(text.encode("utf-8", "surrogateescape")).hexdigest()


# -- findings in and out of JSON ---------------------------------------------------------------


def dump_finding(f: Finding) -> dict:
    data = {
        "code": f.code, "name": f.name, "family": f.family, "severity": f.severity.label, "path": f.path,
        "line": f.line, "column": f.column, "end_line": f.end_line, "end_column": f.end_column,
        "message": f.message, "repo_level": f.repo_level, "extra": f.extra,
    }
    if f.fix is not None:
        data["fix"] = {
            "description": f.fix.description, "safety": f.fix.safety.value,
            "edits": [[e.path, e.start, e.end, e.replacement] for e in f.fix.edits],
        }
    return data


def load_finding(d: dict) -> Finding:
    fix = None
    if d.get("fix"):
        fx = d["fix"]
        fix = Fix(fx["description"], FixSafety(fx["safety"]), tuple(Edit(*e) for e in fx["edits"]))
    return Finding(
        d["code"], d["name"], d["family"], Severity.parse(d["severity"]), d["path"], d["line"], d["column"],
        d["end_line"], d["end_column"], d["message"], fix, d.get("repo_level", False), dict(d.get("extra") or {}),
    )


# -- the store ---------------------------------------------------------------------------------


class Store:
    def __init__(self, folder: str, key: str):
        self.folder = folder
        self.path = os.path.join(folder, f"v{CACHE_VERSION}-{key}.json")
        self.key = key

    def load(self) -> dict | None:
        try:
            with open(self.path, encoding="utf-8") as fh:
                data = json.load(fh)
        except (OSError, ValueError):
            return None
        if not isinstance(data, dict) or data.get("key") != self.key or data.get("cache") != CACHE_VERSION:
            return None
        return data

    def save(self, data: dict) -> None:
        try:
            os.makedirs(self.folder, exist_ok=True)
            ignore = os.path.join(self.folder, ".gitignore")
            if not os.path.exists(ignore):
                with open(ignore, "w", encoding="utf-8") as fh:
                    fh.write("# Created by modelw-lint.\n*\n")
            fd, tmp = tempfile.mkstemp(dir=self.folder, prefix=".tmp-", suffix=".json")
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump({**data, "key": self.key, "cache": CACHE_VERSION}, fh, separators=(",", ":"))
            os.replace(tmp, self.path)
        except OSError:
            pass  # a cache that cannot be written is no reason to fail a run


class Reuse:
    """What a previous run's cache lets this run skip."""

    def __init__(self, data: dict, root: str, files: dict[str, Any]):
        self.data = data
        self.root = root
        self.valid = data.get("paths_hash") == paths_hash(files)
        self.cached_files: dict[str, list] = data.get("files", {}) if self.valid else {}
        self.state: dict[str, list] = {}  # path -> [size, mtime_ns, sha or None], as found now
        self.changed: set[str] = set()
        self.restat: set[str] = set()  # same content, new size or time: worth saving
        if self.valid:
            for path in files:
                self._check(path)

    def _check(self, path: str) -> None:
        full = os.path.join(self.root, *path.split("/"))
        try:
            st = os.stat(full)
        except OSError:
            self.changed.add(path)
            self.state[path] = [None, None, None]
            return
        size, mtime = st.st_size, st.st_mtime_ns
        old = self.cached_files.get(path)
        if old is not None and old[0] == size and old[1] == mtime:
            self.state[path] = [size, mtime, old[2]]
            return
        try:
            with open(full, "rb") as fh:
                sha = content_hash(fh.read())
        except OSError:
            sha = None
        self.state[path] = [size, mtime, sha]
        if old is None or sha is None or old[2] != sha:
            self.changed.add(path)
        else:
            self.restat.add(path)

    @property
    def nothing_new(self) -> bool:
        """No file changed, not even its time: the cached data is still exactly right."""
        return self.valid and not self.changed and not self.restat

    def unchanged(self, path: str) -> bool:
        return self.valid and path in self.state and path not in self.changed

    def all_unchanged(self, paths) -> bool:
        return all(self.unchanged(p) for p in paths)

    def facts_valid(self, names) -> bool:
        """Whether the facts a rule uses still read the same files. A fact the cached run never
        computed did not matter to any cached result (rules ask for facts on the first file
        they check), so it does not invalidate them."""
        facts = self.data.get("facts", {})
        return self.valid and all(self.all_unchanged(facts[n]) for n in names if n in facts)
