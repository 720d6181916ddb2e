# Helpers of scripts/package (and of the package tests in scripts/test): the version, the updater's
# build-time configuration, the packages' names, their update signatures and their checksums.

# workspace_version: the version in the workspace Cargo.toml ([workspace.package]), the one the
# packages carry.
workspace_version() {
    awk '/^\[workspace.package\]/{p=1; next} /^\[/{p=0} p && /^version *=/{gsub(/[" ]/, "", $0); sub(/^version=/, ""); print; exit}' Cargo.toml
}

# updater_config KEY_FILE ENDPOINT: the Tauri configuration merged into the build. With a key, the
# app's updater trusts that key alone, requires each signature to name the version it installs, and
# never goes back to an older version; without one, the app has no updater.
updater_config() {
    local key_file=$1 endpoint=$2
    if [ -z "$key_file" ]; then
        if [ -n "$endpoint" ]; then
            echo "error: --update-endpoint needs --update-key (the key the app will trust)" >&2
            exit 2
        fi
        echo '{}'
        return
    fi
    if [ ! -s "$key_file" ]; then
        echo "error: no public key in $key_file" >&2
        exit 2
    fi
    if [ -n "$endpoint" ] && ! endpoint_allowed "$endpoint"; then
        echo "error: the update endpoint must use https (http only on 127.0.0.1 or localhost): $endpoint" >&2
        exit 2
    fi
    KEY=$(tr -d '\n' <"$key_file") ENDPOINT=$endpoint node -e '
        const updater = {
            pubkey: process.env.KEY,
            endpoints: process.env.ENDPOINT ? [process.env.ENDPOINT] : [],
            requireSignedVersion: true,
            // Attesta checks the scheme itself: https, or http on loopback only (src-tauri/src/updates.rs).
            dangerousInsecureTransportProtocol: true,
        };
        console.log(JSON.stringify({ plugins: { updater } }));'
}

# endpoint_allowed URL: https anywhere, http only on this machine.
endpoint_allowed() {
    case $1 in
        https://*) return 0 ;;
        http://127.0.0.1[:/]* | http://localhost[:/]* | "http://[::1]"[:/]*) return 0 ;;
        *) return 1 ;;
    esac
}

# deb_name VERSION / rpm_name VERSION: the packages' file names.
deb_name() { echo "attesta_$1_amd64.deb"; }
rpm_name() { echo "attesta-$1-1.x86_64.rpm"; }

# collect_packages VERSION OUT: the bundler's packages, under their Debian and RPM names, in OUT.
collect_packages() {
    local version=$1 out=$2 bundle=target/release/bundle
    rm -rf "$out"
    mkdir -p "$out"
    cp "$bundle/deb/Attesta_${version}_amd64.deb" "$out/$(deb_name "$version")"
    cp "$bundle/rpm/Attesta-${version}-1.x86_64.rpm" "$out/$(rpm_name "$version")"
}

# sign_packages VERSION OUT BASE_URL: each package's minisign signature bound to VERSION (the
# updater refuses one whose signed version differs from the manifest's), and latest.json.
sign_packages() {
    local version=$1 out=$2 base=$3 package
    for package in "$(deb_name "$version")" "$(rpm_name "$version")"; do
        ui/node_modules/.bin/tauri signer sign --app-version "$version" "$out/$package" >/dev/null
    done
    write_manifest "$version" "$out" "$base"
}

# write_manifest VERSION OUT BASE_URL: the updater's static manifest (latest.json) for the signed
# packages in OUT.
write_manifest() {
    local version=$1 out=$2 base=$3
    VERSION=$version BASE=$base DEB=$(deb_name "$version") RPM=$(rpm_name "$version") OUT=$out node -e '
        const fs = require("fs");
        const { VERSION, BASE, DEB, RPM, OUT } = process.env;
        const entry = (file) => ({
            url: `${BASE}/${file}`,
            signature: fs.readFileSync(`${OUT}/${file}.sig`, "utf8").trim(),
        });
        const manifest = {
            version: VERSION,
            notes: `Attesta ${VERSION}`,
            pub_date: new Date().toISOString().replace(/\.\d+Z$/, "Z"),
            platforms: { "linux-x86_64-deb": entry(DEB), "linux-x86_64-rpm": entry(RPM) },
        };
        fs.writeFileSync(`${OUT}/latest.json`, JSON.stringify(manifest, null, 2) + "\n");'
}

