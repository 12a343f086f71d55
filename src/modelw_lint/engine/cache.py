"""The result cache: per-file results reused for unchanged files, repo-level results reused
while none of the files they read changed.

One JSON file per configuration (tool version, packs, enabled rules and settings) in the cache
folder (``.modelw-lint-cache/`` under the root by default). A file counts as unchanged when its
size and modification time are those recorded, or, when they differ, when its content hash is.
So a warm run stats every file but reads only the changed ones. Facts record the files they
read: a rule whose facts read a changed file is run again in full. Writes are atomic (temporary
file and rename), so two runs at once cannot corrupt it, and a damaged or foreign cache file is
silently ignored.

A cache file lies in the work tree, where a pull request can commit one that says a drifting
file has no findings. So each file is signed: an HMAC-SHA256 of its content with a key only
this machine's user holds (``~/.cache/modelw-lint/cache.key``, created on first use, mode
0600). A file whose signature does not verify (written elsewhere, edited, unsigned) is not
read. The key (the file name) does not depend on the interpreter's hash seed.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import re
import stat
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, fields
from typing import Any, TypedDict

from modelw_lint.core.finding import Edit, Finding, Fix, FixSafety, Severity
from modelw_lint.project.safeio import UnsafePath, read_regular

CACHE_VERSION = 3  # 2: report items cached with their reads; 3: needle tables as bit masks, file states with git's id
DEFAULT_DIR = ".modelw-lint-cache"


def code_signature(objects: list[Any]) -> list[Any]:
    """Size and modification time of the modules that define ``objects`` (rules, facts) and of
    the engine: editing a rule (without a version bump) must not reuse its old results."""
    import sys

    files: set[str] = set()
    for obj in objects:
        module = sys.modules.get(getattr(obj, "__module__", ""), None)
        if module is not None and module.__file__:
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


def cache_key(version: str, packs: list[Any], enabled: list[str], config: Any, code: list[Any] | None = None) -> str:
    parts = {
        "code": code or [],
        "version": version,
        "cache": CACHE_VERSION,
        "packs": sorted(getattr(p, "name", "?") for p in packs),
        "enabled": sorted(enabled),
        "config": {k: v for k, v in sorted(vars(config).items()) if k not in ("source", "path", "text", "baseline", "fail_on")},
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=_stable).encode()).hexdigest()[:24]


def _stable(value: Any) -> Any:
    """JSON for what json cannot write, the same in every process: a set's order depends on
    the hash seed (PYTHONHASHSEED), so sets are written sorted."""
    if isinstance(value, (set, frozenset)):
        return sorted(str(v) for v in value)
    return str(value)


# -- the signing key ----------------------------------------------------------------------------

KEY_FILE = "cache.key"
_SIGNATURE = b"modelw-lint-hmac-sha256 "


def user_cache_folder() -> str:
    """``$XDG_CACHE_HOME/modelw-lint`` (``~/.cache/modelw-lint``): the user's, never a repository's."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "modelw-lint")


_KEY: list[bytes | None] = []


