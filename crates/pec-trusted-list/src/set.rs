//! A set of verified Trusted Lists and the questions the signature verifiers ask of it: was this CA
//! (TSA, REM service) qualified at that time, and which certificates are qualified trust anchors when.
//!
//! Used by the engine (`attesta trust import-tl`). Order of trust: the EU list of lists is verified
//! against the pinned certificates (`pinned`); a national list against the certificates the *latest*
//! verified list of lists names for its territory (a certificate an older LOTL named but the latest
//! dropped is no longer accepted). Several sequence numbers of one territory are kept; the highest is
//! the current view (it carries each service's history, so past times are answered from it).

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use der::{Decode as _, Encode as _};
use serde::Serialize;
use sha1::{Digest as _, Sha1};
use x509_cert::Certificate;

use crate::model::{ListType, ServicePhase, TrustService, TrustServiceProvider};
use crate::pinned;
use crate::qualification::{AdditionalInfo, Qualification};
use crate::refused::ListRefused;
use crate::service_type::ServiceType;
use crate::status::ServiceStatus;
use crate::verify::{VerifiedList, verify, verify_tree};
use crate::xml;

/// Verified lists: the EU lists of lists and the national lists, by territory and sequence number.
#[derive(Debug, Clone, Default)]
pub struct TrustedLists {
    pinned: Vec<Vec<u8>>,
    lotls: BTreeMap<u64, VerifiedList>,
    national: BTreeMap<String, BTreeMap<u64, VerifiedList>>,
    /// Per national list (territory, sequence), per service in `services()` order, the (subject,
    /// public key) of every certificate its phases list: decoded once when the list is added, not on
    /// every lookup (a lookup used to decode each listed certificate again: 0.6 ms each).
    keys: BTreeMap<(String, u64), Vec<Vec<ListedKey>>>,
}

/// A listed certificate's subject and SubjectPublicKeyInfo, as encoded.
#[derive(Debug, Clone, PartialEq, Eq)]
struct ListedKey {
    subject: Vec<u8>,
    spki: Vec<u8>,
}

/// The keys of every service of `verified`, in `services()` order.
fn listed_keys(verified: &VerifiedList) -> Vec<Vec<ListedKey>> {
    verified
        .list
        .services()
        .map(|(_, service)| {
            std::iter::once(&service.current)
                .chain(&service.history)
                .flat_map(|phase| &phase.identity.certificates)
                .filter_map(|c| {
                    let k = KeyOf::new(c)?;
                    Some(ListedKey {
                        subject: k.subject,
                        spki: k.spki,
                    })
                })
                .collect()
        })
        .collect()
}

/// A qualified service found for a certificate at a time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct QualifiedService {
    /// The list's territory (e.g. `IT`) and sequence number.
    pub territory: String,
    pub list_sequence: u64,
    pub provider: String,
    pub service_name: String,
    pub service_type: ServiceType,
    /// The status in force at the asked time, and since when.
    pub status: ServiceStatus,
    pub since: DateTime<Utc>,
    /// The qualifiers and criteria of the phase in force (CA/QC).
    pub qualifications: Vec<Qualification>,
    pub additional_info: Vec<AdditionalInfo>,
}

/// The CA/QC of a qualified certificate's issuer (same shape as every qualified service).
pub type QualifiedCa = QualifiedService;

/// A certificate to build paths to, with the periods its service was in force.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Anchor {
    /// The certificate, DER, as the list gives it.
    pub certificate: Vec<u8>,
    pub service_type: ServiceType,
    pub territory: String,
    pub provider: String,
    pub service_name: String,
    /// `[from, until)` periods with an in-force status (`until` `None`: still in force).
    pub in_force: Vec<(DateTime<Utc>, Option<DateTime<Utc>>)>,
}

impl TrustedLists {
    /// An empty set that accepts the EU list of lists signed by the officially pinned certificates.
    pub fn new() -> Self {
        Self {
            pinned: pinned::official_lotl_signers(),
            ..Self::default()
        }
    }

    /// An empty set that accepts the EU list of lists signed by `pinned` only (tests, or a caller that
    /// manages the OJ certificates itself).
    pub fn with_pinned(pinned: Vec<Vec<u8>>) -> Self {
        Self {
            pinned,
            ..Self::default()
        }
    }

    /// Pins one more LOTL signing certificate (DER), e.g. from a newer Official Journal notice.
    pub fn pin(&mut self, certificate_der: Vec<u8>) {
        self.pinned.push(certificate_der);
    }

