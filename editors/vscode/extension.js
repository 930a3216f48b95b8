// The Facet extension: the grammars come from package.json; this starts `facet lsp` for .facet
// files and .fnb notebooks through vscode-languageclient (the language server is the facet binary).
"use strict";
const vscode = require("vscode");
const { LanguageClient, TransportKind } = require("vscode-languageclient/node");

let client;

function serverOptions() {
  const command = vscode.workspace.getConfiguration("facet").get("path") || "facet";
  // The server reads the stdlib and resolves imports from its working folder, as `facet check` does.
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  const run = { command, args: ["lsp"], transport: TransportKind.stdio, options: folder ? { cwd: folder } : {} };
  return { run, debug: run };
}

async function start(context) {
  client = new LanguageClient("facet", "Facet", serverOptions(), {
    documentSelector: [
      { scheme: "file", language: "facet" },
      { scheme: "file", language: "facet-notebook" },
      { scheme: "untitled", language: "facet" },
    ],
  });
  try {
    await client.start();
  } catch (error) {
    const path = vscode.workspace.getConfiguration("facet").get("path");
    vscode.window.showErrorMessage(
      `Facet: could not start \`${path} lsp\` (${error.message}). Set "facet.path" to the facet executable.`);
  }
}

async function activate(context) {
  await start(context);
  context.subscriptions.push(vscode.commands.registerCommand("facet.restartServer", async () => {
    if (client) await client.stop();
    await start(context);
  }));
}

async function deactivate() {
  if (client) await client.stop();
}

module.exports = { activate, deactivate };
