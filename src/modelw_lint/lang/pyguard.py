"""Refusing Python files that would crash or stall the parser, before libcst sees them.

libcst's native parser recurses once per level of nesting: about 2,500 nested brackets
overflow the C stack and kill the whole process (no exception to catch), and its time grows
with the square of an expression's depth (``lambda: lambda: …`` 2,500 deep takes minutes). A
file like that is hostile or generated, never hand-written: CPython itself refuses more than
200 nested brackets or 100 levels of indentation.

So a Python file is first compiled to an ``ast`` by CPython (C, guarded against deep input,
about ten times faster than libcst), and its depth measured without recursion. A file that
is too deep is refused with a reason (MW002). Code in a newer syntax than the running Python
understands falls back to a token scan that bounds the same depth.
"""

from __future__ import annotations

import ast
import bisect
import io
import re
import tokenize
from typing import Any

# Deeper than any hand-written module (the standard library and its usual dependencies stay
# under 100; generated tables reach 570) and shallow enough for libcst and for rules that
# recurse once per level under Python's default recursion limit.
MAX_DEPTH = 600
# libcst's cost grows with the square of an expression's depth: the sum of depth² over the
# statements deeper than :data:`DEEP` is kept under this (about 10 s of parsing at worst).
DEEP = 100
MAX_DEEP_COST = 6_000_000
# CPython's own limits: deeper input is not valid Python on any version.
MAX_BRACKETS = 200

_NESTING_MESSAGES = ("too many nested parentheses", "too many levels of indentation", "too complex")


class TooDeep(Exception):
    """The file is refused; ``str()`` says why, ``line`` where."""

    def __init__(self, message: str, line: int = 1):
        super().__init__(message)
        self.line = line


def parse(text: str) -> ast.Module:
    """The file's ``ast``; raises :class:`TooDeep` for input too deep to parse safely and
    ``SyntaxError`` (or ``ValueError`` for null bytes) for code this Python cannot compile."""
    try:
        tree = ast.parse(text, "<file>")
    except (RecursionError, MemoryError):
        raise TooDeep("nested too deeply for Python's own parser") from None
    except SyntaxError as exc:
        if any(m in str(exc.msg) for m in _NESTING_MESSAGES):
            raise TooDeep(f"{exc.msg} (Python's own limit)", exc.lineno or 1) from None
        raise
    _check_tree(tree)
    return tree


def check(text: str) -> ast.Module | None:
    """Guard a libcst parse: the file's ``ast`` when CPython can compile it (None when it
    cannot, for a reason other than depth: libcst may know a newer syntax, and a token scan
    bounds the depth instead); raises :class:`TooDeep` for input too deep to parse safely."""
    try:
        return parse(text)
    except SyntaxError:
        _check_tokens(text)
        return None
    except ValueError:  # source code string cannot contain null bytes
        return None


# A statement longer than this is not tried by :func:`newer_syntax` (it reports a plain error).
NEWER_SYNTAX_WINDOW = 20_000
_STATEMENT_START = re.compile(r"(?!(?:except|else|elif|finally)\b)[A-Za-z_@]")


def newer_syntax(text: str, line: int) -> bool:
    """True when code this Python cannot compile is valid in a newer Python, as far as
    libcst's grammar (which follows the newest releases) can tell: an f-string nesting its own
    quotes (3.12), ``type X = …`` (3.12), ``except A, B:`` (3.14)… Only the top-level
    statement around the error ``line`` is tried, and only when it is short: libcst's time
    grows with what it reads, and a hostile file must cost a finding, not minutes."""
    lines = text.splitlines(keepends=True)
    span = _statement_around(lines, line - 1)
    if span is None:
        return False
    snippet = "".join(lines[span[0]:span[1]])
    try:
        _check_tokens(snippet)
    except TooDeep:
        return False
    import libcst

    try:
        libcst.parse_module(snippet)
    except Exception:  # libcst's ParserSyntaxError, or anything its parser raises on odd input
        return False
    return True


# At most this many statements are rewritten by libcst in one file, and at most this much of
# its text: beyond it the file is reported as unreadable by this Python, never slowly read.
MAX_REWRITES = 1_000
MAX_REWRITTEN = 400_000  # characters of statements parsed by libcst (a second or two)


