//! Issue 17, "an archive made by the previous release opens in the new one with everything intact":
//! the data directory an earlier Attesta really left (`pec_testkit::release_fixture`, made by
//! `scripts/make-release-fixture` with that release's own `attesta`), opened by this one.
//!
//! What the old release said is the oracle: its `status --json` (every send, every recipient's state),
//! the SHA-256 of each message it archived (sha256sum over the files it imported), and the packs it
//! exported, which must still verify.

use std::path::{Path, PathBuf};

use pec_testkit::release_fixture;

use crate::support::{attesta_in as attesta, text};

/// A private copy of the fixture's data directory (the test upgrades it).
fn data_dir_of_the_old_release() -> tempfile::TempDir {
    let to = tempfile::Builder::new()
        .prefix("attesta-release-")
        .tempdir()
        .unwrap();
    release_fixture::copy_data_dir(to.path());
    to
}

fn json_lines(out: &std::process::Output) -> Vec<serde_json::Value> {
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// A send's Message-ID, its summary, and each recipient with its state.
type Outcome = (String, String, Vec<(String, String)>);

/// The outcome of each send of a `status --json` listing, in order.
fn outcomes(sends: &[serde_json::Value]) -> Vec<Outcome> {
    let mut all: Vec<_> = sends
        .iter()
        .map(|s| {
            let mut recipients: Vec<(String, String)> = s["recipients"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| {
                    (
                        r["address"].as_str().unwrap().to_owned(),
                        r["state"].as_str().unwrap().to_owned(),
                    )
                })
                .collect();
            recipients.sort();
            (
                s["msgid"].as_str().unwrap().to_owned(),
                s["summary"].as_str().unwrap().to_owned(),
                recipients,
            )
        })
        .collect();
    all.sort();
    all
}

#[test]
fn the_previous_releases_archive_upgrades_with_every_send_state_message_and_pack_intact() {
    let data = data_dir_of_the_old_release();
    let old_status: Vec<serde_json::Value> =
        std::fs::read_to_string(release_fixture::dir().join("status.json"))
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
    assert_eq!(old_status.len(), 3, "the fixture's three sends");

    // The first command upgrades the archive, verifies it and removes the copy.
    let check = attesta(data.path(), &["archive", "check"]);
    assert_eq!(check.status.code(), Some(0), "{}", text(&check));
    let stderr = String::from_utf8_lossy(&check.stderr);
    assert!(
        stderr.contains("archive upgraded from version 6 to") && stderr.contains("was removed"),
        "{stderr}"
    );
    let stdout = String::from_utf8_lossy(&check.stdout);
    assert!(
        stdout.starts_with("intact: 11 messages, 3 sends"),
        "{stdout}"
    );
    let leftovers: Vec<_> = std::fs::read_dir(data.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("before-upgrade"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");

    // Every send and every recipient as the old release stated them.
    let status = attesta(data.path(), &["status", "--json"]);
    assert_eq!(status.status.code(), Some(0), "{}", text(&status));
    assert_eq!(outcomes(&json_lines(&status)), outcomes(&old_status));

    // Every message it archived, byte for byte: this release's packs carry each file as archived.
    let packs = tempfile::tempdir().unwrap();
    let ca = release_fixture::dir().join("test-ca");
    let export = attesta(
        data.path(),
        &[
            "export",
            "--since",
            "2000-01-01",
            "--trust-dir",
            ca.to_str().unwrap(),
            "--out",
            packs.path().to_str().unwrap(),
        ],
    );
    assert_eq!(export.status.code(), Some(0), "{}", text(&export));
    let archived = sha256_of_pack_members(packs.path());
    for line in std::fs::read_to_string(release_fixture::dir().join("mail.sha256"))
        .unwrap()
        .lines()
        .filter(|l| !l.contains("4-comparsa"))
    {
        let (hash, file) = line.split_once("  ").unwrap();
        assert!(
            archived.iter().any(|h| h == hash),
            "{file} ({hash}) is in no pack this release exported"
        );
    }

    // Every message, the received one too, under the hash of the file imported (archive check above
    // proved the stored bytes hash so).
    let mut imported: Vec<String> =
        std::fs::read_to_string(release_fixture::dir().join("mail.sha256"))
            .unwrap()
            .lines()
            .map(|l| l.split_once("  ").unwrap().0.to_owned())
            .collect();
    imported.sort();
    let mut stored: Vec<String> = (1..=imported.len())
        .map(|id| {
            let out = attesta(data.path(), &["show", &id.to_string(), "--json"]);
            assert_eq!(out.status.code(), Some(0), "{}", text(&out));
            json_lines(&out)[0]["sha256"].as_str().unwrap().to_owned()
        })
        .collect();
    stored.sort();
    assert_eq!(stored, imported);

    // The account it configured is still there (its password was in a keyring that is gone: said so).
    let accounts = attesta(data.path(), &["account", "list", "--json"]);
    let accounts = json_lines(&accounts);
    assert_eq!(accounts.len(), 1);
    assert_eq!(accounts[0]["address"], "studio@pec.provider.example");

    // The packs the old release exported still verify with this one.
    let mut old_packs: Vec<PathBuf> = std::fs::read_dir(release_fixture::dir().join("packs"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    old_packs.sort();
    assert_eq!(old_packs.len(), 3);
    let mut args = vec!["verify-pack", "--trust-dir", ca.to_str().unwrap()];
    args.extend(old_packs.iter().map(|p| p.to_str().unwrap()));
    let verified = attesta(data.path(), &args);
    assert_eq!(verified.status.code(), Some(0), "{}", text(&verified));
}

/// The SHA-256 of every `.eml` member of every pack in `dir`.
fn sha256_of_pack_members(dir: &Path) -> Vec<String> {
    use sha2::{Digest, Sha256};
    use std::io::Read;
    let mut hashes = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "zip") {
            continue;
        }
        let mut zip = zip::ZipArchive::new(std::fs::File::open(&path).unwrap()).unwrap();
        for i in 0..zip.len() {
            let mut member = zip.by_index(i).unwrap();
            if !member.name().unwrap().ends_with(".eml") {
                continue;
            }
            let mut bytes = Vec::new();
            member.read_to_end(&mut bytes).unwrap();
            hashes.push(format!("{:x}", Sha256::digest(&bytes)));
        }
    }
    hashes
}
