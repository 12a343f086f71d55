"""One file of the project: its kind, its text and its parsed form, each computed at most once.

Nothing here is read before a rule asks for it. A file that cannot be read or parsed records a
:class:`FileProblem`; the engine reports it (MW001/MW002) and the run goes on.
"""

from __future__ import annotations

import bisect
import functools
import json
import os
import re
import stat
import sys
import tomllib
from dataclasses import dataclass
from fnmatch import fnmatch
from typing import TYPE_CHECKING, Any, NoReturn

from modelw_lint.project.safeio import describe_mode

if TYPE_CHECKING:  # libcst is imported lazily: a run that parses no Python never loads it
    import ast

KINDS = ("python", "toml", "yaml", "json", "dockerfile", "dotenv", "other")

DEFAULT_MAX_FILE_SIZE = 2 * 1024 * 1024


def kind_of(path: str, extra: dict[str, str] | None = None) -> str:
    """The kind of a file, from its name alone. ``extra`` maps file-name globs to kinds
    (rule packs declare their own formats, e.g. ``{"Dogefile": "yaml"}``)."""
    name = path.rsplit("/", 1)[-1]
    if extra:
        exact, globs = _extra_kinds(tuple(extra.items()))
        if name in exact:
            return exact[name]
        for pattern, kind in globs:
            if fnmatch(name, pattern) or fnmatch(path, pattern):
                return kind
    lower = name.lower()
    if lower.endswith((".py", ".pyi")):
        return "python"
    if lower.endswith(".toml"):
        return "toml"
    if lower.endswith((".yml", ".yaml")):
        return "yaml"
    if lower.endswith(".json"):
        return "json"
    if lower == "dockerfile" or lower.startswith("dockerfile.") or lower.endswith(".dockerfile"):
        return "dockerfile"
    if lower == ".env" or lower.startswith(".env.") or lower.startswith(".env-") or lower.endswith(".env"):
        return "dotenv"
    return "other"


def _inside(root: str, path: str) -> bool:
    from modelw_lint.project.safeio import is_inside

    return is_inside(root, path)


@functools.lru_cache(maxsize=16)
def _extra_kinds(items: tuple[tuple[str, str], ...]) -> tuple[dict[str, str], tuple[tuple[str, str], ...]]:
    """A pack's file kinds split into exact names and globs (the first that matches wins)."""
    exact: dict[str, str] = {}
    globs = []
    for pattern, kind in items:
        if any(c in pattern for c in "*?["):
            globs.append((pattern, kind))
        else:
            exact.setdefault(pattern, kind)
    return exact, tuple(globs)


from modelw_lint.lang.textlines import line_breaks, split_lines  # noqa: E402,F401  (files are read in lines)

UNREADABLE = "unreadable"
UNPARSABLE = "unparsable"


@dataclass
class FileProblem:
    """Why a file could not be read (``UNREADABLE``) or parsed (``UNPARSABLE``); the engine
    reports them as its own findings (MW001, MW002)."""

    kind: str
    message: str
    line: int = 1
    column: int = 1


@dataclass
class DotenvEntry:
    key: str
    value: str
    line: int


