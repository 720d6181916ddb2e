//! Which receipts are this pack's: a receipt belongs to the pack's send only when its **signed**
//! daticert names the send's Message-ID (`msgid`) and sender (`mittente`) — never its outer headers,
//! which anyone can write (issue 13 §2, PEC rules §3, §7).
//!
//! Used by [`verify_pack`](crate::verify_pack): a receipt of another send or sender is refused and
//! named, and left out of the outcomes its pack states.

use pec_core::ids::{same_address, same_message_id};
use pec_core::{Daticert, Inspection, PecKind};

use super::problem::PackProblem;

/// The daticert the signature covers, if the message has one inside its signed content.
pub fn signed_daticert(inspection: &Inspection) -> Option<&Daticert> {
    let located = inspection.structure.daticert.as_ref()?;
    if !located.signed || inspection.structure.signed.is_none() {
        return None;
    }
    inspection.daticert.as_ref()
}

/// How a message member stands to the pack's send.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Binding {
    /// A receipt whose signed daticert names the pack's send and sender.
    Signed,
    /// A message that carries no signed daticert (the sent copy, an anomaly envelope): nothing signed
    /// ties it to the send either way.
    Unsigned,
    /// A receipt whose signed daticert names another send or sender (refused).
    Foreign,
}

/// Whether the message member at `path` is the pack's send's: `msgid` (bracketed) and `sender` are the
/// manifest's. Problems found are pushed to `problems`.
pub fn bind(
    path: &str,
    inspection: &Inspection,
    msgid: &str,
    sender: Option<&str>,
    problems: &mut Vec<PackProblem>,
) -> Binding {
    if inspection.kind == PecKind::NotPec {
        return Binding::Unsigned;
    }
    let Some(daticert) = signed_daticert(inspection) else {
        // NOTE: an anomaly envelope has no daticert at all; a receipt that should have one and
        // lacks it is already a signature or structure finding.
        return Binding::Unsigned;
    };
    let mut binding = Binding::Signed;
    if !daticert
        .msgid
        .as_deref()
        .is_some_and(|found| same_message_id(found, msgid))
    {
        problems.push(PackProblem::ReceiptOfAnotherSend {
            member: path.to_owned(),
            expected_msgid: msgid.to_owned(),
            found_msgid: daticert.msgid.clone(),
        });
        binding = Binding::Foreign;
    }
    let sender_agrees = match (sender, daticert.mittente.as_deref()) {
        (Some(expected), Some(found)) => same_address(expected, found),
        (None, _) => true,
        (Some(_), None) => false,
    };
    if !sender_agrees {
        problems.push(PackProblem::ReceiptOfAnotherSender {
            member: path.to_owned(),
            expected_sender: sender.map(str::to_owned),
            found_sender: daticert.mittente.clone(),
        });
        binding = Binding::Foreign;
    }
    binding
}
