//! Tampering with a pack: one changed byte in any member, or any member removed, makes `verify_pack`
//! fail and name that member; a member added is named as unexpected.

use pec_core::signature::TrustAnchors;
use pec_pack::{Language, Pack, PackVerdict, verify_pack_bytes};

use super::*;

fn names_member(verdict: &PackVerdict, name: &str) -> bool {
    verdict.problems.iter().any(|p| p.member() == Some(name))
}

/// Changes one byte of every member in turn, then removes every member in turn.
pub fn every_change_is_named(pack: &Pack, anchors: &TrustAnchors) {
    let original = members(&pack.bytes);
    assert!(verify_pack_bytes(&pack.bytes, anchors, now()).holds);
    for (i, (name, bytes)) in original.iter().enumerate() {
        for at in [0, bytes.len() / 2, bytes.len().saturating_sub(2)] {
            let mut entries = original.clone();
            entries[i].1[at] ^= 0x01;
            let verdict = verify_pack_bytes(&zip_of(&entries), anchors, now());
            assert!(
                !verdict.holds,
                "{name}: byte {at} changed, yet the pack holds"
            );
            assert!(
                names_member(&verdict, name),
                "{name}: byte {at} changed, not named: {:#?}",
                verdict.problems
            );
        }
        let mut entries = original.clone();
        entries.remove(i);
        let verdict = verify_pack_bytes(&zip_of(&entries), anchors, now());
        assert!(!verdict.holds, "{name} removed, yet the pack holds");
        assert!(
            names_member(&verdict, name),
            "{name} removed, not named: {:#?}",
            verdict.problems
        );
    }
    let mut entries = original.clone();
    entries.push((
        "02-consegne/extra.eml".to_owned(),
        b"From: x\r\n\r\nhi".to_vec(),
    ));
    let verdict = verify_pack_bytes(&zip_of(&entries), anchors, now());
    assert!(
        names_member(&verdict, "02-consegne/extra.eml"),
        "{:#?}",
        verdict.problems
    );
    // Re-zipping the same members (another tool, other timestamps) changes nothing that matters.
    assert!(verify_pack_bytes(&zip_of(&original), anchors, now()).holds);
}

#[test]
fn every_changed_or_removed_member_of_a_synthetic_pack_is_named() {
    let Some(pki) = pki() else { return };
    let anchors = trusting(pki);
    let (_dir, mut archive) = fresh();
    store(
        &mut archive,
        &anchors,
        signed_send(
            pki,
            "Diffida",
            &["a@pec.example", "b@pec.example", "c@pec.example"],
        ),
    );
    let send = only_send(&archive);
    every_change_is_named(&pack_of(&archive, &send, &anchors, Language::It), &anchors);
}

#[test]
fn a_change_outside_the_signed_part_is_still_named_though_the_signature_holds() {
    let Some(pki) = pki() else { return };
    let anchors = trusting(pki);
    let (_dir, mut archive) = fresh();
    store(
        &mut archive,
        &anchors,
        signed_send(pki, "Diffida", &["a@pec.example"]),
    );
    let send = only_send(&archive);
    let pack = pack_of(&archive, &send, &anchors, Language::It);
    let mut entries = members(&pack.bytes);
    let delivery = entries
        .iter_mut()
        .find(|(n, _)| n.contains("_consegna_"))
        .unwrap();
    // The outer Subject is not signed (PEC rules §3).
    let text = String::from_utf8_lossy(&delivery.1).replacen("Subject: ", "Subject: EDITED ", 1);
    delivery.1 = text.into_bytes();
    let name = delivery.0.clone();
    let verdict = verify_pack_bytes(&zip_of(&entries), &anchors, now());
    assert!(
        matches!(
            &verdict.problems[..],
            [pec_pack::PackProblem::Changed { member, .. }] if *member == name
        ),
        "{:#?}",
        verdict.problems
    );
    let check = verdict.members.iter().find(|m| m.path == name).unwrap();
    assert_eq!(
        check.signature,
        Some(pec_core::signature::SignatureStatus::Valid)
    );
}
