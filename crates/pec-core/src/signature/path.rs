//! Certification path: from the signer certificate, through certificates embedded in the CMS,
//! to a trust anchor — every link checked with the issuer's key, every certificate judged at
//! the signing time.
//!
//! PEC rules §6 and `trust/README`: a look-alike CA with AgID CA1's *name* but another key
//! must not be trusted, so an anchor matches by name **and** key (its key must verify the last
//! certificate). The ten AgID CA1 re-issues share name and key: each is a candidate, and the
//! one valid at signingTime is taken. Validity is never judged "now" (DigitPA CA1 expired in
//! 2018 and still anchors 2013–2015 evidence). Revocation is not checked: PEC provider
//! certificates are not revoked in practice and no CRL is reachable offline (left open).

use std::sync::Arc;

use chrono::{DateTime, Utc};

use super::algorithms::VerifyFailure;
use super::anchors::TrustAnchors;
use super::certificate::Certificate;
use super::findings::FindingCode;

/// Longest path tried (signer + intermediates + anchor). PEC paths have two certificates.
const MAX_PATH: usize = 6;
/// Signature checks allowed per search, so hostile CMS with many look-alikes stays cheap.
const MAX_CHECKS: usize = 32;

/// A problem of a path: its finding code and a plain message.
pub type Problem = (FindingCode, String);

/// What the search found.
pub struct PathOutcome<'c> {
    /// Signer first, anchor last when `complete`; otherwise the longest verified prefix.
    pub certs: Vec<&'c Certificate>,
    pub complete: bool,
    /// Problems of the chosen path (or why there is none).
    pub problems: Vec<Problem>,
}

struct Search<'c> {
    embedded: &'c [Arc<Certificate>],
    anchors: &'c TrustAnchors,
    at: Option<DateTime<Utc>>,
    checks: usize,
    /// Best complete path so far, with its problems.
    best: Option<(Vec<&'c Certificate>, Vec<Problem>)>,
    longest: Vec<&'c Certificate>,
    /// Issuers that matched by name but whose key did not sign the certificate.
    look_alikes: Vec<String>,
    unsupported: Option<String>,
}

/// Builds and judges the path for `signer`.
pub fn build<'c>(
    signer: &'c Certificate,
    embedded: &'c [Arc<Certificate>],
    anchors: &'c TrustAnchors,
    at: Option<DateTime<Utc>>,
) -> PathOutcome<'c> {
    let mut s = Search {
        embedded,
        anchors,
        at,
        checks: 0,
        best: None,
        longest: Vec::new(),
        look_alikes: Vec::new(),
        unsupported: None,
    };
    let mut path = vec![signer];
    s.extend(&mut path);
    match s.best {
        Some((certs, problems)) => PathOutcome {
            certs,
            complete: true,
            problems,
        },
        None => {
            let mut problems = vec![(
                FindingCode::NoPathToAnchor,
                "The signer's certificate does not lead to a trusted certification authority (for PEC, the providers' authorities; for documents, a Trusted List or a directory you trust)."
                    .to_string(),
            )];
            for name in s.look_alikes {
                problems.push((
                    FindingCode::IssuerSignatureInvalid,
                    format!("A certificate claims to be issued by \"{name}\", but that authority's key did not sign it."),
                ));
            }
            if let Some(what) = s.unsupported {
                problems.push((
                    FindingCode::NoPathToAnchor,
                    format!("A certificate in the chain uses an algorithm that cannot be checked ({what})."),
                ));
            }
            PathOutcome {
                certs: s.longest,
                complete: false,
                problems,
            }
        }
    }
}

impl<'c> Search<'c> {
    fn done(&self) -> bool {
        self.best.as_ref().is_some_and(|(_, p)| p.is_empty())
    }

    fn look_alike(&mut self, issuer: &Certificate) {
        let name = issuer.subject();
        if !self.look_alikes.contains(&name) {
            self.look_alikes.push(name);
        }
    }

    /// Checks that `issuer`'s key signed `cert`, within the check budget (a remembered check
    /// counts too, so the budget means the same with or without the memo).
    fn signed(&mut self, cert: &Certificate, issuer: &Certificate) -> bool {
        if self.checks >= MAX_CHECKS {
            return false;
        }
        self.checks += 1;
        match self.anchors.cache().is_signed_by(cert, issuer) {
            Ok(()) => true,
            Err(VerifyFailure::Mismatch | VerifyFailure::DigestInfoWithoutNull) => false,
            Err(VerifyFailure::Unsupported(what)) => {
                self.unsupported.get_or_insert(what);
                false
            }
        }
    }

