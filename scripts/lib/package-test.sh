# The package tests of scripts/test (issue 17): build the packages as a release is built (with a
# throwaway update key and a loopback update address), check what they hold, install the .deb with apt
# on this machine, drive the installed app (not the build tree) through the end-to-end tests, update it
# through its signed updater, remove it, and check that the user's archive stayed.
# Uses setup.sh, app.sh and package.sh.

PACKAGE_TEST_DIR=target/package-test
# The loopback address the test package's updater asks (the update test serves it).
PACKAGE_UPDATE_ENDPOINT=http://127.0.0.1:47913/attesta/latest.json

# package_for_tests: scripts/package with a fresh test key pair (the release key never is one of ours).
package_for_tests() {
    mkdir -p "$PACKAGE_TEST_DIR"
    new_signing_key "$PACKAGE_TEST_DIR/update.key"
    new_signing_key "$PACKAGE_TEST_DIR/other.key"
    TAURI_SIGNING_PRIVATE_KEY_PATH=$PWD/$PACKAGE_TEST_DIR/update.key TAURI_SIGNING_PRIVATE_KEY_PASSWORD="" \
        bash scripts/package --update-key "$PACKAGE_TEST_DIR/update.key.pub" \
        --update-endpoint "$PACKAGE_UPDATE_ENDPOINT"
}

fail() {
    echo "package check failed: $*" >&2
    return 1
}

# expect_listed LISTING PATH...: each PATH is in LISTING (one path per line, no leading dot).
expect_listed() {
    local listing=$1 path
    shift
    for path in "$@"; do
        grep -qxF "$path" <<<"$listing" || fail "$path is not in the package"
    done
}

# The files every package holds (the icon names follow the installed program's name).
package_expected_files() {
    local size
    echo /usr/bin/attesta-app
    echo /usr/bin/attesta
    echo /usr/share/applications/Attesta.desktop
    echo /usr/share/applications/attesta-mailto.desktop
    echo /usr/share/doc/attesta/README.md
    for size in 16x16 24x24 32x32 48x48 64x64 128x128 256x256 512x512; do
        echo "/usr/share/icons/hicolor/$size/apps/attesta-app.png"
    done
}

# check_desktop_entry FILE: Italian and English names, the %f command line, the MIME types.
check_desktop_entry() {
    local entry=$1
    grep -q '^Name=Attesta$' "$entry" || fail "no Name in the desktop entry"
    grep -q '^GenericName\[it\]=' "$entry" || fail "no Italian GenericName"
    grep -q '^Comment\[it\]=' "$entry" || fail "no Italian Comment"
    grep -q '^Comment=' "$entry" || fail "no English Comment"
    grep -qE '^Exec=attesta-app %f$' "$entry" || fail "Exec is not 'attesta-app %f': $(grep ^Exec= "$entry")"
    grep -q '^MimeType=.*message/rfc822;' "$entry" || fail "the entry does not open .eml files"
    grep -q '^MimeType=.*application/pkcs7-mime;' "$entry" || fail "the entry does not open .p7m files"
    if command -v desktop-file-validate >/dev/null 2>&1; then desktop-file-validate "$entry"; fi
}

# check_package_contents: dpkg -c and rpm -qlp list every file named above; the dependencies hold
# WebKitGTK and the session bus the Secret Service client talks over; both entries are valid.
check_package_contents() {
    local version deb rpm listing expected tree
    version=$(workspace_version)
    deb=target/packages/$(deb_name "$version")
    rpm=target/packages/$(rpm_name "$version")
    (cd target/packages && sha256sum -c SHA256SUMS) || fail "SHA256SUMS does not match"
    [ "$(dpkg-deb -f "$deb" Version)" = "$version" ] || fail "the .deb is not version $version"
    [ "$(dpkg-deb -f "$deb" Package)" = attesta ] || fail "the .deb is not named attesta"
    dpkg-deb -f "$deb" Depends | grep -q 'libwebkit2gtk-4.1-0' || fail ".deb depends on no WebKitGTK"
    dpkg-deb -f "$deb" Depends | grep -q 'dbus-session-bus' || fail ".deb depends on no session bus"
    dpkg-deb -f "$deb" Recommends | grep -q 'gnome-keyring' || fail ".deb recommends no Secret Service"
    expected=$(package_expected_files)
    listing=$(dpkg -c "$deb" | awk '{print $6}' | sed -e 's|^\./|/|' -e 's|^\([^/]\)|/\1|')
    # shellcheck disable=SC2086
    expect_listed "$listing" $expected
    listing=$(rpm -qlp "$rpm")
    # shellcheck disable=SC2086
    expect_listed "$listing" $expected
    [ "$(rpm -qp --qf '%{VERSION}' "$rpm")" = "$version" ] || fail "the .rpm is not version $version"
    rpm -qp --requires "$rpm" | grep -qi webkit2gtk || fail ".rpm requires no WebKitGTK"
    tree=$(mktemp -d)
    dpkg-deb -x "$deb" "$tree"
    check_desktop_entry "$tree/usr/share/applications/Attesta.desktop"
    grep -qE '^Exec=attesta-app %u$' "$tree/usr/share/applications/attesta-mailto.desktop" ||
        fail "the mailto entry does not pass the link"
    grep -q '^MimeType=x-scheme-handler/mailto;$' "$tree/usr/share/applications/attesta-mailto.desktop" ||
        fail "the mailto entry does not handle mailto:"
    grep -q 'Apache License' "$tree/usr/share/doc/attesta/copyright" || fail "no licence in the .deb"
    rpm -qlp "$rpm" | grep -qx /usr/share/licenses/attesta/LICENSE || fail "no licence in the .rpm"
    # Stripped of debug information: what users install stays small.
    if file -L "$tree/usr/bin/attesta-app" | grep -q "with debug_info"; then fail "attesta-app carries debug information"; fi
    "$tree/usr/bin/attesta" --version | grep -q "$version" || fail "the packaged attesta is not $version"
    rm -rf "$tree"
}