    /// Verifies and adds an EU list of lists.
    pub fn add_list_of_lists(&mut self, bytes: &[u8]) -> Result<&VerifiedList, ListRefused> {
        let verified = verify(bytes, &self.pinned)?;
        if verified.list.scheme.list_type != ListType::EuListOfTheLists {
            return Err(ListRefused::NotAListOfLists {
                found: verified.list.scheme.list_type.uri(),
            });
        }
        let seq = verified.list.scheme.sequence_number;
        Ok(self.lotls.entry(seq).or_insert(verified))
    }

    /// Verifies and adds a national list, against the latest list of lists' pointers for its territory.
    pub fn add_national(&mut self, bytes: &[u8]) -> Result<&VerifiedList, ListRefused> {
        let lotl = self.list_of_lists().ok_or(ListRefused::NoListOfLists)?;
        // NOTE: the territory is read before the signature is checked only to choose which
        // certificates to accept; a list claiming another territory is refused by that territory's set.
        let doc = xml::parse(bytes)?;
        let claimed = crate::read::read_tree(&doc)?;
        if claimed.scheme.list_type == ListType::EuListOfTheLists {
            return Err(ListRefused::UnexpectedListOfLists);
        }
        let territory = claimed.scheme.territory.clone();
        let accepted: Vec<Vec<u8>> = lotl
            .list
            .pointers_to(&territory)
            .flat_map(|p| p.signing_certificates.iter().cloned())
            .collect();
        if accepted.is_empty() {
            return Err(ListRefused::NoPointerFor { territory });
        }
        let verified = verify_tree(&doc, bytes, &accepted)?;
        let seq = verified.list.scheme.sequence_number;
        self.keys
            .entry((territory.clone(), seq))
            .or_insert_with(|| listed_keys(&verified));
        Ok(self
            .national
            .entry(territory)
            .or_default()
            .entry(seq)
            .or_insert(verified))
    }

    /// The latest verified EU list of lists.
    pub fn list_of_lists(&self) -> Option<&VerifiedList> {
        self.lotls.values().next_back()
    }

    /// The current (highest sequence) list of a territory.
    pub fn current(&self, territory: &str) -> Option<&VerifiedList> {
        self.national
            .get(territory)
            .and_then(|m| m.values().next_back())
    }

    /// Every verified list of a territory, oldest sequence first.
    pub fn history(&self, territory: &str) -> impl Iterator<Item = &VerifiedList> {
        self.national
            .get(territory)
            .into_iter()
            .flat_map(|m| m.values())
    }

    /// The territories with at least one verified list.
    pub fn territories(&self) -> impl Iterator<Item = &str> {
        self.national.keys().map(String::as_str)
    }

    /// The CA/QC service whose identity is `issuer_cert_der` and whose status at `at` is in force.
    pub fn qualified_ca_at(
        &self,
        issuer_cert_der: &[u8],
        at: DateTime<Utc>,
    ) -> Option<QualifiedCa> {
        self.qualified_at(&ServiceType::CaQc, issuer_cert_der, at)
    }

    /// The TSA/QTST service whose identity is `tsa_cert_der` (the TSU's certificate, or its CA's as the
    /// list gives it) and whose status at `at` is in force.
    pub fn qualified_tsa_at(
        &self,
        tsa_cert_der: &[u8],
        at: DateTime<Utc>,
    ) -> Option<QualifiedService> {
        self.qualified_at(&ServiceType::TsaQtst, tsa_cert_der, at)
    }

    /// The EDS/REM/Q (or EDS/Q) service whose identity is `cert_der` and whose status at `at` is in force.
    pub fn qualified_rem_at(&self, cert_der: &[u8], at: DateTime<Utc>) -> Option<QualifiedService> {
        self.qualified_at(&ServiceType::EdsRemQ, cert_der, at)
            .or_else(|| self.qualified_at(&ServiceType::EdsQ, cert_der, at))
    }

