"""``jianbao lsp``: a language server that shows ``jianbao check``'s own diagnostics as the file is typed.

The JSON Schemas (:mod:`jianbao.schema`) let any YAML editor see the shape of a file; this server adds
what only check knows — placeholders, punctuation, numbering typed by hand, dates that do not exist in
text, templates and figures — with the same codes, Chinese messages, hints and places.  It speaks LSP over
stdio (pygls), so Neovim, Helix and VS Code (through a generic LSP client) can run it beside
yaml-language-server.

* An issue file (``issues/*.yaml``): on open, change and save, what ``jianbao check FILE`` reports for the
  buffer's text (:func:`jianbao.check_series.check_text`; jianbao.yaml and the neighbours read for
  prev/ytd are read from disk).  Diagnostics that belong to jianbao.yaml are published for that file.
* ``jianbao.yaml``: its validation (JB1xx), as the buffer stands.
* A quick fix (code action) where one answer is right: a misspelled key (JB103 “是不是要写 number？”)
  is replaced by the field check suggests.  The rewrites of ``check --fix`` are not offered yet.
* The command ``jianbao.build`` (``workspace/executeCommand`` with the file's URI) builds the saved file
  as ``jianbao build FILE`` does and answers with the path of the .docx, or the diagnostics' text;
  ``jianbao.preview`` also makes its PDF and page images, as ``jianbao preview FILE`` does.

Neither ever writes a source file.
"""

from __future__ import annotations

import re
from pathlib import Path

from . import __version__
from .diagnostics import Diagnostic, Severity

SOURCE = "jianbao"
BUILD_COMMAND = "jianbao.build"
PREVIEW_COMMAND = "jianbao.preview"


def diagnostics_for(path: Path, text: str) -> list[Diagnostic]:
    """What jianbao reports for *path* if it held *text*."""
    from .diagnostics import JianbaoError
    from .office import SETTINGS

    if path.name == SETTINGS:
        from .load import load_yaml
        from .model import SeriesFile
        from .validate import validate

        try:
            validate(load_yaml(path, text), SeriesFile)
        except JianbaoError as exc:
            return exc.diagnostics
        return []
    from .check_series import check_text

    try:
        return check_text(path, text)
    except JianbaoError as exc:  # pragma: no cover - check_text turns every input error into diagnostics
        return exc.diagnostics


def _utf16(line: str, column: int) -> int:
    """LSP counts UTF-16 code units; jianbao counts characters (1-based)."""
    return len(line[: max(0, column - 1)].encode("utf-16-le")) // 2


def to_lsp(d: Diagnostic, lines: list[str]):
    """One jianbao diagnostic as an LSP one (message + hint, code, severity, range)."""
    from lsprotocol import types

    row = max(0, (d.line or 1) - 1)
    text = lines[row] if row < len(lines) else ""
    start = _utf16(text, d.column or 1)
    end = _utf16(text, (d.column or 1) + max(1, d.width)) if d.line else start
    hint = d.hint if d.hint is not None else d.rule.hint
    message = d.message + (f"\n提示：{hint}" if hint else "")
    for note in d.notes:
        message += f"\n{note}"
    return types.Diagnostic(
        range=types.Range(start=types.Position(line=row, character=start),
                          end=types.Position(line=row, character=max(end, start + 1))),
        message=message,
        severity=types.DiagnosticSeverity.Error if d.severity is Severity.ERROR else types.DiagnosticSeverity.Warning,
        code=d.code,
        source=SOURCE,
    )


_DID_YOU_MEAN = re.compile(r"提示：是不是要写 (\S+?)？")


def quick_fix(code, message: str) -> tuple[str, str] | None:
    """(title, replacement text) for a diagnostic this server published, when one fix is right."""
    if code == "JB103":
        m = _DID_YOU_MEAN.search(message)
        if m:
            return f"改为 {m.group(1)}", m.group(1)
    return None


def _path_of(args: tuple, to_fs_path) -> Path | None:
    """The file a command's first argument names (a URI, or ``{"uri": …}``), if it is one."""
    if len(args) == 1 and isinstance(args[0], list):  # pygls versions differ: one list, or unpacked
        args = tuple(args[0])
    uri = args[0] if args else None
    if isinstance(uri, dict):
        uri = uri.get("uri")
    path = Path(to_fs_path(uri) or "") if isinstance(uri, str) else None
    return path if path is not None and path.is_file() else None


