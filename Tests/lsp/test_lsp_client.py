"""`facet lsp` driven end to end over stdio by pytest-lsp (pygls' client), as an editor would.

Run by Tests/lsp/run.sh (scripts/test): FACET_BIN names the facet binary."""
import pathlib

import pytest
from conftest import NET
from lsprotocol import types
from pytest_lsp import LanguageClient


def open_doc(client, path: pathlib.Path, text: str, version: int = 1) -> str:
    uri = path.as_uri()
    client.text_document_did_open(types.DidOpenTextDocumentParams(
        text_document=types.TextDocumentItem(uri=uri, language_id="facet", version=version, text=text)))
    return uri


@pytest.mark.asyncio
async def test_diagnostic_at_its_line_then_cleared(client: LanguageClient, tmp_path):
    uri = open_doc(client, tmp_path / "a.facet", NET + 'let x = tiny(w: "wide")\n')
    await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    diags = client.diagnostics[uri]
    assert len(diags) == 1, diags
    assert diags[0].range.start.line == 2
    assert diags[0].severity == types.DiagnosticSeverity.Error
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=2),
        content_changes=[types.TextDocumentContentChangeWholeDocument(text=NET + "let x = tiny(w: 16)\n")]))
    await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    assert len(client.diagnostics[uri]) == 0, client.diagnostics[uri]


@pytest.mark.asyncio
async def test_hover_and_inlay_hints_give_shapes(client: LanguageClient, tmp_path):
    uri = open_doc(client, tmp_path / "b.facet", NET)
    hover = await client.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=uri), position=types.Position(line=2, character=4)))
    assert "44×44×8" in hover.contents.value, hover
    hints = await client.text_document_inlay_hint_async(types.InlayHintParams(
        text_document=types.TextDocumentIdentifier(uri=uri),
        range=types.Range(start=types.Position(line=0, character=0), end=types.Position(line=8, character=0))))
    labels = [h.label for h in hints]
    assert labels[:5] == ["→ 48×48×1", "→ 44×44×8", "→ 22×22×8", "→ 32", "→ 7"], labels
    assert "parameters" in labels[5]


@pytest.mark.asyncio
async def test_definition_across_an_import(client: LanguageClient, tmp_path):
    (tmp_path / "blocks.facet").write_text(NET)
    main = 'import "blocks.facet"\nlet big = tiny(w: 16)\n'
    uri = open_doc(client, tmp_path / "main.facet", main)
    result = await client.text_document_definition_async(types.DefinitionParams(
        text_document=types.TextDocumentIdentifier(uri=uri), position=types.Position(line=1, character=11)))
    loc = result if isinstance(result, types.Location) else result[0]
    assert loc.uri == (tmp_path / "blocks.facet").as_uri()
    assert loc.range.start.line == 0


@pytest.mark.asyncio
async def test_unknown_method_is_an_error_not_a_crash(client: LanguageClient, tmp_path):
    with pytest.raises(Exception) as e:
        await client.protocol.send_request_async("facet/noSuchMethod", {})
    assert "-32601" in str(e.value) or "does not answer" in str(e.value)
    uri = open_doc(client, tmp_path / "c.facet", NET)
    hover = await client.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=uri), position=types.Position(line=99, character=99)))
    assert hover is None
