//! Every `.p7m` envelope, at every level and inside a `.tsd`: OpenSSL extracts our content and
//! agrees on integrity, or the shared set's README explains why not.

use pec_core::signature::{FindingCode, SignatureStatus};
use pec_document::DocumentFormat;

use super::{codes, envelope_at, every_signed_file, openssl_cms, oracle_ready, signatures_at};

/// Files OpenSSL refuses although they are intact, with the reason (README of the shared set).
/// Files whose DigestInfo lacks its NULL are recognised by our `digest-info-without-null` finding.
const OPENSSL_REFUSES_INTACT: &[(&str, &str)] = &[(
    "p7m-other/dss_BER_reordered_prova.txt.p7m",
    "signed attributes not in DER order: OpenSSL re-sorts them before hashing, so its digest is \
     not the one signed; we hash them as received",
)];

#[test]
fn every_p7m_envelope_gives_openssl_s_content_and_integrity_verdict() {
    let Some(dir) = oracle_ready() else { return };
    let work = tempfile::tempdir().unwrap();
    let (mut agreed, mut explained, mut failures) = (0, Vec::new(), Vec::new());
    for (row, _, report) in every_signed_file(&dir) {
        let first_level = match report.format {
            Some(DocumentFormat::Cades) => 0,
            // A `.tsd` holds its document at level 0 and that document's envelope at level 1.
            Some(DocumentFormat::Tsd) => 1,
            _ => continue,
        };
        let file = std::fs::read(dir.join(&row.file)).unwrap();
        for level in first_level..pec_document::MAX_LEVEL {
            let Some(envelope) = envelope_at(&report, &file, level) else {
                break;
            };
            let ours = signatures_at(&report, level);
            let we_say_altered = ours.iter().any(|s| s.status == SignatureStatus::Invalid);
            let we_doubt = ours
                .iter()
                .any(|s| s.status == SignatureStatus::Indeterminate);
            let case = format!("{} (level {level})", row.file);
            match openssl_cms(work.path(), &envelope, None) {
                Some(extracted) => {
                    agreed += 1;
                    if report.contents.get(level as usize) != Some(&extracted) {
                        failures.push(format!("{case}: the content differs from OpenSSL's"));
                    }
                    if ours.is_empty() || we_say_altered || we_doubt {
                        failures.push(format!(
                            "{case}: intact for OpenSSL, here {:?} with {:?}",
                            ours.iter().map(|s| s.status).collect::<Vec<_>>(),
                            codes(&ours)
                        ));
                    }
                }
                // Both refuse: altered (ours says which signature) or unreadable (the file's own
                // findings say why).
                None if we_say_altered => agreed += 1,
                None if ours.is_empty() && !report.findings.is_empty() => agreed += 1,
                None => {
                    let listed = OPENSSL_REFUSES_INTACT.iter().find(|(f, _)| *f == row.file);
                    if let Some((_, why)) = listed {
                        explained.push(format!("{case}: {why}"));
                    } else if codes(&ours).contains(&FindingCode::DigestInfoWithoutNull) {
                        explained.push(format!("{case}: DigestInfo without NULL"));
                    } else {
                        failures.push(format!(
                            "{case}: OpenSSL refuses it, here {:?} with {:?} and no reason",
                            ours.iter().map(|s| s.status).collect::<Vec<_>>(),
                            codes(&ours)
                        ));
                    }
                }
            }
        }
    }
    println!(
        "p7m oracle: {agreed} envelopes agreed; OpenSSL refused {} that are intact:\n  {}",
        explained.len(),
        explained.join("\n  ")
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(agreed >= 25, "too few envelopes compared: {agreed}");
    assert!(
        !explained.is_empty(),
        "the documented exception is no longer seen"
    );
}
