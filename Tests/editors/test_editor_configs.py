"""The editor set-ups in editors/: the VS Code extension folder (its package.json contribution
points name files that exist and agree with the grammars; extension.js, run in node against
stand-ins for VS Code's API and vscode-languageclient, starts `facet lsp` for both languages) and
the Helix configuration (valid TOML, and the same text as docs/editors.md shows)."""
import json
import pathlib
import re
import shutil
import subprocess
import tomllib

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
VSCODE = ROOT / "editors" / "vscode"


def package():
    return json.loads((VSCODE / "package.json").read_text())


def test_vscode_package_json_contributions_name_real_files():
    pkg = package()
    assert (VSCODE / pkg["main"]).is_file()
    contributes = pkg["contributes"]
    languages = {lang["id"]: lang for lang in contributes["languages"]}
    assert set(languages) == {"facet", "facet-notebook"}
    assert languages["facet"]["extensions"] == [".facet"]
    assert languages["facet-notebook"]["extensions"] == [".fnb"]
    for lang in languages.values():
        config = json.loads((VSCODE / lang["configuration"]).read_text())
        # `#` is the lexer's only comment (Sources/FacetLang/Lexer.swift).
        assert config["comments"] == {"lineComment": "#"}
        assert ["{", "}"] in config["brackets"] and ["(", ")"] in config["brackets"]
        for pattern in config["indentationRules"].values():
            re.compile(pattern)
    grammars = {g["language"]: g for g in contributes["grammars"]}
    assert set(grammars) == set(languages)
    for g in grammars.values():
        grammar = json.loads((VSCODE / g["path"]).read_text())
        assert grammar["scopeName"] == g["scopeName"]
        for embedded in g.get("embeddedLanguages", {}).values():
            assert embedded in languages
    assert grammars["facet"]["scopeName"] == "source.facet"
    assert set(pkg["activationEvents"]) == {f"onLanguage:{i}" for i in languages}
    assert "vscode-languageclient" in pkg["dependencies"]
    assert pkg["engines"]["vscode"].startswith("^1.")


# Stand-ins for the two modules extension.js requires, recording what it asks of them.
VSCODE_STUB = """
const calls = global.__calls = [];
module.exports = {
  workspace: { getConfiguration: (s) => ({ get: (k) => (s === "facet" && k === "path" ? "/opt/facet/bin/facet" : undefined) }),
               workspaceFolders: [{ uri: { fsPath: "/work/project" } }] },
  window: { showErrorMessage: (m) => calls.push(["error", m]) },
  commands: { registerCommand: (name, f) => { calls.push(["command", name]); return { dispose() {} }; } },
};
"""
CLIENT_STUB = """
class LanguageClient {
  constructor(id, name, server, client) { global.__calls.push(["client", id, name, server, client]); }
  async start() { global.__calls.push(["start"]); }
  async stop() { global.__calls.push(["stop"]); }
}
module.exports = { LanguageClient, TransportKind: { stdio: 0 } };
"""
DRIVER = """
const ext = require(process.argv[2]);
(async () => {
  const context = { subscriptions: [] };
  await ext.activate(context);
  await ext.deactivate();
  console.log(JSON.stringify({ calls: global.__calls, subscriptions: context.subscriptions.length }));
})().catch((e) => { console.error(e); process.exit(1); });
"""


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_vscode_extension_starts_facet_lsp_for_both_languages(tmp_path):
    modules = tmp_path / "node_modules"
    (modules / "vscode").mkdir(parents=True)
    (modules / "vscode" / "index.js").write_text(VSCODE_STUB)
    (modules / "vscode-languageclient").mkdir()
    (modules / "vscode-languageclient" / "node.js").write_text(CLIENT_STUB)
    (tmp_path / "driver.js").write_text(DRIVER)
    run = subprocess.run(["node", str(tmp_path / "driver.js"), str(VSCODE / "extension.js")], capture_output=True, text=True,
                         timeout=60, env={"NODE_PATH": str(modules), "PATH": "/usr/bin:/bin"})
    assert run.returncode == 0, run.stderr
    out = json.loads(run.stdout)
    client = next(c for c in out["calls"] if c[0] == "client")
    _, ident, _, server, options = client
    assert ident == "facet"
    assert server["run"]["command"] == "/opt/facet/bin/facet" and server["run"]["args"] == ["lsp"]
    assert server["run"]["options"]["cwd"] == "/work/project"
    assert {s["language"] for s in options["documentSelector"]} == {"facet", "facet-notebook"}
    assert ["start"] in out["calls"] and ["stop"] in out["calls"]
    assert ["command", "facet.restartServer"] in out["calls"]
    commands = [c["command"] for c in package()["contributes"]["commands"]]
    assert commands == ["facet.restartServer"]
    assert not [c for c in out["calls"] if c[0] == "error"]


def test_helix_languages_toml_parses_and_is_the_one_in_the_docs():
    text = (ROOT / "editors" / "helix" / "languages.toml").read_text()
    config = tomllib.loads(text)
    lang = config["language"][0]
    assert lang["name"] == "facet" and set(lang["file-types"]) == {"facet", "fnb"}
    assert lang["comment-token"] == "#"
    for server in lang["language-servers"]:
        assert config["language-server"][server]["args"] == ["lsp"]
    docs = (ROOT / "docs" / "editors.md").read_text()
    blocks = re.findall(r"```toml\n(.*?)```", docs, re.S)
    assert any(tomllib.loads(b) == config for b in blocks), "docs/editors.md shows another Helix configuration"