def downgrade(text: str) -> tuple[str, list[int]] | None:
    """The file rewritten, statement by statement, into syntax this Python compiles, for a
    file written for a newer Python: ``except A, B:`` gets its parentheses (3.14), type
    parameters (``def f[T]``, ``class C[T]``, 3.12) are dropped, ``type X = …`` becomes
    ``X = …``, a t-string becomes an f-string (3.14), an f-string nesting its own quotes or
    line breaks (3.12) takes triple quotes, the other quotes or, failing that, a placeholder
    for the expression. Lines stay where they were (columns of rewritten lines may move); the
    lines rewritten are returned with the text, which the caller parses (:func:`parse`). None
    when a statement is not valid in any Python libcst knows, or the file too costly to
    rewrite (then MW002 reports it).

    From the first statement CPython refuses, each top-level statement is compiled alone
    (once: linear in the file) and only the ones that fail are given to libcst; a statement
    that neither compiles nor rewrites alone is joined to the next (a split inside a string)."""
    lines = text.splitlines(keepends=True)
    try:
        compile(text, "<file>", "exec", ast.PyCF_ONLY_AST, dont_inherit=True)
        return text, []
    except SyntaxError as exc:
        span = _statement_around(lines, (exc.lineno or 1) - 1)
    except (ValueError, RecursionError, MemoryError):
        return None
    if span is None:
        return None
    first = span[0]
    starts = [i for i in range(first, len(lines)) if i == first or _STATEMENT_START.match(lines[i])]
    out = lines[:first]
    rewritten: list[int] = []
    budget = [MAX_REWRITTEN, MAX_REWRITES]
    i, width = 0, 1  # statements compiled together: doubled while they compile (linear overall)
    while i < len(starts):
        j = min(i + width, len(starts))
        end = starts[j] if j < len(starts) else len(lines)
        failed = _syntax_error_line(lines, starts[i], end)
        if failed is None:
            out.extend(lines[starts[i]:end])
            i, width = j, width * 2
            continue
        # The statements before the one CPython stopped at parsed: kept as they are.
        f = min(max(bisect.bisect_right(starts, failed) - 1, i), j - 1)
        out.extend(lines[starts[i]:starts[f]])
        a, k = starts[f], f + 1
        while True:  # the failing statement, joined to the next while it neither compiles nor rewrites
            b = starts[k] if k < len(starts) else len(lines)
            chunk = "".join(lines[a:b])
            if len(chunk) > NEWER_SYNTAX_WINDOW:
                return None
            if _compiles_module(chunk):
                out.extend(lines[a:b])
                break
            new = _rewrite_chunk(chunk, budget)
            if new is not None:
                out.extend(new.splitlines(keepends=True))
                rewritten.extend(range(a + 1, b + 1))
                break
            if k >= len(starts) or budget[0] <= 0 or budget[1] <= 0:
                return None
            k += 1
        i, width = k, 1
    return "".join(out), rewritten  # the caller parses it (and finds a statement split wrongly)


def _syntax_error_line(lines: list[str], start: int, end: int) -> int | None:
    """None when ``lines[start:end]`` compiles, else the (0-based, absolute) line of the error."""
    try:
        compile("".join(lines[start:end]), "<file>", "exec", ast.PyCF_ONLY_AST, dont_inherit=True)
        return None
    except SyntaxError as exc:
        return start + max((exc.lineno or 1) - 1, 0)
    except (ValueError, RecursionError, MemoryError):
        return start


def _compiles_module(code: str) -> bool:
    try:
        compile(code, "<file>", "exec", ast.PyCF_ONLY_AST, dont_inherit=True)
        return True
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False


def _rewrite_chunk(chunk: str, budget: list[int]) -> str | None:
    """A statement rewritten by libcst with the same number of lines, when the rewrite
    compiles; ``budget`` holds the characters and rewrites left."""
    budget[0] -= len(chunk)
    budget[1] -= 1
    if budget[0] < 0 or budget[1] < 0:
        return None
    new = _downgrade_statement(chunk)
    if new is None or new == chunk:
        return None
    missing = chunk.count("\n") - new.count("\n")
    if missing < 0:
        return None
    if chunk.endswith("\n") and not new.endswith("\n"):
        new += "\n"
        missing -= 1
    new += "\n" * max(missing, 0)  # a line break dropped inside the statement: lines after it stay put
    return new if _compiles_module(new) else None


