# Shared setup for scripts/run and scripts/test: install what a fresh Debian/Ubuntu machine lacks.
# Every step checks first, so running twice installs nothing the second time.

# When the whole run began (epoch seconds), shared with the scripts it runs (scripts/package).
: "${ATTESTA_STEPS_STARTED:=$(date +%s)}"
export ATTESTA_STEPS_STARTED

# Runs one named step of the test command and says how long it took (CI has a time budget: the
# figures show where it goes).
step() {
    local name=$1
    shift
    printf '\n==> %s\n' "$name"
    local started=$SECONDS
    "$@"
    printf '<== %s: %d s (%d s since the start)\n' "$name" $((SECONDS - started)) \
        $(($(date +%s) - ATTESTA_STEPS_STARTED))
}

as_root() {
    if [ "$(id -u)" -eq 0 ]; then
        "$@"
    elif command -v sudo >/dev/null 2>&1; then
        sudo "$@"
    else
        echo "error: installing system packages needs root (or sudo): $*" >&2
        exit 2
    fi
}

# ensure_apt_packages PKG...: install the Debian packages that are not installed yet.
ensure_apt_packages() {
    local missing=()
    local pkg
    for pkg in "$@"; do
        if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
            missing+=("$pkg")
        fi
    done
    if [ ${#missing[@]} -eq 0 ]; then
        return 0
    fi
    if ! command -v apt-get >/dev/null 2>&1; then
        echo "error: these packages are needed and this is not a Debian/Ubuntu system: ${missing[*]}" >&2
        exit 2
    fi
    echo "installing system packages: ${missing[*]}"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

# ensure_rust: a Rust toolchain recent enough for rust-version in Cargo.toml, with rustfmt and clippy.
ensure_rust() {
    if [ -f "$HOME/.cargo/env" ]; then
        # shellcheck disable=SC1091
        . "$HOME/.cargo/env"
    fi
    if ! command -v cargo >/dev/null 2>&1; then
        echo "installing the Rust toolchain with rustup"
        ensure_apt_packages curl ca-certificates
        curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh -s -- -y --profile minimal
        # shellcheck disable=SC1091
        . "$HOME/.cargo/env"
    fi
    if command -v rustup >/dev/null 2>&1; then
        local have
        have=$(rustup component list --installed 2>/dev/null || true)
        for component in rustfmt clippy; do
            if ! grep -q "^$component" <<<"$have"; then
                rustup component add "$component"
            fi
        done
    fi
}

# ensure_fuzzing: a nightly toolchain and cargo-fuzz, for the short fuzz run (fuzz/README.md).
ensure_fuzzing() {
    if ! cargo +nightly --version >/dev/null 2>&1; then
        rustup toolchain install nightly --profile minimal
    fi
    if ! cargo fuzz --version >/dev/null 2>&1; then
        cargo install cargo-fuzz --locked
    fi
}

# fuzz_short TARGET SECONDS: seeds from the synthetic generator, then a short libFuzzer run of TARGET
# (issue 13 §6). A crash fails the step and leaves its input under fuzz/artifacts/TARGET.
fuzz_short() {
    local target=$1 seconds=$2
    cargo run --quiet --locked -p pec-testkit --example fuzz_seeds -- fuzz/corpus
    cargo +nightly fuzz run -O "$target" "fuzz/corpus/$target" -- \
        -max_total_time="$seconds" -print_final_stats=1
}
