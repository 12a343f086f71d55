"""``modelw-lint server``: a language server (LSP over stdio, built on pygls) for editors.

Each time a document opens, changes or is saved, the whole repository is checked with the
editor's unsaved buffers as an overlay (what the engine's fix passes use), and every open
file of the repository gets its diagnostics: the findings on it, with the rule's code, a
link to its docs and the severity. A finding with a fix offers it as a quick-fix code action:
the file as ``--fix`` would write it (imports the fix leaves unused removed, the result
parsed), safe fixes preferred, unsafe ones marked as such. The result cache is used, so a
change costs about what the pre-commit hook does.

The editor's text never reaches disk from here: the server only reads.
"""

from __future__ import annotations

import os
import urllib.parse
import urllib.request
from typing import Any

from modelw_lint import __version__
from modelw_lint.core.finding import Finding, FixSafety, Severity

SEVERITY = {Severity.ERROR: 1, Severity.WARNING: 2, Severity.INFO: 3}  # LSP's DiagnosticSeverity


def path_of(uri: str) -> str | None:
    """The local path of a ``file://`` URI (None for another scheme: an untitled buffer)."""
    parsed = urllib.parse.urlparse(uri)
    if parsed.scheme != "file":
        return None
    return os.path.normpath(urllib.request.url2pathname(parsed.path))


def uri_of(path: str) -> str:
    return "file://" + urllib.parse.quote(os.path.abspath(path))


def utf16_column(line: str, column: int) -> int:
    """LSP counts a line's characters in UTF-16 code units: the 0-based position of the
    1-based code point ``column``."""
    prefix = line[: max(column - 1, 0)]
    return len(prefix.encode("utf-16-le", "surrogatepass")) // 2


class Session:
    """The repository the editor works in, and the last run's findings."""

    def __init__(self, folder: str):
        from modelw_lint.project.inventory import find_root

        self.root = find_root(os.path.abspath(folder))
        self.open: dict[str, str] = {}  # repository path -> the editor's text
        self.uris: dict[str, str] = {}  # repository path -> the URI the editor uses
        self.findings: dict[str, list[Finding]] = {}
        self.project: Any = None
        self.errors: list[str] = []

    def relative(self, uri: str) -> str | None:
        path = path_of(uri)
        if path is None:
            return None
        rel = os.path.relpath(path, self.root)
        if rel.startswith("..") or os.path.isabs(rel):
            return None
        return rel.replace(os.sep, "/")

    def check(self) -> dict[str, list[Finding]]:
        """Check the repository with the open buffers over the disk's files; the findings of
        each open file."""
        from modelw_lint.engine.cache import DEFAULT_DIR
        from modelw_lint.cli.checking import registry_and_config
        from modelw_lint.config import ConfigError
        from modelw_lint.engine.linter import Linter

        try:
            root, config, registry = registry_and_config(self.root, None, False)
            linter = Linter(root, config, registry, cache_dir=os.path.join(root, DEFAULT_DIR))
            overlay: dict[str, str | None] = {p: t for p, t in self.open.items() if p in linter.inventory.files}
            result = linter.run(overlay=overlay or None)
        except ConfigError as exc:
            self.errors = [str(exc)]
            return {p: [] for p in self.open}
        self.errors = list(result.errors)
        self.project = result.project
        by_path: dict[str, list[Finding]] = {p: [] for p in self.open}
        for f in result.findings:
            if f.path in by_path:
                by_path[f.path].append(f)
        self.findings = by_path
        return by_path

    def diagnostic(self, f: Finding) -> Any:
        from lsprotocol import types

        from modelw_lint.report.docs import anchor, docs_url

        text = self.open.get(f.path, "")
        lines = text.splitlines() or [""]
        start_line = min(max(f.line - 1, 0), len(lines) - 1)
        end_line = min(max(f.end_line - 1, start_line), len(lines) - 1)
        start = utf16_column(lines[start_line], f.column)
        end = utf16_column(lines[end_line], f.end_column)
        if (end_line, end) <= (start_line, start):  # a point: the rest of its line
            end_line, end = start_line, len(lines[start_line].encode("utf-16-le", "surrogatepass")) // 2
        return types.Diagnostic(
            range=types.Range(types.Position(start_line, start), types.Position(end_line, end)),
            message=f.message,
            severity=types.DiagnosticSeverity(SEVERITY[f.severity]),
            code=f.code,
            code_description=types.CodeDescription(href=f"{docs_url()}#{anchor(f)}"),
            source="modelw-lint",
        )

    def actions(self, path: str, start_line: int, end_line: int) -> list[Any]:
        """Quick fixes for the findings of ``path`` on lines ``start_line``..``end_line``
        (0-based): each finding's fix, as ``--fix`` would apply it."""
        from lsprotocol import types

        from modelw_lint.fix.fixer import apply_fixes

        out = []
        for f in self.findings.get(path, []):
            if f.fix is None or not (start_line <= f.line - 1 <= end_line or start_line <= f.end_line - 1 <= end_line):
                continue
            changes, done, _bad = apply_fixes(self.project, [f])
            if not done:
                continue
            edits = {}
            for changed, new in changes.items():
                old = self.open.get(changed)
                if old is None:
                    file = self.project.file(changed)
                    old = (file.text if file is not None else "") or ""
                edits[self.uris.get(changed) or uri_of(os.path.join(self.root, changed))] = [whole_text_edit(old, new)]
            unsafe = f.fix.safety is not FixSafety.SAFE
            out.append(types.CodeAction(
                title=f"Fix {f.code}: {f.fix.description}" + (" (unsafe: may change behaviour)" if unsafe else ""),
                kind=types.CodeActionKind.QuickFix,
                diagnostics=[self.diagnostic(f)],
                edit=types.WorkspaceEdit(changes=edits),
                is_preferred=not unsafe,
            ))
        return out