class SourceFile:
    """A file of the project, read and parsed lazily and at most once per run."""

    def __init__(self, project: "Any", path: str, tracked: bool | None = None):
        self.project = project
        self.path = path  # relative to the root, POSIX separators
        self._kind: str | None = None
        self._abspath: str | None = None
        self.tracked = tracked  # committed to git (None outside a git work tree)
        self.problem: FileProblem | None = None
        self._text: str | None = None
        self._read = False
        self._parsed: Any = None
        self._parse_done = False
        self._line_starts: list[int] | None = None
        self._lines: list[str] | None = None
        self._wrapper: Any = None
        self._metadata: dict[str, Any] = {}
        self._tree: ast.Module | None = None
        self._tree_done = False
        # Per-file facts (Project.file_fact): name -> (value, files read computing it).
        self.derived: dict[str, tuple[Any, set[str]]] = {}
        # Lines of a Python file written for a newer Python that were rewritten to be read
        # (pyguard.downgrade): positions on them are approximate and no fix edits the file.
        self.rewritten_lines: list[int] = []
        self.disk_state: tuple[int, int] | None = None  # (size, mtime_ns) seen before reading
        self.stable = True  # False when the file changed while it was being read
        self._found: dict[str, bool] = {}  # needle -> whether the text holds it (see contains)

    def __repr__(self) -> str:
        return f"SourceFile({self.path!r}, kind={self.kind!r})"

    @property
    def kind(self) -> str:
        """The file's kind, from its name (computed when first asked: most files never are)."""
        if self._kind is None:
            self._kind = kind_of(self.path, getattr(self.project, "file_kinds", None))
        return self._kind

    @property
    def was_read(self) -> bool:
        """Whether the run read the file (its problem, if any, is then reported)."""
        return self._read

    @property
    def abspath(self) -> str:
        if self._abspath is None:
            root = self.project.root
            self._abspath = root + "/" + self.path if os.sep == "/" else os.path.join(root, *self.path.split("/"))
        return self._abspath

    # -- reading -------------------------------------------------------------------------------

    @property
    def text(self) -> str | None:
        """The file's text (newlines untouched), or None when it cannot be read."""
        if self.project.tracking_reads:
            self.project.note_read(self.path)
        if not self._read:
            self._read = True
            overlay = self.project.overlay
            if self.path in overlay:
                self._text = overlay[self.path]
            else:
                self._text = self._read_disk()
        return self._text

    def _read_disk(self) -> str | None:
        folder = self.path.rpartition("/")[0]
        linked = self.project.folder_outside(folder)
        if linked is not None:
            self.problem = FileProblem(
                UNREADABLE, f"cannot read: its folder {linked}/ is a symlink that points outside the repository",
            )
            return None
        if os.path.islink(self.abspath) and not _inside(self.project.root, self.abspath):
            self.problem = FileProblem(UNREADABLE, "cannot read: a symlink that points outside the repository")
            return None
        try:
            st = os.stat(self.abspath)  # follows symlinks: loops and dangling links fail here
        except OSError as exc:
            if os.path.islink(self.abspath):
                reason = "a symlink loop" if exc.errno == 40 else "a broken symlink"
                self.problem = FileProblem(UNREADABLE, f"cannot read: {reason} ({exc.strerror})")
            else:
                self.problem = FileProblem(UNREADABLE, f"cannot read: {exc.strerror}")
            return None
        if not stat.S_ISREG(st.st_mode):
            self.problem = FileProblem(UNREADABLE, f"cannot read: {describe_mode(st.st_mode)}, not a regular file")
            return None
        limit = self.project.max_file_size
        if st.st_size > limit:
            self.problem = FileProblem(
                UNREADABLE,
                f"skipped: the file is {st.st_size / 1048576:.1f} MiB, over the "
                f"{limit / 1048576:.1f} MiB limit (max-file-size)",
            )
            return None
        try:
            data = _read_bytes(self.abspath, limit)
        except OSError as exc:
            self.problem = FileProblem(UNREADABLE, f"cannot read: {exc.strerror or exc}")
            return None
        if len(data) > limit:
            self.problem = FileProblem(UNREADABLE, "skipped: the file grew over the size limit while being read")
            return None
        # The state the cache records is the one taken *before* reading; a file that changed
        # while it was read is not cached (the next run reads it again).
        self.disk_state = (st.st_size, st.st_mtime_ns)
        try:
            after = os.stat(self.abspath)
            self.stable = (after.st_size, after.st_mtime_ns) == self.disk_state and len(data) == st.st_size
        except OSError:
            self.stable = False
        return decode_text(data, self)

    def contains(self, needle: str) -> bool:
        """Whether the text holds ``needle``. For a file unchanged since the cached run, the
        answer comes from the cache without reading the file (a rule scanning every module
        for a marker reads only the files that changed); it still counts as read for the
        cache's dependencies. Each needle is looked for once per file: rules share them."""
        found = self._found.get(needle)
        if found is not None:
            if self.project.tracking_reads:
                self.project.note_read(self.path)
            return found
        if not self._read:
            known = self.project.known_needles.get(self.path)
            if known is not None and needle in known:
                if self.project.tracking_reads:
                    self.project.note_read(self.path)
                return bool(known[needle])
        text = self.text
        if text is None:
            return False
        found = self._found[needle] = needle in text
        if self.disk_state is not None and self.stable and self.path not in self.project.overlay:
            self.project.needles_seen.setdefault(self.path, {})[needle] = found
        return found

    def contains_any(self, needles: tuple[str, ...]) -> bool:
        if not needles:
            return self.text is not None
        return any(self.contains(n) for n in needles)

    # -- lines and offsets ---------------------------------------------------------------------

    @property
    def line_starts(self) -> list[int]:
        """Offsets where each line starts, line breaks counted as the file's own parser
        counts them (``\r\n``, ``\r`` or ``\n``; YAML adds NEL and the Unicode separators)."""
        if self._line_starts is None:
            starts = [0]
            starts.extend(m.end() for m in line_breaks(self.kind).finditer(self.text or ""))
            self._line_starts = starts
        return self._line_starts

    def offset(self, line: int, column: int = 0) -> int:
        """Character offset of a 1-based line and 0-based column."""
        starts = self.line_starts
        if line - 1 >= len(starts):
            return len(self.text or "")
        return starts[line - 1] + column

    def line_of(self, offset: int) -> int:
        return bisect.bisect_right(self.line_starts, offset)

    def lines(self) -> list[str]:
        """The file's lines without their line breaks (numbered as :attr:`line_starts`)."""
        if self._lines is None:
            self._lines = split_lines(self.text or "", self.kind)
        return self._lines

    def line_text(self, line: int) -> str:
        lines = self.lines()
        return lines[line - 1] if 0 < line <= len(lines) else ""

    def line_span(self, first: int, last: int) -> tuple[int, int]:
        """Offsets covering whole lines ``first..last`` including the final newline."""
        starts = self.line_starts
        start = starts[first - 1]
        end = starts[last] if last < len(starts) else len(self.text or "")
        return start, end

    # -- parsing -------------------------------------------------------------------------------

    @property
    def parsed(self) -> Any:
        """The parsed form by kind, or None when the file cannot be read or parsed.

        python: ``libcst.Module``; toml: dict; yaml: list of documents as PyYAML node trees
        (``yaml.compose_all``: values with line numbers, see :mod:`modelw_lint.lang.yamltree`); json: the value;
        dotenv: list of :class:`DotenvEntry`; dockerfile: list of
        :class:`modelw_lint.lang.dockerfile.Instruction`; other: the text.
        """
        if not self._parse_done:
            self._parse_done = True
            text = self.text
            if text is not None:
                try:
                    self._parsed = parse_text(self.kind, text)
                except ParseError as exc:
                    self.problem = FileProblem(UNPARSABLE, f"cannot parse: {exc.message}", exc.line, exc.column)
        return self._parsed

    @property
    def tree(self) -> "ast.Module | None":
        """A Python file's ``ast`` (CPython's parser, guarded against hostile nesting), or None
        when the file cannot be read or compiled (then :attr:`problem` says why: MW002)."""
        if not self._tree_done:
            self._tree_done = True
            text = self.text
            if text is not None and self.kind == "python":
                from modelw_lint.lang import pyguard

                # A UTF-8 byte order mark is no Python: parsed without it (positions on line 1
                # are shifted back in _char_column), kept in the text that edits apply to.
                source = text[1:] if text.startswith("\ufeff") else text
                try:
                    self._tree = pyguard.parse(source)
                except pyguard.TooDeep as exc:
                    self.problem = FileProblem(UNPARSABLE, f"cannot parse: {exc}", exc.line)
                except SyntaxError as exc:
                    version = ".".join(map(str, sys.version_info[:3]))
                    if pyguard.newer_syntax(source, exc.lineno or 1):
                        self._tree = self._read_newer(source)
                        if self._tree is not None:
                            return self._tree
                        message = (
                            f"cannot parse with Python {version}: the file is written for a newer Python ({exc.msg}) "
                            "and could not be rewritten for this one; run modelw-lint with the Python the project uses"
                        )
                    else:
                        message = f"cannot parse: Python syntax error (as Python {version} reads it): {exc.msg}"
                    self.problem = FileProblem(UNPARSABLE, message, exc.lineno or 1, exc.offset or 1)
                except (ValueError, RecursionError, MemoryError) as exc:
                    self.problem = FileProblem(UNPARSABLE, f"cannot parse: {exc}")
        return self._tree

    @property
    def module(self) -> "ast.Module":
        """:attr:`tree` where it is known to be there: in a rule's ``check_file`` on a Python
        file (the engine checks a file only once it is parsed). ``ValueError`` elsewhere."""
        tree = self.tree
        if tree is None:
            raise ValueError(f"{self.path} was not parsed as Python")
        return tree

    def _read_newer(self, source: str) -> "ast.Module | None":
        """The ``ast`` of a file written for a newer Python (3.12 f-strings and type
        parameters, 3.14 ``except A, B:`` and t-strings), read through a rewrite into this
        Python's syntax that keeps every line where it is (:func:`pyguard.downgrade`)."""
        from modelw_lint.lang import pyguard

        try:
            found = pyguard.downgrade(source)
            if found is None:
                return None
            tree = pyguard.parse(found[0])
        except (pyguard.TooDeep, SyntaxError, ValueError, RecursionError, MemoryError):
            return None
        self.rewritten_lines = sorted(set(found[1]))
        return tree

    # -- Python metadata -----------------------------------------------------------------------

    def metadata(self, provider: Any) -> Any:
        """libcst metadata for this file (resolved on first use, for this file only)."""
        if provider not in self._metadata:
            import libcst.metadata as md

            if self._wrapper is None:
                self._wrapper = md.MetadataWrapper(self.parsed, unsafe_skip_copy=True)
            self._metadata[provider] = self._wrapper.resolve(provider)
        return self._metadata[provider]

    def range_of(self, node: Any) -> tuple[int, int, int, int]:
        """(line, column, end_line, end_column) of an ``ast`` or libcst node; 1-based.

        ``ast`` nodes carry their positions (columns converted from UTF-8 bytes to
        characters). For libcst nodes, a node whose source text occurs exactly once in the file
        is located by a text search (libcst is lossless); others fall back to libcst's
        PositionProvider, which costs about three parses.
        """
        import ast

        if isinstance(node, ast.AST):
            located: Any = node  # expressions and statements carry their positions
            line, end_line = located.lineno, located.end_lineno or located.lineno
            col = self._char_column(line, located.col_offset)
            end_col = self._char_column(end_line, located.end_col_offset if located.end_col_offset is not None else located.col_offset)
            return line, col + 1, end_line, end_col + 1
        import libcst

        if not isinstance(node, (libcst.SimpleStatementLine, libcst.BaseCompoundStatement, libcst.Module)):
            code = self.parsed.code_for_node(node)
            text = self.text or ""
            if len(code) >= 6:
                start = text.find(code)
                if start >= 0 and text.find(code, start + 1) < 0:
                    end = start + len(code)
                    line, end_line = self.line_of(start), self.line_of(end)
                    return line, start - self.line_starts[line - 1] + 1, end_line, end - self.line_starts[end_line - 1] + 1
        from libcst.metadata import PositionProvider

        pos = self.metadata(PositionProvider)[node]
        return pos.start.line, pos.start.column + 1, pos.end.line, pos.end.column + 1

    def _char_column(self, line: int, byte_column: int) -> int:
        """The character column of a UTF-8 byte column on a line (ast counts bytes; on the first
        line of a file that starts with a byte order mark, from after it)."""
        text = self.line_text(line)
        shift = 0
        if line == 1 and text.startswith("\ufeff"):
            text, shift = text[1:], 1
        if text.isascii():
            return byte_column + shift
        return len(text.encode("utf-8", "surrogateescape")[:byte_column].decode("utf-8", "ignore")) + shift

    def span_of(self, node: Any) -> tuple[int, int]:
        """Character offsets (start, end) of a node in the text."""
        line, col, end_line, end_col = self.range_of(node)
        return self.offset(line, col - 1), self.offset(end_line, end_col - 1)


