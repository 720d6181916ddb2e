//! Whether a signature is *qualified* (eIDAS art. 3(12)): made with a qualified certificate issued
//! by a qualified CA that a Trusted List shows in force at the time of signing.
//!
//! Issue 15 §2–§3. Two facts, both needed: the issuing CA is a `CA/QC` service of a Trusted List in
//! force at the judged time ([`QualifiedServices`], implemented over the imported lists), and the
//! certificate says it is qualified (the QcCompliance statement, ETSI EN 319 412-5 §4.2.1, or the
//! list's own qualifier for that CA). Without any list imported, or without a time, the answer is
//! [`Qualified::Unknown`] — never a guess.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The three answers. Printed as `true`, `false` or `"unknown"` (issue 15 §5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[cfg_attr(feature = "specta", specta(untagged))]
pub enum Qualified {
    Yes,
    No,
    Unknown,
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
    /// A qualified CA whose service was in force then; `qualifies` is true when the list itself
    /// says the certificates it issued then are qualified (a QCStatement qualifier).
    InForce { qualifies: bool },
    /// The CA is on a list, but its qualified service was not in force then.
    NotInForce,
    /// No imported list names this CA as a qualified CA.
    NotListed,
}

/// The qualified services of the imported Trusted Lists, as the verifier asks them.
pub trait QualifiedServices {
    /// The status of the CA/QC service whose identity is `ca_der` (a CA certificate, DER) at `at`.
    fn ca_status(&self, ca_der: &[u8], at: DateTime<Utc>) -> CaStatus;
}

/// id-etsi-qcs-QcCompliance, 0.4.0.1862.1.1 (ETSI EN 319 412-5 §4.2.1), as encoded.
const QC_COMPLIANCE: &[u8] = &[0x06, 0x06, 0x04, 0x00, 0x8e, 0x46, 0x01, 0x01];

/// Decides for one signature: `path` is signer first, then its issuers; `at` the judged time.
pub fn judge(
    services: Option<&dyn QualifiedServices>,
    path: &[Vec<u8>],
    at: Option<DateTime<Utc>>,
) -> Qualified {
    let (Some(services), Some(at), Some(signer)) = (services, at, path.first()) else {
        return Qualified::Unknown;
    };
    let mut listed = false;
    for ca in path.iter().skip(1) {
        match services.ca_status(ca, at) {
            CaStatus::InForce { qualifies } => {
                let statement = memchr::memmem::find(signer, QC_COMPLIANCE).is_some();
                return if statement || qualifies {
                    Qualified::Yes
                } else {
                    Qualified::No
                };
            }
            CaStatus::NotInForce => listed = true,
            CaStatus::NotListed => {}
        }
    }
    // NOTE: a path that ends early (no anchor) names fewer CAs; with lists imported, a CA that is on
    // none of them is not a qualified CA.
    let _ = listed;
    Qualified::No
}
