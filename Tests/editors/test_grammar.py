"""The TextMate grammars of editors/vscode/syntaxes, tokenised by a real TextMate engine: babi's
(PyPI; Oniguruma regexes through onigurumacffi, begin/end/while rules, captures, includes across
grammars), as VS Code's vscode-textmate would. Which words the lists hold is checked against the
language by Tests/FacetLSPTests/GrammarTests.swift.

Run by scripts/test with .build/lsp-venv (scripts/deps.sh: facet_need_lsp)."""
import pathlib
import shutil

import pytest
from babi.highlight import Grammars, highlight_line

ROOT = pathlib.Path(__file__).resolve().parents[2]
SYNTAXES = ROOT / "editors" / "vscode" / "syntaxes"


@pytest.fixture(scope="module")
def grammars(tmp_path_factory):
    # babi finds a grammar by its scope name as the file's name.
    d = tmp_path_factory.mktemp("grammars")
    shutil.copy(SYNTAXES / "facet.tmLanguage.json", d / "source.facet.json")
    shutil.copy(SYNTAXES / "facet-notebook.tmLanguage.json", d / "text.facet-notebook.json")
    return Grammars(str(d))


def tokens(grammars, scope, text):
    """[(line number from 1, token text, its scopes innermost last)], blanks left out."""
    compiler = grammars.compiler_for_scope(scope)
    state = compiler.root_state
    out = []
    for i, line in enumerate(text.splitlines(True)):
        state, regions = highlight_line(compiler, state, line, i == 0)
        assert regions and regions[0].start == 0 and regions[-1].end == len(line), f"line {i + 1} not covered: {line!r}"
        out += [(i + 1, line[r.start:r.end], r.scope) for r in regions if line[r.start:r.end].strip()]
    return out


def scope_of(toks, line, text, nth=0):
    """The innermost scope of the nth token spelt `text` on `line`."""
    found = [s for (l, t, s) in toks if l == line and t.strip() == text]
    assert len(found) > nth, f"no token {text!r} on line {line}: {[(t, s[-1]) for (l, t, s) in toks if l == line]}"
    return found[nth][-1]


NET = '''# a comment
net tiny(w = 8, lcn = true) {
  input 48x48x1
  conv w 5x5 stride 1 relu
  if lcn { lcn 9 }
  for i in 0..<2 {
    maxpool 2x2 floor
  }
  dense 32 relu
  heads { emotion: softmax 7  age: regress 1 }
}
let conv = tiny(w: 16)
summary conv
let s = "a\\n\\q" + str(1.5e-3)
'''


def test_facet_source(grammars):
    t = tokens(grammars, "source.facet", NET)
    assert scope_of(t, 1, "a comment") == "comment.line.number-sign.facet"
    assert scope_of(t, 2, "net") == "storage.type.net.facet"
    assert scope_of(t, 2, "tiny") == "entity.name.type.net.facet"
    assert scope_of(t, 2, "w") == "variable.parameter.facet"
    assert scope_of(t, 2, "true") == "constant.language.boolean.facet"
    assert scope_of(t, 3, "input") == "keyword.other.layer.facet"
    assert [s[-1] for (l, x, s) in t if l == 3][1:] == ["constant.numeric.facet", "keyword.operator.size.facet"] * 2 + ["constant.numeric.facet"]
    assert scope_of(t, 4, "conv") == "keyword.other.layer.facet"
    assert scope_of(t, 4, "stride") == "keyword.other.option.facet"
    assert scope_of(t, 4, "relu") == "keyword.other.option.facet"
    # `if lcn { lcn 9 }`: the condition is a name, the statement in the block a layer.
    assert scope_of(t, 5, "if") == "keyword.control.facet"
    assert scope_of(t, 5, "lcn", 0) == "meta.net.body.facet"
    assert scope_of(t, 5, "lcn", 1) == "keyword.other.layer.facet"
    assert scope_of(t, 6, "..<") == "keyword.operator.range.facet"
    assert scope_of(t, 7, "maxpool") == "keyword.other.layer.facet"
    assert scope_of(t, 7, "floor") == "keyword.other.option.facet"
    assert scope_of(t, 9, "dense") == "keyword.other.layer.facet"
    assert scope_of(t, 10, "heads") == "keyword.other.net.facet"
    assert scope_of(t, 10, "emotion") == "entity.name.tag.head.facet"
    assert scope_of(t, 10, "softmax") == "keyword.other.head.facet"
    assert scope_of(t, 10, "regress") == "keyword.other.head.facet"
    # After the net's `}`: top level again, where `conv` is only a name.
    assert scope_of(t, 12, "conv") == "variable.other.definition.facet"
    assert scope_of(t, 12, "tiny") == "entity.name.function.call.facet"
    assert scope_of(t, 13, "summary") == "support.function.builtin.facet"
    assert scope_of(t, 13, "conv") == "source.facet"
    assert scope_of(t, 14, "\\n") == "constant.character.escape.facet"
    assert scope_of(t, 14, "\\q") == "invalid.illegal.unknown-escape.facet"
    assert scope_of(t, 14, "1.5e-3") == "constant.numeric.facet"
    assert scope_of(t, 14, "str") == "support.function.builtin.facet"


