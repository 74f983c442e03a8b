"""A small Language Server Protocol client over stdio, for tests: start a server, open files, read its
diagnostics, ask for completions and hovers.

JSON-RPC messages are ``Content-Length`` framed; a reader thread puts every message the server sends on a
queue, and answers the requests a server makes of its client (``workspace/configuration`` with the
settings given, everything else with ``null``) so that it never waits on us.
"""

from __future__ import annotations

import json
import queue
import subprocess
import threading
import time
from pathlib import Path
from typing import Any


class LspError(RuntimeError):
    pass


class Client:
    def __init__(self, argv: list[str], root: Path, settings: dict | None = None, *, locale: str = "zh-cn",
                 timeout: float = 60.0):
        self.settings = settings or {}
        self.timeout = timeout
        self.proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                     cwd=root)
        self.inbox: queue.Queue = queue.Queue()
        self.diagnostics: dict[str, list[dict]] = {}
        self.versions: dict[str, int] = {}
        self._diag_seen = threading.Condition()
        self._next_id = 0
        self._pending: dict[int, queue.Queue] = {}
        self._lock = threading.Lock()
        self.stderr: list[bytes] = []
        threading.Thread(target=self._read, daemon=True).start()
        threading.Thread(target=self._drain_stderr, daemon=True).start()
        self.request("initialize", {
            "processId": None, "rootUri": root.resolve().as_uri(), "locale": locale,
            "workspaceFolders": [{"uri": root.resolve().as_uri(), "name": root.name}],
            "capabilities": {
                "workspace": {"configuration": True, "didChangeConfiguration": {"dynamicRegistration": True}},
                "textDocument": {
                    "publishDiagnostics": {"relatedInformation": True},
                    "completion": {"completionItem": {"snippetSupport": True,
                                                      "documentationFormat": ["markdown", "plaintext"]}},
                    "hover": {"contentFormat": ["markdown", "plaintext"]},
                },
            },
        })
        self.notify("initialized", {})
        self.notify("workspace/didChangeConfiguration", {"settings": self.settings})

    # --- framing ------------------------------------------------------------------------------

    def _send(self, message: dict) -> None:
        body = json.dumps(message, ensure_ascii=False).encode("utf-8")
        with self._lock:
            self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
            self.proc.stdin.flush()

    def _read(self) -> None:
        out = self.proc.stdout
        while True:
            length = None
            while True:
                line = out.readline()
                if not line:
                    return
                line = line.strip()
                if not line:
                    break
                name, _, value = line.partition(b":")
                if name.lower() == b"content-length":
                    length = int(value)
            if length is None:
                continue
            message = json.loads(out.read(length).decode("utf-8"))
            self._dispatch(message)

    def _drain_stderr(self) -> None:
        for line in self.proc.stderr:
            self.stderr.append(line)

    def _dispatch(self, message: dict) -> None:
        if "method" in message and "id" in message:  # a request of the server's
            result: Any = None
            if message["method"] == "workspace/configuration":
                result = [self._section(item.get("section")) for item in message["params"]["items"]]
            self._send({"jsonrpc": "2.0", "id": message["id"], "result": result})
        elif "method" in message:
            if message["method"] == "textDocument/publishDiagnostics":
                with self._diag_seen:
                    self.diagnostics[message["params"]["uri"]] = message["params"]["diagnostics"]
                    self._diag_seen.notify_all()
            self.inbox.put(message)
        elif "id" in message and message["id"] in self._pending:
            self._pending.pop(message["id"]).put(message)

    def _section(self, section: str | None):
        node: Any = self.settings
        for part in (section or "").split("."):
            if not part:
                continue
            node = node.get(part) if isinstance(node, dict) else None
        return node

    # --- requests -----------------------------------------------------------------------------

    def request(self, method: str, params: dict) -> Any:
        self._next_id += 1
        box: queue.Queue = queue.Queue()
        self._pending[self._next_id] = box
        self._send({"jsonrpc": "2.0", "id": self._next_id, "method": method, "params": params})
        try:
            reply = box.get(timeout=self.timeout)
        except queue.Empty:
            raise LspError(f"{method}: no answer in {self.timeout} s; stderr: {self.err()}") from None
        if "error" in reply:
            raise LspError(f"{method}: {reply['error']}")
        return reply.get("result")

    def notify(self, method: str, params: dict) -> None:
        self._send({"jsonrpc": "2.0", "method": method, "params": params})

    def err(self) -> str:
        return b"".join(self.stderr[-20:]).decode("utf-8", "replace")

    # --- documents ----------------------------------------------------------------------------

    def open(self, path: Path, text: str | None = None) -> list[dict]:
        """Open *path* (with *text*, else its content) and return the diagnostics published for it."""
        uri = path.resolve().as_uri()
        text = path.read_text(encoding="utf-8") if text is None else text
        with self._diag_seen:
            self.diagnostics.pop(uri, None)
        if uri in self.versions:
            self.versions[uri] += 1
            self.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": self.versions[uri]},
                                                   "contentChanges": [{"text": text}]})
        else:
            self.versions[uri] = 1
            self.notify("textDocument/didOpen", {"textDocument": {
                "uri": uri, "languageId": "yaml", "version": 1, "text": text}})
        return self.wait_diagnostics(uri)

    def wait_diagnostics(self, uri: str) -> list[dict]:
        deadline = time.monotonic() + self.timeout
        with self._diag_seen:
            while uri not in self.diagnostics:
                left = deadline - time.monotonic()
                if left <= 0 or self.proc.poll() is not None:
                    raise LspError(f"no diagnostics for {uri}; stderr: {self.err()}")
                self._diag_seen.wait(left)
            return self.diagnostics[uri]

    def completion(self, path: Path, line: int, character: int) -> list[dict]:
        """Completion items at 0-based *line*, *character*."""
        result = self.request("textDocument/completion", {
            "textDocument": {"uri": path.resolve().as_uri()}, "position": {"line": line, "character": character}})
        if isinstance(result, dict):
            return result.get("items", [])
        return result or []

    def hover(self, path: Path, line: int, character: int) -> str:
        result = self.request("textDocument/hover", {
            "textDocument": {"uri": path.resolve().as_uri()}, "position": {"line": line, "character": character}})
        if not result:
            return ""
        contents = result["contents"]
        if isinstance(contents, dict):
            return contents.get("value", "")
        if isinstance(contents, list):
            return "\n".join(c if isinstance(c, str) else c.get("value", "") for c in contents)
        return str(contents)

    def close(self) -> None:
        try:
            self.request("shutdown", {})
            self.notify("exit", {})
            self.proc.wait(timeout=10)
        except Exception:  # noqa: BLE001 - a server that will not stop is killed
            self.proc.kill()
            self.proc.wait()
