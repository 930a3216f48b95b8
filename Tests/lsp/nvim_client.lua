-- Neovim's built-in LSP client (Debian 12's neovim 0.7) driving `facet lsp`, headless:
--   FACET_BIN=… LSP_FILE=main.facet LSP_OUT=out.json nvim --headless --clean -c "luafile nvim_client.lua"
-- Opens LSP_FILE, waits for diagnostics, asks for hover and definition at the positions given in
-- LSP_HOVER and LSP_DEFINITION ("line:character", 0-based), writes what came back as JSON, quits.
local function pos(s)
  local l, c = s:match("(%d+):(%d+)")
  return { line = tonumber(l), character = tonumber(c) }
end

local out = {}
local ok, err = pcall(function()
  vim.cmd("edit " .. os.getenv("LSP_FILE"))
  local id = vim.lsp.start_client({
    name = "facet",
    cmd = { os.getenv("FACET_BIN"), "lsp" },
    root_dir = vim.fn.fnamemodify(os.getenv("LSP_FILE"), ":p:h"),
  })
  vim.lsp.buf_attach_client(0, id)
  local client = vim.lsp.get_client_by_id(id)
  vim.wait(30000, function() return #vim.diagnostic.get(0) > 0 end, 50)
  out.diagnostics = {}
  for _, d in ipairs(vim.diagnostic.get(0)) do
    table.insert(out.diagnostics, { line = d.lnum, message = d.message })
  end
  local doc = vim.lsp.util.make_text_document_params()
  local hover = client.request_sync("textDocument/hover", { textDocument = doc, position = pos(os.getenv("LSP_HOVER")) }, 20000, 0)
  out.hover = hover and hover.result and hover.result.contents.value or vim.NIL
  local def = client.request_sync("textDocument/definition", { textDocument = doc, position = pos(os.getenv("LSP_DEFINITION")) }, 20000, 0)
  local loc = def and def.result
  if loc and loc[1] then loc = loc[1] end
  out.definition = loc and { uri = loc.uri, line = loc.range.start.line } or vim.NIL
  client.stop()
end)
if not ok then out.error = tostring(err) end
local f = io.open(os.getenv("LSP_OUT"), "w")
f:write(vim.fn.json_encode(out))
f:close()
vim.cmd("qa!")
