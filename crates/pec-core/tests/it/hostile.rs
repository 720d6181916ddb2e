//! Bad input never panics and never hangs: truncation, random bytes, absurd nesting, hostile XML, size.

use chrono::{TimeZone, Utc};
use pec_core::{PecKind, daticert, inspect, recognise};
use pec_testkit::{Attachment, Pec, PecKindSpec, PlaceholderSigner, Rng, Send};

fn receipt() -> Vec<u8> {
    let send = Send::new(
        "a@pec.example",
        &["b@pec.example"],
        "Oggetto",
        Utc.with_ymd_and_hms(2026, 1, 5, 10, 0, 0).unwrap(),
    );
    Pec::new(
        &send,
        PecKindSpec::Delivery {
            recipient: "b@pec.example".into(),
        },
    )
    .build(&PlaceholderSigner)
}

#[test]
fn every_truncation_of_a_receipt_reads_without_panicking() {
    let raw = receipt();
    for end in (0..raw.len()).step_by(7) {
        let _ = recognise(&raw[..end]);
    }
}

#[test]
fn random_bytes_read_without_panicking() {
    let mut rng = Rng::new(7);
    for n in 0..2_000 {
        let len = rng.below(4096) as usize;
        let mut bytes: Vec<u8> = (0..len).map(|_| rng.next_u64() as u8).collect();
        if n % 2 == 0 {
            // Half of them start like mail so the MIME parser is exercised.
            let mut mail = b"Content-Type: multipart/signed; boundary=x\r\n\r\n--x\r\n".to_vec();
            mail.append(&mut bytes);
            bytes = mail;
        }
        let _ = recognise(&bytes);
    }
}

#[test]
fn random_mutations_of_a_receipt_read_without_panicking() {
    let raw = receipt();
    let mut rng = Rng::new(11);
    for _ in 0..500 {
        let mut m = raw.clone();
        for _ in 0..1 + rng.below(20) {
            let at = rng.below(m.len() as u64) as usize;
            m[at] = rng.next_u64() as u8;
        }
        let _ = inspect(&m);
    }
}

#[test]
fn a_message_nested_five_thousand_multipart_levels_deep_is_read() {
    let depth = 5_000;
    let mut m = String::from("From: a@b.example\r\nSubject: deep\r\nMIME-Version: 1.0\r\n");
    for level in 0..depth {
        m += &format!("Content-Type: multipart/mixed; boundary=\"b{level}\"\r\n\r\n--b{level}\r\n");
    }
    m += "Content-Type: text/plain\r\n\r\nbottom\r\n";
    for level in (0..depth).rev() {
        m += &format!("--b{level}--\r\n");
    }
    let i = inspect(m.as_bytes());
    assert_eq!(i.kind, PecKind::NotPec);
}

#[test]
fn a_message_with_five_thousand_nested_attached_messages_is_read() {
    let depth = 5_000;
    let mut m = String::new();
    for _ in 0..depth {
        m += "From: a@b.example\r\nContent-Type: message/rfc822\r\n\r\n";
    }
    m += "From: a@b.example\r\nSubject: bottom\r\n\r\nbody\r\n";
    let _ = inspect(m.as_bytes());
}

#[test]
fn a_daticert_with_external_entities_is_read_without_resolving_them() {
    let xml = br#"<?xml version="1.0"?>
<!DOCTYPE postacert [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> <!ENTITY net SYSTEM "http://127.0.0.1:1/x"> ]>
<postacert tipo="accettazione" errore="nessuno"><intestazione><mittente>&xxe;</mittente>
<destinatari tipo="certificato">&net;</destinatari></intestazione></postacert>"#;
    let d = daticert::read(xml).unwrap();
    assert_eq!(
        d.mittente.as_deref(),
        Some("&xxe;"),
        "left literal, never resolved"
    );
    assert_eq!(d.destinatari[0].address, "&net;");
    let kinds: Vec<_> = d.repairs.iter().map(|r| r.what).collect();
    assert!(kinds.contains(&daticert::RepairKind::DoctypeIgnored));
    assert!(kinds.contains(&daticert::RepairKind::UnexpandedEntity));
}

