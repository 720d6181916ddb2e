# What the desktop app needs on a fresh Debian/Ubuntu machine, for scripts/run and scripts/test.
# Uses ensure_apt_packages from setup.sh; every step checks first, so running twice installs nothing.

# The WebKitGTK/GTK development packages Tauri 2 builds against (environment.md).
APP_BUILD_PACKAGES=(libwebkit2gtk-4.1-dev libgtk-3-dev librsvg2-dev libayatana-appindicator3-dev libssl-dev libxdo-dev file)
# The real window under WebDriver, on a virtual display.
APP_E2E_PACKAGES=(xvfb xauth webkit2gtk-driver)

# ensure_node: Node.js 20.19 or newer with npm (Vite 8 needs it); Debian's own nodejs if none is there.
ensure_node() {
    if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
        ensure_apt_packages nodejs npm
    fi
    local major
    major=$(node -e 'console.log(process.versions.node.split(".")[0])')
    if [ "$major" -lt 20 ]; then
        echo "error: the UI build needs Node.js 20.19 or newer; this machine has $(node --version)" >&2
        exit 2
    fi
}

# ensure_ui_packages: ui/node_modules exactly as package-lock.json says (npm ci), when it is not yet.
ensure_ui_packages() {
    if [ ! -f ui/node_modules/.package-lock.json ] || ! cmp -s ui/package-lock.json ui/node_modules/.attesta-lock; then
        (cd ui && npm ci --no-audit --no-fund)
        cp ui/package-lock.json ui/node_modules/.attesta-lock
    fi
}

# ensure_tauri_driver: the WebDriver bridge for the end-to-end tests (cargo install, only if missing).
ensure_tauri_driver() {
    if ! command -v tauri-driver >/dev/null 2>&1 && [ ! -x "$HOME/.cargo/bin/tauri-driver" ]; then
        cargo install tauri-driver --locked
    fi
}
