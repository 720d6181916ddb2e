//! The kind of a trust service (TS 119 612 §5.5.1, `ServiceTypeIdentifier`): a closed set of the types
//! the verifiers ask about, and `Other(uri)` for the rest, kept verbatim.
//!
//! Used by `read` and by the `TrustedLists` queries (CA/QC, TSA/QTST, EDS/REM/Q).

use serde::Serialize;

const PREFIX: &str = "http://uri.etsi.org/TrstSvc/Svctype/";

/// A trust service's type.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ServiceType {
    /// `CA/QC`: a CA issuing qualified certificates.
    CaQc,
    /// `CA/PKC`: a CA issuing non-qualified public key certificates.
    CaPkc,
    /// `TSA/QTST`: a qualified time-stamping authority.
    TsaQtst,
    /// `TSA`: a (non-qualified) time-stamping authority.
    Tsa,
    /// `TSA/TSS-QC`: a time-stamping service under Directive 1999/93 (pre-eIDAS).
    TsaTssQc,
    /// `EDS/REM/Q`: a qualified electronic registered delivery (REM) service.
    EdsRemQ,
    /// `EDS/Q`: a qualified electronic registered delivery service.
    EdsQ,
    /// `EDS/REM`: a non-qualified REM service.
    EdsRem,
    /// `Certstatus/OCSP/QC`: an OCSP responder for qualified certificates.
    OcspQc,
    /// `Certstatus/CRL/QC`: a CRL issuer for qualified certificates.
    CrlQc,
    /// Any other type, by its URI.
    Other(String),
}

impl ServiceType {
    /// Reads a `ServiceTypeIdentifier` URI.
    pub fn from_uri(uri: &str) -> Self {
        match uri.strip_prefix(PREFIX) {
            Some("CA/QC") => Self::CaQc,
            Some("CA/PKC") => Self::CaPkc,
            Some("TSA/QTST") => Self::TsaQtst,
            Some("TSA") => Self::Tsa,
            Some("TSA/TSS-QC") => Self::TsaTssQc,
            Some("EDS/REM/Q") => Self::EdsRemQ,
            Some("EDS/Q") => Self::EdsQ,
            Some("EDS/REM") => Self::EdsRem,
            Some("Certstatus/OCSP/QC") => Self::OcspQc,
            Some("Certstatus/CRL/QC") => Self::CrlQc,
            _ => Self::Other(uri.to_owned()),
        }
    }

    /// The `ServiceTypeIdentifier` URI.
    pub fn uri(&self) -> String {
        let tail = match self {
            Self::CaQc => "CA/QC",
            Self::CaPkc => "CA/PKC",
            Self::TsaQtst => "TSA/QTST",
            Self::Tsa => "TSA",
            Self::TsaTssQc => "TSA/TSS-QC",
            Self::EdsRemQ => "EDS/REM/Q",
            Self::EdsQ => "EDS/Q",
            Self::EdsRem => "EDS/REM",
            Self::OcspQc => "Certstatus/OCSP/QC",
            Self::CrlQc => "Certstatus/CRL/QC",
            Self::Other(uri) => return uri.clone(),
        };
        format!("{PREFIX}{tail}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_known_type_reads_back_from_its_own_uri() {
        for t in [
            ServiceType::CaQc,
            ServiceType::CaPkc,
            ServiceType::TsaQtst,
            ServiceType::Tsa,
            ServiceType::TsaTssQc,
            ServiceType::EdsRemQ,
            ServiceType::EdsQ,
            ServiceType::EdsRem,
            ServiceType::OcspQc,
            ServiceType::CrlQc,
        ] {
            assert_eq!(ServiceType::from_uri(&t.uri()), t);
        }
    }

    #[test]
    fn an_unknown_type_is_kept_verbatim() {
        let t = ServiceType::from_uri("http://example.org/Svctype/X");
        assert_eq!(t.uri(), "http://example.org/Svctype/X");
    }
}
