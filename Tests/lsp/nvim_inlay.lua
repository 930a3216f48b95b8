-- editors/neovim/facet.lua as a user runs it (Debian 12's Neovim 0.7, headless): setup(), open
-- LSP_FILE, wait for the inlay hints it draws as virtual text, write them as JSON to LSP_OUT, quit.
--   FACET_BIN=… FACET_LUA=editors/neovim/facet.lua LSP_FILE=… LSP_OUT=… nvim --headless --clean -c "luafile nvim_inlay.lua"
local out = {}
local ok, err = pcall(function()
  local facet = dofile(os.getenv("FACET_LUA"))
  facet.setup({ cmd = { os.getenv("FACET_BIN"), "lsp" } })
  vim.cmd("edit " .. os.getenv("LSP_FILE"))
  out.filetype = vim.bo.filetype
  local function marks() return vim.api.nvim_buf_get_extmarks(0, facet.namespace, 0, -1, { details = true }) end
  vim.wait(30000, function() return #marks() > 0 end, 50)
  out.hints = {}
  for _, m in ipairs(marks()) do
    table.insert(out.hints, { line = m[2], text = m[4].virt_text[1][1] })
  end
  out.keymap_K = vim.fn.maparg("K", "n") ~= ""
  for _, c in ipairs(vim.lsp.get_active_clients()) do c.stop() end
end)
if not ok then out.error = tostring(err) end
local f = io.open(os.getenv("LSP_OUT"), "w")
f:write(vim.fn.json_encode(out))
f:close()
vim.cmd("qa!")