#[test]
fn a_daticert_with_recursive_entities_is_not_expanded() {
    let mut xml =
        String::from("<?xml version=\"1.0\"?>\n<!DOCTYPE postacert [\n<!ENTITY l0 \"ha\">\n");
    for n in 1..=30 {
        let prev = format!("&l{};", n - 1);
        xml += &format!("<!ENTITY l{n} \"{}\">\n", prev.repeat(10));
    }
    xml += "<!ENTITY loop \"&loop;\">\n]>\n<postacert tipo=\"accettazione\"><intestazione><oggetto>&l30;&loop;</oggetto></intestazione></postacert>";
    let d = daticert::read(xml.as_bytes()).unwrap();
    assert_eq!(d.oggetto.as_deref(), Some("&l30;&loop;"));
}

#[test]
fn quirky_daticert_files_are_read_and_the_repairs_reported() {
    let xml = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<postacert tipo=\"avvenuta-consegna\" errore=\"nessuno\">\
               <intestazione><mittente>a@pec.example</mittente><oggetto>rata\u{1}\u{7} &#1; scaduta</oggetto>\
               </intestazione><dati><identificativo>opec.1\n.2@pec.example</identificativo>\
               <msgid>&amp;lt;x@y&amp;gt;</msgid></dati></postacert>";
    let d = daticert::read(xml.as_bytes()).unwrap();
    assert_eq!(d.identificativo.as_deref(), Some("opec.1.2@pec.example"));
    assert_eq!(d.msgid.as_deref(), Some("<x@y>"));
    assert_eq!(d.oggetto.as_deref(), Some("rata   \u{FFFD} scaduta"));
    let kinds: Vec<_> = d.repairs.iter().map(|r| r.what).collect();
    use daticert::RepairKind::*;
    for k in [
        ControlCharacters,
        InvalidCharacterReference,
        WhitespaceInIdentifier,
        DoubleEscaped,
    ] {
        assert!(kinds.contains(&k), "{k:?} in {kinds:?}");
    }
}

#[test]
fn a_truncated_daticert_keeps_what_came_before() {
    let xml = b"<postacert tipo=\"accettazione\"><intestazione><mittente>a@pec.example</mittente><destinat";
    let d = daticert::read(xml).unwrap();
    assert_eq!(d.mittente.as_deref(), Some("a@pec.example"));
    assert!(
        d.repairs
            .iter()
            .any(|r| r.what == daticert::RepairKind::Truncated)
    );
}

#[test]
fn a_fifty_megabyte_message_is_read() {
    let mut send = Send::new(
        "a@pec.example",
        &["b@pec.example"],
        "Allegato grande",
        Utc.with_ymd_and_hms(2026, 1, 5, 10, 0, 0).unwrap(),
    );
    let mut rng = Rng::new(3);
    send.attachments.push(Attachment {
        name: "big.bin".into(),
        content_type: "application/octet-stream".into(),
        bytes: (0..37 * 1024 * 1024)
            .map(|_| rng.next_u64() as u8)
            .collect(),
    });
    let raw = Pec::new(&send, PecKindSpec::Envelope).build(&PlaceholderSigner);
    assert!(raw.len() > 50 * 1024 * 1024, "{} bytes", raw.len());
    let i = inspect(&raw);
    assert_eq!(i.kind, PecKind::TransportEnvelope);
    assert_eq!(i.original.unwrap().attachments[0].size, 37 * 1024 * 1024);
}

#[test]
fn nested_attached_messages_with_a_broken_boundary_are_read() {
    // Found by `cargo fuzz run inspect` (minimised): mail-parser 0.11 hits a debug assertion here.
    let raw = b"Rved: =58\nContent-Type: multipart; boundary=-=_content_1767258001\"\n\n\
                ---=_content_1767258001nn\nContent-Type:message/rfc822;.\"\n\nn8\n\
                Content-Type: message/rfc822;ame=n\n\n\n------=_content_1767258001--\n";
    let _ = recognise(raw);
}

/// Regression (found by `cargo fuzz run -O inspect`): a 3 KB message whose malformed MIME makes
/// mail-parser list parts among the children of several parts; walked naively its tree grew a 1.6 GB
/// queue. Each part is now visited once.
#[test]
fn a_message_whose_parts_are_shared_between_parents_is_read_in_bounded_memory() {
    let raw = include_bytes!("fixtures/fuzz-shared-mime-parts.eml");
    let i = pec_core::inspect(raw);
    let _ = pec_core::verify_signature(
        raw,
        &i,
        &pec_core::signature::TrustAnchors::builtin(),
        &pec_core::signature::TimeWitnesses::at(chrono::DateTime::<chrono::Utc>::from(
            std::time::SystemTime::now(),
        )),
    );
    assert!(
        i.structure.text_parts.len() < 100,
        "{}",
        i.structure.text_parts.len()
    );
}
