//! Verifying a list: its signature checks (`dsig`) *and* its signer is one of the certificates the
//! caller accepts for it, compared as whole DER (SHA-256), never by name.
//!
//! Used by `TrustedLists` (pinned certificates for the EU list of lists, the LOTL's pointer for a
//! national list) and directly by callers that manage their own accepted set.

use chrono::{DateTime, Utc};
use der::Decode as _;
use serde::Serialize;
use sha2::{Digest as _, Sha256};

use crate::dsig;
use crate::model::TrustedList;
use crate::read::read_tree;
use crate::refused::ListRefused;
use crate::xml;

/// A list whose signature verified with an accepted certificate; its content is read from exactly the
/// signed tree.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VerifiedList {
    pub list: TrustedList,
    /// The signing certificate (DER).
    pub signer: Vec<u8>,
    /// SHA-256 of the list's bytes, as given.
    pub sha256: [u8; 32],
}

/// Verifies `bytes` as a Trusted List signed by one of `accepted` (certificates, DER).
pub fn verify(bytes: &[u8], accepted: &[Vec<u8>]) -> Result<VerifiedList, ListRefused> {
    verify_tree(&xml::parse(bytes)?, bytes, accepted)
}

/// `verify` on a tree already parsed from `bytes`.
pub(crate) fn verify_tree(
    doc: &xml_sec::Document<'_>,
    bytes: &[u8],
    accepted: &[Vec<u8>],
) -> Result<VerifiedList, ListRefused> {
    // NOTE: the signature is judged before the content is read, so a forgery is refused for what it
    // is (a wrapped or altered list), not for a structural detail of its forged part.
    let checked = dsig::check(doc, accepted)?;
    let signer_hash = Sha256::digest(&checked.signer);
    if !accepted.iter().any(|a| Sha256::digest(a) == signer_hash) {
        return Err(ListRefused::SignerNotAccepted {
            subject: subject(&checked.signer),
            sha256: hex(&signer_hash),
        });
    }
    let list = read_tree(doc)?;
    check_validity(&checked.signer, list.scheme.issued)?;
    Ok(VerifiedList {
        list,
        signer: checked.signer,
        sha256: Sha256::digest(bytes).into(),
    })
}

/// A certificate's subject for a message (RFC 4514), or a placeholder.
pub(crate) fn subject(der: &[u8]) -> String {
    x509_cert::Certificate::from_der(der)
        .map(|c| c.tbs_certificate.subject.to_string())
        .unwrap_or_else(|_| "an unreadable certificate".to_owned())
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The signer's certificate must have been valid when the list says it was issued (an accepted
/// certificate signing a list dated outside its validity is a back- or forward-dated list).
fn check_validity(der: &[u8], issued: DateTime<Utc>) -> Result<(), ListRefused> {
    let cert = x509_cert::Certificate::from_der(der).map_err(|_| ListRefused::BadCertificate)?;
    let validity = &cert.tbs_certificate.validity;
    let as_utc = |t: &x509_cert::time::Time| DateTime::<Utc>::from(t.to_system_time());
    let (not_before, not_after) = (as_utc(&validity.not_before), as_utc(&validity.not_after));
    if issued < not_before || issued > not_after {
        return Err(ListRefused::SignerNotValidAtIssue {
            issued,
            not_before,
            not_after,
        });
    }
    Ok(())
}
