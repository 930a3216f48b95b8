"""Shared by the language-server client tests."""

# A small net whose shapes the tests know: conv → 44×44×8, pool → 22×22×8, dense 32, softmax 7.
NET = """net tiny(w = 8) {
  input 48x48x1
  conv w 5x5 relu
  maxpool 2x2 stride 2
  dense 32 relu
  softmax 7
}
"""
