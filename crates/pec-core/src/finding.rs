//! Findings: what Attesta noticed about a message that a user should know, each with a stable code.
//!
//! A finding never changes the raw bytes; it explains a repair, a disagreement between the unsigned outer
//! headers and the signed certification data (PEC rules §3), or a structural oddity. Codes are a closed set,
//! serialised in kebab-case, and never renamed once shipped: scripts and the archive depend on them.

use serde::Serialize;

crate::closed_set! {
    /// How much a finding matters.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
    pub enum Severity {
        /// Worth knowing; the evidence is unaffected.
        Info = "info",
        /// The evidence holds, but something looks wrong or was repaired.
        Warning = "warning",
        /// Something a user must not rely on.
        Error = "error",
    }
}

crate::closed_set! {
    /// The closed set of finding codes about a message's structure and certification data.
    #[serde(rename = "MessageFindingCode")] // the TypeScript name (two sets share the Rust one)
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    pub enum FindingCode {
        /// The outer `X-Ricevuta`/`X-Trasporto` header names another kind than the signed daticert.
        HeaderKindMismatch = "header-kind-mismatch",
        /// The outer `X-Riferimento-Message-ID` differs from the signed daticert `msgid`.
        HeaderMsgidMismatch = "header-msgid-mismatch",
        /// The outer Subject differs from the prefix plus the signed daticert `oggetto`.
        HeaderSubjectMismatch = "header-subject-mismatch",
        /// The outer sender (envelope `Reply-To`, receipt `To`) differs from the signed daticert `mittente`.
        HeaderSenderMismatch = "header-sender-mismatch",
        /// Headers claim a PEC kind, but the message carries no certification data.
        HeaderClaimWithoutCertification = "header-claim-without-certification",
        /// A signed PEC structure whose certification data (daticert.xml) is missing.
        DaticertMissing = "daticert-missing",
        /// The message carries a daticert.xml that is not inside a signed entity.
        DaticertNotSigned = "daticert-not-signed",
        /// daticert.xml was not well-formed and was read leniently; the message says what was repaired.
        DaticertRepaired = "daticert-repaired",
        /// daticert.xml could not be read at all.
        DaticertUnreadable = "daticert-unreadable",
        /// daticert.xml names a `tipo` that is not in the PEC rules.
        DaticertUnknownTipo = "daticert-unknown-tipo",
        /// daticert.xml lacks a field the PEC rules require (the message says which).
        DaticertMissingField = "daticert-missing-field",
        /// The signed entity is not at the top of the message (wrapped by a list server or a filter).
        SignedEntityNested = "signed-entity-nested",
        /// The signed entity was found only inside a message attached to this one.
        SignedEntityInAttachment = "signed-entity-in-attachment",
        /// `multipart/signed` without a usable signature part.
        SignaturePartMissing = "signature-part-missing",
        /// A transport or anomaly envelope without the original message (`postacert.eml`).
        OriginalMissing = "original-missing",
        /// More than one `daticert.xml` in the signed content: which one certifies cannot be decided (the
        /// first is shown). The verdict is never `valid` then.
        DaticertDuplicated = "daticert-duplicated",
        /// A MIME part could not be decoded as declared.
        MimeDecodingProblem = "mime-decoding-problem",
        /// A strict and a lenient reading of the MIME delimiters see different parts: something the provider
        /// did not sign could be shown as signed (issue 13 §1). The verdict is never `valid` then.
        StructureAmbiguous = "structure-ambiguous",
        /// More than one signed entity (beside each other, or one inside the signed content): which one is
        /// the provider's message cannot be decided. The verdict is never `valid` then.
        SignedEntityDuplicated = "signed-entity-duplicated",
        /// `multipart/signed` with more than two body parts (RFC 1847 allows the content and the signature).
        SignedEntityExtraParts = "signed-entity-extra-parts",
        /// A `postacert.eml` lies outside the signed entity: another program may show it as the certified
        /// original (a re-wrapping forgery). The verdict is never `valid` then.
        OriginalNotSigned = "original-not-signed",
        /// A REM message's unsigned `REM-*` header disagrees with its signed evidence (the evidence decides).
        RemHeaderMismatch = "rem-header-mismatch",
        /// A REM message carries no `xml_evidence` section: nothing signed says what happened.
        RemEvidenceMissing = "rem-evidence-missing",
        /// A REM message's evidence could not be read.
        RemEvidenceUnreadable = "rem-evidence-unreadable",
        /// More than one evidence section: which one speaks for the message cannot be decided.
        RemEvidenceDuplicated = "rem-evidence-duplicated",
        /// The original a REM dispatch carries is not the one its evidence's digest names.
        RemOriginalDigestMismatch = "rem-original-digest-mismatch",
    }
}

impl FindingCode {
    /// Whether the message can be read in more than one way, so that no reading of it may be certified
    /// (issue 13 §1): the signature verdict is never `valid` when one of these is found.
    pub fn makes_reading_ambiguous(self) -> bool {
        matches!(
            self,
            FindingCode::StructureAmbiguous
                | FindingCode::DaticertNotSigned
                | FindingCode::SignedEntityDuplicated
                | FindingCode::SignedEntityExtraParts
                | FindingCode::DaticertDuplicated
                | FindingCode::OriginalNotSigned
                | FindingCode::RemEvidenceDuplicated
        )
    }

    /// How much this kind of finding matters.
    pub fn severity(self) -> Severity {
        match self {
            FindingCode::SignedEntityNested | FindingCode::DaticertRepaired => Severity::Info,
            FindingCode::HeaderKindMismatch
            | FindingCode::HeaderMsgidMismatch
            | FindingCode::HeaderSubjectMismatch
            | FindingCode::HeaderSenderMismatch
            | FindingCode::SignedEntityInAttachment
            | FindingCode::RemHeaderMismatch
            | FindingCode::OriginalMissing
            | FindingCode::DaticertMissingField
            | FindingCode::MimeDecodingProblem => Severity::Warning,
            FindingCode::HeaderClaimWithoutCertification
            | FindingCode::DaticertNotSigned
            | FindingCode::DaticertMissing
            | FindingCode::DaticertUnreadable
            | FindingCode::DaticertUnknownTipo
            | FindingCode::SignaturePartMissing
            | FindingCode::DaticertDuplicated
            | FindingCode::StructureAmbiguous
            | FindingCode::SignedEntityDuplicated
            | FindingCode::SignedEntityExtraParts
            | FindingCode::OriginalNotSigned
            | FindingCode::RemEvidenceMissing
            | FindingCode::RemEvidenceUnreadable
            | FindingCode::RemEvidenceDuplicated
            | FindingCode::RemOriginalDigestMismatch => Severity::Error,
        }
    }
}

/// One thing noticed about a message: a stable code, its severity and a sentence for people.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub code: FindingCode,
    pub severity: Severity,
    pub message: String,
}

impl Finding {
    /// A finding with the code's own severity.
    pub fn new(code: FindingCode, message: impl Into<String>) -> Finding {
        Finding {
            code,
            severity: code.severity(),
            message: message.into(),
        }
    }
}