def _statement_around(lines: list[str], at: int) -> tuple[int, int] | None:
    """The lines [start, end) of the top-level statement around line index ``at`` (from the
    previous line that starts a statement at column 0 to the next one), None when it is too
    long to try."""
    if not lines:
        return None
    at = min(max(at, 0), len(lines) - 1)
    start = at
    while start > 0 and not _STATEMENT_START.match(lines[start]):
        start -= 1
        if at - start > 2_000:
            return None
    end = at + 1
    while end < len(lines) and not _STATEMENT_START.match(lines[end]):
        end += 1
        if end - at > 2_000:
            return None
    if sum(len(line) for line in lines[start:end]) > NEWER_SYNTAX_WINDOW:
        return None
    return start, end


def _downgrade_statement(snippet: str) -> str | None:
    try:
        _check_tokens(snippet)
    except TooDeep:
        return None
    import libcst

    try:
        module = libcst.parse_module(snippet)
    except Exception:  # libcst's ParserSyntaxError, or anything its parser raises on odd input
        return None
    try:
        return str(module.visit(_Downgrade(module)).code)
    except Exception:  # a node libcst cannot rebuild: the file stays unread, as before
        return None


def _compiles(code: str) -> bool:
    try:
        compile(code, "<expr>", "eval", ast.PyCF_ONLY_AST, dont_inherit=True)
        return True
    except (SyntaxError, ValueError):
        return False


def _fits(code: str, quote: str) -> bool:
    """Whether an f-string's replacement field can stay in a Python 3.11 f-string quoted with
    ``quote``: no such quote, backslash, comment or line break inside."""
    return quote not in code and "\\" not in code and "#" not in code and "\n" not in code and "\r" not in code


def _make_downgrade() -> type:
    import libcst as cst

    class Downgrade(cst.CSTTransformer):
        """Newer syntax rewritten into the syntax of Python 3.11, keeping what rules read."""

        def __init__(self, module: cst.Module):
            super().__init__()
            self.module = module

        def leave_ExceptHandler(self, original: Any, updated: Any) -> Any:
            kind = updated.type
            if isinstance(kind, cst.Tuple) and not kind.lpar:
                return updated.with_changes(type=kind.with_changes(lpar=[cst.LeftParen()], rpar=[cst.RightParen()]))
            return updated

        def leave_ExceptStarHandler(self, original: Any, updated: Any) -> Any:
            return self.leave_ExceptHandler(original, updated)

        def leave_FunctionDef(self, original: Any, updated: Any) -> Any:
            return updated.with_changes(type_parameters=None) if updated.type_parameters is not None else updated

        def leave_ClassDef(self, original: Any, updated: Any) -> Any:
            return self.leave_FunctionDef(original, updated)

        def leave_TypeAlias(self, original: Any, updated: Any) -> Any:
            return cst.Assign(targets=[cst.AssignTarget(target=updated.name)], value=updated.value)

        def leave_TemplatedString(self, original: Any, updated: Any) -> Any:
            code = self.module.code_for_node(updated)
            quote = min((i for i in (code.find("'"), code.find('"')) if i >= 0), default=-1)
            if quote < 0:
                return updated
            prefix = code[:quote].replace("t", "f").replace("T", "F")
            try:
                converted = cst.parse_expression(prefix + code[quote:])
            except Exception:
                return cst.SimpleString('""')
            return self._old_fstring(converted)

        def leave_FormattedString(self, original: Any, updated: Any) -> Any:
            return self._old_fstring(updated)

        def _old_fstring(self, node: Any) -> Any:
            """An f-string Python 3.11 reads: nested quotes swapped, else a placeholder."""
            if not isinstance(node, cst.FormattedString) or _compiles(self.module.code_for_node(node)):
                return node
            outer = node.end[-1] if node.end else '"'
            if len(node.end) == 1:  # triple quotes keep line breaks and the other quotes in fields (3.11)
                quote = node.start[-1]
                tripled = node.with_changes(start=node.start + quote * 2, end=node.end * 3)
                if _compiles(self.module.code_for_node(tripled)):
                    return tripled
            other = "'" if outer == '"' else '"'
            parts = []
            for part in node.parts:
                if isinstance(part, cst.FormattedStringExpression) and not _fits(self.module.code_for_node(part), outer):
                    part = part.with_changes(
                        whitespace_before_expression=cst.SimpleWhitespace(""), whitespace_after_expression=cst.SimpleWhitespace(""),
                    )
                    code = self.module.code_for_node(part.expression)
                    if not _fits(code, outer) and _fits(code, other):
                        try:
                            part = part.with_changes(expression=cst.parse_expression(code.replace(outer, other)))
                        except Exception:
                            pass
                    if not _fits(self.module.code_for_node(part), outer):
                        part = part.with_changes(expression=cst.Name("__modelw_lint_newer_syntax__"), format_spec=None)
                parts.append(part)
            return node.with_changes(parts=parts)

    return Downgrade