    /// The service of `kind` (in any current national list) identified by `cert_der` and in force at
    /// `at`; the phase at `at` must itself be of `kind` (a service that became CA/QC later is not one).
    pub fn qualified_at(
        &self,
        kind: &ServiceType,
        cert_der: &[u8],
        at: DateTime<Utc>,
    ) -> Option<QualifiedService> {
        let key = KeyOf::new(cert_der)?;
        for verified in self
            .national
            .values()
            .filter_map(|m| m.values().next_back())
        {
            let scheme = &verified.list.scheme;
            let keys = self
                .keys
                .get(&(scheme.territory.clone(), scheme.sequence_number));
            for (i, (provider, service)) in verified.list.services().enumerate() {
                let listed = keys.and_then(|k| k.get(i)).map(Vec::as_slice);
                if !identifies(service, listed, &key) {
                    continue;
                }
                let Some(phase) = service.phase_at(at) else {
                    continue;
                };
                if &phase.service_type == kind && phase.status.in_force() {
                    return Some(found(verified, provider, phase));
                }
            }
        }
        None
    }

    /// Every certificate of a `kind` service (CA/QC, TSA/QTST, EDS/REM/Q…) in the current national
    /// lists, with the periods it was in force; services never in force are left out.
    pub fn anchors(&self, kind: &ServiceType) -> Vec<Anchor> {
        let mut out = Vec::new();
        for verified in self
            .national
            .values()
            .filter_map(|m| m.values().next_back())
        {
            for (provider, service) in verified.list.services() {
                let in_force: Vec<_> = service
                    .periods()
                    .into_iter()
                    .filter(|(p, _)| &p.service_type == kind && p.status.in_force())
                    .map(|(p, until)| (p.since, until))
                    .collect();
                if in_force.is_empty() {
                    continue;
                }
                for certificate in &service.current.identity.certificates {
                    out.push(Anchor {
                        certificate: certificate.clone(),
                        service_type: kind.clone(),
                        territory: verified.list.scheme.territory.clone(),
                        provider: provider.name.clone(),
                        service_name: service.name().to_owned(),
                        in_force: in_force.clone(),
                    });
                }
            }
        }
        out
    }
}

fn found(
    verified: &VerifiedList,
    provider: &TrustServiceProvider,
    phase: &ServicePhase,
) -> QualifiedService {
    QualifiedService {
        territory: verified.list.scheme.territory.clone(),
        list_sequence: verified.list.scheme.sequence_number,
        provider: provider.name.clone(),
        service_name: phase.name.clone(),
        service_type: phase.service_type.clone(),
        status: phase.status.clone(),
        since: phase.since,
        qualifications: phase.qualifications.clone(),
        additional_info: phase.additional_info.clone(),
    }
}

/// What identifies a certificate's key: its DER, subject, public key info and the SHA-1 of its key.
struct KeyOf {
    der: Vec<u8>,
    subject: Vec<u8>,
    spki: Vec<u8>,
    key_sha1: Vec<u8>,
}

impl KeyOf {
    fn new(der: &[u8]) -> Option<Self> {
        let cert = Certificate::from_der(der).ok()?;
        let tbs = &cert.tbs_certificate;
        Some(Self {
            der: der.to_vec(),
            subject: tbs.subject.to_der().ok()?,
            spki: tbs.subject_public_key_info.to_der().ok()?,
            key_sha1: Sha1::digest(tbs.subject_public_key_info.subject_public_key.raw_bytes())
                .to_vec(),
        })
    }
}

/// Whether any of the service's digital identities (current or historical) is the key of `key`.
///
/// NOTE: matching binds the *key*, never a name alone: the same DER; or a listed certificate with the
/// same subject and public key (a CA re-certified with its key, as TS 119 615 allows); or, where a
/// history entry gives only `X509SKI`, an SKI equal to the SHA-1 of the certificate's public key
/// (RFC 5280 §4.2.1.2 method 1). An SKI copied into a forged certificate's extension matches nothing.
/// `listed` are the service's certificates already decoded (see `TrustedLists::keys`); `None`
/// decodes them here.
fn identifies(service: &TrustService, listed: Option<&[ListedKey]>, key: &KeyOf) -> bool {
    let phases = || std::iter::once(&service.current).chain(&service.history);
    let same_key = |k: &ListedKey| k.subject == key.subject && k.spki == key.spki;
    phases().any(|phase| {
        phase.identity.certificates.iter().any(|c| c == &key.der)
            || phase.identity.skis.iter().any(|s| s == &key.key_sha1)
    }) || match listed {
        Some(listed) => listed.iter().any(same_key),
        None => phases()
            .flat_map(|phase| &phase.identity.certificates)
            .filter_map(|c| KeyOf::new(c))
            .any(|k| k.subject == key.subject && k.spki == key.spki),
    }
}