remove_installed_package() {
    if dpkg-query -W -f='${Status}' attesta 2>/dev/null | grep -q "install ok installed"; then
        as_root env DEBIAN_FRONTEND=noninteractive apt-get remove -y -qq attesta >/dev/null
    fi
}

# archive_digest DIR: the SHA-256 of every file under DIR, sorted.
archive_digest() {
    (cd "$1" && find . -type f -exec sha256sum {} + | sort)
}

# update_keeping_the_keyring ARCHIVE DIGEST_FILE, inside one keyring session: the installed `attesta` adds
# an account to ARCHIVE (its password goes to the OS keyring); ARCHIVE's digest is written to DIGEST_FILE;
# the installed app runs the end-to-end tests, whose update test installs the next version over this
# one; the updated `attesta` still finds the account's password in the keyring.
update_keeping_the_keyring() {
    local archive=$1 digest_file=$2
    printf 'segreto-di-prova\n' | attesta --data-dir "$archive" account add studio@pec.provider.example \
        --imap 127.0.0.1:1993 --smtp 127.0.0.1:1465 --no-test >/dev/null
    archive_digest "$archive" >"$digest_file"
    ATTESTA_E2E=1 ATTESTA_E2E_APP=/usr/bin/attesta-app ATTESTA_E2E_DESKTOP_ENTRY=/usr/share/applications/Attesta.desktop \
        ATTESTA_UPDATE_FIXTURES=$PWD/$PACKAGE_TEST_DIR/updates ATTESTA_UPDATE_ENDPOINT=$PACKAGE_UPDATE_ENDPOINT \
        xvfb-run -a -s "-screen 0 1280x800x24" \
        cargo test --locked -p attesta-app --features custom-protocol --test e2e -- --nocapture --test-threads 1
    attesta --data-dir "$archive" account list --json | grep -q '"password":"keyring"' ||
        fail "the updated attesta does not find the account's password in the OS keyring"
}

# package_install_and_use: apt installs the .deb; the installed `attesta` archives a corpus message in
# a data directory of its own and adds an account there (its password in the OS keyring); the installed
# app runs the end-to-end tests (the demo, a PEC message opened through the desktop entry's command
# line, the signed updates, which install the next version over this one); the data directory is byte
# for byte as it was, its archive checks with the new version and the account's password is still in
# the keyring; removing the package takes the programs and leaves that archive as it was.
package_install_and_use() {
    local version deb home archive before message
    version=$(workspace_version)
    deb=$PWD/target/packages/$(deb_name "$version")
    remove_installed_package
    # Whatever fails below, the package does not stay installed on this machine.
    trap remove_installed_package EXIT
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$deb"
    [ -x /usr/bin/attesta-app ] && [ -x /usr/bin/attesta ] || fail "the programs are not installed"

    home=$(mktemp -d)
    archive=$home/attesta
    message=$(find ../shared/corpus/real -name '*.eml' 2>/dev/null | sort | head -1)
    if [ -n "$message" ]; then
        attesta --data-dir "$archive" import "$message" >/dev/null
        attesta --data-dir "$archive" archive check >/dev/null || fail "the installed attesta's archive does not check"
    else
        mkdir -p "$archive" && echo "no corpus: a stand-in file" >"$archive/kept"
    fi
    make_update_fixtures "$deb" "$PACKAGE_TEST_DIR/update.key" "$PACKAGE_TEST_DIR/other.key" \
        "$PWD/$PACKAGE_TEST_DIR/updates"
    # One keyring session from before the update to after it (see update_keeping_the_keyring).
    bash scripts/lib/keyring-session bash -c \
        'set -euo pipefail; . scripts/lib/setup.sh; . scripts/lib/app.sh; . scripts/lib/package.sh; . scripts/lib/package-test.sh
         update_keeping_the_keyring "$@"' update "$archive" "$home/before-update"
    before=$(cat "$home/before-update")
    [ "$(dpkg-query -W -f='${Version}' attesta)" = "$(cat "$PACKAGE_TEST_DIR/updates/version.next")" ] ||
        fail "the update did not install the next version"
    [ "$(archive_digest "$archive")" = "$before" ] || fail "the update changed the user's archive"
    if [ -n "$message" ]; then
        attesta --data-dir "$archive" archive check >/dev/null || fail "the updated attesta does not check the archive"
    fi
    before=$(archive_digest "$archive")
    remove_installed_package
    [ ! -e /usr/bin/attesta-app ] && [ ! -e /usr/bin/attesta ] || fail "removing left the programs"
    [ ! -e /usr/share/applications/Attesta.desktop ] || fail "removing left the desktop entry"
    [ "$(archive_digest "$archive")" = "$before" ] || fail "removing the package changed the user's archive"
    rm -rf "$home"
    echo "installed, used, updated and removed; the user's archive stayed as it was"
}