_DOWNGRADE: type | None = None


def _Downgrade(module: Any) -> Any:  # noqa: N802  (a class, built on first use: libcst loads only when needed)
    global _DOWNGRADE
    if _DOWNGRADE is None:
        _DOWNGRADE = _make_downgrade()
    return _DOWNGRADE(module)


def _check_tree(tree: ast.Module) -> None:
    cost = 0
    for top in tree.body:
        depth = _depth(top)
        if depth > MAX_DEPTH:
            raise TooDeep(f"nested {MAX_DEPTH}+ levels deep: more than modelw-lint parses (a generated file?)", top.lineno)
        if depth > DEEP:
            cost += depth * depth
            if cost > MAX_DEEP_COST:
                raise TooDeep("too many deeply nested expressions to parse in reasonable time (a generated file?)", top.lineno)


def _depth(node: ast.AST) -> int:
    """The depth of the tree under ``node``, stopping early beyond :data:`MAX_DEPTH`."""
    best = 0
    stack = [(node, 1)]
    children = ast.iter_child_nodes
    while stack:
        current, depth = stack.pop()
        if depth > best:
            best = depth
            if best > MAX_DEPTH:
                return best
        for child in children(current):
            stack.append((child, depth + 1))
    return best


# Tokens that nest an expression one level deeper without a bracket (``-x``, ``not x``,
# ``a.b``, ``lambda: x``, ``a if b else c``…).
_CHAIN_OPS = frozenset(".-+~*/%@&|^<>=!:")
_CHAIN_NAMES = frozenset({"not", "lambda", "if", "else", "await", "and", "or", "in", "is"})


def _check_tokens(text: str) -> None:
    """An upper bound of the nesting from tokens: brackets, plus the operators chained
    between two commas at each bracket level."""
    levels = [0]  # chain length at each open bracket level
    line = 1
    try:
        for tok in tokenize.generate_tokens(io.StringIO(text).readline):
            line = tok.start[0]
            if tok.type == tokenize.OP:
                if tok.string in "([{":
                    levels.append(0)
                    if len(levels) - 1 > MAX_BRACKETS:
                        raise TooDeep(f"more than {MAX_BRACKETS} nested brackets (Python's own limit)", line)
                    continue
                if tok.string in ")]}":
                    if len(levels) > 1:
                        levels.pop()
                    continue
                if tok.string in (",", ";"):
                    levels[-1] = 0
                    continue
                if tok.string[0] in _CHAIN_OPS:
                    levels[-1] += 1
            elif tok.type == tokenize.NAME and tok.string in _CHAIN_NAMES:
                levels[-1] += 1
            elif tok.type in (tokenize.NEWLINE, tokenize.ENDMARKER):
                levels = [0]
                continue
            else:
                continue
            if len(levels) + sum(levels) > MAX_DEPTH:
                raise TooDeep(f"nested {MAX_DEPTH}+ levels deep: more than modelw-lint parses (a generated file?)", line)
    except (tokenize.TokenError, SyntaxError, IndentationError):
        return  # libcst reports the syntax error itself; what was scanned is shallow enough
