"""`modelw-lint server` as an editor talks to it: JSON-RPC over stdio with LSP's framing. It
answers initialize, publishes a diagnostic for a drift in an open settings file (the buffer
as typed, not yet saved), clears it when the buffer is fixed, and returns the fix as a
quick-fix code action whose edit is the file as `--fix` writes it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import queue

import pytest
from modelw_lint_rules._examples import SETTINGS_PATH, SETTINGS_PY, model_w_repo

from modelw_lint.testing import write_files

TOOL = os.path.join(os.path.dirname(sys.executable), "modelw-lint")
TIMEOUT = 60


class Client:
    """A minimal LSP client: requests, notifications, and what the server sends."""

    def __init__(self, cwd):
        self.proc = subprocess.Popen([TOOL, "server"], cwd=cwd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE)
        self.inbox: queue.Queue = queue.Queue()
        self.next_id = 0
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        out = self.proc.stdout
        while True:
            headers = {}
            while True:
                line = out.readline()
                if not line:
                    return
                line = line.decode("ascii").strip()
                if not line:
                    break
                name, _, value = line.partition(":")
                headers[name.lower()] = value.strip()
            body = out.read(int(headers["content-length"]))
            self.inbox.put(json.loads(body))

    def send(self, payload):
        data = json.dumps(payload).encode("utf-8")
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(data) + data)
        self.proc.stdin.flush()

    def request(self, method, params):
        self.next_id += 1
        self.send({"jsonrpc": "2.0", "id": self.next_id, "method": method, "params": params})
        return self.wait(lambda m: m.get("id") == self.next_id and "method" not in m)

    def notify(self, method, params):
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def wait(self, match):
        while True:
            try:
                message = self.inbox.get(timeout=TIMEOUT)
            except queue.Empty:
                pytest.fail("the server did not answer: " + self.proc.stderr.read1(65536).decode("utf-8", "replace"))
            if message.get("method") == "window/logMessage" and message["params"]["type"] == 1:
                pytest.fail(f"the server logged an error: {message['params']['message']}")
            if match(message):
                return message

    def diagnostics(self, uri):
        return self.wait(lambda m: m.get("method") == "textDocument/publishDiagnostics" and m["params"]["uri"] == uri)["params"]

    def close(self):
        self.request("shutdown", None)
        self.notify("exit", None)
        self.proc.wait(timeout=TIMEOUT)


@pytest.fixture
def repo(tmp_path):
    root = tmp_path / "project"
    write_files(str(root), model_w_repo())
    for args in (["init", "-q"], ["add", "-A"], ["-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "x"]):
        subprocess.run(["git", *args], cwd=root, check=True, capture_output=True)
    return root


def test_diagnostics_and_quick_fix_over_stdio(repo):
    client = Client(repo)
    try:
        init = client.request("initialize", {"processId": os.getpid(), "rootUri": f"file://{repo}", "capabilities": {}})
        capabilities = init["result"]["capabilities"]
        assert init["result"]["serverInfo"]["name"] == "modelw-lint"
        assert capabilities["codeActionProvider"] and capabilities["textDocumentSync"]
        client.notify("initialized", {})
        uri = f"file://{repo / SETTINGS_PATH}"
        drifted = SETTINGS_PY.replace("    LANGUAGES", '    SECRET_KEY = "hunter2-not-from-the-environment"\n    LANGUAGES')
        line = drifted.splitlines().index('    SECRET_KEY = "hunter2-not-from-the-environment"')
        # Opened with the drift typed in the editor, not saved: the disk's file is clean.
        client.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "python", "version": 1, "text": drifted}})
        published = client.diagnostics(uri)
        [diag] = [d for d in published["diagnostics"] if d["code"] == "MW201"]
        assert diag["source"] == "modelw-lint" and diag["severity"] == 1
        assert diag["range"]["start"] == {"line": line, "character": 4}
        assert "literal SECRET_KEY" in diag["message"] and diag["codeDescription"]["href"].endswith("#mw201-hardcoded-secret-key")
        reply = client.request("textDocument/codeAction", {
            "textDocument": {"uri": uri}, "range": diag["range"], "context": {"diagnostics": [diag]},
        })
        [action] = [a for a in reply["result"] if "MW201" in a["title"]]
        assert action["kind"] == "quickfix" and action["isPreferred"] is True
        [edit] = action["edit"]["changes"][uri]
        assert edit["newText"] == SETTINGS_PY, "the file as --fix writes it"
        # The editor applies it: the diagnostic goes.
        client.notify("textDocument/didChange", {
            "textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"text": edit["newText"]}],
        })
        assert [d for d in client.diagnostics(uri)["diagnostics"] if d["code"] == "MW201"] == []
        client.close()
    finally:
        client.proc.kill()
    assert (repo / SETTINGS_PATH).read_text() == SETTINGS_PY, "the server never writes"


def test_a_file_outside_the_repository_gets_no_diagnostic(repo, tmp_path):
    client = Client(repo)
    try:
        client.request("initialize", {"processId": os.getpid(), "rootUri": f"file://{repo}", "capabilities": {}})
        client.notify("initialized", {})
        other = tmp_path / "elsewhere.py"
        uri = f"file://{other}"
        client.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "python", "version": 1,
                                                                "text": 'SECRET_KEY = "x"\n'}})
        reply = client.request("textDocument/codeAction", {
            "textDocument": {"uri": uri}, "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 1}},
            "context": {"diagnostics": []},
        })
        assert reply["result"] == []
        client.close()
    finally:
        client.proc.kill()
