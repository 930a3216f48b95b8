"""nbclient runs ferc-best converted to .ipynb (quick profile) on the Facet kernel: the executed
notebook holds the accuracy table as Markdown and the ROC curve as SVG."""
import os
import tempfile
import unittest

import nbformat
from nbclient import NotebookClient

import facet_kernel_env


class NotebookClientTests(unittest.TestCase):
    def test_ferc_best_quick(self):
        with tempfile.TemporaryDirectory() as work:
            path = os.path.join(work, "ferc-best.ipynb")
            facet_kernel_env.facet("convert", os.path.join(facet_kernel_env.ROOT, "notebooks", "ferc-best.fnb"),
                                   "--to", "ipynb", "-o", path, "-p", "quick=true")
            nb = nbformat.read(path, as_version=4)
            nbformat.validate(nb)
            self.assertIn("let quick = true", "".join(nb.cells[0].source))
            client = NotebookClient(nb, kernel_name=facet_kernel_env.KERNEL, timeout=900,
                                    resources={"metadata": {"path": work}})
            client.execute()
            outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
            self.assertFalse([o for o in outputs if o.output_type == "error"], "no cell failed")
            markdown = [o.data["text/markdown"] for o in outputs
                        if o.output_type == "display_data" and "text/markdown" in o.data]
            self.assertTrue(any("total accuracy" in m and "|" in m for m in markdown),
                            "the paper-vs-here accuracy table is a text/markdown display")
            figures = [o.data for o in outputs if o.output_type == "display_data" and "image/svg+xml" in o.data]
            roc = [f for f in figures if "ROC" in f.get("text/plain", "")]
            self.assertEqual(len(roc), 1, "one ROC figure, as image/svg+xml")
            self.assertIn("<svg", roc[0]["image/svg+xml"])
            # nbclient's notebook is untrusted: JupyterLab shows the PNG drawn beside the SVG.
            self.assertTrue(roc[0]["image/png"])
            printed = "".join(o.text for o in outputs if o.output_type == "stream" and o.name == "stdout")
            self.assertIn("total accuracy:", printed)
            self.assertTrue(os.path.exists(os.path.join(work, "models", "ferc-best.safetensors")),
                            "the kernel ran in the notebook's folder")


if __name__ == "__main__":
    unittest.main()