def whole_text_edit(old: str, new: str) -> Any:
    """A TextEdit replacing the whole of ``old`` with ``new`` (LSP positions in UTF-16)."""
    from lsprotocol import types

    lines = old.split("\n")
    end = types.Position(len(lines) - 1, len(lines[-1].encode("utf-16-le", "surrogatepass")) // 2)
    return types.TextEdit(range=types.Range(types.Position(0, 0), end), new_text=new)


def make_server() -> Any:
    """The pygls server with its handlers (built on call: pygls loads only for ``server``)."""
    from lsprotocol import types
    from pygls.lsp.server import LanguageServer

    server = LanguageServer("modelw-lint", __version__, text_document_sync_kind=types.TextDocumentSyncKind.Full)
    state: dict[str, Session] = {}

    def session(ls: Any) -> Session:
        if "s" not in state:
            folder = ls.workspace.root_path or os.getcwd()
            state["s"] = Session(folder)
        return state["s"]

    def publish(ls: Any) -> None:
        s = session(ls)
        found = s.check()
        for path, findings in found.items():
            ls.text_document_publish_diagnostics(types.PublishDiagnosticsParams(
                uri=s.uris[path], diagnostics=[s.diagnostic(f) for f in findings],
            ))
        for error in s.errors:
            ls.window_log_message(types.LogMessageParams(type=types.MessageType.Error, message=f"modelw-lint: {error}"))

    def remember(ls: Any, uri: str) -> None:
        s = session(ls)
        path = s.relative(uri)
        if path is None:
            return
        s.open[path] = ls.workspace.get_text_document(uri).source
        s.uris[path] = uri

    def refresh(ls: Any, params: Any) -> None:
        """A document opened, changed or saved: check again, publish for every open file."""
        remember(ls, params.text_document.uri)
        publish(ls)

    for method in (types.TEXT_DOCUMENT_DID_OPEN, types.TEXT_DOCUMENT_DID_CHANGE, types.TEXT_DOCUMENT_DID_SAVE):
        server.feature(method)(refresh)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: Any, params: types.DidCloseTextDocumentParams) -> None:
        s = session(ls)
        path = s.relative(params.text_document.uri)
        if path is not None:
            s.open.pop(path, None)
            s.uris.pop(path, None)
            s.findings.pop(path, None)
        ls.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=params.text_document.uri, diagnostics=[]))

    @server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix]),
    )
    def code_action(ls: Any, params: types.CodeActionParams) -> list[types.CodeAction]:
        s = session(ls)
        path = s.relative(params.text_document.uri)
        if path is None:
            return []
        return s.actions(path, params.range.start.line, params.range.end.line)

    return server


def serve() -> None:
    """Run the server on stdin/stdout until the editor shuts it down."""
    make_server().start_io()
