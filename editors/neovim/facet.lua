-- Facet in Neovim 0.7 or later: the filetype for .facet and .fnb, `facet lsp` attached to those
-- buffers, K for hover, gd for definition, and inlay hints (shapes at the end of layer lines,
-- totals after a net's `}`) shown as end-of-line virtual text. Neovim before 0.10 has no inlay
-- hints of its own, so this asks the server for textDocument/inlayHint itself and draws the
-- answer; with 0.10 or later `vim.lsp.inlay_hint.enable()` does the same natively.
--
-- Use: put this file on 'runtimepath' as lua/facet.lua (or dofile() it), then in init.lua
--   require("facet").setup()                                  -- `facet` on PATH
--   require("facet").setup({ cmd = { "/path/to/facet", "lsp" } })
local M = {}

local ns = vim.api.nvim_create_namespace("facet_inlay_hints")
M.namespace = ns

local function label_text(label)
  if type(label) == "string" then return label end
  local parts = {}
  for _, part in ipairs(label) do table.insert(parts, part.value) end
  return table.concat(parts)
end

-- Asks for every hint of the buffer and draws each at the end of its line.
function M.inlay_hints(client, bufnr)
  local params = {
    textDocument = vim.lsp.util.make_text_document_params(bufnr),
    range = { start = { line = 0, character = 0 }, ["end"] = { line = vim.api.nvim_buf_line_count(bufnr), character = 0 } },
  }
  client.request("textDocument/inlayHint", params, function(err, result)
    if err or not vim.api.nvim_buf_is_valid(bufnr) then return end
    vim.api.nvim_buf_clear_namespace(bufnr, ns, 0, -1)
    local by_line = {}
    for _, hint in ipairs(result or {}) do
      local line = hint.position.line
      by_line[line] = (by_line[line] and by_line[line] .. "  " or "") .. label_text(hint.label)
    end
    for line, text in pairs(by_line) do
      if line < vim.api.nvim_buf_line_count(bufnr) then
        vim.api.nvim_buf_set_extmark(bufnr, ns, line, 0, { virt_text = { { text, "Comment" } }, virt_text_pos = "eol" })
      end
    end
  end, bufnr)
end

local function on_attach(client, bufnr)
  local opts = { buffer = bufnr, silent = true }
  vim.keymap.set("n", "K", vim.lsp.buf.hover, opts)
  vim.keymap.set("n", "gd", vim.lsp.buf.definition, opts)
  vim.keymap.set("n", "gr", vim.lsp.buf.references, opts)
  M.inlay_hints(client, bufnr)
  vim.api.nvim_create_autocmd({ "InsertLeave", "TextChanged", "BufWritePost" }, {
    buffer = bufnr,
    callback = function() M.inlay_hints(client, bufnr) end,
  })
end

function M.setup(opts)
  opts = opts or {}
  local cmd = opts.cmd or { "facet", "lsp" }
  vim.cmd([[autocmd BufRead,BufNewFile *.facet,*.fnb setfiletype facet]])
  vim.api.nvim_create_autocmd("FileType", {
    pattern = "facet",
    callback = function(args)
      -- One server for every Facet buffer, started from the working folder (where `import`
      -- and the stdlib are found, as for `facet check`).
      if not (M.client_id and vim.lsp.get_client_by_id(M.client_id)) then
        M.client_id = vim.lsp.start_client({ name = "facet", cmd = cmd, root_dir = vim.fn.getcwd(), on_attach = on_attach })
      end
      vim.lsp.buf_attach_client(args.buf, M.client_id)
    end,
  })
end

return M
