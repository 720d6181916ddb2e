//! Whether a signature is *qualified* (eIDAS art. 3(12)): made with a qualified certificate issued
//! by a qualified CA that a Trusted List shows in force at the time of signing.
//!
//! Issue 15 §2–§3. Two facts, both needed: the issuing CA is a `CA/QC` service of a Trusted List in
//! force at the judged time ([`QualifiedServices`], implemented over the imported lists), and the
//! certificate says it is qualified (the QcCompliance statement, ETSI EN 319 412-5 §4.2.1, or the
//! list's own qualifier for that CA). Without any list imported, or without a time, the answer is
//! [`Qualified::Unknown`] — never a guess.

use chrono::{DateTime, Utc};
use der::asn1::{Any, ObjectIdentifier};
use der::{Decode, Sequence};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use x509_cert::Certificate;

/// The three answers. Printed as `true`, `false` or `"unknown"` (issue 15 §5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Qualified {
    Yes,
    No,
    Unknown,
}

impl Qualified {
    /// Every value, in declaration order.
    pub const ALL: [Qualified; 3] = [Qualified::Yes, Qualified::No, Qualified::Unknown];

    /// The one spelling of this value where it is stored as a word (the archive's
    /// `document_verdicts.qualified`); JSON keeps `true`, `false`, `"unknown"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Qualified::Yes => "yes",
            Qualified::No => "no",
            Qualified::Unknown => "unknown",
        }
    }
}

impl std::str::FromStr for Qualified {
    type Err = pec_core::closed_set::UnknownSpelling;

    /// The value spelled exactly `text` (as [`Qualified::as_str`] spells it).
    fn from_str(text: &str) -> Result<Qualified, Self::Err> {
        Qualified::ALL
            .into_iter()
            .find(|q| q.as_str() == text)
            .ok_or_else(|| pec_core::closed_set::UnknownSpelling {
                set: "Qualified",
                value: text.to_owned(),
            })
    }
}

impl std::fmt::Display for Qualified {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Qualified {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Qualified::Yes => s.serialize_bool(true),
            Qualified::No => s.serialize_bool(false),
            Qualified::Unknown => s.serialize_str("unknown"),
        }
    }
}

impl<'de> Deserialize<'de> for Qualified {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Bool(bool),
            Text(serde::de::IgnoredAny),
        }
        Ok(match Raw::deserialize(d)? {
            Raw::Bool(true) => Qualified::Yes,
            Raw::Bool(false) => Qualified::No,
            Raw::Text(_) => Qualified::Unknown,
        })
    }
}

/// What a CA/QC service of a Trusted List says about a certificate's issuer at a time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaStatus {
    /// A qualified CA whose service was in force then. `qualifies`: the list itself says the
    /// certificates it issued then are qualified (a `QCStatement` qualifier); `not_qualified`: the
    /// list says they are not (a `NotQualified` qualifier), whatever the certificate claims.
    InForce {
        qualifies: bool,
        not_qualified: bool,
    },
    /// No imported list names this CA as a qualified CA in force then.
    NotListed,
}

/// The qualified services of the imported Trusted Lists, as the verifier asks them.
pub trait QualifiedServices {
    /// The status of the CA/QC service whose identity is `ca_der` (a CA certificate, DER) at `at`.
    fn ca_status(&self, ca_der: &[u8], at: DateTime<Utc>) -> CaStatus;
    /// Whether `cert_der` (a timestamp unit's certificate, or its CA's, as a list names it) is a
    /// TSA/QTST service in force at `at`.
    fn qualified_tsa(&self, cert_der: &[u8], at: DateTime<Utc>) -> bool;
}

/// Decides for one valid timestamp: qualified (eIDAS art. 42) when a certificate of its TSA's path
/// is a TSA/QTST service in force at its genTime. As for signatures, a token that is not valid is
/// never called qualified, and without lists the answer is unknown.
pub fn judge_timestamp(
    services: Option<&dyn QualifiedServices>,
    valid: bool,
    path: &[Vec<u8>],
    at: Option<DateTime<Utc>>,
) -> Qualified {
    let (true, Some(services), Some(at), false) = (valid, services, at, path.is_empty()) else {
        return Qualified::Unknown;
    };
    if path.iter().any(|cert| services.qualified_tsa(cert, at)) {
        Qualified::Yes
    } else {
        Qualified::No
    }
}

/// id-pe-qcStatements, 1.3.6.1.5.5.7.1.3 (RFC 3739).
const ID_PE_QC_STATEMENTS: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.1.3");
/// id-etsi-qcs-QcCompliance, 0.4.0.1862.1.1 (ETSI EN 319 412-5 §4.2.1).
const QC_COMPLIANCE: ObjectIdentifier = ObjectIdentifier::new_unwrap("0.4.0.1862.1.1");

/// One QCStatement (RFC 3739 §3.2.6): the identifier; the information is not needed here.
#[derive(Sequence)]
struct QcStatement {
    id: ObjectIdentifier,
    info: Option<Any>,
}

/// Whether the certificate (DER) states QcCompliance in its qcStatements extension — read from the
/// decoded extension, never from a byte search (the OID's bytes could sit in a name).
pub fn states_qc_compliance(certificate_der: &[u8]) -> bool {
    let Ok(certificate) = Certificate::from_der(certificate_der) else {
        return false;
    };
    let extensions = certificate.tbs_certificate.extensions.unwrap_or_default();
    extensions
        .iter()
        .filter(|e| e.extn_id == ID_PE_QC_STATEMENTS)
        .filter_map(|e| Vec::<QcStatement>::from_der(e.extn_value.as_bytes()).ok())
        .flatten()
        .any(|statement| statement.id == QC_COMPLIANCE)
}

/// Decides for one valid signature: `path` is signer first, then its issuers; `at` the judged time.
/// A signature that is not valid is never called qualified (its certificate proves nothing about
/// these bytes): the caller passes `valid = false` and gets [`Qualified::Unknown`].
pub fn judge(
    services: Option<&dyn QualifiedServices>,
    valid: bool,
    path: &[Vec<u8>],
    at: Option<DateTime<Utc>>,
) -> Qualified {
    let (true, Some(services), Some(at), Some(signer)) = (valid, services, at, path.first()) else {
        return Qualified::Unknown;
    };
    let Some(issuer) = path.get(1) else {
        return Qualified::No; // a self-signed signer is never qualified
    };
    match services.ca_status(issuer, at) {
        CaStatus::InForce {
            not_qualified: true,
            ..
        } => Qualified::No,
        CaStatus::InForce { qualifies, .. } => {
            if qualifies || states_qc_compliance(signer) {
                Qualified::Yes
            } else {
                Qualified::No
            }
        }
        CaStatus::NotListed => Qualified::No,
    }
}