def make_server():
    """The pygls server (imported only here: ``jianbao lsp`` is the one command that needs pygls)."""
    from lsprotocol import types
    from pygls.lsp.server import LanguageServer
    from pygls.uris import from_fs_path, to_fs_path

    server = LanguageServer("jianbao", __version__, text_document_sync_kind=types.TextDocumentSyncKind.Full)
    published: dict[str, set[str]] = {}  # document URI → other URIs it published diagnostics for

    def publish(uri: str) -> None:
        doc = server.workspace.get_text_document(uri)
        path = Path(to_fs_path(uri) or "")
        found = diagnostics_for(path, doc.source)
        by_uri: dict[str, list] = {uri: []}
        files: dict[str, list[str]] = {uri: doc.source.splitlines()}
        for d in found:
            target = uri
            if d.file is not None and Path(d.file).resolve() != path.resolve():
                target = from_fs_path(str(Path(d.file).resolve())) or uri
                if target not in files:
                    try:
                        files[target] = Path(d.file).read_text(encoding="utf-8").splitlines()
                    except OSError:
                        files[target] = []
            by_uri.setdefault(target, []).append(to_lsp(d, files[target]))
        for stale in published.get(uri, set()) - set(by_uri):
            server.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=stale, diagnostics=[]))
        published[uri] = set(by_uri) - {uri}
        for target, diagnostics in by_uri.items():
            server.text_document_publish_diagnostics(types.PublishDiagnosticsParams(
                uri=target, diagnostics=diagnostics, version=doc.version if target == uri else None))

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls, params: types.DidOpenTextDocumentParams):
        publish(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls, params: types.DidChangeTextDocumentParams):
        publish(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls, params: types.DidSaveTextDocumentParams):
        publish(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_CODE_ACTION,
                    types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix]))
    def code_action(ls, params: types.CodeActionParams):
        """Quick fixes with one right answer: a misspelled key (JB103) → the field check suggests."""
        actions = []
        for diag in params.context.diagnostics:
            fix = quick_fix(diag.code, diag.message)
            if fix is None:
                continue
            title, new_text = fix
            edit = types.WorkspaceEdit(changes={params.text_document.uri: [
                types.TextEdit(range=diag.range, new_text=new_text)]})
            actions.append(types.CodeAction(title=title, kind=types.CodeActionKind.QuickFix,
                                            diagnostics=[diag], edit=edit, is_preferred=True))
        return actions

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls, params: types.DidCloseTextDocumentParams):
        uri = params.text_document.uri
        for target in {uri} | published.pop(uri, set()):
            server.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=target, diagnostics=[]))

    @server.command(BUILD_COMMAND)
    def build(ls, *args):
        """Build the saved file: ``{"output": path}`` or ``{"diagnostics": [text…]}``."""
        from .batch import build_one

        path = _path_of(args, to_fs_path)
        if path is None:
            return {"diagnostics": [f"{BUILD_COMMAND} 需要一个简报文件的 URI"]}
        result = build_one(path)  # never raises for bad input; skips an output already up to date
        if not result.ok:
            return {"diagnostics": [d.render() for d in result.diagnostics]}
        return {"output": str(result.output), "status": result.status,
                "warnings": [d.render() for d in result.diagnostics]}

    @server.command(PREVIEW_COMMAND)
    @server.thread()  # LibreOffice takes seconds: diagnostics go on meanwhile
    def preview(ls, *args):
        """Build the saved file with its PDF and page images, as ``jianbao preview FILE`` does:
        ``{"pdf": path, "images": [path…]}`` or ``{"diagnostics": [text…]}``."""
        from .batch import build_files
        from .diagnostics import JianbaoError
        from .preview import page_images

        path = _path_of(args, to_fs_path)
        if path is None:
            return {"diagnostics": [f"{PREVIEW_COMMAND} 需要一个简报文件的 URI"]}
        [result] = build_files([path], pdf=True)
        if not result.ok or result.pdf is None:
            return {"diagnostics": [d.render() for d in result.diagnostics]}
        try:
            images = page_images(result.pdf)
        except JianbaoError as exc:
            return {"diagnostics": [d.render() for d in exc.diagnostics]}
        return {"pdf": str(result.pdf), "images": [str(p) for p in images]}

    return server


def serve() -> None:
    """Run the server on stdin/stdout until the client says exit."""
    make_server().start_io()
