//! What a pack's files certify about the send, derived again from the files themselves with
//! pec-core's correlation (PEC rules §1, §7): the same function the archive uses, over the same bytes,
//! so the report states exactly what the signed receipts prove and `verify_pack` can recompute it.

use pec_archive::Facts;
use pec_core::PecKind;
use pec_core::correlate::{Evidence, EvidenceRole, LinkBasis, LinkKey, SentOutcome, correlate};
use pec_core::signature::SignatureStatus;

/// One member as correlation evidence; `index` is its position among the pack's messages.
pub fn evidence(index: usize, facts: &Facts, status: SignatureStatus) -> Evidence {
    let role = if facts.kind == PecKind::NotPec {
        EvidenceRole::SentCopy
    } else {
        EvidenceRole::Receipt
    };
    Evidence {
        id: index as i64,
        role,
        kind: facts.kind,
        signature: status,
        basis: facts
            .link
            .as_ref()
            .map_or(LinkBasis::UnsignedHeader, |(_, basis)| *basis),
        at: match role {
            EvidenceRole::SentCopy | EvidenceRole::Received => facts.date,
            EvidenceRole::Receipt => facts.certified_at,
        },
        recipients: facts.recipients.clone(),
        untyped_recipients: facts.untyped_recipients.clone(),
        consegna: facts.consegna.clone(),
        errore: facts.errore,
        errore_esteso: facts.errore_esteso.clone(),
        subject: facts.subject.clone(),
        sender: facts.sender.clone(),
        attachments: facts.attachments.clone(),
        stand_ins: facts.stand_ins.clone(),
        certifies: pec_rem::pec_terms::certified_by(facts.rem_kind.as_deref()),
    }
}

/// The send under Message-ID `msgid` as `evidence` certifies it.
pub fn certify(msgid: &str, evidence: &[Evidence]) -> SentOutcome {
    let key = LinkKey(pec_core::ids::unbracketed(msgid).to_owned());
    correlate(&key, evidence)
}
