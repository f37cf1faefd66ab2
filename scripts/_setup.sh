# Shared by scripts/demo and scripts/test: install what the program needs on a fresh machine.
# Debian packages (when missing and apt-get is available), then a virtualenv with the project.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PYTHON="${PYTHON:-python3}"

ensure_debs() {
    local missing=()
    for pkg in "$@"; do
        dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    if ! command -v apt-get >/dev/null; then
        echo "Please install: ${missing[*]}" >&2
        return 0
    fi
    local sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    echo "Installing Debian packages: ${missing[*]}" >&2
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
}

# Qt's runtime libraries and a CJK font for the Chinese UI.
QT_DEBS=(libegl1 libgl1 libxkbcommon0 libfontconfig1 libdbus-1-3 libglib2.0-0 fonts-wqy-microhei)
# The xcb platform plugin, for a real screen.
XCB_DEBS=(libxcb-cursor0 libxkbcommon-x11-0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0
          libxcb-render-util0 libxcb-image0 libxcb-xinerama0 libxcb-randr0)

ensure_venv() {
    local extras="$1"
    if [ ! -x "$ROOT/.venv/bin/python" ]; then
        "$PYTHON" -m venv "$ROOT/.venv"
    fi
    "$ROOT/.venv/bin/python" -m pip install -q --upgrade pip >/dev/null
    "$ROOT/.venv/bin/python" -m pip install -q -e "$ROOT$extras"
}
