"""The project model: root, file inventory, lazy sources and facts computed once."""

from __future__ import annotations

import contextlib
import inspect
import os
from typing import Any, Callable, Iterator

from modelw_lint.project.files import DEFAULT_MAX_FILE_SIZE, SourceFile
from modelw_lint.project.inventory import Inventory, list_files
from modelw_lint.core.rule import injected_parameters


class FactError(Exception):
    """A fact could not be computed (a pack bug): reported as an internal error."""


class Project:
    """Everything a rule may read. Files are read and parsed lazily, facts computed lazily, once.

    ``overlay`` maps paths to in-memory contents (fix passes and ``--diff`` work on it).
    """

    def __init__(
        self,
        root: str,
        inventory: Inventory | None = None,
        facts: dict[str, Callable[..., Any]] | None = None,
        overlay: dict[str, str | None] | None = None,
        max_file_size: int = DEFAULT_MAX_FILE_SIZE,
        settings: dict[str, Any] | None = None,
        file_kinds: dict[str, str] | None = None,
    ):
        self.root = os.path.abspath(root)
        self.real_root = os.path.realpath(self.root)
        self._folder_outside: dict[str, str | None] = {}
        self.inventory = inventory if inventory is not None else list_files(self.root)
        self.git = self.inventory.git
        self.overlay: dict[str, str | None] = dict(overlay or {})
        self.max_file_size = max_file_size
        # Free-form values from the config that packs may read (e.g. ``release``).
        self.settings = dict(settings or {})
        self.file_kinds = dict(file_kinds or {})
        self._fact_funcs = dict(facts or {})
        self._facts: dict[str, Any] = {}
        self._computing: set[str] = set()
        self._per_file: dict[str, bool] = {}
        # Dependency tracking for the cache: which files each fact (and each tracked block of
        # work) read. A fact's reads count for whoever uses the fact.
        self._trackers: list[set[str]] = []
        self.fact_reads: dict[str, set[str]] = {}
        # Fact values known from the cache (name -> (value, files read)), still valid.
        self.known_facts: dict[str, tuple[Any, set[str]]] = {}
        # Substrings known to be in (or not in) files unchanged since the cached run, and those
        # looked for in this run: path -> {needle: found} (see SourceFile.contains).
        self.known_needles: dict[str, dict[str, bool]] = {}
        self.needles_seen: dict[str, dict[str, bool]] = {}
        paths = dict(self.inventory.files)
        for path, text in self.overlay.items():
            if text is None:
                paths.pop(path, None)
            else:
                paths.setdefault(path, None)
        self._files = {p: SourceFile(self, p, tracked) for p, tracked in sorted(paths.items())}
        self._by_kind: dict[str, list[SourceFile]] | None = None

    # -- files ---------------------------------------------------------------------------------

    @property
    def paths(self) -> list[str]:
        return list(self._files)

    def files(self, kind: str | None = None) -> Iterator[SourceFile]:
        if kind is None:
            yield from self._files.values()
            return
        if self._by_kind is None:  # each file's kind is worked out once, when first asked
            by_kind: dict[str, list[SourceFile]] = {}
            for f in self._files.values():
                by_kind.setdefault(f.kind, []).append(f)
            self._by_kind = by_kind
        yield from self._by_kind.get(kind, ())

    def file(self, path: str) -> SourceFile | None:
        return self._files.get(path)

    def exists(self, path: str) -> bool:
        return path in self._files

    def dir_exists(self, path: str) -> bool:
        prefix = path.rstrip("/") + "/"
        return any(p.startswith(prefix) for p in self._files)

    def touched_files(self) -> list[SourceFile]:
        """Files that something read during this run (their problems are reported)."""
        return [f for f in self._files.values() if f.was_read]

    def computed_facts(self) -> dict[str, Any]:
        """The facts computed (or taken from the cache) so far, by name."""
        return dict(self._facts)

    @property
    def tracking_reads(self) -> bool:
        """Whether a block of work is collecting the files it reads (see :meth:`tracking`)."""
        return bool(self._trackers)

    # -- facts ---------------------------------------------------------------------------------

    def note_read(self, path: str) -> None:
        for tracker in self._trackers:
            tracker.add(path)

    @contextlib.contextmanager
    def tracking(self) -> Iterator[set[str]]:
        """Collect the paths of the files read inside the block (facts included)."""
        reads: set[str] = set()
        self._trackers.append(reads)
        try:
            yield reads
        finally:
            self._trackers.pop()

    def folder_outside(self, folder: str) -> str | None:
        """For a folder of the repository (relative, POSIX), the folder on its path that is a
        symlink leading out of the root (``api/acme``), or None when the folder resolves
        inside it. Computed once per folder: files are never read through a link to
        elsewhere (a tracked folder replaced by a symlink in an unpacked tarball)."""
        if not folder:
            return None
        if folder not in self._folder_outside:
            parent, _, _name = folder.rpartition("/")
            found = self.folder_outside(parent)
            if found is None:
                real = os.path.realpath(os.path.join(self.root, *folder.split("/")))
                inside = real == self.real_root or real.startswith(self.real_root.rstrip(os.sep) + os.sep)
                found = None if inside else folder
            self._folder_outside[folder] = found
        return self._folder_outside[folder]

    def is_file_fact(self, name: str) -> bool:
        """Whether the fact ``name`` is computed per file: its function takes the ``file``
        (a ``SourceFile``) it describes, and its value lives with that file."""
        if name not in self._per_file:
            func = self._fact_funcs.get(name)
            self._per_file[name] = func is not None and "file" in inspect.signature(func).parameters
        return self._per_file[name]

    def file_fact(self, name: str, file: SourceFile) -> Any:
        """The per-file fact ``name`` of ``file``, computed once per file (as ruff shares one
        checker per file between its rules): what several rules derive from the same file
        (its imports, its environment reads) is worked out the first time one asks."""
        memo = file.derived
        if name in memo:
            value, reads = memo[name]
            for tracker in self._trackers:
                tracker.update(reads)
            return value
        func = self._fact_funcs.get(name)
        if func is None or not self.is_file_fact(name):
            raise FactError(f"no rule pack provides the per-file fact {name!r}")
        key = f"{name}:{file.path}"
        if key in self._computing:
            raise FactError(f"the fact {name!r} depends on itself")
        self._computing.add(key)
        try:
            with self.tracking() as reads:
                reads.add(file.path)
                value = func(file=file, **self.facts_for(func, file))
        finally:
            self._computing.discard(key)
        memo[name] = (value, reads)
        for tracker in self._trackers:
            tracker.update(reads)
        return value

    def fact_dependencies(self, func: Callable[..., Any]) -> list[str]:
        """The repository facts ``func`` depends on: those it asks for, and those its per-file
        facts ask for (a cached result stays valid while they read the same files)."""
        out: list[str] = []
        todo = list(injected_parameters(func))
        seen: set[str] = set()
        while todo:
            name = todo.pop(0)
            if name in seen:
                continue
            seen.add(name)
            if self.is_file_fact(name):
                todo += injected_parameters(self._fact_funcs[name])
            else:
                out.append(name)
        return out

    def fact(self, name: str) -> Any:
        if self.is_file_fact(name):
            raise FactError(f"the fact {name!r} is computed per file: ask for it with a file (Project.file_fact)")
        if name in self._facts:
            for tracker in self._trackers:
                tracker.update(self.fact_reads.get(name, ()))
            return self._facts[name]
        if name in self.known_facts:
            value, reads = self.known_facts[name]
            self._facts[name] = value
            self.fact_reads[name] = set(reads)
            for tracker in self._trackers:
                tracker.update(reads)
            return value
        func = self._fact_funcs.get(name)
        if func is None:
            raise FactError(f"no rule pack provides the fact {name!r}")
        if name in self._computing:
            raise FactError(f"the fact {name!r} depends on itself")
        self._computing.add(name)
        try:
            with self.tracking() as reads:
                kwargs = self.facts_for(func)
                if "project" in inspect.signature(func).parameters:
                    kwargs["project"] = self
                value = func(**kwargs)
        finally:
            self._computing.discard(name)
        self._facts[name] = value
        self.fact_reads[name] = reads
        for tracker in self._trackers:
            tracker.update(reads)
        return value

    def facts_for(self, func: Callable[..., Any], file: SourceFile | None = None) -> dict[str, Any]:
        """The facts ``func`` asks for by parameter name (those of ``file`` for per-file facts)."""
        out = {}
        for name in injected_parameters(func):
            if file is not None and self.is_file_fact(name):
                out[name] = self.file_fact(name, file)
            else:
                out[name] = self.fact(name)
        return out
