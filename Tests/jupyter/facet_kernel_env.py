"""Shared set-up for the Jupyter tests: the kernelspec of the facet binary under test, installed
into a temporary prefix that only these tests see (JUPYTER_PATH), and a result cache of their own
so a training cached earlier on the machine cannot stand in for a real one."""
import atexit
import os
import shutil
import subprocess
import tempfile

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
FACET = os.environ.get("FACET_BIN", os.path.join(ROOT, ".build", "debug", "facet"))

_prefix = tempfile.mkdtemp(prefix="facet-jupyter-")
atexit.register(shutil.rmtree, _prefix, True)
subprocess.run([FACET, "jupyter", "install", "--prefix", _prefix], check=True, capture_output=True)
os.environ["JUPYTER_PATH"] = os.path.join(_prefix, "share", "jupyter")
os.environ["FACET_CACHE_DIR"] = os.path.join(_prefix, "cache")
KERNEL = "facet"


def facet(*args, **kwargs):
    """Runs the facet binary, returns the completed process (checked)."""
    return subprocess.run([FACET, *args], check=True, capture_output=True, text=True, **kwargs)
