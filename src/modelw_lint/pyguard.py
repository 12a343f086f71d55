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
import io
import re
import tokenize

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
        tree = compile(text, "<file>", "exec", ast.PyCF_ONLY_AST, dont_inherit=True)
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
    if not lines:
        return False
    at = min(max(line - 1, 0), len(lines) - 1)
    start = at
    while start > 0 and not _STATEMENT_START.match(lines[start]):
        start -= 1
        if at - start > 2_000:
            return False
    end = at + 1
    while end < len(lines) and not _STATEMENT_START.match(lines[end]):
        end += 1
        if end - at > 2_000:
            return False
    snippet = "".join(lines[start:end])
    if len(snippet) > NEWER_SYNTAX_WINDOW:
        return False
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
