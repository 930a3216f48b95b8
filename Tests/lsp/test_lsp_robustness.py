"""`facet lsp` over stdio under what editors do to it: hover and inlay hints in notebook cells, a
storm of 1,000 quick edits, the open file deleted from disk, and a file it imports deleted.

Run by scripts/test with FACET_BIN naming the facet binary."""
import pathlib

import pytest
from conftest import NET
from lsprotocol import types
from pytest_lsp import LanguageClient


def doc(uri):
    return types.TextDocumentIdentifier(uri=uri)


def open_doc(client, path: pathlib.Path, text: str) -> str:
    uri = path.as_uri()
    client.text_document_did_open(types.DidOpenTextDocumentParams(
        text_document=types.TextDocumentItem(uri=uri, language_id="facet", version=1, text=text)))
    return uri


def change(client, uri, version, text=None, range_=None, new_text=None):
    if text is not None:
        changes = [types.TextDocumentContentChangeWholeDocument(text=text)]
    else:
        changes = [types.TextDocumentContentChangePartial(range=range_, text=new_text)]
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version), content_changes=changes))


async def diagnostics_for(client, uri, version):
    """The diagnostics the server publishes for `version` of the document (earlier ones skipped)."""
    while True:
        note = await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        if note.uri == uri and note.version == version:
            return list(note.diagnostics)


async def hover_text(client, uri, line, character):
    h = await client.text_document_hover_async(types.HoverParams(text_document=doc(uri), position=types.Position(line=line, character=character)))
    return h.contents.value if h else None


def rng(l0, c0, l1, c1):
    return types.Range(start=types.Position(line=l0, character=c0), end=types.Position(line=l1, character=c1))


NOTEBOOK = """---
title: Shapes in a notebook
params: { side: 48 }
---
Prose.

```facet
""" + NET.replace("input 48x48x1", "input side x side x 1") + """```
"""


@pytest.mark.asyncio
async def test_hover_and_inlay_hints_in_a_notebook_cell(client: LanguageClient, tmp_path):
    uri = open_doc(client, tmp_path / "shapes.fnb", NOTEBOOK)
    assert await diagnostics_for(client, uri, 1) == []
    # The conv line of the cell is the notebook's line 9 (0-based).
    assert "44×44×8" in await hover_text(client, uri, 9, 3)
    assert await hover_text(client, uri, 1, 3) is None, "the front matter is not code"
    hints = await client.text_document_inlay_hint_async(types.InlayHintParams(text_document=doc(uri), range=rng(0, 0, 20, 0)))
    placed = [(h.position.line, h.label) for h in hints]
    assert placed[:5] == [(8, "→ 48×48×1"), (9, "→ 44×44×8"), (10, "→ 22×22×8"), (11, "→ 32"), (12, "→ 7")], placed
    assert placed[5][0] == 13 and "parameters" in placed[5][1], placed


@pytest.mark.asyncio
async def test_a_storm_of_1000_edits_ends_with_answers_for_the_last_text(client: LanguageClient, tmp_path):
    uri = open_doc(client, tmp_path / "storm.facet", NET)
    assert await diagnostics_for(client, uri, 1) == []
    # 1,000 incremental edits of the default width `8` on line 0 (`net tiny(w = 8) {`), every
    # other one an error (a string where maps are counted), sent without waiting.
    current = "8"
    for version in range(2, 1002):
        new = f'"w{version}"' if version % 2 else str(version % 9 + 1)
        change(client, uri, version, range_=rng(0, 13, 0, 13 + len(current)), new_text=new)
        current = new
    # The last edit (version 1001) left an error: it is reported at the conv line that uses w.
    final = await diagnostics_for(client, uri, 1001)
    assert len(final) == 1 and final[0].range.start.line == 2, final
    assert 'got string "w1001"' in final[0].message, final
    # One more edit fixes it: cleared, and hover shows the new width.
    change(client, uri, 1002, range_=rng(0, 13, 0, 13 + len(current)), new_text="5")
    assert await diagnostics_for(client, uri, 1002) == []
    assert "44×44×5" in await hover_text(client, uri, 2, 4)


@pytest.mark.asyncio
async def test_the_open_file_deleted_from_disk(client: LanguageClient, tmp_path):
    path = tmp_path / "gone.facet"
    path.write_text(NET)
    uri = open_doc(client, path, NET)
    assert await diagnostics_for(client, uri, 1) == []
    path.unlink()
    # The editor still holds the text: the server keeps working from it.
    change(client, uri, 2, text=NET + 'let x = tiny(w: "wide")\n')
    diags = await diagnostics_for(client, uri, 2)
    assert len(diags) == 1 and diags[0].range.start.line == 2, diags
    assert "44×44×8" in await hover_text(client, uri, 2, 4)
    symbols = await client.text_document_document_symbol_async(types.DocumentSymbolParams(text_document=doc(uri)))
    assert [s.name for s in symbols] == ["tiny", "x"]
    client.text_document_did_close(types.DidCloseTextDocumentParams(text_document=doc(uri)))
    # Closed: a request about it is an error answer, not a crash.
    with pytest.raises(Exception) as e:
        await hover_text(client, uri, 2, 4)
    assert "not open" in str(e.value)


@pytest.mark.asyncio
async def test_an_imported_file_deleted_then_restored(client: LanguageClient, tmp_path):
    blocks = tmp_path / "layers.facet"   # not stdlib/blocks.facet, which `import` would find next
    blocks.write_text(NET)
    main_text = 'import "layers.facet"\nlet big = tiny(w: 16)\n'
    uri = open_doc(client, tmp_path / "main.facet", main_text)
    assert await diagnostics_for(client, uri, 1) == []
    blocks.unlink()
    change(client, uri, 2, text=main_text)
    diags = await diagnostics_for(client, uri, 2)
    assert diags and diags[0].range.start.line == 0, diags   # at the import line
    assert "cannot find imported file \"layers.facet\"" in diags[0].message, diags
    # Requests still answer: no definition to go to, hover on the import line says nothing wrong.
    result = await client.text_document_definition_async(types.DefinitionParams(text_document=doc(uri), position=types.Position(line=1, character=11)))
    assert not result
    await hover_text(client, uri, 0, 3)
    blocks.write_text(NET)
    change(client, uri, 3, text=main_text)
    assert await diagnostics_for(client, uri, 3) == []
    result = await client.text_document_definition_async(types.DefinitionParams(text_document=doc(uri), position=types.Position(line=1, character=11)))
    loc = result if isinstance(result, types.Location) else result[0]
    assert loc.uri == blocks.as_uri()
