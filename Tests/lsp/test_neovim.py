"""`facet lsp` in a real editor: Neovim's built-in LSP client, headless (Tests/lsp/nvim_client.lua).

Needs Debian's `neovim` (scripts/test installs it) and FACET_BIN."""
import json
import os
import pathlib
import shutil
import subprocess

import pytest
from conftest import NET

HERE = pathlib.Path(__file__).resolve().parent


@pytest.mark.skipif(shutil.which("nvim") is None, reason="Debian's neovim is not installed (scripts/test installs it)")
def test_neovim_sees_diagnostics_hover_and_definition(tmp_path):
    (tmp_path / "blocks.facet").write_text(NET)
    main = tmp_path / "main.facet"
    main.write_text('import "blocks.facet"\n\nlet big = tiny(w: 16)\nlet bad = tiny(w: "wide")\n' + NET.replace("tiny", "local_net"))
    out = tmp_path / "out.json"
    env = dict(os.environ, LSP_FILE=str(main), LSP_OUT=str(out), LSP_HOVER="6:4", LSP_DEFINITION="2:11",
               XDG_CONFIG_HOME=str(tmp_path / "cfg"), XDG_DATA_HOME=str(tmp_path / "data"), XDG_STATE_HOME=str(tmp_path / "state"))
    subprocess.run(["nvim", "--headless", "--clean", "-c", f"luafile {HERE / 'nvim_client.lua'}"], env=env, cwd=tmp_path,
                   timeout=120, check=True, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    result = json.loads(out.read_text())
    assert "error" not in result, result
    # The error is on the line that calls tiny(w: "wide"), reported through the import.
    assert [d["line"] for d in result["diagnostics"]] == [3], result
    # Hover on `conv w 5x5 relu` of local_net (line 6): its output shape.
    assert "44×44×8" in result["hover"], result
    # Definition of `tiny` at line 2 goes to blocks.facet, line 0.
    assert result["definition"]["uri"].endswith("/blocks.facet"), result
    assert result["definition"]["line"] == 0, result


@pytest.mark.skipif(shutil.which("nvim") is None, reason="Debian's neovim is not installed (scripts/test installs it)")
def test_neovim_config_draws_inlay_hints(tmp_path):
    """editors/neovim/facet.lua (the set-up docs/editors.md gives): filetype, the server, and the
    inlay hints as end-of-line virtual text, which Neovim 0.7 cannot show by itself."""
    main = tmp_path / "shapes.facet"
    main.write_text(NET)
    out = tmp_path / "out.json"
    env = dict(os.environ, LSP_FILE=str(main), LSP_OUT=str(out), FACET_LUA=str(HERE.parents[1] / "editors" / "neovim" / "facet.lua"),
               XDG_CONFIG_HOME=str(tmp_path / "cfg"), XDG_DATA_HOME=str(tmp_path / "data"), XDG_STATE_HOME=str(tmp_path / "state"))
    subprocess.run(["nvim", "--headless", "--clean", "-c", f"luafile {HERE / 'nvim_inlay.lua'}"], env=env, cwd=tmp_path,
                   timeout=120, check=True, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    result = json.loads(out.read_text())
    assert "error" not in result, result
    assert result["filetype"] == "facet" and result["keymap_K"], result
    hints = {h["line"]: h["text"] for h in result["hints"]}
    assert [hints.get(line) for line in range(1, 6)] == ["→ 48×48×1", "→ 44×44×8", "→ 22×22×8", "→ 32", "→ 7"], result
    assert "parameters" in hints[6], result
