# Sourced by the quick-start scripts: installs what Facet needs when it is missing.
# Debian packages: OpenBLAS, OpenCV (+ its Haar cascades), readline, OpenSSL's libcrypto (SHA-256). Python: safetensors
# and numpy (interop tests), scikit-learn (metric fixtures are regenerated with it).
facet_need_debs() {
    local missing=()
    for p in libopenblas-dev libopencv-dev libreadline-dev libssl-dev opencv-data pkg-config tmux; do
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
