//! What Attesta recorded about one signed attachment, and whether a check made now agrees with it
//! (issue 15 §5/§6): the window's signature panel shows every verdict the archive recorded for the
//! attachment — at archiving, then each re-verification that said something else — beside the one it
//! computes live, and says so plainly when the two differ.
//!
//! "Agrees" is the archive's own rule ([`DocumentVerdict::same_as`]): a check now that disagrees with
//! the latest recorded verdict is exactly one a verifying rebuild would record anew. The trust each was
//! reached with is compared too, so the window can say why when it can (the Trusted Lists changed).

use chrono::{DateTime, Utc};
use pec_archive::{Archive, DocumentVerdict, TrustUsed};
use sha2::{Digest, Sha256};

use crate::EngineError;
use crate::documents::{DocumentTrust, signed_attachment};
use crate::letter::AttachmentFile;

/// The recorded verdicts of one signed attachment and the verdict of a check made now.
#[derive(Debug, Clone, PartialEq)]
pub struct RecordedVerdicts {
    /// Every verdict recorded for these bytes at this position, oldest first (empty when none was).
    pub history: Vec<DocumentVerdict>,
    /// The verdict of a check made now, with today's trust (not recorded).
    pub now: DocumentVerdict,
    /// How the check made now compares with the latest recorded verdict.
    pub agreement: Agreement,
}

/// How a check made now compares with the latest recorded verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Agreement {
    /// Nothing is recorded for the attachment (archived by a version that did not record document
    /// verdicts, or without a document checker).
    NothingRecorded,
    /// It says what the latest recorded verdict says.
    Same,
    /// It says something else, and the Trusted Lists held now are not those it was recorded with.
    DiffersListsChanged,
    /// It says something else; the lists are the same, the trusted directories' certificates are not.
    DiffersDirectoriesChanged,
    /// It says something else with the same trust (a newer Attesta judging differently, or a time
    /// that matters: a signing time that was still in the future then).
    DiffersSameTrust,
}

impl Agreement {
    /// How `now` compares with `latest` (the last recorded verdict, if any).
    pub fn of(latest: Option<&DocumentVerdict>, now: &DocumentVerdict) -> Agreement {
        let Some(latest) = latest else {
            return Agreement::NothingRecorded;
        };
        if latest.same_as(now) {
            return Agreement::Same;
        }
        let (then, today): (&TrustUsed, &TrustUsed) = (&latest.trust, &now.trust);
        if then.lists != today.lists || then.from_lists != today.from_lists {
            Agreement::DiffersListsChanged
        } else if then.from_dirs != today.from_dirs || then.dirs != today.dirs {
            Agreement::DiffersDirectoriesChanged
        } else {
            Agreement::DiffersSameTrust
        }
    }
}