# write_sums OUT: SHA256SUMS of every file in OUT (sha256sum -c checks them).
write_sums() {
    local out=$1
    (cd "$out" && rm -f SHA256SUMS && sha256sum -- * >SHA256SUMS.tmp && mv SHA256SUMS.tmp SHA256SUMS)
}

# version_after VERSION / version_before VERSION: the next patch version, and an older one.
version_after() {
    local major minor patch
    IFS=. read -r major minor patch <<<"$1"
    echo "$major.$minor.$((patch + 1))"
}
version_before() {
    local major minor patch
    IFS=. read -r major minor patch <<<"$1"
    if [ "$patch" -gt 0 ]; then echo "$major.$minor.$((patch - 1))"
    elif [ "$minor" -gt 0 ]; then echo "$major.$((minor - 1)).0"
    else echo "$((major - 1)).0.0"; fi
}

# repack_deb DEB VERSION OUT: DEB with its control Version changed to VERSION (the same program: a
# genuine package of another version, for the update test).
repack_deb() {
    local deb=$1 version=$2 out=$3 tree
    tree=$(mktemp -d)
    dpkg-deb -R "$deb" "$tree/root"
    sed -i "s/^Version: .*/Version: $version/" "$tree/root/DEBIAN/control"
    dpkg-deb -b --root-owner-group "$tree/root" "$out" >/dev/null
    rm -rf "$tree"
}

# sign_file KEY FILE VERSION: FILE.sig, minisign by KEY (no password), bound to VERSION.
sign_file() {
    ui/node_modules/.bin/tauri signer sign -f "$1" -p "" --app-version "$3" "$2" >/dev/null
}

# make_update_fixtures DEB KEY OTHER_KEY OUT: what the update test serves (src-tauri/tests/e2e/
# updates.rs): next.deb (the next version, signed by KEY), old.deb (an older one, signed by KEY),
# next.deb.forged.sig (next.deb signed by OTHER_KEY), flipped.deb (next.deb with one byte changed),
# and the three versions.
make_update_fixtures() {
    local deb=$1 key=$2 other=$3 out=$4 current next old
    current=$(dpkg-deb -f "$deb" Version)
    next=$(version_after "$current")
    old=$(version_before "$current")
    rm -rf "$out"
    mkdir -p "$out"
    repack_deb "$deb" "$next" "$out/next.deb"
    repack_deb "$deb" "$old" "$out/old.deb"
    sign_file "$other" "$out/next.deb" "$next"
    mv "$out/next.deb.sig" "$out/next.deb.forged.sig"
    sign_file "$key" "$out/next.deb" "$next"
    sign_file "$key" "$out/old.deb" "$old"
    cp "$out/next.deb" "$out/flipped.deb"
    local middle=$(($(stat -c %s "$out/flipped.deb") / 2))
    local byte
    byte=$(od -An -tu1 -j "$middle" -N1 "$out/flipped.deb" | tr -d ' ')
    printf "$(printf '\\%03o' $(((byte + 1) % 256)))" |
        dd of="$out/flipped.deb" bs=1 seek="$middle" conv=notrunc status=none
    echo "$current" >"$out/version.current"
    echo "$next" >"$out/version.next"
    echo "$old" >"$out/version.old"
}

# new_signing_key FILE: a throwaway minisign key pair (FILE, FILE.pub) without a password, for tests.
new_signing_key() {
    rm -f "$1" "$1.pub"
    ui/node_modules/.bin/tauri signer generate --ci -p "" -w "$1" >/dev/null
}
