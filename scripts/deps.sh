# Sourced by the quick-start scripts: installs what Facet needs when it is missing.
# Debian packages: OpenBLAS, OpenCV (+ its Haar cascades), readline, OpenSSL's libcrypto (SHA-256, HMAC), ZeroMQ
# (the Jupyter kernel), librsvg (Jupyter's figures as PNG), Open MPI (libopenmpi-dev to link, openmpi-bin for mpirun: docs/distributed.md), Debian's
# python3-venv and python3-opencv (OpenCV 4.6's dnn, for the ONNX checks).
# Python packages never go into an interpreter of the system: Debian 12's python3 refuses `pip install`
# (PEP 668, "externally-managed-environment"), and a machine whose python3 accepts it (pyenv) would hide what a
# stock Debian user meets. Each Python concern of the tests has a virtual environment under .build/ (ignored by
# git), made from Debian's /usr/bin/python3 (docs/setup.md):
#   .build/python-venv   safetensors, numpy: the Swift interop tests, found through FACET_PYTHON (facet_need_python)
#   .build/onnx-venv     onnx, onnxruntime over Debian's cv2, numpy<2 (facet_need_onnx_python)
#   .build/jupyter-venv  the Jupyter clients and pytest (facet_need_jupyter)
#   .build/lsp-venv      pytest-lsp, the language server's test client (facet_need_lsp); Debian's neovim is the other
#                        client; Debian's nodejs runs the VS Code extension's extension.js against stand-ins (Tests/editors)
# They are separate because their pins differ (the ONNX one must see Debian's cv2, built against numpy 1).
# An install that fails stops the caller with the package list and the venv; nothing is skipped quietly.
facet_need_debs() {
    local missing=()
    for p in libopenblas-dev libdnnl-dev libopencv-dev libreadline-dev libssl-dev libzmq3-dev librsvg2-dev libopenmpi-dev openmpi-bin opencv-data pkg-config tmux neovim nodejs python3-opencv python3-venv; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
    done
    if [ ${#missing[@]} -gt 0 ]; then
        echo "facet: installing Debian packages: ${missing[*]}" >&2
        local sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
        $sudo apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
    fi
}
# The interpreter every venv is made from: Debian's python3, whatever python3 comes first on PATH (pyenv, conda).
FACET_BASE_PYTHON="${FACET_BASE_PYTHON:-/usr/bin/python3}"

# facet_venv DIR IMPORTS [--system-site-packages] -- PIP-REQUIREMENT...: makes the virtual environment DIR from
# $FACET_BASE_PYTHON and installs the requirements unless `import IMPORTS` already works there. A venv made from
# another interpreter (an earlier run under pyenv, say) is made again. Returns 1 with a message naming the venv and
# the packages when it cannot be made or the install fails.
facet_venv() {
    local venv="$1" imports="$2"; shift 2
    local opts=()
    while [ $# -gt 0 ] && [ "$1" != "--" ]; do opts+=("$1"); shift; done
    shift   # --
    local base_home
    base_home="$(dirname "$FACET_BASE_PYTHON")"
    if [ -x "$venv/bin/python" ] && grep -qx "home = $base_home" "$venv/pyvenv.cfg" 2>/dev/null \
        && "$venv/bin/python" -c "import $imports" 2>/dev/null; then
        return 0
    fi
    echo "facet: creating $venv from $FACET_BASE_PYTHON with $*" >&2
    rm -rf "$venv"
    if ! "$FACET_BASE_PYTHON" -m venv "${opts[@]}" "$venv" >&2; then
        echo "facet: could not create the virtual environment $venv with $FACET_BASE_PYTHON -m venv (Debian: apt-get install python3-venv)" >&2
        return 1
    fi
    if ! "$venv/bin/python" -m pip install -q --disable-pip-version-check "$@" >&2; then
        echo "facet: pip could not install $* into $venv (output above)" >&2
        return 1
    fi
    if ! "$venv/bin/python" -c "import $imports"; then
        echo "facet: $venv has $* installed, but \`import $imports\` fails there (above)" >&2
        return 1
    fi
}
# Python's safetensors and numpy for the interop tests (SafetensorsTests), in .build/python-venv. Exports
# FACET_PYTHON, the one variable through which the Swift tests find that interpreter (they skip without it).
facet_need_python() {
    local venv="$PWD/.build/python-venv"
    facet_venv "$venv" "safetensors, numpy" -- safetensors numpy || return 1
    export FACET_PYTHON="$venv/bin/python"
}
# A venv at $1 over Debian's python3 (its system packages give cv2 = OpenCV 4.6) with onnx, onnxruntime and
# safetensors; numpy stays below 2, which Debian's cv2 was built against. Returns 1 when they cannot be installed.
facet_need_onnx_python() {
    facet_venv "$1" "onnx, onnxruntime, safetensors, cv2" --system-site-packages -- "numpy<2" onnx onnxruntime safetensors
}
# The Jupyter tests' clients (jupyter_kernel_test 0.7, nbclient, jupyter_client, pytest) in a virtual environment
# under .build (ignored). Prints the environment's python; returns 1 when they cannot be installed.
facet_need_jupyter() {
    local venv="${FACET_JUPYTER_VENV:-.build/jupyter-venv}"
    facet_venv "$venv" "jupyter_kernel_test, nbclient, jupyter_client, nbformat, pytest" \
        -- "jupyter_kernel_test>=0.7,<0.8" nbclient jupyter_client nbformat pytest || return 1
    echo "$venv/bin/python"
}
# The language server's test client (pytest-lsp, on pygls) in .build/lsp-venv; Debian's neovim (installed by
# facet_need_debs) is the other client. babi's TextMate engine tokenises the editors/ grammars (Tests/editors).
# Prints the environment's python; returns 1 when it cannot be installed.
facet_need_lsp() {
    local venv=".build/lsp-venv"
    facet_venv "$venv" "pytest_lsp, pytest, babi.highlight" -- "pytest-lsp>=1,<2" pytest "babi>=1.5,<2" || return 1
    echo "$venv/bin/python"
}