/// The recorded verdicts of attachment `part` of archived message `id` (the file `file`, as the
/// reader numbers and reads it), and a check of it made at `now` against `trust`. `None` when the
/// file is not a signed file (the reader shows no signature panel for it).
pub fn recorded_verdicts(
    archive: &Archive,
    id: i64,
    part: u32,
    file: &AttachmentFile,
    trust: &DocumentTrust,
    now: DateTime<Utc>,
) -> Result<Option<RecordedVerdicts>, EngineError> {
    let Some(found) = signed_attachment(trust, part as usize, file, now) else {
        return Ok(None);
    };
    let live = DocumentVerdict::of(&found, now, &trust.used());
    let sha256: [u8; 32] = Sha256::digest(&file.bytes).into();
    let history = archive.document_history(id, part, &sha256)?;
    Ok(Some(RecordedVerdicts {
        agreement: Agreement::of(history.last(), &live),
        history,
        now: live,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use pec_core::signature::{SignatureStatus, TimeBasis};
    use pec_document::{DocumentReport, Qualified};

    fn verdict(status: SignatureStatus, lists: &[&str], from_dirs: usize) -> DocumentVerdict {
        let report = DocumentReport {
            file: "atto.pdf.p7m".into(),
            format: Some(pec_document::DocumentFormat::Cades),
            status,
            signatures: Vec::new(),
            content_sha256: None,
            findings: Vec::new(),
            content: None,
            contents: Vec::new(),
        };
        DocumentVerdict {
            part: 0,
            name: "atto.pdf.p7m".into(),
            file_sha256: "ab".repeat(32),
            format: report.format,
            status,
            qualified: Qualified::Unknown,
            signer: None,
            signed_at: None,
            judged_at: None,
            time_basis: TimeBasis::None,
            content_sha256: None,
            checked_at: chrono::TimeZone::with_ymd_and_hms(&Utc, 2026, 12, 3, 10, 2, 0).unwrap(),
            trust: TrustUsed {
                lists: lists.iter().map(|l| (*l).to_owned()).collect(),
                from_lists: lists.len(),
                from_dirs,
                dirs: Vec::new(),
            },
            report,
        }
    }

    #[test]
    fn the_verdict_recorded_at_archiving_is_found_and_a_check_now_agrees_until_the_trusted_lists_change()
     {
        use pec_archive::{Incoming, Origin, Reading};
        use pec_core::signature::TrustAnchors;
        use pec_testkit::{Attachment, Pec, PecKindSpec, PlaceholderSigner, Send};
        let Some(corpus) = pec_testkit::corpus::dir_or_skip("engine recorded verdicts") else {
            return;
        };
        let invoice = corpus.join("signed/p7m-invoice/oca_IT01234567890_FPR03.xml.p7m");
        if !invoice.is_file() {
            return;
        }
        let data = tempfile::tempdir().unwrap();
        let dir = crate::DataDir::resolve(Some(data.path())).unwrap();
        let config = crate::EngineConfig::default();
        let mut archive = Archive::open(&Archive::file_in(data.path()))
            .unwrap()
            .checking_documents(std::sync::Arc::new(
                crate::documents::ArchiveDocuments::new(&dir, &config),
            ));
        let at = chrono::TimeZone::with_ymd_and_hms(&Utc, 2026, 11, 20, 9, 0, 0).unwrap();
        let mut send = Send::new("tribunale@pec.example", &["studio@pec.it"], "Atti", at);
        for (name, bytes) in [
            ("leggimi.txt", b"testo".to_vec()),
            ("fattura.xml.p7m", std::fs::read(&invoice).unwrap()),
        ] {
            send.attachments.push(Attachment {
                name: name.into(),
                content_type: "application/octet-stream".into(),
                bytes,
            });
        }
        let raw = Pec::new(&send, PecKindSpec::Envelope).build(&PlaceholderSigner);
        let incoming = Incoming {
            received: None,
            reading: Some(Reading::of(&raw, &TrustAnchors::empty(), at)),
            raw: raw.clone(),
            origin: Origin::File {
                path: "/in/atti.eml".into(),
                part: 0,
                mailbox: None,
            },
        };
        let id = archive.store(vec![incoming], at).unwrap().items[0].id();

        let trust = DocumentTrust::load(&dir, &config, &[]).unwrap();
        let later = at + chrono::Duration::days(10);
        let file = crate::letter::attachment_file(&raw, 1).unwrap();
        let recorded = recorded_verdicts(&archive, id, 1, &file, &trust, later)
            .unwrap()
            .expect("a signed file");
        assert_eq!(recorded.history.len(), 1, "{recorded:#?}");
        assert_eq!(recorded.history[0].checked_at, at);
        assert_eq!(recorded.history[0].status, SignatureStatus::Untrusted);
        assert_eq!(recorded.now.checked_at, later);
        assert_eq!(recorded.agreement, Agreement::Same);

        // The EU and Italian Trusted Lists imported since: a check now says valid and qualified, and
        // the panel is told the lists changed; nothing new is recorded by looking.
        let lists = corpus.join("signed/trusted-list");
        dir.create().unwrap();
        crate::trusted_lists::import(
            &dir,
            &[
                lists.join("EU-LOTL_seq332_2023-09-27.xml"),
                lists.join("TSL-IT_seq194_2023-09-26.xml"),
            ],
        )
        .unwrap();
        let trust = DocumentTrust::load(&dir, &config, &[]).unwrap();
        let recorded = recorded_verdicts(&archive, id, 1, &file, &trust, later)
            .unwrap()
            .unwrap();
        assert_eq!(recorded.agreement, Agreement::DiffersListsChanged);
        assert_eq!(recorded.now.status, SignatureStatus::Valid);
        assert_eq!(recorded.now.qualified, Qualified::Yes);
        assert_eq!(recorded.now.trust.lists, ["EU 332", "IT 194"]);
        assert_eq!(recorded.history.len(), 1);

        let text = crate::letter::attachment_file(&raw, 0).unwrap();
        assert!(
            recorded_verdicts(&archive, id, 0, &text, &trust, later)
                .unwrap()
                .is_none(),
            "a text file has no signature panel"
        );
    }

    #[test]
    fn a_check_now_that_says_what_was_recorded_agrees_whenever_and_with_whatever_trust() {
        let then = verdict(SignatureStatus::Valid, &[], 0);
        let mut now = verdict(SignatureStatus::Valid, &["EU 332", "IT 194"], 2);
        now.checked_at = chrono::TimeZone::with_ymd_and_hms(&Utc, 2026, 12, 7, 18, 0, 0).unwrap();
        assert_eq!(Agreement::of(Some(&then), &now), Agreement::Same);
    }

    #[test]
    fn nothing_recorded_is_said_as_such_rather_than_as_a_difference() {
        let now = verdict(SignatureStatus::Valid, &[], 0);
        assert_eq!(Agreement::of(None, &now), Agreement::NothingRecorded);
    }

    #[test]
    fn a_different_verdict_names_what_changed_in_the_trust_it_was_reached_with() {
        let then = verdict(SignatureStatus::Untrusted, &[], 0);
        let with_lists = verdict(SignatureStatus::Valid, &["EU 332", "IT 194"], 0);
        assert_eq!(
            Agreement::of(Some(&then), &with_lists),
            Agreement::DiffersListsChanged
        );
        let with_dirs = verdict(SignatureStatus::Valid, &[], 1);
        assert_eq!(
            Agreement::of(Some(&then), &with_dirs),
            Agreement::DiffersDirectoriesChanged
        );
        let same_trust = verdict(SignatureStatus::Invalid, &[], 0);
        assert_eq!(
            Agreement::of(Some(&then), &same_trust),
            Agreement::DiffersSameTrust
        );
    }
}
