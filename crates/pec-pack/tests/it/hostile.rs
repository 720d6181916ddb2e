//! Hostile input: subjects and addresses that try to escape the pack or name devices give safe member
//! and pack names; hostile ZIPs given to `verify_pack` get a verdict, never a crash.

use std::io::Cursor;

use pec_core::signature::TrustAnchors;
use pec_pack::manifest::MANIFEST;
use pec_pack::names::is_safe_path;
use pec_pack::reader::Limits;
use pec_pack::{Language, PackProblem, verify_pack, verify_pack_bytes};
use pec_testkit::Rng;

use super::*;

#[test]
fn hostile_subjects_and_addresses_give_safe_names() {
    let Some(pki) = pki() else { return };
    let anchors = trusting(pki);
    let (_dir, mut archive) = fresh();
    let to = [
        "../../etc/passwd@pec.example",
        "CON@pec.example",
        "nul.txt@pec.example",
    ];
    let subject = format!(
        "../../../windows/system32 CON.txt \u{202E}fdp.exe {}",
        "x".repeat(300)
    );
    store(&mut archive, &anchors, signed_send(pki, &subject, &to));
    let send = only_send(&archive);
    let pack = pack_of(&archive, &send, &anchors, Language::It);
    assert!(is_safe_path(&pack.file_name), "{:?}", pack.file_name);
    assert!(pack.file_name.len() <= pec_pack::names::MAX_NAME_BYTES);
    for (name, _) in members(&pack.bytes) {
        assert!(is_safe_path(&name), "{name:?}");
        assert!(name.split('/').all(|c| c != ".." && c != "."), "{name:?}");
    }
    assert!(verify_pack_bytes(&pack.bytes, &anchors, now()).holds);
}

fn problems_of(zip: &[u8]) -> Vec<PackProblem> {
    let verdict = verify_pack_bytes(zip, &TrustAnchors::builtin(), now());
    assert!(!verdict.holds);
    verdict.problems
}

#[test]
fn what_is_not_a_zip_is_said_so() {
    for bytes in [&b""[..], b"hello", b"PK\x05\x06", &[0u8; 4096]] {
        assert!(matches!(
            problems_of(bytes)[..],
            [PackProblem::NotAZip { .. }]
        ));
    }
    let mut rng = Rng::new(7);
    for _ in 0..200 {
        let len = rng.below(2000) as usize;
        let junk: Vec<u8> = (0..len).map(|_| rng.below(256) as u8).collect();
        let _ = verify_pack_bytes(&junk, &TrustAnchors::builtin(), now());
    }
}

#[test]
fn a_zip_bomb_is_refused_by_size() {
    let zeros = vec![0u8; 4 << 20];
    let zip = zip_of(&[
        (MANIFEST.to_owned(), zeros.clone()),
        ("x.eml".to_owned(), zeros),
    ]);
    let limits = Limits {
        max_member_bytes: 1 << 20,
        ..Limits::default()
    };
    let verdict = verify_pack(Cursor::new(zip), &TrustAnchors::builtin(), now(), &limits);
    assert!(verdict.problems.contains(&PackProblem::TooLarge {
        member: MANIFEST.to_owned(),
        limit: 1 << 20
    }));
}

#[test]
fn traversal_names_and_a_hand_made_manifest_are_judged_not_followed() {
    let Some(pki) = pki() else { return };
    let anchors = trusting(pki);
    let (_dir, mut archive) = fresh();
    store(
        &mut archive,
        &anchors,
        signed_send(pki, "Prova", &["a@pec.example"]),
    );
    let send = only_send(&archive);
    let pack = pack_of(&archive, &send, &anchors, Language::It);

    // An extra member that would climb out of the folder it is unzipped in.
    let mut entries = members(&pack.bytes);
    entries.push(("../../../../tmp/attesta-evil".to_owned(), b"boom".to_vec()));
    let problems = problems_of(&zip_of(&entries));
    assert!(problems.contains(&PackProblem::Unexpected {
        member: "../../../../tmp/attesta-evil".to_owned()
    }));
    assert!(!std::path::Path::new("/tmp/attesta-evil").exists());

    // A manifest that points at a traversal name: reported as unsafe and missing, nothing opened.
    let mut manifest = pack.manifest.clone();
    manifest.members[1].path = "../../etc/passwd".to_owned();
    let json = manifest.seal();
    let entries: Vec<(String, Vec<u8>)> = members(&pack.bytes)
        .into_iter()
        .map(|(n, b)| {
            if n == MANIFEST {
                (n, json.clone())
            } else {
                (n, b)
            }
        })
        .collect();
    let problems = problems_of(&zip_of(&entries));
    assert!(problems.contains(&PackProblem::UnsafeName {
        member: "../../etc/passwd".to_owned()
    }));
    assert!(problems.contains(&PackProblem::Missing {
        member: "../../etc/passwd".to_owned()
    }));

    // A manifest that is not JSON at all.
    let entries: Vec<(String, Vec<u8>)> = members(&pack.bytes)
        .into_iter()
        .map(|(n, b)| {
            if n == MANIFEST {
                (n, b"{\"format\": [[[[".to_vec())
            } else {
                (n, b)
            }
        })
        .collect();
    let problems = problems_of(&zip_of(&entries));
    assert!(
        problems
            .iter()
            .any(|p| matches!(p, PackProblem::ManifestUnreadable { .. }))
    );
}

#[test]
fn duplicate_names_are_reported() {
    let Some(pki) = pki() else { return };
    let anchors = trusting(pki);
    let (_dir, mut archive) = fresh();
    store(
        &mut archive,
        &anchors,
        signed_send(pki, "Prova", &["a@pec.example"]),
    );
    let send = only_send(&archive);
    let pack = pack_of(&archive, &send, &anchors, Language::It);
    // A second "report.pdf": written as "report.pdX", then renamed in the raw bytes (the zip writer
    // refuses duplicates, a forger's tool need not).
    let mut entries = members(&pack.bytes);
    entries.push((
        "report.pdX".to_owned(),
        b"%PDF-1.7 a different report".to_vec(),
    ));
    let mut zip = zip_of(&entries);
    let (from, to) = (b"report.pdX", b"report.pdf");
    let mut i = 0;
    while i + from.len() <= zip.len() {
        if &zip[i..i + from.len()] == from {
            zip[i..i + to.len()].copy_from_slice(to);
        }
        i += 1;
    }
    let verdict = verify_pack_bytes(&zip, &anchors, now());
    assert!(
        verdict.problems.contains(&PackProblem::DuplicateNames),
        "{:#?}",
        verdict.problems
    );
}