def _read_bytes(path: str, limit: int | None = None) -> bytes:
    """At most ``limit + 1`` bytes of the file (a file that grows is caught, never read whole)."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))  # a FIFO swapped in cannot block
    with os.fdopen(fd, "rb") as fh:
        return fh.read() if limit is None else fh.read(limit + 1)


_BOMS = ((b"\xff\xfe\x00\x00", "UTF-32"), (b"\x00\x00\xfe\xff", "UTF-32"), (b"\xff\xfe", "UTF-16"), (b"\xfe\xff", "UTF-16"))


def decode_text(data: bytes, file: "SourceFile") -> str | None:
    """The text of a file's bytes, or None with an MW001 problem saying why it is not UTF-8
    text. A UTF-8 byte order mark is accepted (and kept, so offsets stay those of the file)."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            file.problem = FileProblem(UNREADABLE, f"cannot read: {name} text (it starts with a {name} byte order mark), not UTF-8")
            return None
    if b"\x00" in data[:8192]:
        file.problem = FileProblem(UNREADABLE, "skipped: binary content in a text file")
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        file.problem = FileProblem(
            UNREADABLE, f"cannot read: not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start})", line
        )
        return None


class ParseError(Exception):
    def __init__(self, message: str, line: int = 1, column: int = 1):
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column


