"""jupyter_kernel_test's protocol checks against the Facet kernel, every applicable one switched on."""
import base64
import struct
import unittest

import jupyter_kernel_test

import facet_kernel_env


class FacetJupyterKernelTests(jupyter_kernel_test.KernelTests):
    kernel_name = facet_kernel_env.KERNEL
    language_name = "facet"
    file_extension = ".facet"

    code_hello_world = 'print("hello, world")'
    code_stderr = 'warn("careful: this goes to stderr")'

    completion_samples = [
        {"text": "prin", "matches": {"print"}},
        {"text": "let n = summ", "matches": {"summary"}},
        {"text": "let x = maxp", "matches": {"maxpool"}},
    ]

    complete_code_samples = ["let x = 1", "print(1, 2)", "let l = [1, [2, 3]]", "# a comment ("]
    incomplete_code_samples = ["let x = [1,", "print(", "net n {\n  input 8x8x1", "let r = {a: 1,"]
    invalid_code_samples = ["let x = 1)", "let s = \"never closed", "print(1]]"]

    code_display_data = [
        {"code": "show table([{model: \"a\", accuracy: 0.5}, {model: \"b\", accuracy: 0.75}])", "mime": "text/markdown"},
        {"code": "show bars([{model: \"a\", accuracy: 0.5}, {model: \"b\", accuracy: 0.75}], category: \"model\", "
                 "values: \"accuracy\", title: \"accuracy\")", "mime": "image/svg+xml"},
        # A sample grid is a PNG encoded by OpenCV, sent as image/png.
        {"code": "show samples(synthetic(n: 40, seed: 1), n: 8)", "mime": "image/png"},
    ]

    code_execute_result = [
        {"code": "1 + 2", "result": "3"},
        {"code": "len([1, 2, 3, 4])", "result": "4"},
        {"code": "\"text\"", "result": "text"},
    ]

    supported_history_operations = ("tail", "range", "search")
    code_history_pattern = "len(*"

    code_generate_error = "let y = no_such_name + 1"
    code_inspect_sample = "print"

    def test_error_names_place_caret_and_hint(self):
        """The error reply's traceback carries file:line:col, the source line, a caret and the hint."""
        self.flush_channels()
        reply, outputs = self.execute_helper("let prnt_me = 1\nprnt(2)")
        self.assertEqual(reply["content"]["status"], "error")
        traceback = "\n".join(reply["content"]["traceback"])
        self.assertRegex(traceback, r"In\[\d+\]:2:1: error: ")
        self.assertIn("prnt(2)", traceback)
        self.assertIn("^", traceback)
        self.assertIn("print", traceback)   # did you mean `print`?
        self.assertEqual([m["msg_type"] for m in outputs], ["error"])

    def test_cells_queued_behind_an_error_are_aborted(self):
        """As with "Run All": the cell after a failing one is answered `aborted`, not run."""
        self.flush_channels()
        # The failing cell works a little first, so the next request is surely queued behind it.
        first = self.kc.execute('let half = 1\nfor i in 0..<100000 { let y = i * 2 }\nload("/no/such/model.safetensors")')
        second = self.kc.execute('print("must not run")')
        replies, contents = {}, {}
        while len(replies) < 2:
            reply = self.get_non_kernel_info_reply(timeout=15)
            replies[reply["parent_header"]["msg_id"]] = reply["content"]["status"]
            contents[reply["parent_header"]["msg_id"]] = reply["content"]
        self.assertEqual(replies, {first: "error", second: "aborted"})
        # As ipykernel: {"status": "aborted"} alone. With an execution_count JupyterLab showed the
        # failed cell's number on the skipped cell, as if it had run.
        self.assertEqual(contents[second], {"status": "aborted"})
        self.flush_channels()
        reply, outputs = self.execute_helper('print("runs again")')
        self.assertEqual(reply["content"]["status"], "ok")
        self.assertEqual([m["content"]["text"] for m in outputs], ["runs again\n"])

    def test_inspect_net_shows_text_and_shapes(self):
        self.flush_channels()
        self.execute_helper("net tiny { input 8x8x1\n  dense 4 relu\n  softmax 2 }\nlet t = tiny()")
        msg_id = self.kc.inspect("summary t", cursor_pos=len("summary t"))
        reply = self.get_non_kernel_info_reply(timeout=15)
        self.assertEqual(reply["parent_header"]["msg_id"], msg_id)
        self.assertTrue(reply["content"]["found"])
        text = reply["content"]["data"]["text/plain"]
        self.assertIn("dense 4", text)
        self.assertIn("softmax 2", text)

    def test_roc_sends_a_png_beside_the_svg(self):
        """JupyterLab hides SVG in an untrusted notebook; the PNG beside it shows there."""
        self.flush_channels()
        reply, _ = self.execute_helper(
            'let faces = dataset("synthetic", n: 120, seed: 3, needs: ["emotion"]) | split(0.8, 0.1, 0.1) | gcn\n'
            "net tiny_roc { input 48x48x1\n  conv 2 5x5 relu\n  maxpool 4x4 stride 4\n  softmax 7 }\n"
            "let r = train(tiny_roc(), faces.emotion, epochs: 1, batch: 32)", timeout=120)
        self.assertEqual(reply["content"]["status"], "ok")
        reply, outputs = self.execute_helper("show roc(r, faces.test.emotion)", timeout=60)
        self.assertEqual(reply["content"]["status"], "ok")
        figures = [m["content"] for m in outputs if m["msg_type"] == "display_data"]
        self.assertEqual(len(figures), 1, outputs)
        data, metadata = figures[0]["data"], figures[0]["metadata"]
        self.assertIn("<svg", data["image/svg+xml"])
        png = base64.b64decode(data["image/png"])
        self.assertEqual(png[:8], b"\x89PNG\r\n\x1a\n")
        width, height = struct.unpack(">II", png[16:24])
        self.assertEqual((width, height), (2 * metadata["image/png"]["width"], 2 * metadata["image/png"]["height"]))
        self.assertIn("ROC", data["text/plain"])

    def test_summary_sends_markdown(self):
        """`summary` is a Markdown table (text/markdown) with its text table as the plain fallback."""
        self.flush_channels()
        reply, outputs = self.execute_helper("net tiny_sum { input 8x8x1\n  conv 2 3x3 relu\n  softmax 2 }\nsummary tiny_sum()")
        self.assertEqual(reply["content"]["status"], "ok")
        displays = [m["content"]["data"] for m in outputs if m["msg_type"] == "display_data"]
        self.assertEqual(len(displays), 1, outputs)
        markdown, plain = displays[0]["text/markdown"], displays[0]["text/plain"]
        self.assertIn("| # | layer | output | params | FLOPs | memory | source |", markdown)
        self.assertIn("| 1 | conv 2 3x3 | 6x6x2 |", markdown)
        self.assertIn("the largest part is layer 1 `conv 2 3x3`", markdown)
        self.assertIn("conv 2 3x3", plain)
        self.assertNotIn("| # |", plain)
        # Where the net is defined, as the cell names it, not a path of the kernel's machine.
        self.assertRegex(markdown, r"defined at `In\[\d+\]:1:\d+`")
        self.assertEqual([m for m in outputs if m["msg_type"] == "stream"], [], "nothing as monospace text")

    def test_member_completion(self):
        self.flush_channels()
        self.execute_helper("let rec = {alpha: 1, beta: 2}")
        msg_id = self.kc.complete("print(rec.al", cursor_pos=len("print(rec.al"))
        reply = self.get_non_kernel_info_reply(timeout=15)
        self.assertEqual(reply["content"]["matches"], ["alpha"])
        self.assertEqual(reply["content"]["cursor_start"], len("print(rec."))


if __name__ == "__main__":
    unittest.main()
