//! A trust service's status (TS 119 612 §5.5.4, `ServiceStatus`) and the rule that says whether it
//! counts as *in force* for qualified trust.
//!
//! Used by `service` (status at a time) and the `TrustedLists` queries.
//!
//! The in-force rule: eIDAS (Regulation 910/2014) applies from 2016-07-01; its art. 51 keeps the
//! Directive 1999/93 qualified certificates and their supervised/accredited CAs valid through the
//! transition. The EU lists migrated the old statuses in history entries, so a service whose status at a
//! past time was `undersupervision`, `supervisionincessation`, `accredited` or `setbynationallaw` was
//! qualified then, exactly as `granted` is now. `withdrawn`, the `…ceased`/`…revoked` statuses and the
//! national-only ones (`recognisedatnationallevel`, `deprecatedatnationallevel`,
//! `deprecatedbynationallaw`) are not qualified trust. The same mapping is the one ETSI TS 119 615
//! (and the EU's DSS) apply.

use serde::Serialize;

const PREFIX: &str = "http://uri.etsi.org/TrstSvc/TrustedList/Svcstatus/";
/// The TS 102 231 v3 (pre-2013) spelling some old history entries still use.
const OLD_PREFIX: &str = "http://uri.etsi.org/TrstSvc/eSigDir-1999-93-EC-TrustedList/Svcstatus/";

/// A service status.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ServiceStatus {
    /// eIDAS: qualified status granted.
    Granted,
    /// eIDAS: qualified status withdrawn.
    Withdrawn,
    /// National scheme: recognised at national level (not qualified).
    RecognisedAtNationalLevel,
    /// National scheme: deprecated at national level.
    DeprecatedAtNationalLevel,
    /// Directive 1999/93: under supervision.
    UnderSupervision,
    /// Directive 1999/93: supervision of a service in cessation.
    SupervisionInCessation,
    /// Directive 1999/93: supervision ceased.
    SupervisionCeased,
    /// Directive 1999/93: supervision revoked.
    SupervisionRevoked,
    /// Directive 1999/93: accredited.
    Accredited,
    /// Directive 1999/93: accreditation ceased.
    AccreditationCeased,
    /// Directive 1999/93: accreditation revoked.
    AccreditationRevoked,
    /// Directive 1999/93: status set by national law.
    SetByNationalLaw,
    /// Directive 1999/93: deprecated by national law.
    DeprecatedByNationalLaw,
    /// Any other status URI, verbatim (never in force).
    Other(String),
}

impl ServiceStatus {
    /// Reads a `ServiceStatus` URI.
    pub fn from_uri(uri: &str) -> Self {
        let tail = uri
            .strip_prefix(PREFIX)
            .or_else(|| uri.strip_prefix(OLD_PREFIX));
        match tail {
            Some("granted") => Self::Granted,
            Some("withdrawn") => Self::Withdrawn,
            Some("recognisedatnationallevel") => Self::RecognisedAtNationalLevel,
            Some("deprecatedatnationallevel") => Self::DeprecatedAtNationalLevel,
            Some("undersupervision") => Self::UnderSupervision,
            Some("supervisionincessation") => Self::SupervisionInCessation,
            Some("supervisionceased") => Self::SupervisionCeased,
            Some("supervisionrevoked") => Self::SupervisionRevoked,
            Some("accredited") => Self::Accredited,
            Some("accreditationceased") => Self::AccreditationCeased,
            Some("accreditationrevoked") => Self::AccreditationRevoked,
            Some("setbynationallaw") => Self::SetByNationalLaw,
            Some("deprecatedbynationallaw") => Self::DeprecatedByNationalLaw,
            _ => Self::Other(uri.to_owned()),
        }
    }

    /// The status's URI (current TS 119 612 spelling).
    pub fn uri(&self) -> String {
        let tail = match self {
            Self::Granted => "granted",
            Self::Withdrawn => "withdrawn",
            Self::RecognisedAtNationalLevel => "recognisedatnationallevel",
            Self::DeprecatedAtNationalLevel => "deprecatedatnationallevel",
            Self::UnderSupervision => "undersupervision",
            Self::SupervisionInCessation => "supervisionincessation",
            Self::SupervisionCeased => "supervisionceased",
            Self::SupervisionRevoked => "supervisionrevoked",
            Self::Accredited => "accredited",
            Self::AccreditationCeased => "accreditationceased",
            Self::AccreditationRevoked => "accreditationrevoked",
            Self::SetByNationalLaw => "setbynationallaw",
            Self::DeprecatedByNationalLaw => "deprecatedbynationallaw",
            Self::Other(uri) => return uri.clone(),
        };
        format!("{PREFIX}{tail}")
    }

    /// Whether a service with this status gives *qualified* trust (see the module header: `granted`,
    /// and the Directive 1999/93 statuses eIDAS art. 51 carried over).
    pub fn in_force(&self) -> bool {
        matches!(
            self,
            Self::Granted
                | Self::UnderSupervision
                | Self::SupervisionInCessation
                | Self::Accredited
                | Self::SetByNationalLaw
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn granted_and_the_pre_eidas_supervised_statuses_are_in_force() {
        for s in [
            "granted",
            "undersupervision",
            "accredited",
            "supervisionincessation",
            "setbynationallaw",
        ] {
            assert!(
                ServiceStatus::from_uri(&format!("{PREFIX}{s}")).in_force(),
                "{s}"
            );
        }
    }

    #[test]
    fn withdrawn_ceased_revoked_and_national_statuses_are_not_in_force() {
        for s in [
            "withdrawn",
            "supervisionceased",
            "supervisionrevoked",
            "accreditationceased",
            "accreditationrevoked",
            "recognisedatnationallevel",
            "deprecatedatnationallevel",
            "deprecatedbynationallaw",
            "made-up",
        ] {
            assert!(
                !ServiceStatus::from_uri(&format!("{PREFIX}{s}")).in_force(),
                "{s}"
            );
        }
    }

    #[test]
    fn the_old_ts_102_231_spelling_reads_the_same() {
        assert_eq!(
            ServiceStatus::from_uri(&format!("{OLD_PREFIX}accredited")),
            ServiceStatus::Accredited
        );
    }
}