def parse_text(kind: str, text: str) -> Any:
    """Parse ``text`` as ``kind``; raise :class:`ParseError` with a position on failure.

    Input nested deeper than a parser can take (a hostile file) is a ParseError too, never a
    crash: Python files pass :mod:`modelw_lint.lang.pyguard` first, the other parsers' recursion
    errors are caught."""
    try:
        return _parse(kind, text)
    except (RecursionError, MemoryError):
        return _raise(f"{kind} nested too deeply to parse")


def _parse(kind: str, text: str) -> Any:
    if kind == "python":
        import libcst

        from modelw_lint.lang import pyguard

        try:
            pyguard.check(text)
        except pyguard.TooDeep as exc:
            return _raise(str(exc), exc.line)
        try:
            return libcst.parse_module(text)
        except libcst.ParserSyntaxError as exc:
            return _raise(f"Python syntax error: {exc.message}", exc.raw_line, exc.raw_column + 1)
        except ValueError as exc:
            return _raise(f"Python syntax error: {exc}")
    if kind == "toml":
        try:
            return tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            m = re.search(r"line (\d+), column (\d+)", str(exc))
            line, col = (int(m.group(1)), int(m.group(2))) if m else (1, 1)
            return _raise(f"TOML error: {exc}", line, col)
    if kind == "yaml":
        import yaml

        try:
            return [doc for doc in yaml.compose_all(text, Loader=yaml.SafeLoader) if doc is not None]
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
            problem = getattr(exc, "problem", None) or (str(exc).splitlines() or ["malformed"])[0]
            return _raise(f"YAML error: {problem}", line, col)
    if kind == "json":
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            return _raise(f"JSON error: {exc.msg}", exc.lineno, exc.colno)
    if kind == "dotenv":
        return parse_dotenv(text)
    if kind == "dockerfile":
        from modelw_lint.lang.dockerfile import parse as parse_dockerfile

        return parse_dockerfile(text)
    return text


def _raise(message: str, line: int = 1, column: int = 1) -> NoReturn:
    raise ParseError(message, line, column)


def parse_dotenv(text: str) -> list[DotenvEntry]:
    """``KEY=value`` entries as python-dotenv reads them (quotes, escapes, ``export``, inline
    comments, values spanning lines), each at the line where it starts; lines that are not an
    assignment are left out, as python-dotenv leaves them."""
    import io

    from dotenv.parser import parse_stream

    return [
        DotenvEntry(b.key, b.value, b.original.line)
        for b in parse_stream(io.StringIO(text))
        if b.key is not None and b.value is not None and not b.error
    ]