def signing_key() -> bytes | None:
    """This user's key (created on first use); None when the user's cache folder cannot hold
    one: the cache is then neither read nor written."""
    if _KEY:
        return _KEY[0]
    folder = user_cache_folder()
    path = os.path.join(folder, KEY_FILE)
    key = None
    try:
        os.makedirs(folder, mode=0o700, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
        except FileExistsError:
            pass
        else:
            import secrets  # only when the key is made

            with os.fdopen(fd, "wb") as fh:
                fh.write(secrets.token_bytes(32))
        st = os.lstat(path)
        if stat.S_ISREG(st.st_mode) and st.st_size == 32 and (not hasattr(os, "getuid") or st.st_uid == os.getuid()):
            key = read_regular(path, 32, "cache key")
    except (OSError, UnsafePath):
        key = None
    _KEY.append(key)
    return key


def sign(payload: bytes, key: bytes) -> bytes:
    """The signed form of a cache file: a header line with the HMAC, then the payload."""
    return _SIGNATURE + hmac.new(key, payload, hashlib.sha256).hexdigest().encode() + b"\n" + payload


def read_signed(path: str) -> dict[str, Any]:
    """The data of a cache file this user signed (tests and tools; ValueError otherwise)."""
    key = signing_key()
    with open(path, "rb") as fh:
        payload = verified(fh.read(), key) if key is not None else None
    if payload is None:
        raise ValueError(f"{path} is not signed by this user's key")
    data: dict[str, Any] = json.loads(payload)
    return data


def write_signed(path: str, data: dict[str, Any]) -> None:
    """Write ``data`` as a cache file signed by this user (tests and tools)."""
    key = signing_key()
    if key is None:
        raise OSError("no signing key")
    with open(path, "wb") as fh:
        fh.write(sign(json.dumps(data, separators=(",", ":")).encode("utf-8", "surrogateescape"), key))


def verified(data: bytes, key: bytes) -> bytes | None:
    """The payload of a signed cache file, or None when the signature is missing or wrong."""
    header, newline, payload = data.partition(b"\n")
    if not newline or not header.startswith(_SIGNATURE):
        return None
    expected = hmac.new(key, payload, hashlib.sha256).hexdigest().encode()
    return payload if hmac.compare_digest(header[len(_SIGNATURE):], expected) else None


def content_hash(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def paths_hash(files: dict[str, Any]) -> str:
    """The set of files and their tracked flags: adding, removing or staging a file changes it."""
    text = "\n".join(f"{p}\t{files[p]}" for p in sorted(files))
    return hashlib.sha256(text.encode("utf-8", "surrogateescape")).hexdigest()


# -- findings in and out of JSON ---------------------------------------------------------------


def dump_finding(f: Finding) -> dict[str, Any]:
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


def load_finding(d: dict[str, Any]) -> Finding:
    fix = None
    if d.get("fix"):
        fx = d["fix"]
        fix = Fix(fx["description"], FixSafety(fx["safety"]), tuple(Edit(*e) for e in fx["edits"]))
    return Finding(
        d["code"], d["name"], d["family"], Severity.parse(d["severity"]), d["path"], d["line"], d["column"],
        d["end_line"], d["end_column"], d["message"], fix, d.get("repo_level", False), dict(d.get("extra") or {}),
    )


# -- the cached run, typed --------------------------------------------------------------------

FindingData = dict[str, Any]  # a finding as :func:`dump_finding` writes it
FileState = list[Any]  # [size or None, mtime_ns or None, content hash or None, git's object id or None]
SuppressionData = list[list[Any]]  # see suppression.as_data


class FactEntry(TypedDict):
    value: bool | int | str | None
    reads: list[str]


class RepoRuleEntry(TypedDict):
    deps: list[str]
    findings: list[FindingData]


class ReportEntry(TypedDict):
    text: str
    data: Any
    reads: list[str]


@dataclass
class CachedRun:
    """What a full run leaves for the next one, field by field (the JSON file holds these keys).
    Built only from data :func:`well_formed` accepted; findings stay in their JSON form until a
    rule's results are reused (:func:`load_finding`), which keeps a warm run cheap."""

    paths_hash: str  # the set of files and their tracked flags (see paths_hash)
    files: dict[str, FileState]  # each file's state when last read or seen
    touched: list[str]  # the files the run read
    facts: dict[str, list[str]]  # fact name -> the files it read
    fact_values: dict[str, FactEntry]  # simple fact values, with the files they read
    supp: dict[str, SuppressionData]  # path -> its suppression comments
    problems: list[FindingData]  # MW001/MW002 findings
    needle_names: list[str]  # the markers rules looked for, numbered by their place here
    needles: dict[str, list[int]]  # path -> [markers asked (bits by number), markers found]
    file_rules: dict[str, dict[str, list[FindingData]]]  # code -> path -> findings
    repo_rules: dict[str, RepoRuleEntry]  # code -> the files it read and its findings
    report: dict[str, ReportEntry]  # report item key -> what it said, the files it read

    @classmethod
    def from_data(cls, data: Any) -> "CachedRun | None":
        if not isinstance(data, dict) or not well_formed(data):
            return None
        return cls(**{f.name: data[f.name] for f in fields(cls)})

    def to_data(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


# -- the store ---------------------------------------------------------------------------------


SIZE_LIMIT = 512 * 1024 * 1024  # bytes: a cache larger than this is not read (a cold run instead)


class Store:
    def __init__(self, folder: str, key: str):
        self.folder = folder
        self.path = os.path.join(folder, f"v{CACHE_VERSION}-{key}.json")
        self.key = key

    def load(self) -> CachedRun | None:
        """The cached data, or None when there is none or anything about it is unexpected
        (not a regular file, too large, not signed by this user's key, not JSON, another key,
        a damaged structure)."""
        key = signing_key()
        if key is None:
            return None
        try:
            payload = verified(read_regular(self.path, SIZE_LIMIT, "cache"), key)
            if payload is None:
                return None
            data = json.loads(payload)
        except (UnsafePath, ValueError, RecursionError):
            return None
        if not isinstance(data, dict) or data.get("key") != self.key or data.get("cache") != CACHE_VERSION:
            return None
        return CachedRun.from_data(data)

    def save(self, run: CachedRun) -> None:
        key = signing_key()
        if key is None:
            return  # no key to sign with: a cache nobody could trust is not written
        try:
            os.makedirs(self.folder, exist_ok=True)
            ignore = os.path.join(self.folder, ".gitignore")
            if not os.path.lexists(ignore):
                flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
                with os.fdopen(os.open(ignore, flags, 0o644), "w", encoding="utf-8") as fh:
                    fh.write(_OUR_IGNORE)
            payload = json.dumps({**run.to_data(), "key": self.key, "cache": CACHE_VERSION}, separators=(",", ":"))
            import tempfile  # only when the cache is written

            fd, tmp = tempfile.mkstemp(dir=self.folder, prefix=".tmp-", suffix=".json")
            with os.fdopen(fd, "wb") as fh:
                fh.write(sign(payload.encode("utf-8", "surrogateescape"), key))
            os.replace(tmp, self.path)  # replaces a symlink itself, never its target
        except OSError:
            pass  # a cache that cannot be written is no reason to fail a run


_OURS = re.compile(r"^(?:v\d+-[0-9a-f]+\.json|\.tmp-.*\.json)$")
_OUR_IGNORE = "# Created by modelw-lint.\n*\n"


def clear(folder: str) -> int:
    """Delete the cache in ``folder``: only the files modelw-lint writes there (a folder named
    by mistake loses nothing else), then the folder when it is left empty. A symlink in place
    of the folder is removed itself, never what it points to. Returns the files removed."""
    if os.path.islink(folder):
        os.unlink(folder)
        return 0
    if not os.path.isdir(folder):
        return 0
    removed = 0
    for name in os.listdir(folder):
        path = os.path.join(folder, name)
        if os.path.islink(path) or not os.path.isfile(path):
            continue
        ours = bool(_OURS.match(name))
        if name == ".gitignore":
            try:
                with open(path, encoding="utf-8") as fh:
                    ours = fh.read(200) == _OUR_IGNORE
            except (OSError, UnicodeDecodeError):
                ours = False
        if ours:
            os.unlink(path)
            removed += 1
    try:
        os.rmdir(folder)
    except OSError:
        pass  # something else lives there: left alone
    return removed


def _is(value: Any, kind: type | tuple[Any, ...]) -> bool:
    return isinstance(value, kind) and not isinstance(value, bool) if kind is int else isinstance(value, kind)


def _str_list(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


_FINDING_KEYS = {
    "code": str, "name": str, "family": str, "severity": str, "path": str, "line": int, "column": int,
    "end_line": int, "end_column": int, "message": str,
}


_STR_KEYS = tuple(k for k, t in _FINDING_KEYS.items() if t is str)
_INT_KEYS = tuple(k for k, t in _FINDING_KEYS.items() if t is int)


def _finding_ok(d: Any) -> bool:
    # Exact type checks, spelled out: a warm run validates thousands of these.
    if type(d) is not dict:
        return False
    get = d.get
    for k in _STR_KEYS:
        if type(get(k)) is not str:
            return False
    for k in _INT_KEYS:
        if type(get(k)) is not int:
            return False
    if d["severity"] not in ("error", "warning", "info") or type(get("extra", {})) is not dict:
        return False
    fix = d.get("fix")
    if fix is None:
        return True
    return (
        isinstance(fix, dict) and isinstance(fix.get("description"), str) and fix.get("safety") in ("safe", "unsafe")
        and isinstance(fix.get("edits"), list)
        and all(
            isinstance(e, list) and len(e) == 4 and isinstance(e[0], str) and _is(e[1], int) and _is(e[2], int)
            and isinstance(e[3], str)
            for e in fix["edits"]
        )
    )


def _file_state(v: Any) -> bool:
    return (
        type(v) is list and len(v) == 4 and (v[0] is None or type(v[0]) is int) and (v[1] is None or type(v[1]) is int)
        and (v[2] is None or type(v[2]) is str) and (v[3] is None or type(v[3]) is str)
    )


def needle_table(names: list[str], entry: Any) -> dict[str, bool]:
    """A file's needle table (marker -> whether the file holds it) from its cached masks; an
    entry that is not two non-negative integers is no knowledge (an empty table)."""
    if type(entry) is not list or len(entry) != 2 or not all(type(m) is int and m >= 0 for m in entry):
        return {}
    asked, found = entry
    if asked.bit_length() > len(names):
        return {}
    return {name: bool(found >> i & 1) for i, name in enumerate(names) if asked >> i & 1}


def needle_masks(names: list[str], numbers: dict[str, int], table: dict[str, bool]) -> list[int]:
    """The cached form of a needle table; markers not numbered yet are added to ``names``."""
    asked = found = 0
    for name, holds in table.items():
        if name not in numbers:
            numbers[name] = len(names)
            names.append(name)
        asked |= 1 << numbers[name]
        if holds:
            found |= 1 << numbers[name]
    return [asked, found]


def well_formed(data: dict[str, Any]) -> bool:
    """Whether cached data has exactly the structure this version writes: a cache that was
    damaged (or written by hand) is ignored, never an error."""
    try:
        files, facts, supp = data["files"], data["facts"], data["supp"]
        if not isinstance(data["paths_hash"], str) or not _str_list(data["touched"]):
            return False
        if not isinstance(files, dict):  # each state is checked when its file is (Reuse._check)
            return False
        if not isinstance(facts, dict) or not all(_str_list(v) for v in facts.values()):
            return False
        fact_values = data["fact_values"]
        if not isinstance(fact_values, dict) or not all(
            isinstance(v, dict) and "value" in v and _str_list(v.get("reads")) for v in fact_values.values()
        ):
            return False
        if not isinstance(supp, dict) or not all(
            isinstance(entries, list) and all(
                isinstance(e, list) and len(e) == 4 and _is(e[0], int) and _is(e[1], int) and _is(e[2], int)
                and (e[3] is None or _str_list(e[3]))
                for e in entries
            )
            for entries in supp.values()
        ):
            return False
        if not isinstance(data["problems"], list) or not all(_finding_ok(d) for d in data["problems"]):
            return False
        # Needle tables are decoded when a file's is asked for (see needle_table): a damaged one
        # is no knowledge. Checking thousands of them up front would cost a warm run dearly.
        if type(data["needles"]) is not dict or not _str_list(data["needle_names"]):
            return False
        file_rules, repo_rules = data["file_rules"], data["repo_rules"]
        if not isinstance(file_rules, dict) or not all(
            isinstance(by_path, dict) and all(isinstance(items, list) and all(_finding_ok(d) for d in items) for items in by_path.values())
            for by_path in file_rules.values()
        ):
            return False
        if not isinstance(repo_rules, dict) or not all(
            isinstance(r, dict) and _str_list(r.get("deps")) and isinstance(r.get("findings"), list)
            and all(_finding_ok(d) for d in r["findings"])
            for r in repo_rules.values()
        ):
            return False
        report = data["report"]
        return isinstance(report, dict) and all(
            isinstance(r, dict) and isinstance(r.get("text"), str) and "data" in r and _str_list(r.get("reads"))
            for r in report.values()
        )
    except (KeyError, TypeError, AttributeError):
        return False


class Reuse:
    """What a previous run's cache lets this run skip."""

    def __init__(self, run: CachedRun, root: str, files: dict[str, Any], max_size: int, clean: dict[str, str] | None = None):
        self.run = run
        # Tracked files git has just found unchanged, with the id of their content (see
        # Inventory.clean): one whose id is the one cached is unchanged, without a stat.
        self.clean = clean or {}
        self.root = root
        self.max_size = max_size  # larger files are never hashed: they count as changed
        self.valid = run.paths_hash == paths_hash(files)
        self.cached_files: dict[str, FileState] = run.files if self.valid else {}
        # Each file is checked (one stat, a hash when its size or time moved) when first asked
        # about: a hook run asks about a handful, a full run about all (see check_all).
        self._files = files
        self._state: dict[str, list[Any]] = {}  # path -> [size, mtime_ns, sha or None], as found now
        self._changed: set[str] = set()
        self._restat: set[str] = set()  # same content, new size, time or git id: worth saving
        self._all = False

    def check_all(self) -> None:
        if not self._all and self.valid:
            for path in self._files:
                if path not in self._state:
                    self._check(path)
        self._all = True

    @property
    def state(self) -> dict[str, list[Any]]:
        self.check_all()
        return self._state

    @property
    def changed(self) -> set[str]:
        """The files whose content changed since the cached run (all of them checked)."""
        self.check_all()
        return self._changed

    @property
    def restat(self) -> set[str]:
        self.check_all()
        return self._restat

    def changed_among(self, paths: Iterable[str]) -> set[str]:
        """The files of ``paths`` (of the repository) that changed, checking only those."""
        return {p for p in paths if p in self._files and not self.unchanged(p)}

    def _check(self, path: str) -> None:
        old = self.cached_files.get(path)
        if old is not None and not _file_state(old):
            old = None  # a damaged entry: the file counts as changed
        if old is not None and old[3] is not None and self.clean.get(path) == old[3]:
            self._state[path] = old  # the content git has the id of, as cached
            return
        full = self.root + os.sep + path if os.sep == "/" else os.path.join(self.root, *path.split("/"))
        try:
            st = os.stat(full)
        except OSError:
            self._changed.add(path)
            self._state[path] = [None, None, None, None]
            return
        size, mtime = st.st_size, st.st_mtime_ns
        if not stat.S_ISREG(st.st_mode):  # a FIFO or a device is never read: checked anew
            self._changed.add(path)
            self._state[path] = [None, None, None, None]
            return
        if old is not None and old[0] == size and old[1] == mtime:
            self._state[path] = [size, mtime, old[2], old[3]]
            if self.clean.get(path) != old[3]:
                self._restat.add(path)  # git's id to record (or forget): worth saving
            return
        try:
            sha = content_hash(read_regular(full, self.max_size))
        except UnsafePath:
            sha = None
        self._state[path] = [size, mtime, sha, old[3] if old is not None and old[2] == sha and sha is not None else None]
        if old is None or sha is None or old[2] != sha:
            self._changed.add(path)
        else:
            self._restat.add(path)

    @property
    def nothing_new(self) -> bool:
        """No file changed, not even its time: the cached data is still exactly right."""
        return self.valid and not self.changed and not self.restat

    def unchanged(self, path: str) -> bool:
        if not self.valid:
            return False
        if path not in self._state and path in self._files:
            self._check(path)
        return path in self._state and path not in self._changed

    def all_unchanged(self, paths: Iterable[str]) -> bool:
        return all(self.unchanged(p) for p in paths)

    def facts_valid(self, names: Iterable[str]) -> bool:
        """Whether the facts a rule uses still read the same files. A fact the cached run never
        computed did not matter to any cached result (rules ask for facts on the first file
        they check), so it does not invalidate them."""
        facts = self.run.facts
        return self.valid and all(self.all_unchanged(facts[n]) for n in names if n in facts)


# -- what a run leaves for the next one ---------------------------------------------------------


class Checked(Mapping[str, Any]):
    """Cached entries handed out only while what they depend on is unchanged, checked when an
    entry is first asked for rather than for every entry up front (a hook run asks for a few)."""

    def __init__(self, entries: dict[str, Any], valid: Callable[[str, Any], bool], convert: Callable[[Any], Any] = lambda e: e):
        self._entries = entries
        self._valid = valid
        self._convert = convert
        self._seen: dict[str, Any] = {}

    def _lookup(self, key: str) -> Any:
        if key not in self._seen:
            entry = self._entries.get(key)
            self._seen[key] = self._convert(entry) if entry is not None and self._valid(key, entry) else _ABSENT
        return self._seen[key]

    def __getitem__(self, key: str) -> Any:
        value = self._lookup(key)
        if value is _ABSENT:
            raise KeyError(key)
        return value

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self._lookup(key) is not _ABSENT

    def __iter__(self) -> Iterator[str]:
        return (k for k in self._entries if k in self)

    def __len__(self) -> int:
        return sum(1 for _ in self)


_ABSENT = object()


def seed(project: Any, reuse: "Reuse") -> None:
    """Give ``project`` what the cache still knows: fact values whose files did not change,
    and which markers unchanged files hold (see SourceFile.contains), each checked when asked."""
    project.known_facts = Checked(
        reuse.run.fact_values, lambda _name, e: reuse.all_unchanged(e["reads"]),
        lambda e: (e["value"], set(e["reads"])),
    )
    names = reuse.run.needle_names
    project.known_needles = Checked(
        reuse.run.needles, lambda path, _d: reuse.unchanged(path), lambda entry: needle_table(names, entry),
    )


def snapshot(
    root: str, inventory_files: dict[str, Any], project: Any, reuse: "Reuse | None", record: dict[str, Any], problems: list[Any],
    cached_supp: dict[str, Any], prefixes: frozenset[str], clean: dict[str, str] | None = None,
) -> CachedRun:
    """What a full run saves: each file's state (size, time, content hash), the facts' reads
    and simple values, the markers files hold, suppressions, file problems, and each rule's
    findings (per file, or with the files a repository rule read)."""
    from modelw_lint.engine import suppression

    touched = {f.path: f for f in project.touched_files()}
    previous = reuse.run if reuse is not None else None
    clean = clean or {}
    files = {}
    for path in inventory_files:
        state = reuse.state.get(path) if reuse is not None else None
        file = touched.get(path)
        stale = state is None or state[2] is None or (reuse is not None and path in reuse.changed)
        if file is not None and file.text is not None and stale:
            if file.disk_state is None or not file.stable:
                continue  # changed while it was read: not cached, read again next time
            # Read now, after git listed it: git's id is not recorded (the file may have
            # changed in between); the next run's stat confirms it and records the id.
            state = [*file.disk_state, content_hash(file.text.encode("utf-8", "surrogateescape")), None]
        elif state is None:
            try:
                st = os.stat(os.path.join(root, *path.split("/")))
                state = [st.st_size, st.st_mtime_ns, None, clean.get(path)]
            except OSError:
                continue
        else:
            state = [*state[:3], clean.get(path)]
        files[path] = state
    facts = dict(previous.facts if previous is not None else {})
    facts.update({name: sorted(reads) for name, reads in project.fact_reads.items()})
    supp = dict(cached_supp)
    for path, file in touched.items():
        supp[path] = suppression.as_data(suppression.of_file(file, prefixes))
    gone = reuse.changed if reuse is not None else set()
    names = list(previous.needle_names) if previous is not None else []
    numbers = {name: i for i, name in enumerate(names)}
    needles = {p: d for p, d in (previous.needles if previous is not None else {}).items() if p in files and p not in gone}
    for path, seen in project.needles_seen.items():
        if path in files:  # read whole and unchanged while read (see SourceFile.contains)
            needles[path] = needle_masks(names, numbers, {**needle_table(names, needles.get(path)), **seen})
    fact_values: dict[str, FactEntry] = {
        name: {"value": value, "reads": sorted(project.fact_reads.get(name, ()))}
        for name, value in project.computed_facts().items()
        if isinstance(value, (bool, int, str)) or value is None
    }
    previous_touched = previous.touched if previous is not None and reuse is not None else []
    return CachedRun(
        fact_values=fact_values,
        needle_names=names,
        needles=needles,
        paths_hash=paths_hash(inventory_files),
        files=files,
        touched=sorted(set(touched) | {p for p in previous_touched if reuse is not None and reuse.unchanged(p)}),
        facts=facts,
        supp=supp,
        problems=[dump_finding(f) for f in problems],
        file_rules={
            code: {p: [dump_finding(f) for f in items] for p, items in by_path.items() if items}
            for code, by_path in record["file_rules"].items()
        },
        repo_rules={
            code: {"deps": sorted(deps), "findings": [dump_finding(f) for f in found]}
            for code, (deps, found) in record["repo_rules"].items()
        },
        report={
            key: {"text": item.text, "data": item.data, "reads": sorted(reads)}
            for key, (reads, item) in record["report"].items()
            if _json_value(item.data)
        },
    )


def _json_value(value: Any) -> bool:
    """Whether ``value`` survives a trip through JSON unchanged (what a report item may cache)."""
    try:
        return bool(json.loads(json.dumps(value)) == value)
    except (TypeError, ValueError, RecursionError):
        return False
