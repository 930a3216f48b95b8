"""Shared by the language-server client tests: the server command, the client fixture (initialised
and shut down around each test) and a test net."""
import os
import pathlib

import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient

FACET = os.environ["FACET_BIN"]
ROOT = pathlib.Path(__file__).resolve().parents[2]


@pytest_lsp.fixture(config=ClientServerConfig(server_command=[FACET, "lsp"]))
async def client(lsp_client: LanguageClient):
    await lsp_client.initialize_session(types.InitializeParams(capabilities=types.ClientCapabilities(), root_uri=ROOT.as_uri()))
    yield
    await lsp_client.shutdown_session()


# A small net whose shapes the tests know: conv → 44×44×8, pool → 22×22×8, dense 32, softmax 7.
NET = """net tiny(w = 8) {
  input 48x48x1
  conv w 5x5 relu
  maxpool 2x2 stride 2
  dense 32 relu
  softmax 7
}
"""
