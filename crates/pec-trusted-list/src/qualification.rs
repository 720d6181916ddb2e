//! The `Qualifications` extension of a CA/QC service (TS 119 612 §5.5.9.2) and the
//! `AdditionalServiceInformation` URIs (§5.5.9.4): what a CA's certificates are qualified *for*.
//!
//! Read by `read`, returned with `QualifiedCa`. Criteria are kept, not evaluated here: a verifier matches
//! them against the end-entity certificate (its key usage, its policies).

use serde::Serialize;

const SVC_INFO_EXT: &str = "http://uri.etsi.org/TrstSvc/TrustedList/SvcInfoExt/";

/// One `QualificationElement`: qualifiers applying to the certificates that meet the criteria.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Qualification {
    pub qualifiers: Vec<Qualifier>,
    pub criteria: CriteriaList,
}

/// A `Qualifier` URI (TS 119 612 §5.5.9.2.3).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Qualifier {
    QcWithSscd,
    QcNoSscd,
    QcSscdStatusAsInCert,
    QcWithQscd,
    QcNoQscd,
    QcQscdStatusAsInCert,
    QcQscdManagedOnBehalf,
    QcForLegalPerson,
    QcForESig,
    QcForESeal,
    QcForWsa,
    NotQualified,
    QcStatement,
    Other(String),
}

impl Qualifier {
    pub fn from_uri(uri: &str) -> Self {
        match uri.strip_prefix(SVC_INFO_EXT) {
            Some("QCWithSSCD") => Self::QcWithSscd,
            Some("QCNoSSCD") => Self::QcNoSscd,
            Some("QCSSCDStatusAsInCert") => Self::QcSscdStatusAsInCert,
            Some("QCWithQSCD") => Self::QcWithQscd,
            Some("QCNoQSCD") => Self::QcNoQscd,
            Some("QCQSCDStatusAsInCert") => Self::QcQscdStatusAsInCert,
            Some("QCQSCDManagedOnBehalf") => Self::QcQscdManagedOnBehalf,
            Some("QCForLegalPerson") => Self::QcForLegalPerson,
            Some("QCForESig") => Self::QcForESig,
            Some("QCForESeal") => Self::QcForESeal,
            Some("QCForWSA") => Self::QcForWsa,
            Some("NotQualified") => Self::NotQualified,
            Some("QCStatement") => Self::QcStatement,
            _ => Self::Other(uri.to_owned()),
        }
    }
}

/// `CriteriaList` (TS 119 612 §5.5.9.2.2): which certificates a qualification applies to.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct CriteriaList {
    /// `assert`: `all`, `atLeastOne` or `none` (verbatim; `all` when absent).
    pub assert: String,
    /// `KeyUsage` criteria: each a list of (bit name, value), e.g. `("nonRepudiation", true)`.
    pub key_usage: Vec<Vec<(String, bool)>>,
    /// `PolicySet` criteria: each a list of policy identifiers (e.g. `urn:oid:1.3.76.38.1.1.1`).
    pub policy_sets: Vec<Vec<String>>,
    /// Nested `CriteriaList`s.
    pub nested: Vec<CriteriaList>,
    /// Whether an `otherCriteriaList` (e.g. CertSubjectDNAttribute, ExtendedKeyUsage) is present.
    pub has_other_criteria: bool,
}

/// An `AdditionalServiceInformation` URI (TS 119 612 §5.5.9.4).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum AdditionalInfo {
    ForESignatures,
    ForESeals,
    ForWebSiteAuthentication,
    RootCaQc,
    Other(String),
}

impl AdditionalInfo {
    pub fn from_uri(uri: &str) -> Self {
        match uri.strip_prefix(SVC_INFO_EXT) {
            Some("ForeSignatures") => Self::ForESignatures,
            Some("ForeSeals") => Self::ForESeals,
            Some("ForWebSiteAuthentication") => Self::ForWebSiteAuthentication,
            Some("RootCA-QC") => Self::RootCaQc,
            _ => Self::Other(uri.to_owned()),
        }
    }
}
