# Sourced by the quick-start scripts: installs what Facet needs when it is missing.
# Debian packages: OpenBLAS, OpenCV (+ its Haar cascades), readline, OpenSSL's libcrypto (SHA-256, HMAC), ZeroMQ
# (the Jupyter kernel), librsvg (its figures as PNG), Open MPI (libopenmpi-dev to link, openmpi-bin for mpirun: docs/distributed.md). Python:
# safetensors and numpy (interop tests), scikit-learn (metric fixtures are regenerated with it); the Jupyter
# client tests' packages in a virtual environment of their own (facet_need_jupyter). ONNX checks: Debian's python3-opencv (OpenCV 4.6's dnn) and python3-venv, and a venv with onnx and onnxruntime (facet_need_onnx_python).
facet_need_debs() {
    local missing=()
    for p in libopenblas-dev libdnnl-dev libopencv-dev libreadline-dev libssl-dev libzmq3-dev librsvg2-dev libopenmpi-dev openmpi-bin opencv-data pkg-config tmux python3-opencv python3-venv; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
    done
    if [ ${#missing[@]} -gt 0 ]; then
        echo "facet: installing Debian packages: ${missing[*]}" >&2
        local sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
        $sudo apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
    fi
}
facet_need_python() {
    python3 -c "import safetensors, numpy" 2>/dev/null && return 0
    echo "facet: installing Python packages: safetensors numpy" >&2
    python3 -m pip install -q safetensors numpy 2>&1 | grep -v -i "warning" >&2 || true
}
# A venv at $1 over Debian's python3 (its system packages give cv2 = OpenCV 4.6) with onnx, onnxruntime and
# safetensors; numpy stays below 2, which Debian's cv2 was built against. Returns 1 when they cannot be installed.
facet_need_onnx_python() {
    local venv="$1"
    "$venv/bin/python" -c "import onnx, onnxruntime, safetensors, cv2" 2>/dev/null && return 0
    echo "facet: creating $venv with onnx, onnxruntime, safetensors (numpy<2 for Debian's cv2)" >&2
    rm -rf "$venv"
    /usr/bin/python3 -m venv --system-site-packages "$venv" >&2 || return 1
    "$venv/bin/pip" install -q "numpy<2" onnx onnxruntime safetensors >&2 || return 1
    "$venv/bin/python" -c "import onnx, onnxruntime, safetensors, cv2" 2>/dev/null
}
# The Jupyter tests' clients (jupyter_kernel_test 0.7, nbclient, jupyter_client, pytest) in a virtual environment
# under .build (ignored), so the system Python is left alone. Prints the environment's python.
facet_need_jupyter() {
    local venv="${FACET_JUPYTER_VENV:-.build/jupyter-venv}"
    if ! "$venv/bin/python" -c "import jupyter_kernel_test, nbclient, jupyter_client, nbformat, pytest" 2>/dev/null; then
        echo "facet: installing the Jupyter test packages in $venv" >&2
        if ! python3 -m venv "$venv" >/dev/null 2>&1; then
            # Debian's python3 has no venv module without python3-venv.
            local sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
            $sudo apt-get update -qq
            DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq python3-venv >/dev/null
            rm -rf "$venv"; python3 -m venv "$venv"
        fi
        "$venv/bin/python" -m pip install -q "jupyter_kernel_test>=0.7,<0.8" nbclient jupyter_client nbformat pytest >&2
    fi
    echo "$venv/bin/python"
}