    fn extend(&mut self, path: &mut Vec<&'c Certificate>) {
        if path.len() > self.longest.len() {
            self.longest = path.clone();
        }
        let Some(&last) = path.last() else { return };

        // 1. The certificate is itself an anchor (a user may trust a provider certificate).
        if let Some(anchor) = self.anchors.same_as(last) {
            let mut full = path.clone();
            if let Some(end) = full.last_mut() {
                *end = anchor;
            }
            self.offer(full);
            if self.done() {
                return;
            }
        }

        // 2. An anchor with the issuer's name whose key signed it. Anchors sharing one key
        //    (AgID CA1 re-issues) are verified once.
        let mut tried_keys: Vec<[u8; 32]> = Vec::new();
        let named: Vec<&'c Certificate> = self.anchors.named(last.issuer_name()).collect();
        for anchor in &named {
            if tried_keys.contains(&anchor.key_id) {
                continue;
            }
            tried_keys.push(anchor.key_id);
            if self.signed(last, anchor) {
                for same_key in named.iter().filter(|a| a.key_id == anchor.key_id) {
                    path.push(same_key);
                    self.offer(path.clone());
                    path.pop();
                    if self.done() {
                        return;
                    }
                }
            } else {
                self.look_alike(anchor);
            }
        }

        // 3. An embedded intermediate with the issuer's name whose key signed it.
        if path.len() + 1 >= MAX_PATH {
            return;
        }
        for issuer in self.embedded.iter().map(|c| &**c) {
            if issuer.subject_name() != last.issuer_name()
                || path.iter().any(|c| c.sha256 == issuer.sha256)
            {
                continue;
            }
            if self.signed(last, issuer) {
                path.push(issuer);
                self.extend(path);
                path.pop();
                if self.done() {
                    return;
                }
            } else if named.is_empty() {
                self.look_alike(issuer);
            }
        }
    }

    /// Judges a complete path and keeps it if it is better than the best so far.
    fn offer(&mut self, path: Vec<&'c Certificate>) {
        let problems = judge(&path, self.at);
        let better = match &self.best {
            None => true,
            Some((_, p)) => problems.len() < p.len(),
        };
        if better {
            self.best = Some((path, problems));
        }
    }
}

/// Validity at signing time of every certificate (anchor included), CA flags of issuers.
fn judge(path: &[&Certificate], at: Option<DateTime<Utc>>) -> Vec<Problem> {
    let mut problems = Vec::new();
    if let Some(at) = at {
        for cert in path {
            if !cert.valid_at(at) {
                problems.push((
                    FindingCode::CertificateNotValidAtSigningTime,
                    format!(
                        "The certificate \"{}\" was not valid when the message was signed ({}); it was valid from {} to {}.",
                        cert.subject(),
                        at.format("%Y-%m-%d %H:%M:%S UTC"),
                        date(cert.not_before),
                        date(cert.not_after),
                    ),
                ));
            }
        }
    }
    // Issue 13 §5: a certificate whose extensions cannot be honoured is unusable (the anchor is
    // trusted as configured).
    for cert in path.get(..path.len().saturating_sub(1)).unwrap_or_default() {
        if !cert.ext.unusable.is_empty() {
            problems.push((
                FindingCode::CertificateExtensionUnusable,
                format!(
                    "The certificate \"{}\" cannot be used: it has {}.",
                    cert.subject(),
                    cert.ext.unusable.join(", ")
                ),
            ));
        }
    }
    // Every certificate that issued another one, except the anchor (trusted as configured),
    // must be a CA allowed to sign certificates.
    let issuers = path
        .get(1..path.len().saturating_sub(1))
        .unwrap_or_default();
    for cert in issuers {
        let ca = cert.ext.is_ca == Some(true);
        let may_sign = cert.ext.key_usage.is_none_or(|ku| ku.key_cert_sign());
        if !ca || !may_sign {
            problems.push((
                FindingCode::IssuerNotACa,
                format!(
                    "The certificate \"{}\" issued another certificate but is not a certification authority.",
                    cert.subject()
                ),
            ));
        }
    }
    problems
}

/// A date for messages.
pub fn date(d: Option<DateTime<Utc>>) -> String {
    d.map(|d| d.format("%Y-%m-%d").to_string())
        .unwrap_or_else(|| "an unreadable date".into())
}