def test_an_unclosed_net_ends_at_the_next_definition(grammars):
    t = tokens(grammars, "source.facet", "net half(w = 1)\nlet conv = 2\n")
    assert scope_of(t, 2, "conv") == "variable.other.definition.facet"
    assert "meta.net.facet" not in [s for (l, x, ss) in t if l == 2 for s in ss]


NOTEBOOK = '''---
title: A net in a notebook
params: { quick: false,
          seed: 7 }
parms: 3
---
Some **prose** with `code`, where net and conv are words.

```facet
net broken(w = 1) {
  conv w 3x3
```

## After the cell

```python
let x = 1
```

```facet
summary ferc
```
'''


def test_notebook(grammars):
    t = tokens(grammars, "text.facet-notebook", NOTEBOOK)
    assert scope_of(t, 2, "title") == "keyword.other.front-matter.key.facet-notebook"
    assert scope_of(t, 2, "A net in a notebook") == "string.unquoted.title.facet-notebook"
    assert scope_of(t, 3, "false") == "constant.language.boolean.facet"
    assert scope_of(t, 4, "7") == "constant.numeric.facet"
    assert scope_of(t, 5, "parms") == "invalid.illegal.front-matter.key.facet-notebook"
    assert scope_of(t, 7, "**prose**") == "markup.bold.facet-notebook"
    assert scope_of(t, 7, "`code`") == "markup.inline.raw.facet-notebook"
    assert all("source.facet" not in s and "storage.type.net.facet" not in s for (l, x, s) in t if l == 7)
    assert scope_of(t, 9, "facet") == "fenced_code.block.language.facet-notebook"
    assert scope_of(t, 10, "net") == "storage.type.net.facet"
    assert scope_of(t, 11, "conv") == "keyword.other.layer.facet"
    assert "meta.embedded.block.facet" in [s for (l, x, ss) in t if l == 11 for s in ss]
    # The cell's net is never closed, yet its fence ends it: the prose after is prose.
    assert scope_of(t, 12, "```") == "punctuation.definition.fence.end.facet-notebook"
    assert scope_of(t, 14, "After the cell") == "entity.name.section.facet-notebook"
    assert all("source.facet" not in s for (l, x, s) in t if 13 <= l <= 18), [(l, x, s) for (l, x, s) in t if 13 <= l <= 18]
    assert scope_of(t, 17, "let x = 1") == "markup.raw.block.facet-notebook"
    assert scope_of(t, 21, "summary") == "support.function.builtin.facet"


@pytest.mark.parametrize("path", sorted((ROOT / "stdlib").glob("*.facet")) + sorted((ROOT / "notebooks").glob("*.fnb")),
                         ids=lambda p: p.name)
def test_every_stdlib_file_and_notebook_tokenises_without_invalid_tokens(grammars, path):
    scope = "text.facet-notebook" if path.suffix == ".fnb" else "source.facet"
    t = tokens(grammars, scope, path.read_text())
    bad = [(l, x) for (l, x, s) in t if any(part.startswith("invalid.") for part in s)]
    assert not bad, bad
    # Every layer statement of a net body is highlighted as one.
    for i, line in enumerate(path.read_text().splitlines(), 1):
        words = line.split()
        if path.suffix == ".facet" and words and words[0] in ("conv", "maxpool", "dense", "dropout", "lcn"):
            assert scope_of(t, i, words[0]) == "keyword.other.layer.facet", (i, line)
